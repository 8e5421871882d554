"""``derm3r finetune``: ``prepare`` writes samples, ``export`` readies adapters for serving, else train."""

from __future__ import annotations

import argparse
import json
import shlex
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

from derm3r.i18n import default_lang
from derm3r.i18n.cli_help import LocalizedParser, help_text, localize_parser
from derm3r.i18n.training_flags import localize_library_flags


def _prepare_parser() -> argparse.ArgumentParser:
    parser = LocalizedParser(
        prog="derm3r finetune prepare",
        description="Write per-agent SFT samples (JSONL) from evaluation lines.",
    )
    parser.add_argument("data", type=Path, help="evaluation JSONL (DESIGN.md evaluation lines)")
    parser.add_argument("--out", type=Path, required=True, help="output folder for <agent>.{train,validation}.jsonl")
    parser.add_argument("--validation-fraction", type=float, default=0.2, help="share of patients held out")
    parser.add_argument("--case-dir", type=Path, default=None, help="folder image paths are relative to")
    parser.add_argument(
        "--patient-pattern",
        default=None,
        help="regex over case_id whose first group is the patient key (default strips a -v2/_visit2 suffix)",
    )
    parser.add_argument(
        "--no-retrieval",
        action="store_true",
        help="no retrieved passages in DERM-Reason's prompts (only for adapters that will serve --no-retrieval runs)",
    )
    parser.add_argument(
        "--embedder", choices=["use", "ngram"], default="use", help="vector store embedder, as consultations will use"
    )
    parser.add_argument("--index-path", type=Path, default=None, help="vector index folder (default: the user cache)")
    return parser


def _export_parser() -> argparse.ArgumentParser:
    parser = LocalizedParser(
        prog="derm3r finetune export",
        description="Export trained adapters for serving: the vLLM --lora-modules layout, or one adapter merged "
        "into its base.",
    )
    parser.add_argument("adapters_dir", type=Path, help="folder with one adapter folder per agent (rec/ rep/ reason/)")
    parser.add_argument("--out", type=Path, required=True, help="export folder")
    parser.add_argument(
        "--mode",
        choices=["vllm", "merge"],
        required=True,
        help="vllm: copy the adapters and write serve.sh; merge: save base + one adapter as a plain model",
    )
    parser.add_argument("--agent", default=None, help="only this agent (required for merge)")
    parser.add_argument("--base-model", default=None, help="base model (default: the one the adapters name)")
    parser.add_argument(
        "--language-model-only",
        action="store_true",
        help="merge: save a Qwen2.5-VL's language model alone as a text-only Qwen2 causal LM (for text-only "
        "servers such as `transformers serve` without torchvision; prompts without images only)",
    )
    return parser


def _localized(parser: argparse.ArgumentParser, lang: str) -> argparse.ArgumentParser:
    localize_parser(parser, lang)
    return parser


def training_parser(lang: str, prog: str = "derm3r finetune") -> argparse.ArgumentParser:
    """The training flags' parser in ``lang`` (needs the llm extra: it is transformers' ``HfArgumentParser``).

    Args:
        lang: ``zh`` or ``en``.
        prog: Program name shown in the usage line.

    Returns:
        The parser; derm3r's own helps are translated by help.yaml, TRL's and transformers' by flag name.
    """
    from derm3r.llm.quiet import quiet_third_party
    from derm3r.training.settings import build_parser, own_flags

    quiet_third_party()  # building the parser imports TRL, and with it bitsandbytes' offline kernel warnings
    parser = build_parser(prog)
    localize_library_flags(parser, lang, own_flags())
    return _localized(parser, lang)


def _export(arguments: list[str], lang: str) -> int:
    args = _localized(_export_parser(), lang).parse_args(arguments)
    _require_llm_extra("derm3r finetune export", EXPORT_NEEDS)
    from derm3r.llm.quiet import quiet_third_party
    from derm3r.training.export import ExportError, export_merged, export_vllm

    quiet_third_party()  # peft's tied-embedding notes, transformers' deprecations and progress bars

    if args.mode == "merge":
        if args.agent is None:
            raise ExportError("--agent: merge makes one full model per agent; name the agent (rec, rep or reason)")
        merged = export_merged(
            args.adapters_dir,
            args.out,
            agent=args.agent,
            base_model=args.base_model,
            language_model_only=args.language_model_only,
        )
        print(json.dumps({"out": str(merged.out), "agent": merged.agent, "base_model": merged.base_model}))
        return 0
    result = export_vllm(args.adapters_dir, args.out, agent=args.agent, base_model=args.base_model)
    summary = {
        "out": str(result.out),
        "adapters": {name: str(path) for name, path in result.adapters.items()},
        "base_model": result.base_model,
        "max_lora_rank": result.max_lora_rank,
        "serve_script": str(result.script),
        "command": shlex.join(result.command),
    }
    print(json.dumps(summary, ensure_ascii=False))
    return 0


LLM_EXTRA = "pip install 'derm3r[llm]'"
#: What training imports, and what export does (merging and reading adapters; no trl).
TRAINING_NEEDS = ("torch", "transformers", "peft", "trl")
EXPORT_NEEDS = ("torch", "transformers", "peft")
#: Printed above the training flags by ``derm3r finetune --help``, so the other two subcommands are found.
SUBCOMMANDS_HELP = """derm3r finetune: three subcommands

  derm3r finetune prepare DATA.jsonl --out DIR
      write per-agent SFT samples (see `prepare --help`)
  derm3r finetune --agent rec|rep|reason --config FILE
      train one agent's LoRA adapter (flags below)
  derm3r finetune export ADAPTERS --out DIR --mode vllm|merge
      ready adapters for serving (`export --help`)
"""


def finetune_main(argv: Sequence[str], lang: str | None = None) -> int:
    """Run ``derm3r finetune prepare …``, ``derm3r finetune export …`` or ``derm3r finetune --agent … --config …``.

    Args:
        argv: Arguments after ``finetune``.
        lang: Language of the help and usage errors (default: ``DERM3R_LANG``, else Chinese); the training
            flags that TRL and transformers declare are translated by flag name (derm3r/i18n/training_flags.yaml).

    Returns:
        The exit code.
    """
    arguments, lang = list(argv), lang or default_lang()
    if arguments[:1] in (["-h"], ["--help"]):
        print(help_text(SUBCOMMANDS_HELP, lang))
    if arguments[:1] == ["export"]:
        return _export(arguments[1:], lang)
    if arguments[:1] == ["prepare"]:
        from derm3r.training.data import DEFAULT_PATIENT_PATTERN, prepare

        args = _localized(_prepare_parser(), lang).parse_args(arguments[1:])
        stats = prepare(
            args.data,
            args.out,
            validation_fraction=args.validation_fraction,
            patient_pattern=args.patient_pattern or DEFAULT_PATIENT_PATTERN,
            case_dir=args.case_dir,
            retrieval=not args.no_retrieval,
            embedder=args.embedder,
            index_path=args.index_path,
        )
        summary = {
            agent: {k: v for k, v in asdict(s).items() if not k.startswith("patients")} for agent, s in stats.items()
        }
        print(json.dumps({"out": str(args.out), "agents": summary}, ensure_ascii=False))
        return 0
    return train_command(arguments, lang)


def train_command(arguments: list[str], lang: str, prog: str = "derm3r finetune") -> int:
    """Train one agent's adapter: ``derm3r finetune --agent … --config …``, and finetune/train_lora.py.

    Args:
        arguments: The training flags (``--lang`` among them is accepted and ignored: ``lang`` is read already).
        lang: Language of ``--help``.
        prog: Program name shown in the help's usage line.

    Returns:
        The exit code.

    Raises:
        OptionError: When a library the training needs is not installed (the extra to install is named).
        SettingsError: For a bad setting, named (exit 2 through the caller's error report).
    """
    _require_llm_extra(prog, TRAINING_NEEDS)
    if "-h" in arguments or "--help" in arguments:  # the training flags' help, derm3r's own in ``lang``
        training_parser(lang, prog).parse_args(arguments)
    from derm3r.training.train import main

    return main(arguments, prog=prog)


def _missing(names: tuple[str, ...]) -> list[str]:
    import importlib.util

    return [name for name in names if importlib.util.find_spec(name) is None]


def _require_llm_extra(command: str, names: tuple[str, ...]) -> None:
    """Name the extra to install when a command's libraries are missing (a bad-setup exit 2, not a traceback)."""
    from derm3r.errors import OptionError

    missing = _missing(names)
    if missing:
        raise OptionError(
            f"{command} needs {', '.join(missing)}, which are not installed: install the llm extra, {LLM_EXTRA}"
        )

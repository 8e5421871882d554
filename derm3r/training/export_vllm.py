"""Export adapters in the layout ``vllm serve --enable-lora --lora-modules`` loads, with its serve script.

Each agent's adapter is copied into ``OUT/<adapter>/`` after checking it against what vLLM's LoRA
loader accepts (its ``PEFTHelper`` rules: no ``modules_to_save``, no DoRA, no bias, rank at most 512,
one ``lora_alpha / r`` scale for every module), and ``OUT/serve.sh`` holds the one ``vllm serve``
command. The adapter names are the agent specs' ``adapter:`` names, which the ``openai`` engine sends as
model names.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derm3r.llm.provenance import METADATA_FILE
from derm3r.training.export_common import (
    ADAPTER_FILES,
    SERVED_BASE_NAME,
    ExportError,
    agent_adapters,
    check_agent_and_prompts,
    read_metadata,
    select_adapters,
)

#: vLLM's accepted ``--max-lora-rank`` values (``vllm.config.lora.MaxLoRARanks``).
VLLM_MAX_LORA_RANKS = (1, 8, 16, 32, 64, 128, 256, 320, 512)
#: The language-model projections vLLM's Qwen2.5-VL applies LoRA to (q/k/v and gate/up are packed there).
VLLM_LORA_MODULES = frozenset({"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"})


@dataclass
class VllmExport:
    """What a vLLM export wrote.

    Attributes:
        out: The export folder.
        adapters: Served adapter name -> its folder under ``out``.
        base_model: The base model the server must load.
        max_lora_rank: The ``--max-lora-rank`` value (the smallest vLLM accepts that fits every adapter).
        command: The ``vllm serve`` command, with absolute paths.
        script: ``out/serve.sh``, the same command with paths relative to the script.
    """

    out: Path
    adapters: dict[str, Path]
    base_model: str
    max_lora_rank: int
    command: list[str] = field(default_factory=list)
    script: Path | None = None


def vllm_problems(folder: Path) -> list[str]:
    """List what stops vLLM's LoRA loader from serving a peft adapter (empty when it can).

    Mirrors vLLM's ``PEFTHelper`` checks and its Qwen2.5-VL LoRA modules, read from the adapter's
    ``adapter_config.json`` and the tensor names in ``adapter_model.safetensors``.

    Args:
        folder: The adapter folder.

    Returns:
        One sentence per problem.
    """
    from safetensors import safe_open

    try:
        config = json.loads((folder / "adapter_config.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError) as error:
        return [f"adapter_config.json unreadable: {error}"]
    if not isinstance(config, dict):
        return ["adapter_config.json is not a JSON object"]
    problems = []
    if config.get("peft_type", "LORA") != "LORA":
        problems.append(f"peft_type is {config.get('peft_type')!r}; vLLM serves LoRA adapters only")
    if config.get("modules_to_save"):
        problems.append(
            f"modules_to_save={config['modules_to_save']!r}: vLLM only serves adapters whose modules_to_save is "
            "empty (fully trained modules are not LoRA weights); retrain with modules_to_save: []"
        )
    if config.get("use_dora"):
        problems.append("use_dora: vLLM does not support DoRA")
    if config.get("bias", "none") != "none" or config.get("lora_bias"):
        problems.append("bias: vLLM serves LoRA adapters without bias terms only")
    if config.get("trainable_token_indices"):
        problems.append("trainable_token_indices: vLLM does not load trained token embeddings")
    if config.get("target_parameters"):
        problems.append("target_parameters: vLLM loads LoRA on linear modules only")
    if config.get("layer_replication"):
        problems.append("layer_replication: not supported by vLLM")
    if config.get("rank_pattern") or config.get("alpha_pattern"):
        problems.append("rank_pattern/alpha_pattern: vLLM scales every module by one lora_alpha / r")
    rank = config.get("r", 0)
    if not isinstance(rank, int) or not 1 <= rank <= VLLM_MAX_LORA_RANKS[-1]:
        problems.append(f"rank r={rank}: vLLM serves ranks 1 to {VLLM_MAX_LORA_RANKS[-1]}")
    weights = folder / "adapter_model.safetensors"
    if not weights.is_file():
        problems.append("adapter_model.safetensors missing (only safetensors adapters are exported)")
        return problems
    with safe_open(str(weights), "pt") as handle:
        names = list(handle.keys())
    stray = sorted({_module_of(name) for name in names if not _is_served_lora_tensor(name)})
    if stray:
        problems.append(
            f"weights outside the language model's {'/'.join(sorted(VLLM_LORA_MODULES))} LoRA matrices "
            f"({', '.join(stray[:4])}{' …' if len(stray) > 4 else ''}); vLLM would reject or ignore them"
        )
    if not names:
        problems.append("adapter_model.safetensors holds no tensors")
    return problems


def _module_of(name: str) -> str:
    return name.removeprefix("base_model.model.").split(".lora_")[0]


def _is_served_lora_tensor(name: str) -> bool:
    module, sep, rest = name.partition(".lora_")
    if not sep or rest not in ("A.weight", "B.weight"):
        return False
    # The vision tower's blocks have their own qkv/proj names; a q_proj there would still be the tower.
    return "visual" not in module and module.rsplit(".", 1)[-1] in VLLM_LORA_MODULES


def _rank(folder: Path) -> int:
    return int(json.loads((folder / "adapter_config.json").read_text(encoding="utf-8")).get("r", 0))


def _common_base(metas: dict[str, dict[str, Any] | None], base_model: str | None) -> str:
    """The one base every adapter was trained on (or ``base_model`` when given and consistent)."""
    hashes = {agent: meta.get("base_config_hash") for agent, meta in metas.items() if meta is not None}
    if len(set(hashes.values())) > 1:
        sides = ", ".join(f"{agent}: {value}" for agent, value in sorted(hashes.items()))
        raise ExportError(f"adapters were trained on different bases ({sides}); one vLLM server serves one base")
    if base_model:
        return base_model
    bases = {str(meta.get("base_model")) for meta in metas.values() if meta is not None and meta.get("base_model")}
    missing = sorted(agent for agent, meta in metas.items() if meta is None or not meta.get("base_model"))
    if missing or len(bases) != 1:
        raise ExportError(
            f"--base-model: needed, the adapters do not name one base ({', '.join(missing) or sorted(bases)})"
        )
    return bases.pop()


def _check_local_base(base: str, metas: dict[str, dict[str, Any] | None]) -> None:
    """Refuse a local base whose architecture differs from the one the adapters were trained on.

    A hub id is not looked up (export runs offline, often away from the serving machine).
    """
    from derm3r.llm.provenance import config_hash

    trained = {str(meta["base_config_hash"]) for meta in metas.values() if meta and meta.get("base_config_hash")}
    if not trained or not (Path(base) / "config.json").is_file():
        return
    from transformers import AutoConfig

    try:
        actual = config_hash(AutoConfig.from_pretrained(base))
    except (OSError, ValueError) as error:
        raise ExportError(f"--base-model: cannot read the config of {base}: {error}") from error
    if actual not in trained:
        raise ExportError(
            f"--base-model: {base} has config {actual}, but the adapters were trained on config {trained.pop()}; "
            "serve them on the base they were trained on"
        )


def vllm_command(base_model: str, adapters: dict[str, str], max_lora_rank: int) -> list[str]:
    """The ``vllm serve`` command that serves ``base_model`` and each adapter under its own model name.

    Args:
        base_model: Hub id or path of the base.
        adapters: Served adapter name -> adapter folder.
        max_lora_rank: ``--max-lora-rank``.

    Returns:
        The command as an argument list.
    """
    modules = [f"{name}={path}" for name, path in adapters.items()]
    return [
        "vllm",
        "serve",
        base_model,
        "--served-model-name",
        SERVED_BASE_NAME,
        "--enable-lora",
        "--max-lora-rank",
        str(max_lora_rank),
        # All agents' adapters may share one batch when consultations run concurrently.
        "--max-loras",
        str(len(adapters)),
        "--lora-modules",
        *modules,
    ]


def export_vllm(
    adapters_dir: Path, out: Path, *, agent: str | None = None, base_model: str | None = None
) -> VllmExport:
    """Copy adapters into the layout ``vllm serve --enable-lora --lora-modules`` loads, and write ``serve.sh``.

    Args:
        adapters_dir: Folder with one adapter folder per agent (what training writes).
        out: Export folder (created; existing adapter folders of the same names are replaced).
        agent: Export only this agent's adapter.
        base_model: The base the server loads; defaults to the adapters' ``derm3r_adapter.json``.

    Returns:
        What was written and the serve command.

    Raises:
        ExportError: For an adapter vLLM cannot serve, trained for another agent or prompts, or on another base.
    """
    selected = select_adapters(adapters_dir, agent)
    if out.resolve() == adapters_dir.resolve():
        raise ExportError(f"--out: {out} is the adapters folder itself; export into another folder")
    names = agent_adapters()
    metas: dict[str, dict[str, Any] | None] = {}
    for name, folder in selected.items():
        problems = vllm_problems(folder)
        if problems:
            raise ExportError(f"agent {name!r}: vLLM cannot serve the adapter at {folder}: " + "; ".join(problems))
        metas[name] = read_metadata(folder, name)
        check_agent_and_prompts(folder, name, metas[name])
    base = _common_base(metas, base_model)
    _check_local_base(base, metas)
    rank = max(_rank(folder) for folder in selected.values())
    max_lora_rank = next(value for value in VLLM_MAX_LORA_RANKS if value >= rank)
    out.mkdir(parents=True, exist_ok=True)
    copied: dict[str, Path] = {}
    for name, folder in selected.items():
        target = out / names[name]
        if target.exists():
            shutil.rmtree(target)
        target.mkdir()
        for file_name in (*ADAPTER_FILES, METADATA_FILE):
            if (folder / file_name).is_file():
                shutil.copy2(folder / file_name, target / file_name)
        copied[names[name]] = target
    command = vllm_command(base, {served: str(path.resolve()) for served, path in copied.items()}, max_lora_rank)
    script = out / "serve.sh"
    script.write_text(_serve_script(base, list(copied), max_lora_rank), encoding="utf-8")
    script.chmod(0o755)
    return VllmExport(
        out=out, adapters=copied, base_model=base, max_lora_rank=max_lora_rank, command=command, script=script
    )


def _serve_script(base: str, served: list[str], max_lora_rank: int) -> str:
    import shlex

    # Paths relative to the script, so the export folder can be copied to the serving machine as is.
    args = vllm_command(base, {name: f'"$HERE/{name}"' for name in served}, max_lora_rank)
    quoted = [arg if '"$HERE/' in arg else shlex.quote(arg) for arg in args]
    return (
        "#!/usr/bin/env bash\n"
        "# Written by `derm3r finetune export --mode vllm`.\n"
        "# Extra vllm flags pass through (e.g. --max-model-len 8192).\n"
        "# Then: derm3r consult CASE.json --engine openai "
        f"(the openai engine asks for {', '.join(served)} by name, and {SERVED_BASE_NAME!r} without an adapter).\n"
        "set -euo pipefail\n"
        'HERE="$(cd "$(dirname "$0")" && pwd)"\n'
        f'exec {" ".join(quoted)} "$@"\n'
    )

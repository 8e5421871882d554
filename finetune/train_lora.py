"""Train one DERM-3R agent's LoRA adapter with TRL's SFTTrainer (QLoRA on CUDA with load_in_4bit).

Prepare the data once, then train each agent (settings from YAML, any flag overrides it)::

    derm3r finetune prepare examples/eval/psoriasis.jsonl --case-dir examples/cases --out finetune/data
    python finetune/train_lora.py --config finetune/configs/rec.yaml --data-dir finetune/data
    derm3r finetune --agent reason --config finetune/configs/reason.yaml --max-steps 200

Several GPUs (data parallel; each process loads its own 4-bit copy of the base)::

    accelerate launch --num_processes 4 finetune/train_lora.py --config finetune/configs/rep.yaml

The tested command (tests/training/test_finetune.py, tiny random model, CPU)::

    derm3r finetune --config reason.yaml --max-steps 2 --lora_r 3   # the YAML names the tiny base and data

Adapters land in ``OUTPUT_DIR/AGENT`` with ``derm3r_adapter.json`` (base, prompt and data hashes,
settings, metrics); serve them with ``derm3r consult CASE --engine hf --engine-option adapters_dir=OUTPUT_DIR``.

Help and errors read as ``derm3r finetune``'s do: Chinese by default, English with ``--lang en`` (or
``DERM3R_LANG=en``); a bad setting is one line naming it, exit 2.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

PROG = "finetune/train_lora.py"


def main(argv: Sequence[str] | None = None) -> int:
    """Parse settings and train; heavy libraries (torch, transformers, peft) load only inside training.

    Args:
        argv: The arguments (default: ``sys.argv[1:]``).

    Returns:
        The exit code: 0 trained, 2 bad input (named on stderr), 1 another failure.
    """
    from derm3r.cli.localized_parser import lang_of
    from derm3r.cli.main import report_errors
    from derm3r.training.cli import train_command

    arguments = list(sys.argv[1:] if argv is None else argv)
    lang = lang_of(arguments)
    return report_errors(lambda: train_command(arguments, lang, prog=PROG), lang)


if __name__ == "__main__":
    sys.exit(main())

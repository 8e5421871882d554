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
"""

from __future__ import annotations

import sys


def main() -> int:
    """Parse settings and train; heavy libraries (torch, transformers, peft) load only inside training."""
    from derm3r.training.train import main as train_main

    return train_main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())

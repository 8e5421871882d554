"""QLoRA training on a randomly initialised model of real size (Qwen2.5-VL-3B shape, no download).

Builds the 3B-shaped model with ``gpu_bench.build_full_size`` (the tiny model's tokenizer and special
token ids), prepares the dev set with ``derm3r finetune prepare`` and trains one agent for ``--steps``
optimiser steps through derm3r's TRL ``train()``: on CUDA that is 4-bit NF4 QLoRA (bitsandbytes), bf16
autocast and gradient checkpointing. Prints peak GPU memory (``torch.cuda.max_memory_allocated``,
target ≤ 10 GB) and samples/s. Random weights learn nothing useful; only memory and time are measured.
Sequence lengths come from the tiny tokenizer, which is printed with the figures.

Run (on a CUDA machine): ``bash benchmarks/gpu_check.sh`` (with the hf engine check; < 8 min, one GPU).
``--tiny`` runs the same code on the tiny model (on CPU without CUDA) in about a minute.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))

from train_bench import DEV, mean_tokens, prepare_dev  # found through the path set up above


def bench(model: Path, data: Path, out: Path, agent: str, steps: int, batch_size: int, rank: int) -> dict[str, Any]:
    """Train ``steps`` steps of one agent through derm3r's training code and collect the figures.

    Args:
        model: Base model folder.
        data: Prepared data folder (validation set aside).
        out: Adapters output folder.
        agent: The agent to train.
        steps: Optimiser steps.
        batch_size: Samples per step.
        rank: LoRA rank.

    Returns:
        Peak GPU memory, samples/s, tokens/s and the settings that decide them.
    """
    import torch

    from derm3r.training.settings import load_settings
    from derm3r.training.train import train

    cuda = torch.cuda.is_available()
    flags = ["--agent", agent, "--data-dir", str(data), "--model-name-or-path", str(model), "--output-dir", str(out)]
    flags += ["--lora-r", str(rank), "--lora-alpha", str(2 * rank), "--max-steps", str(steps)]
    flags += ["--per-device-train-batch-size", str(batch_size), "--gradient-accumulation-steps", "1"]
    flags += [
        "--eval-steps",
        str(steps),
        "--save-strategy",
        "no",
        "--load-best-model-at-end",
        "false",
        "--load-in-4bit",
        "true",
    ]
    flags += ["--activation-checkpointing", "true", "--max-pixels", str(256 * 28 * 28), "--disable-tqdm", "true"]
    settings = load_settings(flags)
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    started = time.perf_counter()
    result = train(settings)
    wall = time.perf_counter() - started
    metrics = result.metrics
    tokens = mean_tokens(data / f"{agent}.train.jsonl", result.processor, settings.script.max_pixels)
    rate = float(metrics["samples_per_s"] or 0.0)
    base = result.model.get_base_model()
    return {
        "agent": agent,
        "device": torch.cuda.get_device_name() if cuda else "cpu",
        # bitsandbytes keeps 4-bit weights packed in uint8 tensors.
        "quantized_4bit": any(p.dtype == torch.uint8 for p in base.parameters()),
        "gradient_checkpointing": bool(
            getattr(base, "is_activation_checkpointing", None) or getattr(base, "is_gradient_checkpointing", False)
        ),
        "steps": metrics["steps"],
        "batch_size": batch_size,
        "lora_rank": rank,
        "mean_tokens_per_sample": round(tokens, 1),
        "samples_per_s": round(rate, 3),
        "tokens_per_s": round(rate * tokens),
        "loop_s": metrics["seconds"],
        "load_train_save_s": round(wall, 1),
        "peak_gpu_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "peak_gpu_reserved_gib": round(torch.cuda.max_memory_reserved() / 2**30, 2) if cuda else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tiny", action="store_true", help="the tiny model instead of the 3B shape (CPU is fine)")
    parser.add_argument("--agent", choices=["rec", "rep", "reason"], default="reason", help="reason: longest samples")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch-size", type=int, default=1)
    parser.add_argument("--rank", type=int, default=16)
    parser.add_argument("--data", type=Path, default=DEV)
    args = parser.parse_args()

    import torch

    from derm3r.testing.tiny_model import build_tiny_model

    if not args.tiny and not torch.cuda.is_available():
        raise SystemExit("the 3B-shaped run needs CUDA; use --tiny to check the script on CPU")
    with tempfile.TemporaryDirectory() as root:
        started = time.perf_counter()
        model = build_tiny_model(Path(root) / "tiny")
        if not args.tiny:
            from gpu_bench import build_full_size

            model = build_full_size(model, Path(root) / "full")
        build_s = time.perf_counter() - started
        data = prepare_dev(args.data, Path(root) / "data")
        print(f"model: {'tiny' if args.tiny else 'Qwen2.5-VL-3B shape, random'} (built in {build_s:.0f} s)")
        figures = bench(model, data, Path(root) / "adapters", args.agent, args.steps, args.batch_size, args.rank)
        print(json.dumps(figures, ensure_ascii=False))
        if figures["peak_gpu_gib"] is not None:
            verdict = "within" if figures["peak_gpu_gib"] * 2**30 <= 10 * 10**9 else "OVER"
            print(f"peak GPU memory {figures['peak_gpu_gib']} GiB: {verdict} the 10 GB target")


if __name__ == "__main__":
    main()

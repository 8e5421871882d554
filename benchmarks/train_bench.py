"""Fine-tuning throughput on the tiny random Qwen2.5-VL (built offline), per agent, on CPU.

Prepares the dev set (``data/dev/derm-dev.jsonl``) with ``derm3r finetune prepare``, then trains each
agent's LoRA adapter for ``--steps`` optimiser steps through the TRL path and prints
samples/s, tokens/s and the peak resident memory of the process that trained it. Each agent trains
in its own process started by a parent that imports nothing heavy: ``resource.getrusage``'s peak
lasts the process's lifetime and on Linux even starts from the parent's size at fork.
Validation is left out (the validation files are set aside) so the figures are training time only.

Run: ``.venv/bin/python benchmarks/train_bench.py [--steps 20] [--repeat 3] [--agents rec rep reason]``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

REPO = Path(__file__).resolve().parents[1]
DEV = REPO / "data" / "dev" / "derm-dev.jsonl"
AGENTS = ("rec", "rep", "reason")


def prepare_dev(data: Path, out: Path, case_dir: Path | None = None) -> Path:
    """Write per-agent training samples with ``derm3r finetune prepare`` and set the validation files aside.

    Args:
        data: Evaluation JSONL.
        out: Output folder.
        case_dir: Folder image paths are relative to.

    Returns:
        ``out``.
    """
    from derm3r.cli.main import main as cli_main

    argv = ["finetune", "prepare", str(data), "--out", str(out)]
    if case_dir is not None:
        argv += ["--case-dir", str(case_dir)]
    if cli_main(argv) != 0:
        raise SystemExit(f"prepare failed for {data}")
    aside = out / "validation-set-aside"
    aside.mkdir(exist_ok=True)
    for path in out.glob("*.validation.jsonl"):
        shutil.move(str(path), aside / path.name)
    return out


def mean_tokens(samples_file: Path, processor: Any, max_pixels: int) -> float:
    """Mean tokens (prompt + answer, as trained) per sample of a prepared file."""
    from derm3r.training.data import load_samples
    from derm3r.training.train import conversation, encode

    samples = load_samples(samples_file)
    return sum(len(encode(conversation(s), processor, max_pixels).input_ids) for s in samples) / len(samples)


def train_one(agent: str, model: Path, data: Path, out: Path, steps: int, *more: str) -> dict[str, Any]:
    """Train one agent for ``steps`` steps and measure it (run in a fresh process for a clean RSS peak).

    Args:
        agent: The agent.
        model: Base model folder.
        data: Prepared data folder.
        out: Adapters output folder.
        steps: Optimiser steps.
        *more: More training flags (TRL/transformers names).

    Returns:
        The figures: samples/s, tokens/s, mean tokens per sample, seconds, peak RSS (MiB).
    """
    from derm3r.training.settings import load_settings
    from derm3r.training.train import train

    flags = ["--agent", agent, "--data-dir", str(data), "--model-name-or-path", str(model), "--output-dir", str(out)]
    flags += ["--max-steps", str(steps), "--lora-r", "16", "--lora-alpha", "32", "--per-device-train-batch-size", "1"]
    flags += ["--gradient-accumulation-steps", "1", "--eval-steps", str(steps), "--max-pixels", str(64 * 28 * 28)]
    flags += [
        "--disable-tqdm",
        "true",
        "--logging-steps",
        str(steps),
        "--save-strategy",
        "no",
        "--load-best-model-at-end",
        "false",
    ]
    settings = load_settings([*flags, *more])
    import torch  # noqa: F401 - imported before the baseline so the baseline includes the libraries

    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    result = train(settings)
    wall = time.perf_counter() - started
    metrics = result.metrics
    tokens = mean_tokens(data / f"{agent}.train.jsonl", result.processor, settings.script.max_pixels)
    rate = float(metrics["samples_per_s"] or 0.0)
    return {
        "agent": agent,
        "steps": metrics["steps"],
        "samples": metrics.get("samples_seen"),
        "train_samples": metrics["train_samples"],
        "mean_tokens_per_sample": round(tokens, 1),
        "samples_per_s": round(rate, 2),
        "tokens_per_s": round(rate * tokens),
        "loop_s": metrics["seconds"],
        "wall_s_with_load_and_save": round(wall, 1),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "rss_before_training_mib": round(baseline / 1024),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=20, help="optimiser steps per agent")
    parser.add_argument("--agents", nargs="+", choices=AGENTS, default=list(AGENTS))
    parser.add_argument("--data", type=Path, default=DEV, help="evaluation JSONL to prepare samples from")
    parser.add_argument("--threads", type=int, default=0, help="torch CPU threads (0: torch's default)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per agent; the median run is printed")
    parser.add_argument("--child", nargs=3, metavar=("AGENT", "MODEL", "DATA"), help=argparse.SUPPRESS)
    parser.add_argument("--setup", type=Path, metavar="ROOT", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        from derm3r.testing.tiny_model import build_tiny_model

        build_tiny_model(args.setup / "tiny")
        prepare_dev(args.data, args.setup / "data")
        return
    if args.threads:
        import torch

        torch.set_num_threads(args.threads)
    if args.child:
        agent, model, data = args.child
        with tempfile.TemporaryDirectory() as out:
            print(json.dumps(train_one(agent, Path(model), Path(data), Path(out), args.steps)))
        return

    with tempfile.TemporaryDirectory() as root:
        model, data = Path(root) / "tiny", Path(root) / "data"
        setup = [sys.executable, __file__, "--data", str(args.data), "--setup", root]
        subprocess.run(setup, check=True, stdout=subprocess.DEVNULL)
        print(f"tiny Qwen2.5-VL ({model}), {args.steps} steps per agent, batch 1, LoRA r=16 on CPU, data {args.data}")
        for agent in args.agents:
            command = [sys.executable, __file__, "--steps", str(args.steps), "--threads", str(args.threads)]
            runs = []
            for _ in range(args.repeat):
                child = subprocess.run(
                    [*command, "--child", agent, str(model), str(data)], capture_output=True, text=True, check=False
                )
                if child.returncode != 0:
                    raise SystemExit(f"{agent}: training failed:\n{child.stderr[-4000:]}")
                runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
            # The median run, with every run's rate: on a shared machine one run can be several times slower.
            runs.sort(key=lambda run: run["samples_per_s"])
            median = runs[len(runs) // 2]
            print(json.dumps({**median, "samples_per_s_runs": [run["samples_per_s"] for run in runs]}))


if __name__ == "__main__":
    main()

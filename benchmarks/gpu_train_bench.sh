#!/usr/bin/env bash
# QLoRA training on a random Qwen2.5-VL-3B-shaped model on a GPU (see benchmarks/gpu_train_bench.py):
# 20 steps of DERM-Reason (the longest samples), 4-bit NF4, bf16, gradient checkpointing. Prints peak GPU
# memory (target <= 10 GB) and samples/s. Installs the llm extra if needed; sized to finish in under 8 minutes.
# Without a GPU: .venv/bin/python benchmarks/gpu_train_bench.py --tiny
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install --quiet -e ".[llm]"
timeout 480 .venv/bin/python benchmarks/gpu_train_bench.py --agent reason --steps 20 "$@"

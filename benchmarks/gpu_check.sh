#!/usr/bin/env bash
# One GPU check, under 8 minutes on one H100/H200-class GPU, nothing downloaded:
#   1. 20 QLoRA steps of DERM-Reason (the longest samples) on a random Qwen2.5-VL-3B-shaped model through the
#      TRL path (derm3r finetune's SFTTrainer: 4-bit NF4, bf16, activation checkpointing); peak GPU memory
#      (target <= 10 GB) and samples/s (benchmarks/gpu_train_bench.py);
#   2. the hf engine batched over 8 example cases in bf16 and in 4-bit: cases/min, peak GPU memory, per-agent
#      latency (benchmarks/gpu_bench.py).
# Without a GPU: `bash benchmarks/gpu_check.sh --tiny` runs the same two steps on the tiny model on CPU.
# Installs the llm extra into .venv if there is none.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
if [ ! -x "$PY" ]; then python3 -m venv .venv; .venv/bin/pip install --quiet -c constraints.txt -e ".[llm]"; PY=.venv/bin/python; fi
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1
if [ "${1:-}" = "--tiny" ]; then
  echo "== tiny model, CPU (checks the script, not the figures)"
  timeout 600 "$PY" benchmarks/gpu_train_bench.py --tiny --agent reason --steps 20
  timeout 600 "$PY" benchmarks/gpu_bench.py --size tiny --cases 4 --new-tokens 16 --quantize none
  exit 0
fi
started=$(date +%s)
echo "== 1/2 QLoRA training, TRL path, Qwen2.5-VL-3B shape"
timeout 270 "$PY" benchmarks/gpu_train_bench.py --agent reason --steps 20
echo "== 2/2 hf engine, batched, bf16 and 4-bit"
timeout 200 "$PY" benchmarks/gpu_bench.py --size 3b --cases 8 --new-tokens 64 --quantize none 4bit
echo "== total $(( $(date +%s) - started )) s"

#!/usr/bin/env bash
# Real-size throughput of the hf pipeline on a GPU (see benchmarks/gpu_bench.py). Installs the llm
# extra if needed, then runs bf16 and 4-bit over 16 example cases. Sized to finish in under 8 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install --quiet -e ".[llm]"
timeout 480 .venv/bin/python benchmarks/gpu_bench.py --size 3b --cases 16 --new-tokens 64 --quantize none 4bit

"""hf engine figures on the tiny random Qwen2.5-VL (built offline): batching, adapter switching, overhead.

Run: ``.venv/bin/python benchmarks/llm_bench.py [--cases 16] [--new-tokens 16]``. Targets (issue 4):
batched generation ≥ 3x the throughput of sequential calls over 16 cases on CPU; pipeline overhead
(prompt rendering, cache key, JSON parsing) ≤ 15% over raw ``generate`` calls. Random weights make the
text garbage; only time is measured.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

REPO = Path(__file__).resolve().parents[1]
CASES = sorted((REPO / "examples" / "cases").glob("*.json"))


def timed(fn: Any, *args: Any) -> float:
    start = time.perf_counter()
    fn(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=16, help="requests per measurement")
    parser.add_argument("--new-tokens", type=int, default=16, help="tokens generated per request")
    parser.add_argument("--rounds", type=int, default=3, help="repeats; the median is reported")
    args = parser.parse_args()
    logging.disable(logging.WARNING)

    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()

    from derm3r.engines.base import EngineOptions
    from derm3r.engines.llm import LLMEngine
    from derm3r.kb.loader import load_knowledge_base
    from derm3r.llm.hf_backend import HFBackend, HFSettings
    from derm3r.llm.prompts import case_text
    from derm3r.llm.schemas import RecOutput
    from derm3r.llm.structured import OutputParseError, parse_output
    from derm3r.schemas.case import Case
    from derm3r.testing.tiny_model import build_tiny_adapters, build_tiny_model

    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        model_dir = build_tiny_model(Path(tmp) / "model")
        adapters_dir = build_tiny_adapters(model_dir, Path(tmp) / "adapters")
        built = time.perf_counter() - start
        start = time.perf_counter()
        backend = HFBackend(HFSettings(model=str(model_dir), adapters_dir=adapters_dir, max_batch=args.cases))
        loaded = time.perf_counter() - start
        engine = LLMEngine(backend, EngineOptions(knowledge=load_knowledge_base(REPO / "knowledge")))
        spec = engine.specs["rec"]
        cases = [Case.model_validate(json.loads(path.read_text(encoding="utf-8"))) for path in CASES]
        cases = (cases * (args.cases // len(cases) + 1))[: args.cases]
        requests = [
            replace(
                engine.build_request(spec, {"case_text": case_text(case), "view": None, "site": None}),
                max_new_tokens=args.new_tokens,
            )
            for case in cases
        ]
        mixed = [replace(r, adapter=("rec", "rep", "reason")[i % 3]) for i, r in enumerate(requests)]
        # Random weights may emit the end token early; fixed-length replies keep the comparison fair.
        backend.model.get_base_model().generation_config.min_new_tokens = args.new_tokens
        # Every figure goes through complete() (the batching worker thread): torch's CPU speed differs
        # between threads, so mixing direct generate() calls with the worker would compare threads.
        backend.complete(requests[:2])  # warm-up

        def median(fn: Any, *fn_args: Any) -> float:
            return statistics.median(timed(fn, *fn_args) for _ in range(args.rounds))

        sequential = median(lambda: [backend.complete([r]) for r in requests])
        batched = median(backend.complete, requests)
        batched_mixed = median(backend.complete, mixed)
        peft_model: Any = backend.model
        switch = median(lambda: [peft_model.set_adapter(n) for n in ("rec", "rep", "reason") * 100]) / 300

        def pipeline(case: Case) -> None:
            # What the engine adds around generate: rendering, the request, the cache check, parsing.
            fresh = engine.build_request(spec, {"case_text": case_text(case), "view": None, "site": None})
            reply = engine.complete(replace(fresh, max_new_tokens=args.new_tokens))
            with contextlib.suppress(OutputParseError):
                parse_output(reply, RecOutput)

        raw = median(lambda: [backend.complete([r]) for r in requests[:4]])
        piped = median(lambda: [pipeline(c) for c in cases[:4]])

    n = args.cases
    print(f"tiny model build {built:.2f} s, load with 3 adapters {loaded:.2f} s")
    print(f"sequential: {n / sequential:.2f} req/s ({sequential:.2f} s for {n})")
    print(f"batched (one adapter): {n / batched:.2f} req/s, {sequential / batched:.1f}x sequential (target >= 3x)")
    print(f"batched (adapters mixed per row): {n / batched_mixed:.2f} req/s, {batched_mixed / batched:.2f}x the time")
    print(f"set_adapter switch: {switch * 1e6:.0f} us")
    print(f"pipeline overhead over raw generate: {(piped / raw - 1) * 100:+.1f}% (target <= 15%)")


if __name__ == "__main__":
    main()

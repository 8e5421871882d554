"""The hf pipeline on a randomly initialised model of real size (Qwen2.5-VL-3B shape, no download).

Prints cases/min, peak GPU memory and per-agent latency for bf16 and 4-bit. Random weights generate
garbage, so the LLM nodes fall back to the knowledge engine after their re-asks; the timings still
cover real generation at full size, which is what this measures.

Run (on a CUDA machine): ``bash benchmarks/gpu_check.sh`` (with the training check; < 8 min, one GPU).
``--size tiny`` runs the same code on CPU in seconds (used to check the script without a GPU).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

REPO = Path(__file__).resolve().parents[1]
CASES = sorted((REPO / "examples" / "cases").glob("ps-*.json"))
#: Qwen2.5-VL-3B-Instruct's published architecture (config.json of the hub model), written out here.
QWEN25_VL_3B_TEXT = {
    "hidden_size": 2048,
    "intermediate_size": 11008,
    "num_hidden_layers": 36,
    "num_attention_heads": 16,
    "num_key_value_heads": 2,
    "vocab_size": 151936,
    "max_position_embeddings": 128000,
    "rope_parameters": {"rope_type": "default", "rope_theta": 1000000.0, "mrope_section": [16, 24, 24]},
    "tie_word_embeddings": True,
}
QWEN25_VL_3B_VISION = {
    "depth": 32,
    "hidden_size": 1280,
    "intermediate_size": 3420,
    "num_heads": 16,
    "out_hidden_size": 2048,
    "fullatt_block_indexes": [7, 15, 23, 31],
    "window_size": 112,
}


def build_full_size(tiny_dir: Path, directory: Path) -> Path:
    """Write a random model of 3B shape that shares the tiny model's tokenizer and special token ids."""
    import torch
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration

    tiny = json.loads((tiny_dir / "config.json").read_text(encoding="utf-8"))
    text = tiny.get("text_config", {})
    config = Qwen2_5_VLConfig(
        text_config={
            **QWEN25_VL_3B_TEXT,
            "bos_token_id": text.get("bos_token_id"),
            "eos_token_id": text.get("eos_token_id"),
            "pad_token_id": text.get("pad_token_id"),
        },
        vision_config=QWEN25_VL_3B_VISION,
        image_token_id=tiny["image_token_id"],
        video_token_id=tiny["video_token_id"],
        vision_start_token_id=tiny["vision_start_token_id"],
        vision_end_token_id=tiny["vision_end_token_id"],
        tie_word_embeddings=True,
    )
    with torch.device("cuda"):
        model = Qwen2_5_VLForConditionalGeneration._from_config(config, dtype=torch.bfloat16)
    model.generation_config.eos_token_id = text.get("eos_token_id")
    model.generation_config.pad_token_id = text.get("pad_token_id")
    model.save_pretrained(directory)
    for item in tiny_dir.iterdir():
        if item.suffix in (".json", ".jinja", ".txt") and item.name not in ("config.json", "generation_config.json"):
            shutil.copy(item, directory / item.name)
    del model
    torch.cuda.empty_cache()
    return directory


def run(model_dir: Path, adapters: Path | None, quantize: str, cases: int, new_tokens: int) -> dict[str, Any]:
    """Consult ``cases`` example cases through the hf engine and collect the figures."""
    import torch

    from derm3r import Derm3R

    cuda = torch.cuda.is_available()
    if cuda:
        torch.cuda.reset_peak_memory_stats()
    options = {"model": str(model_dir), "quantize": quantize, "max_new_tokens": new_tokens, "max_reask": 0}
    if adapters is not None:
        options["adapters_dir"] = str(adapters)
    start = time.perf_counter()
    system = Derm3R(engine="hf", retrieval=False, engine_options=options)
    load_s = time.perf_counter() - start
    chosen = [CASES[i % len(CASES)] for i in range(cases)]
    start = time.perf_counter()
    results = system.consult_many(chosen, concurrency=min(8, cases))
    elapsed = time.perf_counter() - start
    per_agent: dict[str, list[float]] = {}
    for consultation in results:
        for entry in consultation.trace:
            per_agent.setdefault(entry.agent, []).append(entry.ms)
    return {
        "quantize": quantize,
        "load_s": round(load_s, 1),
        "cases_per_min": round(60 * cases / elapsed, 1),
        "peak_gpu_gib": round(torch.cuda.max_memory_allocated() / 2**30, 2) if cuda else None,
        "median_ms_per_agent": {agent: round(statistics.median(ms)) for agent, ms in per_agent.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", choices=["3b", "tiny"], default="3b")
    parser.add_argument("--cases", type=int, default=16)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--quantize", nargs="+", default=["none", "4bit"])
    args = parser.parse_args()

    from derm3r.testing.tiny_model import build_tiny_adapters, build_tiny_model

    with tempfile.TemporaryDirectory() as root:
        tiny = build_tiny_model(Path(root) / "tiny")
        if args.size == "tiny":
            model, adapters = tiny, build_tiny_adapters(tiny, Path(root) / "adapters")
        else:
            model, adapters = build_full_size(tiny, Path(root) / "full"), None
        print(f"model: {args.size} ({model}), adapters: {'random LoRA x3' if adapters else 'base only'}")
        for quantize in args.quantize:
            print(json.dumps(run(model, adapters, quantize, args.cases, args.new_tokens), ensure_ascii=False))


if __name__ == "__main__":
    main()

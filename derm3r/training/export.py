"""Export trained adapters for serving: one adapter merged into its base, or the vLLM layout.

``merge`` folds one agent's adapter into a full-precision copy of its base and saves a plain
checkpoint that the ``hf`` engine, ``transformers serve`` or any other server loads without peft. The
vLLM layout lives in :mod:`derm3r.training.export_vllm` (re-exported here).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derm3r.training.export_common import (
    ExportError,
    agent_adapters,
    check_agent_and_prompts,
    read_metadata,
    select_adapters,
)
from derm3r.training.export_vllm import VllmExport, export_vllm, vllm_command, vllm_problems

__all__ = [
    "ExportError",
    "MergeExport",
    "VllmExport",
    "agent_adapters",
    "export_merged",
    "export_vllm",
    "quantization_of",
    "vllm_command",
    "vllm_problems",
]
MERGED_METADATA_FILE = "derm3r_merged.json"


@dataclass
class MergeExport:
    """What a merge wrote.

    Attributes:
        out: The merged checkpoint (weights, config, tokenizer, image processor, provenance).
        agent: The agent whose adapter was merged.
        base_model: The base it was merged into.
    """

    out: Path
    agent: str
    base_model: str


def quantization_of(base_model: str) -> dict[str, Any] | None:
    """The ``quantization_config`` saved in a local base model's ``config.json``, if any.

    Args:
        base_model: Local folder or hub id (a hub id is looked up in the local cache only).

    Returns:
        The quantization settings, or None for a full-precision checkpoint.
    """
    from transformers import AutoConfig

    try:
        config = AutoConfig.from_pretrained(base_model)
    except (OSError, ValueError) as error:
        raise ExportError(f"--base-model: cannot read the config of {base_model!r}: {error}") from error
    quantization = getattr(config, "quantization_config", None)
    if quantization is None:
        return None
    return dict(quantization) if isinstance(quantization, dict) else quantization.to_dict()


def export_merged(
    adapters_dir: Path,
    out: Path,
    *,
    agent: str,
    base_model: str | None = None,
    language_model_only: bool = False,
) -> MergeExport:
    """Merge one agent's adapter into its full-precision base and save a plain checkpoint.

    Args:
        adapters_dir: Folder with one adapter folder per agent.
        out: Output folder for the merged model (safetensors), its config, tokenizer, image processor and
            ``derm3r_merged.json``.
        agent: The agent whose adapter is merged; a merged model serves that agent only.
        base_model: The base to merge into; defaults to the one in the adapter's ``derm3r_adapter.json``.
        language_model_only: Save a Qwen2.5-VL's language model alone, as a text-only Qwen2 causal LM (same
            logits on prompts without images), for servers that serve text models only.

    Returns:
        What was written.

    Raises:
        ExportError: For a quantised base, a base other than the adapter's, or an adapter for another agent.
    """
    from derm3r.errors import EngineError
    from derm3r.llm.provenance import check_base, config_hash

    folder = select_adapters(adapters_dir, agent)[agent]
    if out.resolve() in (adapters_dir.resolve(), folder.resolve()):
        raise ExportError(f"--out: {out} holds the adapters; write the merged model to another folder")
    meta = read_metadata(folder, agent)
    check_agent_and_prompts(folder, agent, meta)
    base = base_model or (str(meta["base_model"]) if meta and meta.get("base_model") else None)
    if base is None:
        raise ExportError(f"--base-model: needed, the {agent!r} adapter does not name its base")
    _refuse_quantized(base)

    import torch
    from peft import PeftModel

    from derm3r.llm.hf_model import load_base_model

    try:
        model = load_base_model(base, torch_dtype="auto")
    except (OSError, ValueError) as error:
        raise ExportError(f"--base-model: cannot load {base!r}: {error}") from error
    try:
        check_base(folder, agent, model.config)
    except EngineError as error:
        raise ExportError(f"agent {agent!r}: {error}") from error
    base_hash = config_hash(model.config)
    from derm3r.training.export_text import language_model_of, untie_a_trained_head

    with torch.no_grad():
        merged = PeftModel.from_pretrained(model, str(folder)).merge_and_unload()
        merged = language_model_of(merged) if language_model_only else merged
    untie_a_trained_head(merged)
    out.mkdir(parents=True, exist_ok=True)
    merged.save_pretrained(str(out))
    max_pixels = (meta or {}).get("config", {}).get("max_pixels")
    _save_preprocessing(base, merged.config, out, max_pixels=max_pixels)
    weights = folder / "adapter_model.safetensors"
    provenance = {
        "format": 1,
        "kind": "merged",
        "agent": agent,
        "adapter": str(folder),
        "adapter_sha256": hashlib.sha256(weights.read_bytes()).hexdigest() if weights.is_file() else None,
        "base_model": base,
        "base_config_hash": base_hash,
        "dtype": str(getattr(merged, "dtype", "")).removeprefix("torch."),
        "language_model_only": language_model_only,
        "adapter_metadata": meta,
    }
    (out / MERGED_METADATA_FILE).write_text(json.dumps(provenance, ensure_ascii=False, indent=2), encoding="utf-8")
    return MergeExport(out=out, agent=agent, base_model=base)


def _refuse_quantized(base: str) -> None:
    """Refuse to merge into a quantised checkpoint (the merge would not equal base + adapter)."""
    quantization = quantization_of(base)
    if quantization is None:
        return
    bits = "4-bit" if quantization.get("load_in_4bit") or quantization.get("_load_in_4bit") else "quantised"
    raise ExportError(
        f"--base-model: {base} is a {bits} checkpoint ({quantization.get('quant_method', 'quantized')}); merging "
        "would round the LoRA update onto the quantisation grid and the result would no longer match "
        "base + adapter. Merge into the full-precision (bf16/fp32) base; QLoRA adapters merge into it too"
    )


def _save_preprocessing(base: str, config: Any, out: Path, *, max_pixels: int | None = None) -> None:
    """Save the tokenizer next to the merged weights, and for a vision-language base its image processor.

    The tokenizer carries the chat template the engine trained with and is checked as a server loads it
    (:mod:`derm3r.training.export_tokenizer`).

    Qwen2.5-VL gets its PIL image processor (no torchvision needed); other vision-language bases their whole
    processor. ``max_pixels`` (the adapter's training setting) caps the saved image processor as training did.
    """
    from derm3r.llm.hf_model import is_vision_language
    from derm3r.training.export_tokenizer import check_served_tokenizer, save_tokenizer

    try:
        trained = save_tokenizer(base, out)
    except (OSError, ValueError) as error:
        raise ExportError(f"--base-model: cannot load the tokenizer of {base!r}: {error}") from error
    if is_vision_language(config):
        _save_image_processor(base, config, out, max_pixels)
    check_served_tokenizer(trained, out)


def _save_image_processor(base: str, config: Any, out: Path, max_pixels: int | None) -> None:
    from transformers import AutoProcessor

    try:
        if getattr(config, "model_type", "") == "qwen2_5_vl":
            from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

            image_processor = Qwen2VLImageProcessorPil.from_pretrained(base)
            if max_pixels:
                from derm3r.llm.hf_processor import MIN_PIXELS

                shortest = min(int(getattr(image_processor.size, "shortest_edge", None) or MIN_PIXELS), max_pixels)
                image_processor = Qwen2VLImageProcessorPil.from_pretrained(
                    base, size={"shortest_edge": shortest, "longest_edge": int(max_pixels)}
                )
            image_processor.save_pretrained(str(out))
        else:
            AutoProcessor.from_pretrained(base).save_pretrained(str(out))
    except (OSError, ValueError) as error:
        raise ExportError(f"--base-model: cannot load the processor of {base!r}: {error}") from error

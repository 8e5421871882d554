"""One base model in process, vision-language or text-only, with the LoRA adapters of the agents it serves.

A checkpoint whose config has a ``vision_config`` loads with ``AutoModelForImageTextToText`` and its
processor (Qwen2.5-VL, Qwen3-VL, and others whose chat template takes images); any other with
``AutoModelForCausalLM`` and its tokenizer (e.g. a TCM language model for DERM-Rep and DERM-Reason).
Training loads bases through :func:`load_base_model` too, so what is trained is what is served.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from derm3r.errors import EngineError
from derm3r.llm.chat import chat_messages
from derm3r.llm.hf_settings import HFSettings, quantization_config
from derm3r.llm.request import ChatRequest

log = logging.getLogger(__name__)

#: peft's name for "no adapter" in a mixed-adapter batch.
BASE = "__base__"


def is_vision_language(config: Any) -> bool:
    """Whether a transformers config describes a vision-language model (it has a vision tower)."""
    return getattr(config, "vision_config", None) is not None


def load_processor(
    model: str, config: Any, max_pixels: int, *, revision: str | None = None, local_files_only: bool = False
) -> Any:
    """The processor of a vision-language model, or the tokenizer of a text-only one.

    Qwen2.5-VL gets derm3r's image-only processor (no torchvision needed); other vision-language models
    get ``AutoProcessor``'s, with the image area capped where the image processor takes a pixel budget.

    Args:
        model: Hub id or local folder.
        config: The model's transformers config.
        max_pixels: Largest image area kept.
        revision: Hub revision.
        local_files_only: Never reach the hub.

    Returns:
        The processor (its ``tokenizer`` attribute is the tokenizer), or a tokenizer for a text-only model.
    """
    from transformers import AutoProcessor, AutoTokenizer

    hub: dict[str, Any] = {"revision": revision, "local_files_only": local_files_only}
    if not is_vision_language(config):
        return AutoTokenizer.from_pretrained(model, **hub)
    if getattr(config, "model_type", "") == "qwen2_5_vl":
        from derm3r.llm.hf_processor import build_processor

        return build_processor(model, max_pixels, **hub)
    processor = AutoProcessor.from_pretrained(model, **hub)
    size = getattr(getattr(processor, "image_processor", None), "size", None)
    if isinstance(size, dict) and "longest_edge" in size and "shortest_edge" in size:
        size["longest_edge"] = max_pixels  # Qwen-style pixel budgets; other processors keep their own size
    return processor


def _dtype(torch: Any, name: str | None, device: str) -> Any:
    if name == "auto":
        return "auto"
    if name:
        return getattr(torch, name)
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    # Half precision on CPU is slow and lossy; float32 is the sensible CPU choice.
    return torch.float32


def load_base_model(
    model: str,
    *,
    revision: str | None = None,
    local_files_only: bool = False,
    torch_dtype: str | None = None,
    attn_implementation: str | None = None,
    device: str = "cpu",
    quantization: Any = None,
    device_map: Any = None,
) -> Any:
    """Load a base model with the right auto class: image-text-to-text for VL configs, causal LM otherwise.

    Pickled weights can run code on load and remote modelling code is code from the hub: only
    safetensors and the library's own architectures are accepted.

    Args:
        model: Hub id or local folder.
        revision: Hub revision.
        local_files_only: Never reach the hub.
        torch_dtype: auto, bfloat16, float16, float32, or None for the device's default.
        attn_implementation: Attention kernel, or None for transformers' default.
        device: Where the model will run (decides the default dtype).
        quantization: A bitsandbytes config, or None.
        device_map: ``from_pretrained``'s device map (with quantization).

    Returns:
        The model.
    """
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoModelForImageTextToText

    config = AutoConfig.from_pretrained(model, revision=revision, local_files_only=local_files_only)
    kwargs: dict[str, Any] = {
        "revision": revision,
        "local_files_only": local_files_only,
        "dtype": _dtype(torch, torch_dtype, device),
        "use_safetensors": True,
        "trust_remote_code": False,
    }
    if attn_implementation:
        kwargs["attn_implementation"] = attn_implementation
    if quantization is not None:
        kwargs["quantization_config"] = quantization
        kwargs["device_map"] = device_map or "auto"
    auto = AutoModelForImageTextToText if is_vision_language(config) else AutoModelForCausalLM
    return auto.from_pretrained(model, **kwargs)


class HFModel:
    """A loaded base model, its processor (or tokenizer) and the adapters of the agents it serves."""

    def __init__(self, model_id: str, settings: HFSettings, agents: list[str], device: str) -> None:
        """Load the model, its processor and the adapters found for ``agents``.

        Args:
            model_id: Hub id or local folder.
            settings: Loading and runtime settings.
            agents: The agents this model serves (their adapters are looked up in ``settings.adapters_dir``).
            device: "cuda" or "cpu".

        Raises:
            EngineError: When the model cannot be loaded, or an adapter is not safetensors or was trained on
                another base (``derm3r_adapter.json``).
        """
        import torch
        from transformers import AutoConfig

        self.model_id = model_id
        self.device = device
        quantize = settings.quantize != "none" and torch.cuda.is_available()
        if settings.quantize != "none" and not quantize:
            log.warning("quantize=%s ignored: bitsandbytes quantization needs CUDA", settings.quantize)
        hub: dict[str, Any] = {"revision": settings.revision, "local_files_only": settings.local_files_only}
        try:
            config = AutoConfig.from_pretrained(model_id, **hub)
            self.processor = load_processor(model_id, config, settings.max_pixels, **hub)
            base = load_base_model(
                model_id,
                **hub,
                torch_dtype=settings.torch_dtype,
                attn_implementation=settings.attn_implementation,
                device=device,
                quantization=quantization_config(settings.quantize) if quantize else None,
            )
        except (OSError, ValueError, KeyError) as error:
            raise EngineError(f"hf: cannot load model {model_id!r}: {error}") from error
        self.multimodal = is_vision_language(config)
        if not quantize:
            base = base.to(device)
        self.adapters = _find_adapters(settings.adapters_dir, agents)
        if settings.adapters_dir is not None:
            from derm3r.llm.provenance import check_base

            for name in self.adapters:
                check_base(settings.adapters_dir / name, name, base.config)
        self.model = _attach_adapters(base, settings.adapters_dir, self.adapters) if self.adapters else base
        self.model.eval()
        self.tokenizer = getattr(self.processor, "tokenizer", self.processor)
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token_id is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token
        self.lock = threading.Lock()

    def inputs(self, requests: list[ChatRequest]) -> Any:
        """Template and tokenise a batch (left-padded), images included for a vision-language model.

        Raises:
            EngineError: When a request carries images and this model is text-only.
        """
        texts = [
            self.processor.apply_chat_template(
                chat_messages(request, multimodal=self.multimodal), add_generation_prompt=True, tokenize=False
            )
            for request in requests
        ]
        if not self.multimodal:
            if any(request.images for request in requests):
                agents = sorted({request.agent for request in requests if request.images})
                raise EngineError(
                    f"hf: {self.model_id} is a text-only model and cannot see the images sent to {', '.join(agents)}; "
                    "serve that agent with a vision-language model (engine option models)"
                )
            return self.tokenizer(texts, return_tensors="pt", padding=True, add_special_tokens=False)
        images = [image for request in requests for image in request.images]
        return self.processor(text=texts, images=images or None, return_tensors="pt", padding=True)

    def generate(self, requests: list[ChatRequest]) -> tuple[list[str], list[str | None]]:
        """Run one batched ``generate``, each row on its own adapter (or the base model).

        Returns:
            The decoded replies and the adapter that served each row (None: the base model).
        """
        import torch

        inputs = self.inputs(requests).to(self.device)
        routes = [request.adapter if request.adapter in self.adapters else None for request in requests]
        sample = any(request.temperature > 0 for request in requests)
        kwargs: dict[str, Any] = {
            "max_new_tokens": max(request.max_new_tokens for request in requests),
            "do_sample": sample,
            "pad_token_id": self.tokenizer.pad_token_id,
        }
        if sample:
            kwargs["temperature"] = max(request.temperature for request in requests)
        if self.adapters:
            kwargs["adapter_names"] = [route or BASE for route in routes]
        with self.lock, torch.inference_mode():
            output = self.model.generate(**inputs, **kwargs)
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        replies = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        return [str(reply) for reply in replies], routes


def _find_adapters(directory: Path | None, agents: list[str]) -> list[str]:
    if directory is None:
        return []
    found = [name for name in agents if (directory / name / "adapter_config.json").is_file()]
    for name in agents:
        if name not in found:
            log.warning("hf: no adapter %r under %s; the base model serves that agent", name, directory)
    return found


def _attach_adapters(base: Any, directory: Path | None, names: list[str]) -> Any:
    try:
        from peft import PeftModel
    except ImportError as error:
        raise EngineError("hf: adapters need peft: pip install 'derm3r[llm]'") from error

    assert directory is not None
    for name in names:
        if not (directory / name / "adapter_model.safetensors").is_file():
            raise EngineError(
                f"hf: adapter {name!r} in {directory} has no adapter_model.safetensors (only safetensors load)"
            )
    first, *rest = names
    model = PeftModel.from_pretrained(base, str(directory / first), adapter_name=first)
    for name in rest:
        model.load_adapter(str(directory / name), adapter_name=name)
    return model

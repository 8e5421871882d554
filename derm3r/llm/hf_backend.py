"""The ``hf`` backend: one Qwen2.5-VL-class model in process, one peft LoRA adapter per agent.

Requests arriving from concurrent consultations are gathered into one ``generate`` call, each row
routed to its own adapter (peft's ``adapter_names``), so ``consult_many`` batches across cases.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from derm3r.errors import EngineError, EngineInputError
from derm3r.llm.request import ChatRequest

log = logging.getLogger(__name__)

DEFAULT_MODEL = "Qwen/Qwen2.5-VL-3B-Instruct"
AGENT_ADAPTERS = ("rec", "rep", "reason")
#: peft's name for "no adapter" in a mixed-adapter batch.
BASE = "__base__"
Quantize = Literal["none", "4bit", "8bit"]


@dataclass(frozen=True)
class HFSettings:
    """Where the model and adapters are and how to run them.

    Attributes:
        model: Hub id or local directory of the base model.
        adapters_dir: Directory with one adapter folder per agent (rec/, rep/, reason/), or None.
        max_pixels: Largest image area the processor keeps.
        quantize: bitsandbytes quantization; applied only when CUDA is available.
        device: "cuda", "cpu" or None for CUDA when available.
        max_batch: Most requests in one ``generate`` call.
        batch_window_s: How long the first request waits for others to join its batch.
    """

    model: str = DEFAULT_MODEL
    adapters_dir: Path | None = None
    max_pixels: int = 256 * 28 * 28
    quantize: Quantize = "none"
    device: str | None = None
    max_batch: int = 16
    batch_window_s: float = 0.005


class HFBackend:
    """transformers + peft text generation with per-row adapter routing."""

    name = "hf"

    def __init__(self, settings: HFSettings) -> None:
        """Load the processor, the base model and every adapter found.

        Args:
            settings: Model, adapters and runtime settings.

        Raises:
            EngineError: When transformers/peft are missing, the model cannot be loaded, or an adapter was
                trained for another agent or on another base (``derm3r_adapter.json``).
        """
        _check_local_paths(settings)
        try:
            import torch
            from transformers import AutoModelForImageTextToText
        except ImportError as error:
            raise EngineError("the hf engine needs the llm extra: pip install 'derm3r[llm]'") from error
        from derm3r.llm.hf_processor import build_processor

        self.settings = settings
        self.model_id = settings.model
        cuda = torch.cuda.is_available()
        self.device = settings.device or ("cuda" if cuda else "cpu")
        # Pickled weights can run code on load and remote modelling code is code from the hub:
        # only safetensors and the library's own architectures are accepted.
        kwargs: dict[str, Any] = {
            "dtype": _dtype(torch, self.device),
            "use_safetensors": True,
            "trust_remote_code": False,
        }
        if settings.quantize != "none":
            if cuda:
                kwargs["quantization_config"] = quantization_config(settings.quantize)
                kwargs["device_map"] = "auto"
            else:
                log.warning("quantize=%s ignored: bitsandbytes quantization needs CUDA", settings.quantize)
        try:
            self.processor = build_processor(settings.model, settings.max_pixels)
            base = AutoModelForImageTextToText.from_pretrained(settings.model, **kwargs)
        except (OSError, ValueError) as error:
            raise EngineError(f"hf: cannot load model {settings.model!r}: {error}") from error
        if "device_map" not in kwargs:
            base = base.to(self.device)  # type: ignore[arg-type]
        self.adapters = self._find_adapters(settings.adapters_dir)
        if settings.adapters_dir is not None:
            from derm3r.llm.provenance import check_base

            for name in self.adapters:
                check_base(settings.adapters_dir / name, name, base.config)
        self.model = self._attach_adapters(base, settings.adapters_dir) if self.adapters else base
        self.model.eval()
        self.tokenizer = self.processor.tokenizer
        self.tokenizer.padding_side = "left"
        self._lock = threading.Lock()
        self._worker_lock = threading.Lock()
        self._queue: queue.Queue[tuple[ChatRequest, Future[str]]] = queue.Queue()
        self._worker: threading.Thread | None = None
        #: (agent, adapter that served it) per generated row, newest last; tests and traces read it.
        self.served: deque[tuple[str, str | None]] = deque(maxlen=4096)
        self.generate_calls = 0

    def has_adapter(self, adapter: str) -> bool:
        """Whether an adapter of that name was loaded."""
        return adapter in self.adapters

    def complete(self, requests: list[ChatRequest]) -> list[str]:
        """Answer requests; concurrent callers' requests share ``generate`` calls.

        Args:
            requests: The requests.

        Returns:
            One reply per request, in order.
        """
        futures = []
        for request in requests:
            future: Future[str] = Future()
            self._queue.put((request, future))
            futures.append(future)
        self._ensure_worker()
        return [future.result() for future in futures]

    def generate(self, requests: list[ChatRequest]) -> list[str]:
        """Run one batched ``generate`` over requests, each row on its own adapter (or the base model).

        Args:
            requests: The batch.

        Returns:
            The decoded replies.
        """
        import torch

        texts: list[str] = []
        images: list[Any] = []
        for request in requests:
            chat = chat_messages(request)
            texts.append(self.processor.apply_chat_template(chat, add_generation_prompt=True, tokenize=False))
            images.extend(request.images)
        inputs = self.processor(text=texts, images=images or None, return_tensors="pt", padding=True).to(self.device)
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
        with self._lock, torch.inference_mode():
            output = self.model.generate(**inputs, **kwargs)
            self.generate_calls += 1
        new_tokens = output[:, inputs["input_ids"].shape[1] :]
        replies = self.tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
        self.served.extend((request.agent, route) for request, route in zip(requests, routes, strict=True))
        return [str(reply) for reply in replies]

    def _ensure_worker(self) -> None:
        with self._worker_lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run_batches, name="derm3r-hf-batcher", daemon=True)
                self._worker.start()

    def _run_batches(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=5.0)
            except queue.Empty:
                with self._worker_lock:
                    # Re-checked under the lock so a request queued right now still finds a worker.
                    if self._queue.empty():
                        self._worker = None
                        return
                continue
            batch = [first]
            deadline = time.monotonic() + self.settings.batch_window_s
            while len(batch) < self.settings.max_batch:
                remaining = deadline - time.monotonic()
                try:
                    batch.append(self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait())
                except queue.Empty:
                    break
            # Greedy and sampled requests never share a call: one sampled row would make them all sample.
            for sampled in (False, True):
                group = [item for item in batch if (item[0].temperature > 0) is sampled]
                if group:
                    self._answer(group)

    def _answer(self, batch: list[tuple[ChatRequest, Future[str]]]) -> None:
        try:
            replies = self.generate([request for request, _ in batch])
        except Exception as error:
            for _, future in batch:
                future.set_exception(EngineError(f"hf: generation failed: {error}"))
            return
        for (_, future), reply in zip(batch, replies, strict=True):
            future.set_result(reply)

    def _find_adapters(self, directory: Path | None) -> list[str]:
        if directory is None:
            return []
        found = [name for name in AGENT_ADAPTERS if (directory / name / "adapter_config.json").is_file()]
        for name in AGENT_ADAPTERS:
            if name not in found:
                log.warning("hf: no adapter %r under %s; the base model serves that agent", name, directory)
        return found

    def _attach_adapters(self, base: Any, directory: Path | None) -> Any:
        try:
            from peft import PeftModel
        except ImportError as error:
            raise EngineError("hf: adapters need peft: pip install 'derm3r[llm]'") from error

        assert directory is not None
        first, *rest = self.adapters
        for name in self.adapters:
            if not (directory / name / "adapter_model.safetensors").is_file():
                raise EngineError(
                    f"hf: adapter {name!r} in {directory} has no adapter_model.safetensors (only safetensors load)"
                )
        model = PeftModel.from_pretrained(base, str(directory / first), adapter_name=first)
        for name in rest:
            model.load_adapter(str(directory / name), adapter_name=name)
        return model


def chat_messages(request: ChatRequest) -> list[dict[str, Any]]:
    """Write a request as the chat a transformers processor templates: images as parts of the first user turn.

    Training encodes its samples with this function too, so an adapter learns the exact layout it is served.

    Args:
        request: The request.

    Returns:
        The messages, each with a list of content parts.
    """
    messages: list[dict[str, Any]] = []
    images_placed = False
    for message in request.messages:
        if message.role == "user" and not images_placed and request.images:
            parts: list[dict[str, Any]] = [{"type": "image"} for _ in request.images]
            parts.append({"type": "text", "text": message.content})
            messages.append({"role": "user", "content": parts})
            images_placed = True
        else:
            messages.append({"role": message.role, "content": [{"type": "text", "text": message.content}]})
    return messages


def _dtype(torch: Any, device: str) -> Any:
    if device.startswith("cuda"):
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    # Half precision on CPU is slow and lossy; float32 is the sensible CPU choice.
    return torch.float32


def quantization_config(mode: Quantize) -> Any:
    """Return the bitsandbytes config of a mode (the vision tower and lm_head stay unquantized)."""
    import torch
    from transformers import BitsAndBytesConfig

    skip = ["model.visual", "lm_head"]
    if mode == "4bit":
        return BitsAndBytesConfig(
            load_in_4bit=True,
            bnb_4bit_quant_type="nf4",
            bnb_4bit_compute_dtype=torch.bfloat16,
            llm_int8_skip_modules=skip,
        )
    return BitsAndBytesConfig(load_in_8bit=True, llm_int8_skip_modules=skip)


def hf_settings(extra: Mapping[str, object]) -> HFSettings:
    """Read hf settings from engine options, with environment variables as defaults only.

    Keys: ``model`` (DERM3R_HF_MODEL), ``adapters_dir`` (DERM3R_ADAPTERS_DIR), ``max_pixels``,
    ``quantize``, ``device``, ``max_batch``, ``batch_window_s``.

    Args:
        extra: The engine's options (``EngineOptions.extra``).

    Returns:
        The settings.

    Raises:
        EngineError: For a value of the wrong kind (the message names the key).
    """
    adapters = extra.get("adapters_dir") or os.environ.get("DERM3R_ADAPTERS_DIR")
    quantize = str(extra.get("quantize", "none"))
    if quantize not in ("none", "4bit", "8bit"):
        raise EngineInputError(f"quantize: expected none, 4bit or 8bit, got {quantize!r}")
    try:
        return HFSettings(
            model=str(extra.get("model") or os.environ.get("DERM3R_HF_MODEL") or DEFAULT_MODEL),
            adapters_dir=Path(str(adapters)) if adapters else None,
            max_pixels=int(str(extra.get("max_pixels", HFSettings.max_pixels))),
            quantize=quantize,  # type: ignore[arg-type]
            device=str(extra["device"]) if extra.get("device") else None,
            max_batch=int(str(extra.get("max_batch", HFSettings.max_batch))),
            batch_window_s=float(str(extra.get("batch_window_s", HFSettings.batch_window_s))),
        )
    except ValueError as error:
        raise EngineInputError(f"hf engine options: {error}") from error


def _check_local_paths(settings: HFSettings) -> None:
    """Name a model folder that does not exist (a hub id never starts with / . or ~)."""
    model = str(settings.model)
    if "\0" in model or (model.startswith(("/", ".", "~")) and not Path(model).expanduser().exists()):
        raise EngineInputError(f"hf: cannot load model {model!r}: no such folder (engine option model={model})")

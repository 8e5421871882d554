"""Settings of the ``hf`` backend, read from engine options under the names transformers uses.

``model`` is the default base for every agent; ``models`` gives an agent its own base, e.g. a text-only
TCM language model for DERM-Rep and DERM-Reason (``models={"reason": "path/to/tcm-lm"}``). Loading
options are transformers' ``from_pretrained`` names: ``revision``, ``local_files_only``,
``torch_dtype`` and ``attn_implementation``.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from derm3r.errors import EngineInputError

DEFAULT_MODEL = "Qwen/Qwen2.5-VL-3B-Instruct"
AGENT_ADAPTERS = ("rec", "rep", "reason")
DTYPES = ("auto", "bfloat16", "float16", "float32")
Quantize = Literal["none", "4bit", "8bit"]


@dataclass(frozen=True)
class HFSettings:
    """Where the models and adapters are and how to run them.

    Attributes:
        model: Hub id or local directory of the base model every agent uses unless ``agent_models`` says otherwise.
        agent_models: Agent -> its own base model (a vision-language or a text-only causal LM).
        adapters_dir: Directory with one adapter folder per agent (rec/, rep/, reason/), or None.
        max_pixels: Largest image area the processor keeps.
        quantize: bitsandbytes quantization; applied only when CUDA is available.
        device: "cuda", "cpu" or None for CUDA when available.
        max_batch: Most requests in one ``generate`` call.
        batch_window_s: How long the first request waits for others to join its batch.
        revision: The hub revision (branch, tag or commit) of every base model.
        local_files_only: Never reach the hub; load from local folders or the local cache only.
        torch_dtype: auto, bfloat16, float16 or float32 (None: bf16/fp16 on CUDA, float32 on CPU).
        attn_implementation: transformers' attention kernel (eager, sdpa, flash_attention_2), or None.
    """

    model: str = DEFAULT_MODEL
    agent_models: Mapping[str, str] = field(default_factory=dict)
    adapters_dir: Path | None = None
    max_pixels: int = 256 * 28 * 28
    quantize: Quantize = "none"
    device: str | None = None
    max_batch: int = 16
    batch_window_s: float = 0.005
    revision: str | None = None
    local_files_only: bool = False
    torch_dtype: str | None = None
    attn_implementation: str | None = None

    def model_for(self, agent: str) -> str:
        """The base model that serves an agent."""
        return self.agent_models.get(agent, self.model)

    def models(self) -> dict[str, list[str]]:
        """Each distinct base model and the agents it serves (the default model first)."""
        grouped: dict[str, list[str]] = {self.model: []}
        for agent in AGENT_ADAPTERS:
            grouped.setdefault(self.model_for(agent), []).append(agent)
        return grouped


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


def _agent_models(value: object) -> dict[str, str]:
    if value in (None, ""):
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as error:
            raise EngineInputError(f'models: expected a JSON object {{"reason": "MODEL"}}, got {value!r}') from error
    if not isinstance(value, Mapping) or not all(isinstance(v, str) and v for v in value.values()):
        raise EngineInputError(f'models: expected a mapping of agent to model ({{"reason": "MODEL"}}), got {value!r}')
    unknown = sorted(set(value) - set(AGENT_ADAPTERS))
    if unknown:
        raise EngineInputError(f"models: unknown agent(s) {', '.join(unknown)}; expected rec, rep or reason")
    return {str(agent): str(model) for agent, model in value.items()}


def _flag(extra: Mapping[str, object], key: str) -> bool:
    value = extra.get(key, False)
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if not isinstance(value, bool):
        raise EngineInputError(f"{key}: expected true or false, got {value!r}")
    return value


def _choice(extra: Mapping[str, object], key: str, allowed: tuple[str, ...]) -> str | None:
    value = extra.get(key)
    if value in (None, ""):
        return None
    if str(value) not in allowed:
        raise EngineInputError(f"{key}: expected {', '.join(allowed)}, got {value!r}")
    return str(value)


def hf_settings(extra: Mapping[str, object]) -> HFSettings:
    """Read hf settings from engine options, with environment variables as defaults only.

    Keys: ``model`` (DERM3R_HF_MODEL), ``models`` (agent -> model), ``adapters_dir`` (DERM3R_ADAPTERS_DIR),
    ``max_pixels``, ``quantize``, ``device``, ``max_batch``, ``batch_window_s``, ``revision``,
    ``local_files_only``, ``torch_dtype``, ``attn_implementation``.

    Args:
        extra: The engine's options (``EngineOptions.extra``).

    Returns:
        The settings.

    Raises:
        EngineInputError: For a value of the wrong kind (the message names the key).
    """
    adapters = extra.get("adapters_dir") or os.environ.get("DERM3R_ADAPTERS_DIR")
    quantize = str(extra.get("quantize", "none"))
    if quantize not in ("none", "4bit", "8bit"):
        raise EngineInputError(f"quantize: expected none, 4bit or 8bit, got {quantize!r}")
    attention = extra.get("attn_implementation")
    try:
        return HFSettings(
            model=str(extra.get("model") or os.environ.get("DERM3R_HF_MODEL") or DEFAULT_MODEL),
            agent_models=_agent_models(extra.get("models")),
            adapters_dir=Path(str(adapters)) if adapters else None,
            max_pixels=int(str(extra.get("max_pixels", HFSettings.max_pixels))),
            quantize=quantize,  # type: ignore[arg-type]
            device=str(extra["device"]) if extra.get("device") else None,
            max_batch=int(str(extra.get("max_batch", HFSettings.max_batch))),
            batch_window_s=float(str(extra.get("batch_window_s", HFSettings.batch_window_s))),
            revision=str(extra["revision"]) if extra.get("revision") else None,
            local_files_only=_flag(extra, "local_files_only"),
            torch_dtype=_choice(extra, "torch_dtype", DTYPES),
            attn_implementation=str(attention) if attention else None,
        )
    except ValueError as error:
        raise EngineInputError(f"hf engine options: {error}") from error


def check_local_paths(settings: HFSettings) -> None:
    """Name a model folder that does not exist (a hub id never starts with / . or ~).

    Raises:
        EngineInputError: Naming the option and the missing folder.
    """
    for agent, model in [("", settings.model), *settings.agent_models.items()]:
        option = f"models.{agent}" if agent else "model"
        if "\0" in model or (model.startswith(("/", ".", "~")) and not Path(model).expanduser().exists()):
            raise EngineInputError(f"hf: cannot load model {model!r}: no such folder (engine option {option}={model})")

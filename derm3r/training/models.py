"""Load the base model and processor a run trains on, and the LoRA configuration it trains.

A vision-language checkpoint (its config has a ``vision_config``) loads with
``AutoModelForImageTextToText`` and its processor; a text-only one (e.g. a TCM language model for
DERM-Rep or DERM-Reason) with ``AutoModelForCausalLM`` and its tokenizer.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from derm3r.llm.hf_model import is_vision_language, load_base_model, load_processor
from derm3r.training.settings import LANGUAGE_MODEL_TARGETS, TEXT_MODEL_TARGETS, SettingsError

if TYPE_CHECKING:
    from trl import ModelConfig

    from derm3r.training.settings import Settings

__all__ = ["is_vision_language", "load_base", "lora_config", "quantization_4bit"]
log = logging.getLogger(__name__)


def _dtype(name: str | None, cuda: bool) -> str:
    if name in (None, "", "default"):
        return "bfloat16" if cuda else "float32"
    if name not in ("auto", "bfloat16", "float16", "float32"):
        raise SettingsError(f"dtype: expected auto, bfloat16, float16 or float32, got {name!r}")
    return str(name)


def load_base(settings: Settings) -> tuple[Any, Any]:
    """Load the processor (or tokenizer) and base model as the hf engine does; 4-bit only on CUDA and when asked.

    Args:
        settings: The run's settings (``model_name_or_path``, ``model_revision``, ``dtype``,
            ``attn_implementation``, ``load_in_4bit``).

    Returns:
        The processor (a tokenizer for a text-only model) and the model.

    Raises:
        SettingsError: When the base model cannot be loaded (the message names it).
    """
    import torch
    from transformers import AutoConfig

    model_args = settings.model
    name = str(model_args.model_name_or_path)
    cuda = torch.cuda.is_available()
    if model_args.load_in_4bit and not cuda:
        log.warning("load_in_4bit ignored: bitsandbytes QLoRA needs CUDA; training in float32")
    quantization, device_map = None, None
    if model_args.load_in_4bit and cuda:
        from accelerate import PartialState

        quantization = quantization_4bit(model_args)
        device_map = {"": PartialState().local_process_index}
    try:
        config = AutoConfig.from_pretrained(name, revision=model_args.model_revision)
        processor = load_processor(name, config, settings.script.max_pixels, revision=model_args.model_revision)
        model = load_base_model(
            name,
            revision=model_args.model_revision,
            torch_dtype=_dtype(model_args.dtype, cuda),
            attn_implementation=model_args.attn_implementation,
            device="cuda" if cuda else "cpu",
            quantization=quantization,
            device_map=device_map,
        )
    except (OSError, ValueError) as error:
        raise SettingsError(f"model_name_or_path: cannot load {name!r}: {error}") from error
    tokenizer = getattr(processor, "tokenizer", processor)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return processor, model


def quantization_4bit(model_args: ModelConfig) -> Any:
    """NF4 4-bit weights for QLoRA, the vision tower and ``lm_head`` left in bf16."""
    import torch
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type=model_args.bnb_4bit_quant_type or "nf4",
        bnb_4bit_use_double_quant=model_args.use_bnb_nested_quant,
        bnb_4bit_compute_dtype=torch.bfloat16,
        llm_int8_skip_modules=["model.visual", "lm_head"],
    )


def lora_config(model_args: ModelConfig, vision_language: bool = True) -> Any:
    """The PEFT ``LoraConfig`` of the run (``task_type`` set, so the saved adapter says what it is).

    Args:
        model_args: TRL's model settings (``lora_r``, ``lora_alpha``, ``lora_dropout``,
            ``lora_target_modules``, ``lora_modules_to_save``, ``lora_task_type``).
        vision_language: Whether the base has a vision tower (the default targets avoid it).

    Returns:
        The LoRA configuration.
    """
    from peft import LoraConfig

    targets = model_args.lora_target_modules or (LANGUAGE_MODEL_TARGETS if vision_language else TEXT_MODEL_TARGETS)
    return LoraConfig(
        task_type=model_args.lora_task_type or "CAUSAL_LM",
        r=model_args.lora_r,
        lora_alpha=model_args.lora_alpha,
        lora_dropout=model_args.lora_dropout,
        target_modules=targets,
        modules_to_save=list(model_args.lora_modules_to_save or []) or None,
        use_rslora=model_args.use_rslora,
        use_dora=model_args.use_dora,
    )

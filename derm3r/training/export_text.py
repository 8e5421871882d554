"""The language model of a merged Qwen2.5-VL as a plain Qwen2 causal LM, for servers that serve text only.

With no image in the prompt, Qwen2.5-VL's 3-D rotary positions are the 1-D positions of every axis, so its
language model and a Qwen2 causal LM with the same weights give the same logits token for token. An agent
whose prompts never carry images (DERM-Rep, DERM-Reason, and DERM-Rec on a case without photographs) can
then be served by any server that loads a text model, without the vision tower or its processor (e.g.
``transformers serve``, whose Qwen2.5-VL processor needs torchvision).
"""

from __future__ import annotations

from typing import Any

from derm3r.training.export_common import ExportError

#: Vision-language model types whose language model is a Qwen2 decoder.
QWEN2_LANGUAGE_MODELS = ("qwen2_5_vl", "qwen2_vl")
#: Text-config keys a ``Qwen2Config`` takes over unchanged.
_TEXT_KEYS = (
    "vocab_size",
    "hidden_size",
    "intermediate_size",
    "num_hidden_layers",
    "num_attention_heads",
    "num_key_value_heads",
    "hidden_act",
    "max_position_embeddings",
    "initializer_range",
    "rms_norm_eps",
    "use_sliding_window",
    "sliding_window",
    "max_window_layers",
    "layer_types",
    "attention_dropout",
    "bos_token_id",
    "eos_token_id",
    "pad_token_id",
)


def language_model_of(merged: Any) -> Any:
    """Copy a merged Qwen2(.5)-VL's language model and head into a ``Qwen2ForCausalLM``.

    Args:
        merged: The merged vision-language model (no adapters left).

    Returns:
        The causal LM, in eval mode, with the merged weights (the vision tower left out). Its head is tied
        to the embeddings only when the two are equal (a trained ``lm_head`` stays its own).

    Raises:
        ExportError: For a model whose language model is not a Qwen2 decoder.
    """
    import torch
    from transformers import Qwen2Config, Qwen2ForCausalLM

    model_type = getattr(merged.config, "model_type", "")
    if model_type not in QWEN2_LANGUAGE_MODELS:
        raise ExportError(
            f"--language-model-only: supported for {', '.join(QWEN2_LANGUAGE_MODELS)} bases, not {model_type!r}"
        )
    text = merged.config.get_text_config().to_dict()
    rope = {key: value for key, value in (text.get("rope_parameters") or {}).items() if key != "mrope_section"}
    state = merged.state_dict()
    prefix = "model.language_model."
    weights = {"model." + key[len(prefix) :]: value for key, value in state.items() if key.startswith(prefix)}
    weights["lm_head.weight"] = state["lm_head.weight"]
    tied = bool(torch.equal(weights["lm_head.weight"], weights["model.embed_tokens.weight"]))
    config = Qwen2Config(
        **{key: text[key] for key in _TEXT_KEYS if key in text}, rope_parameters=rope, tie_word_embeddings=tied
    )
    model = Qwen2ForCausalLM(config).to(merged.dtype)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    if missing or unexpected:
        raise ExportError(f"--language-model-only: weights do not map onto Qwen2 ({missing[:3]}, {unexpected[:3]})")
    model.generation_config = merged.generation_config
    return model.eval()


def untie_a_trained_head(model: Any) -> None:
    """Mark the head untied when training changed it apart from the embeddings (``modules_to_save: [lm_head]``).

    Saving a model whose config says "tied" would keep only the embeddings and drop the trained head.
    """
    import torch

    head, embeddings = model.get_output_embeddings(), model.get_input_embeddings()
    if head is None or embeddings is None or torch.equal(head.weight, embeddings.weight):
        return
    model.config.tie_word_embeddings = False
    text = model.config.get_text_config()
    if text is not model.config:
        text.tie_word_embeddings = False

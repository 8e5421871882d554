"""How a request becomes the chat a transformers chat template renders, shared by serving and training.

The ``hf`` backend prompts with these functions and training encodes its samples with them, so an
adapter learns the exact layout it is served with.
"""

from __future__ import annotations

from typing import Any

from derm3r.llm.request import ChatRequest

#: The token that ends a turn in Qwen-style chat templates; tokenizers without it end turns with EOS.
TURN_END = "<|im_end|>"


def chat_messages(request: ChatRequest, *, multimodal: bool = True) -> list[dict[str, Any]]:
    """Write a request as the chat a processor (or tokenizer) templates.

    Args:
        request: The request.
        multimodal: Content as a list of parts with the images placed in the first user turn (what a
            vision-language processor's template takes); False gives plain string contents for a
            text-only model's tokenizer, whose template may not understand parts.

    Returns:
        The messages.
    """
    if not multimodal:
        return [{"role": message.role, "content": message.content} for message in request.messages]
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


def turn_end(tokenizer: Any) -> str:
    """The text that ends an assistant turn for this tokenizer (what a trained answer must end with)."""
    return TURN_END if TURN_END in tokenizer.get_vocab() else str(tokenizer.eos_token)

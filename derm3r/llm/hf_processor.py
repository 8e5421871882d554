"""A Qwen2.5-VL processor that works without torchvision (images only, no video processor).

transformers' Qwen-VL processors insist on a video processor, which needs torchvision; derm3r sends
images only. Importing :func:`register_processor` and calling it is required before
``AutoProcessor.from_pretrained``: otherwise that call silently returns only the tokenizer.
"""

from __future__ import annotations

from typing import Any

CHAT_TEMPLATE = (
    "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
    "{% if message['content'] is string %}{{ message['content'] }}"
    "{% else %}{% for part in message['content'] %}"
    "{% if part['type'] == 'image' %}<|vision_start|><|image_pad|><|vision_end|>"
    "{% elif part['type'] == 'text' %}{{ part['text'] }}{% endif %}"
    "{% endfor %}{% endif %}<|im_end|>\n{% endfor %}"
    "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}"
)
MIN_PIXELS = 28 * 28
_REGISTERED: list[type[Any]] = []


def register_processor() -> type[Any]:
    """Register (once) and return the image-only Qwen2.5-VL processor class.

    Returns:
        The processor class, also registered with ``AutoProcessor`` for Qwen2.5-VL configs.
    """
    if _REGISTERED:
        return _REGISTERED[0]
    from transformers import AutoProcessor, Qwen2_5_VLConfig, Qwen2_5_VLProcessor

    class ImageOnlyQwen2_5_VLProcessor(Qwen2_5_VLProcessor):
        """Qwen2.5-VL processor without a video processor."""

        attributes = ["image_processor", "tokenizer"]  # noqa: RUF012 - transformers reads this class attribute

        def __init__(
            self, image_processor: Any = None, tokenizer: Any = None, chat_template: Any = None, **kwargs: Any
        ) -> None:
            kwargs.pop("video_processor", None)
            super().__init__(image_processor, tokenizer, video_processor=None, chat_template=chat_template, **kwargs)

    AutoProcessor.register(Qwen2_5_VLConfig, ImageOnlyQwen2_5_VLProcessor, exist_ok=True)
    _REGISTERED.append(ImageOnlyQwen2_5_VLProcessor)
    return ImageOnlyQwen2_5_VLProcessor


def build_processor(
    model_dir: str, max_pixels: int, *, revision: str | None = None, local_files_only: bool = False
) -> Any:
    """Load the tokenizer and PIL image processor of a Qwen2.5-VL checkpoint into one processor.

    Args:
        model_dir: Local directory or hub id.
        max_pixels: Largest image area the image processor keeps.
        revision: Hub revision.
        local_files_only: Never reach the hub.

    Returns:
        The processor.
    """
    from transformers import AutoTokenizer
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    cls = register_processor()
    hub: dict[str, Any] = {"revision": revision, "local_files_only": local_files_only}
    tokenizer = AutoTokenizer.from_pretrained(model_dir, **hub)
    probe = Qwen2VLImageProcessorPil.from_pretrained(model_dir, **hub)
    # Qwen's "size" holds pixel areas: longest_edge is max_pixels, shortest_edge is min_pixels.
    min_pixels = min(int(getattr(probe.size, "shortest_edge", None) or MIN_PIXELS), max_pixels)
    image_processor = Qwen2VLImageProcessorPil.from_pretrained(
        model_dir, size={"shortest_edge": min_pixels, "longest_edge": max_pixels}, **hub
    )
    template = getattr(tokenizer, "chat_template", None) or CHAT_TEMPLATE
    return cls(image_processor=image_processor, tokenizer=tokenizer, chat_template=template)

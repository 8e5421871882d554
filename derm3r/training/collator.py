"""Tokenise conversational samples exactly as the hf engine prompts, and batch them for the model.

A sample is TRL's conversational format: ``messages`` (system, user, then the assistant's answer) and
``images`` (paths, in the order the user turn shows them). The prompt goes through the engine's own
message layout and chat template with images loaded and downscaled as the engine loads them, so
training sees what inference sends; the loss covers the answer tokens only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derm3r.training.settings import TrainingDataError

IGNORE = -100


@dataclass
class Encoded:
    """One tokenised sample: prompt tokens labelled -100, answer tokens labelled with themselves."""

    input_ids: list[int]
    labels: list[int]
    pixel_values: Any = None
    image_grid_thw: Any = None
    #: Which tokens are image tokens; Qwen2.5-VL places its 3-D rotary positions by them, so training must
    #: pass them exactly as generation does or image samples are trained at other positions.
    mm_token_type_ids: list[int] | None = None


def load_image(path: str, max_pixels: int) -> Any:
    """Load and downscale an image as the hf engine does (a PIL image)."""
    from PIL import Image

    from derm3r.vision.intake import load_image as intake

    loaded = intake(Path(path), base_dir=Path(path).parent, allow_outside=True, max_pixels=max_pixels)
    return Image.fromarray(loaded.rgb)


def encode(example: dict[str, Any], processor: Any, max_pixels: int) -> Encoded:
    """Tokenise one conversational sample: the engine's prompt, then the assistant's answer.

    Args:
        example: ``messages`` (the last one the assistant's) and ``images`` (paths), plus ``agent``.
        processor: The model's processor (or, for a text-only model, its tokenizer).
        max_pixels: Image area cap.

    Returns:
        The token ids and labels (prompt masked), with image tensors when the sample has images.
    """
    from derm3r.llm.chat import chat_messages, turn_end
    from derm3r.llm.request import ChatMessage, ChatRequest

    *prompt_turns, answer_turn = example["messages"]
    if answer_turn["role"] != "assistant":
        raise TrainingDataError(f"sample {example.get('sample_id')!r}: the last message must be the assistant's answer")
    images = tuple(load_image(path, max_pixels) for path in example.get("images") or [])
    messages = tuple(ChatMessage(m["role"], m["content"]) for m in prompt_turns)
    request = ChatRequest(agent=example.get("agent", ""), adapter=None, messages=messages, images=images)
    tokenizer = getattr(processor, "tokenizer", processor)
    multimodal = tokenizer is not processor
    if images and not multimodal:
        raise TrainingDataError(
            f"sample {example.get('sample_id')!r} has images, but the base model is text-only: train Rec on a "
            "vision-language model"
        )
    chat = chat_messages(request, multimodal=multimodal)
    prompt = processor.apply_chat_template(chat, add_generation_prompt=True, tokenize=False)
    if multimodal:
        inputs: Any = processor(text=[prompt], images=list(images) or None, return_tensors="pt")
    else:
        inputs = tokenizer([prompt], add_special_tokens=False, return_tensors="pt")
    prompt_ids = [int(i) for i in inputs["input_ids"][0]]
    answer_text = answer_turn["content"] + turn_end(tokenizer)
    answer = [int(i) for i in tokenizer(answer_text, add_special_tokens=False)["input_ids"]]
    token_types = inputs.get("mm_token_type_ids")
    return Encoded(
        input_ids=prompt_ids + answer,
        labels=[IGNORE] * len(prompt_ids) + answer,
        pixel_values=inputs.get("pixel_values"),
        image_grid_thw=inputs.get("image_grid_thw"),
        mm_token_type_ids=None if token_types is None else [int(t) for t in token_types[0]] + [0] * len(answer),
    )


def collate(batch: list[Encoded], pad_id: int) -> dict[str, Any]:
    """Right-pad a batch; padding is masked from attention and loss.

    Args:
        batch: Encoded samples.
        pad_id: The tokenizer's pad id.

    Returns:
        Model inputs with ``labels`` (and ``mm_token_type_ids``, ``pixel_values``, ``image_grid_thw``).
    """
    import torch

    width = max(len(item.input_ids) for item in batch)
    ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORE, dtype=torch.long)
    mask = torch.zeros((len(batch), width), dtype=torch.long)
    for row, item in enumerate(batch):
        size = len(item.input_ids)
        ids[row, :size] = torch.tensor(item.input_ids)
        labels[row, :size] = torch.tensor(item.labels)
        mask[row, :size] = 1
    out: dict[str, Any] = {"input_ids": ids, "attention_mask": mask, "labels": labels}
    if any(item.mm_token_type_ids is not None for item in batch):
        types = torch.zeros((len(batch), width), dtype=torch.long)
        for row, item in enumerate(batch):
            if item.mm_token_type_ids is not None:
                types[row, : len(item.mm_token_type_ids)] = torch.tensor(item.mm_token_type_ids)
        out["mm_token_type_ids"] = types
    pixels = [item.pixel_values for item in batch if item.pixel_values is not None]
    if pixels:
        out["pixel_values"] = torch.cat(pixels)
        out["image_grid_thw"] = torch.cat([item.image_grid_thw for item in batch if item.image_grid_thw is not None])
    return out


@dataclass
class ChatCollator:
    """The ``data_collator`` of derm3r's SFTTrainer: conversational samples in, model inputs out.

    Each sample is encoded once (images decoded and resized once) and kept, since every epoch and
    every evaluation sees the same few samples again.
    """

    processor: Any
    max_pixels: int
    _encoded: dict[str, Encoded] = field(default_factory=dict, repr=False)

    @property
    def pad_id(self) -> int:
        """The pad token id (the end-of-text token when the tokenizer has no pad token)."""
        tokenizer = getattr(self.processor, "tokenizer", self.processor)
        pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        return int(pad)

    def encoded(self, example: dict[str, Any]) -> Encoded:
        """The sample's tokens, encoded on first use."""
        key = example["sample_id"]
        if key not in self._encoded:
            self._encoded[key] = encode(example, self.processor, self.max_pixels)
        return self._encoded[key]

    def __call__(self, examples: list[dict[str, Any]]) -> dict[str, Any]:
        """Collate a batch of conversational samples into padded model inputs with labels."""
        return collate([self.encoded(example) for example in examples], self.pad_id)

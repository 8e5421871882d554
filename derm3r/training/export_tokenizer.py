"""The tokenizer saved with an exported model: the one the engine trained with, checked as a server loads it.

A server (``transformers serve``, vLLM) loads an export's tokenizer with ``AutoTokenizer`` and prompts with
its chat template, not with derm3r's code. Two things can make that differ from training:

* transformers picks the tokenizer class from the config's model type for some types, ``qwen2`` among
  them, and those classes rebuild their normalizer and pre-tokenizer in code, whatever ``tokenizer.json``
  says. A language-model-only export turns a ``qwen2_5_vl`` config (whose ``tokenizer.json`` is trusted)
  into a ``qwen2`` one, so a tokenizer that splits text otherwise would tokenize prompts differently.
* a vision-language base may keep its chat template in the processor only, or (Qwen2.5-VL without one)
  derm3r falls back to its own; the tokenizer saved alone would then have none or another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from derm3r.training.export_common import ExportError

#: Text a served tokenizer must encode exactly as training did: CJK (simplified and traditional), full-width
#: punctuation, digits and decimals, JSON, English, runs of spaces and newlines, special tokens.
TOKENIZER_PROBES = (
    "全身红斑鳞屑反复2年，加重1月。皮損鮮紅，鱗屑較厚；舌红，苔薄黄，脉弦滑。",
    '{"herbs": [{"name": "生地黄", "dose_g": 15.0}, {"name": "赤芍", "dose_g": 9}], "confidence": 0.85}',
    "You are a dermatology assistant.  Output ONE JSON object (schema v2).\n\n\t- item 1\r\n- item 10",
    "<|im_start|>user\n2026-12-01 12:30 体温38.5℃<|im_end|>\n<|im_start|>assistant\n",
)
_PROBE_CHAT = (
    {"role": "system", "content": "You are a dermatology assistant. 输出一个 JSON 对象。"},
    {"role": "user", "content": "双小腿红斑、丘疱疹3天，瘙痒。"},
)


def save_tokenizer(base: str, out: Path) -> Any:
    """Save the tokenizer of ``base`` next to an exported model, with the chat template the engine prompts with.

    Args:
        base: The base model (local folder or hub id in the cache).
        out: The export folder.

    Returns:
        The tokenizer as training used it (what :func:`check_served_tokenizer` compares against).
    """
    from transformers import AutoConfig

    from derm3r.llm.hf_model import load_processor
    from derm3r.llm.hf_processor import MIN_PIXELS

    # The image size is irrelevant here: only the tokenizer and the chat template are taken.
    processor = load_processor(base, AutoConfig.from_pretrained(base), MIN_PIXELS)
    tokenizer = getattr(processor, "tokenizer", processor)
    template = getattr(processor, "chat_template", None) or getattr(tokenizer, "chat_template", None)
    if template:
        tokenizer.chat_template = template
    tokenizer.save_pretrained(str(out))
    return tokenizer


def check_served_tokenizer(trained: Any, out: Path) -> None:
    """Refuse an export whose tokenizer, loaded as a server loads it, prompts with other tokens than training.

    Args:
        trained: The tokenizer training used (from :func:`save_tokenizer`).
        out: The export folder (its ``config.json`` decides which tokenizer class transformers picks).

    Raises:
        ExportError: Naming the class transformers loads, the first probe it encodes differently, or a chat
            template that renders differently.
    """
    from transformers import AutoTokenizer

    served = AutoTokenizer.from_pretrained(str(out))
    kind = f"{type(served).__name__} (what transformers loads for this export's model type)"
    for probe in TOKENIZER_PROBES:
        expected = trained(probe, add_special_tokens=False)["input_ids"]
        actual = served(probe, add_special_tokens=False)["input_ids"]
        if actual != expected:
            at = next((i for i, (a, b) in enumerate(zip(actual, expected, strict=False)) if a != b), None)
            at = min(len(actual), len(expected)) if at is None else at
            raise ExportError(
                f"{out}: the saved tokenizer loads as {kind} and encodes {probe!r} otherwise than training's "
                f"{type(trained).__name__}: from token {at} on {actual[at : at + 6]} where training had "
                f"{expected[at : at + 6]} ({served.decode(actual[at : at + 6])!r} / "
                f"{trained.decode(expected[at : at + 6])!r}). A server would prompt the model with tokens it was "
                "not trained on; the base's tokenizer.json must split text as that class does"
            )
    if getattr(trained, "chat_template", None):
        rendered = [
            tokenizer.apply_chat_template(list(_PROBE_CHAT), add_generation_prompt=True, tokenize=False)
            for tokenizer in (trained, served)
        ]
        if rendered[0] != rendered[1]:
            raise ExportError(f"{out}: the saved chat template renders a chat differently from the one training used")

"""Build tiny random models offline (a Qwen2.5-VL and a text-only Qwen2), tokenizers and LoRA adapters.

Random weights generate garbage; what the tiny model is good for is exercising the real loading,
adapter routing, image preprocessing and batching code paths in seconds on a CPU.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from derm3r.llm.hf_processor import CHAT_TEMPLATE

SPECIAL_TOKENS = [
    "<|endoftext|>",
    "<|im_start|>",
    "<|im_end|>",
    "<|vision_start|>",
    "<|vision_end|>",
    "<|image_pad|>",
    "<|video_pad|>",
]
LORA_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj)"
_CORPUS = [
    "全身红斑鳞屑反复2年，加重1月。皮损鲜红，鳞屑较厚，瘙痒明显。舌红，苔薄黄，脉弦滑。",
    "血热内蕴证 血虚风燥证 血瘀证 犀角地黄汤 当归饮子 桃红四物汤 水牛角 生地黄 赤芍 牡丹皮",
    '{"source": "text", "morphology": ["斑块"], "color": ["鲜红"], "scale": ["银白色鳞屑"], "description": ""}',
    '{"summary": "", "stage": "进行期", "severity": "中度", "pathogenesis": "血分热盛"}',
    '{"assessment": {"disease": "白疕"}, "plan": {"herbs": [{"name": "生地黄", "dose_g": 15}]}}',
    "You are a dermatology assistant. Output one JSON object that matches the schema.",
    '0123456789 {}[]:," true false null',
]


def build_tiny_model(
    directory: Path, *, seed: int = 0, vocab_size: int = 3000, extra_corpus: Sequence[str] = ()
) -> Path:
    """Write a tiny random Qwen2.5-VL checkpoint with a locally trained byte-level BPE tokenizer.

    Args:
        directory: Output directory (created).
        seed: Random seed of the weights.
        vocab_size: Tokenizer vocabulary; trained on the prompts and schemas, so prompts stay short.
        extra_corpus: More domain text for the tokenizer (case texts, answers, knowledge passages), so
            the sequences a test trains on are a few times shorter.

    Returns:
        The directory, loadable with ``from_pretrained``.
    """
    from transformers import Qwen2_5_VLConfig, Qwen2_5_VLForConditionalGeneration
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    ids, vocab = _write_tokenizer(directory, vocab_size, extra_corpus)
    config = Qwen2_5_VLConfig(
        text_config={
            "vocab_size": vocab,
            "hidden_size": 64,
            "intermediate_size": 128,
            "num_hidden_layers": 2,
            "num_attention_heads": 4,
            "num_key_value_heads": 2,
            "max_position_embeddings": 4096,
            "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [2, 3, 3]},
            "bos_token_id": ids["<|endoftext|>"],
            "eos_token_id": ids["<|im_end|>"],
            "pad_token_id": ids["<|endoftext|>"],
            "tie_word_embeddings": True,
        },
        vision_config={
            "depth": 2,
            "hidden_size": 32,
            "intermediate_size": 64,
            "num_heads": 2,
            "out_hidden_size": 64,
            "fullatt_block_indexes": [1],
            "window_size": 112,
        },
        image_token_id=ids["<|image_pad|>"],
        video_token_id=ids["<|video_pad|>"],
        vision_start_token_id=ids["<|vision_start|>"],
        vision_end_token_id=ids["<|vision_end|>"],
        tie_word_embeddings=True,
    )
    _save_random(Qwen2_5_VLForConditionalGeneration, config, ids, directory, seed)
    Qwen2VLImageProcessorPil(min_pixels=28 * 28, max_pixels=64 * 28 * 28).save_pretrained(directory)
    return directory


def build_tiny_text_model(
    directory: Path, *, seed: int = 0, vocab_size: int = 3000, extra_corpus: Sequence[str] = ()
) -> Path:
    """Write a tiny random text-only Qwen2 causal LM (no vision tower) with the same kind of tokenizer.

    It stands in for a text-only language model (e.g. a TCM one) serving DERM-Rep and DERM-Reason:
    transformers loads it with ``AutoModelForCausalLM`` and its tokenizer, never a processor.

    Args:
        directory: Output directory (created).
        seed: Random seed of the weights.
        vocab_size: Tokenizer vocabulary.
        extra_corpus: More domain text for the tokenizer.

    Returns:
        The directory, loadable with ``from_pretrained``.
    """
    from transformers import Qwen2Config, Qwen2ForCausalLM

    ids, vocab = _write_tokenizer(directory, vocab_size, extra_corpus)
    config = Qwen2Config(
        vocab_size=vocab,
        hidden_size=64,
        intermediate_size=128,
        num_hidden_layers=2,
        num_attention_heads=4,
        num_key_value_heads=2,
        max_position_embeddings=4096,
        bos_token_id=ids["<|endoftext|>"],
        eos_token_id=ids["<|im_end|>"],
        pad_token_id=ids["<|endoftext|>"],
        tie_word_embeddings=True,
    )
    _save_random(Qwen2ForCausalLM, config, ids, directory, seed)
    return directory


def _write_tokenizer(directory: Path, vocab_size: int, extra_corpus: Sequence[str]) -> tuple[dict[str, int], int]:
    """Train and save a byte-level BPE tokenizer on the domain text; return the special-token ids and its size.

    It splits and normalises text as Qwen2's tokenizer does (NFC, Qwen2's split pattern: digits one by one,
    then byte-level), as the real Qwen2.5-VL's does. transformers loads every checkpoint of model type
    ``qwen2`` with its ``Qwen2Tokenizer``, which builds that pipeline whatever ``tokenizer.json`` says, so
    a tokenizer that split text otherwise would tokenize prompts differently once the model is exported
    as a text-only Qwen2 (what ``transformers serve`` loads).
    """
    from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast
    from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

    directory.mkdir(parents=True, exist_ok=True)
    raw = Tokenizer(models.BPE())
    raw.normalizer = normalizers.NFC()
    raw.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(PRETOKENIZE_REGEX), behavior="isolated", invert=False),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
        ]
    )
    raw.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size, special_tokens=SPECIAL_TOKENS, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()
    )
    raw.train_from_iterator([*_corpus(), *extra_corpus] * 20, trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=raw,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=SPECIAL_TOKENS[1:],
    )
    tokenizer.chat_template = CHAT_TEMPLATE
    tokenizer.padding_side = "left"
    tokenizer.save_pretrained(directory)
    ids = {token: int(tokenizer.convert_tokens_to_ids(token)) for token in SPECIAL_TOKENS}  # type: ignore[arg-type]
    return ids, len(tokenizer)


def build_tiny_adapters(model_dir: Path, directory: Path, names: tuple[str, ...] = ("rec", "rep", "reason")) -> Path:
    """Save one randomly initialised LoRA adapter per agent under ``directory/<name>``.

    The LoRA B matrices are filled with noise (peft starts them at zero), so each adapter changes
    the output and routing can be observed.

    Args:
        model_dir: The tiny base model.
        directory: Where the adapters go.
        names: Adapter names.

    Returns:
        The adapters directory.
    """
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import Qwen2_5_VLForConditionalGeneration

    for index, name in enumerate(names):
        torch.manual_seed(100 + index)
        base = Qwen2_5_VLForConditionalGeneration.from_pretrained(model_dir)
        peft_model = get_peft_model(base, LoraConfig(r=4, lora_alpha=16, target_modules=LORA_TARGETS))
        with torch.no_grad():
            for parameter_name, parameter in peft_model.named_parameters():
                if "lora_B" in parameter_name:
                    parameter.normal_(0, 0.5)
        peft_model.save_pretrained(str(directory / name))
    return directory


def _corpus() -> list[str]:
    """Domain text for the tokenizer: fixed lines, the prompt templates and the output schemas."""
    from derm3r.llm.schemas import OUTPUT_SCHEMAS
    from derm3r.llm.specs import schema_text
    from derm3r.paths import asset_dir

    templates = [path.read_text(encoding="utf-8") for path in sorted(asset_dir("prompts").rglob("*.j2"))]
    schemas = [schema_text(model) for model in OUTPUT_SCHEMAS.values()]
    return [*_CORPUS, *templates, *schemas]


def _save_random(model_class: Any, config: Any, ids: dict[str, int], directory: Path, seed: int) -> None:
    """Initialise ``model_class`` from ``config`` with ``seed`` and save it, generation ending at <|im_end|>."""
    import torch

    torch.manual_seed(seed)
    model = model_class(config)
    model.generation_config.eos_token_id = ids["<|im_end|>"]
    model.generation_config.pad_token_id = ids["<|endoftext|>"]
    model.save_pretrained(directory)

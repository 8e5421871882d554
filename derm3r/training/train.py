"""LoRA (QLoRA on CUDA) supervised fine-tuning of one agent, with validation, early stopping and provenance.

The loop is plain PyTorch under an ``accelerate`` ``Accelerator``, so the same code runs on a CPU, one
GPU, or several GPUs via ``accelerate launch``. Heavy libraries are imported inside functions.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections import deque
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from derm3r.llm.prompts import prompt_hash
from derm3r.training.data import Sample, load_samples
from derm3r.training.settings import SettingsError, TrainingDataError, TrainSettings

log = logging.getLogger(__name__)
IGNORE = -100


@dataclass
class TrainResult:
    """What a training run produced.

    Attributes:
        adapter_dir: Where the adapter and ``derm3r_adapter.json`` were saved.
        metrics: Final metrics (also in the metadata file).
        model: The trained peft model, in memory (eval mode).
        processor: The processor used to encode samples.
    """

    adapter_dir: Path
    metrics: dict[str, Any]
    model: Any
    processor: Any


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


def encode(sample: Sample, processor: Any, max_pixels: int) -> Encoded:
    """Tokenise a sample exactly as the hf engine builds the prompt, then append the answer.

    The prompt goes through the engine's own message layout and chat template, with images loaded
    and downscaled the way the engine loads them, so training sees what inference sends.

    Args:
        sample: The sample.
        processor: The model's processor.
        max_pixels: Image area cap.

    Returns:
        The token ids and labels (prompt masked), with image tensors when the sample has images.
    """
    from derm3r.llm.hf_backend import chat_messages
    from derm3r.llm.request import ChatMessage, ChatRequest

    images = tuple(_load_image(path, max_pixels) for path in sample.images)
    messages = tuple(ChatMessage(m["role"], m["content"]) for m in sample.messages)  # type: ignore[arg-type]
    request = ChatRequest(agent=sample.agent, adapter=None, messages=messages, images=images)
    prompt = processor.apply_chat_template(chat_messages(request), add_generation_prompt=True, tokenize=False)
    inputs = processor(text=[prompt], images=list(images) or None, return_tensors="pt")
    prompt_ids = [int(i) for i in inputs["input_ids"][0]]
    tokenizer = processor.tokenizer
    end = "<|im_end|>" if "<|im_end|>" in tokenizer.get_vocab() else tokenizer.eos_token
    answer = [int(i) for i in tokenizer(sample.target + end, add_special_tokens=False)["input_ids"]]
    token_types = inputs.get("mm_token_type_ids")
    return Encoded(
        input_ids=prompt_ids + answer,
        labels=[IGNORE] * len(prompt_ids) + answer,
        pixel_values=inputs.get("pixel_values"),
        image_grid_thw=inputs.get("image_grid_thw"),
        mm_token_type_ids=None if token_types is None else [int(t) for t in token_types[0]] + [0] * len(answer),
    )


def _load_image(path: str, max_pixels: int) -> Any:
    from PIL import Image

    from derm3r.vision.intake import load_image

    loaded = load_image(Path(path), base_dir=Path(path).parent, allow_outside=True, max_pixels=max_pixels)
    return Image.fromarray(loaded.rgb)


def collate(batch: list[Encoded], pad_id: int) -> dict[str, Any]:
    """Right-pad a batch; padding is masked from attention and loss.

    Args:
        batch: Encoded samples.
        pad_id: The tokenizer's pad id.

    Returns:
        Model inputs with ``labels``.
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


def data_hash(paths: list[Path]) -> str:
    """Hash the training and validation files (names and bytes)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def load_base(settings: TrainSettings, cuda: bool) -> tuple[Any, Any, bool]:
    """Load processor and base model; 4-bit only when CUDA is present and quantize allows it.

    Returns:
        The processor, the model and whether it was quantised.
    """
    import torch
    from transformers import AutoModelForImageTextToText

    from derm3r.llm.hf_backend import quantization_config
    from derm3r.llm.hf_processor import build_processor

    quantize = cuda and settings.quantize in ("auto", "4bit")
    if settings.quantize == "4bit" and not cuda:
        log.warning("quantize=4bit ignored: bitsandbytes QLoRA needs CUDA; training in float32")
    kwargs: dict[str, Any] = {"dtype": torch.bfloat16 if cuda else torch.float32}
    if quantize:
        from accelerate import PartialState

        kwargs["quantization_config"] = quantization_config("4bit")
        kwargs["device_map"] = {"": PartialState().local_process_index}
    try:
        processor = build_processor(settings.base_model, settings.max_pixels)
        model = AutoModelForImageTextToText.from_pretrained(settings.base_model, **kwargs)
    except (OSError, ValueError) as error:
        raise SettingsError(f"base_model: cannot load {settings.base_model!r}: {error}") from error
    return processor, model, quantize


def wrap_lora(model: Any, settings: TrainSettings, *, cuda: bool, quantized: bool) -> Any:
    """Attach a fresh LoRA adapter to the language model (regex targets); GPU memory savers on CUDA."""
    from peft import LoraConfig, get_peft_model, prepare_model_for_kbit_training

    checkpointing = cuda and settings.gradient_checkpointing
    if quantized:
        model = prepare_model_for_kbit_training(model, use_gradient_checkpointing=checkpointing)
    elif checkpointing:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        model.enable_input_require_grads()
    config = LoraConfig(
        r=settings.rank,
        lora_alpha=settings.alpha,
        lora_dropout=settings.dropout,
        target_modules=settings.target_modules,
        modules_to_save=list(settings.modules_to_save) or None,
    )
    return get_peft_model(model, config)


def train(settings: TrainSettings) -> TrainResult:
    """Train, validate with early stopping, and save the best adapter with its provenance.

    Args:
        settings: Validated settings.

    Returns:
        The saved adapter directory, metrics and the in-memory model.

    Raises:
        SettingsError: When the base model cannot be loaded or no sample fits ``max_length``.
        TrainingDataError: When the data are missing, empty or prepared with other prompts.
    """
    import torch
    from accelerate import Accelerator
    from accelerate.utils import set_seed

    from derm3r.llm.provenance import config_hash, write_metadata
    from derm3r.llm.specs import PromptRenderer, load_agent_specs

    settings.validate()
    data_dir = Path(settings.data_dir)
    files = [data_dir / f"{settings.agent}.train.jsonl", data_dir / f"{settings.agent}.validation.jsonl"]
    train_samples = load_samples(files[0])
    val_samples = load_samples(files[1]) if files[1].is_file() else []
    if not train_samples:
        raise TrainingDataError(f"{files[0]}: no training samples for agent {settings.agent!r}")
    current = prompt_hash(load_agent_specs()[settings.agent], PromptRenderer())
    stale = {s.prompt_hash for s in train_samples + val_samples} - {current}
    if stale:
        raise TrainingDataError(
            f"{data_dir}: samples were rendered with other prompts ({sorted(stale)}, now {current}); rerun prepare"
        )

    cuda = torch.cuda.is_available()
    bf16 = cuda and torch.cuda.is_bf16_supported()
    accelerator = Accelerator(
        gradient_accumulation_steps=settings.grad_accum, mixed_precision="bf16" if bf16 else "no", cpu=not cuda
    )
    set_seed(settings.seed)
    processor, base, quantized = load_base(settings, cuda)
    model = wrap_lora(base, settings, cuda=cuda, quantized=quantized)
    pad_id = int(processor.tokenizer.pad_token_id)

    def encoded(samples: list[Sample]) -> list[Encoded]:
        items = [encode(sample, processor, settings.max_pixels) for sample in samples]
        kept = [item for item in items if len(item.input_ids) <= settings.max_length]
        if len(kept) < len(items):
            log.warning("%d samples longer than max_length=%d skipped", len(items) - len(kept), settings.max_length)
        return kept

    train_items, val_items = encoded(train_samples), encoded(val_samples)
    if not train_items:
        raise SettingsError(f"max_length: every training sample is longer than {settings.max_length} tokens")
    generator = torch.Generator().manual_seed(settings.seed)
    loader: Any = torch.utils.data.DataLoader(
        train_items,  # type: ignore[arg-type]
        batch_size=settings.batch_size,
        shuffle=True,
        generator=generator,
        collate_fn=lambda batch: collate(batch, pad_id),
    )
    val_loader: Any = torch.utils.data.DataLoader(
        val_items,  # type: ignore[arg-type]
        batch_size=settings.batch_size,
        collate_fn=lambda batch: collate(batch, pad_id),
    )
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=settings.learning_rate, weight_decay=settings.weight_decay)
    steps_per_epoch = math.ceil(len(loader) / settings.grad_accum)
    total = settings.max_steps or steps_per_epoch * settings.epochs
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: min(1.0, (step + 1) / settings.warmup_steps) if settings.warmup_steps else 1.0
    )
    model, optimizer, loader, val_loader, scheduler = accelerator.prepare(
        model, optimizer, loader, val_loader, scheduler
    )

    def validation_loss() -> float | None:
        if not val_items:
            return None
        model.eval()
        losses = []
        with torch.no_grad():
            for batch in val_loader:
                loss, _, _ = answer_loss(model, batch)
                losses.append(accelerator.gather(loss.detach().reshape(1)).mean().item())
        model.train()
        return sum(losses) / len(losses)

    best_loss = math.inf
    best_state: dict[str, Any] | None = None
    stale_evals = 0
    step = 0
    seen = 0
    recent: deque[float] = deque(maxlen=settings.grad_accum * settings.log_every)
    stopped_early = False
    exact_streak = 0
    started = time.perf_counter()
    model.train()
    with _progress(settings.progress and accelerator.is_main_process) as progress:
        task = progress.add_task(f"train {settings.agent}", total=total, loss=float("nan"))
        while step < total and not stopped_early:
            for batch in loader:
                with accelerator.accumulate(model):
                    loss, predictions, targets = answer_loss(model, batch)
                    if settings.stop_at_margin > 0:
                        # Checked before the optimiser step, so the saved weights are the weights checked.
                        if answers_exact(predictions, targets, settings.stop_at_margin):
                            exact_streak += 1
                            stopped_early = exact_streak >= len(loader)
                            if stopped_early:
                                break
                            continue
                        exact_streak = 0
                    accelerator.backward(loss)
                    optimizer.step()
                    scheduler.step()
                    optimizer.zero_grad()
                seen += int(batch["input_ids"].shape[0]) * accelerator.num_processes
                recent.append(float(loss.detach()))
                if not accelerator.sync_gradients:
                    continue
                step += 1
                if step % settings.log_every == 0 or step == total:
                    progress.update(task, completed=step, loss=sum(recent) / len(recent))
                if step % settings.eval_every == 0 or step == total:
                    current_loss = validation_loss()
                    if current_loss is not None:
                        if current_loss < best_loss - settings.min_delta:
                            best_loss, stale_evals = current_loss, 0
                            best_state = _trainable_state(accelerator.unwrap_model(model))
                        else:
                            stale_evals += 1
                            stopped_early = stale_evals >= settings.patience
                if step >= total or stopped_early:
                    break
    elapsed = time.perf_counter() - started
    unwrapped = accelerator.unwrap_model(model)
    answers_are_exact = settings.stop_at_margin > 0 and exact_streak >= len(loader)
    if best_state is not None and not answers_are_exact:
        # Saves the weights that scored best on validation, not the last ones.
        unwrapped.load_state_dict(best_state, strict=False)
    unwrapped.eval()
    metrics = {
        "steps": step,
        "samples_seen": seen,
        "train_loss": round(sum(recent) / len(recent), 6) if recent else None,
        "validation_loss": round(best_loss, 6) if best_state is not None else None,
        "stopped_early": stopped_early,
        "answers_exact": answers_are_exact,
        "seconds": round(elapsed, 2),
        "samples_per_s": round(seen / elapsed, 3) if elapsed else None,
        "train_samples": len(train_items),
        "validation_samples": len(val_items),
    }
    out = Path(settings.output_dir) / settings.agent
    if accelerator.is_main_process:
        unwrapped.save_pretrained(str(out))
        base_config = unwrapped.get_base_model().config
        write_metadata(
            out,
            {
                "agent": settings.agent,
                "base_model": settings.base_model,
                "base_revision": getattr(base_config, "_commit_hash", None),
                "base_config_hash": config_hash(base_config),
                "prompt_hash": current,
                "data_hash": data_hash(files),
                "config": asdict(settings),
                "metrics": metrics,
            },
        )
    accelerator.wait_for_everyone()
    return TrainResult(adapter_dir=out, metrics=metrics, model=unwrapped, processor=processor)


def answer_loss(model: Any, batch: dict[str, Any]) -> tuple[Any, Any, Any]:
    """Cross-entropy over the answer tokens, with logits computed only where answers are.

    The prompt (system text, case, retrieved passages, image tokens) is most of a sample and is masked
    from the loss anyway; projecting it onto the vocabulary would cost memory and time for nothing, so
    the model keeps only the positions from the first answer token of the batch on (``logits_to_keep``).

    Args:
        model: The (peft) model.
        batch: A collated batch with ``labels``.

    Returns:
        The mean loss, the predicting logits (batch × window × vocabulary) and their target ids (batch ×
        window, -100 where masked), aligned position by position.
    """
    import torch

    labels = batch["labels"]
    width = labels.shape[1]
    answered = labels != IGNORE
    first = int(torch.where(answered.any(dim=1), answered.int().argmax(dim=1), width - 1).min())
    keep = width - first + 1
    inputs = {key: value for key, value in batch.items() if key != "labels"}
    logits = model(**inputs, logits_to_keep=keep).logits
    predictions, targets = logits[:, :-1, :], labels[:, width - keep + 1 :]
    loss = torch.nn.functional.cross_entropy(
        predictions.reshape(-1, predictions.shape[-1]).float(), targets.reshape(-1), ignore_index=IGNORE
    )
    return loss, predictions, targets


def answers_exact(predictions: Any, targets: Any, margin: float) -> bool:
    """Whether every answer token is the model's greedy choice, ahead of the runner-up by ``margin`` logits.

    Greedy decoding reproduces a trained answer exactly when this holds at every position; the margin
    keeps it holding after a save and reload, where float rounding may move logits slightly.

    Args:
        predictions: Logits predicting each target, batch × positions × vocabulary.
        targets: The target ids at those positions, -100 over the prompt and padding.
        margin: Minimum lead of the right token's logit over every other token's.

    Returns:
        True when every labelled position passes.
    """
    import torch

    predicted = predictions.float()
    mask = targets != IGNORE
    if not bool(mask.any()):
        return False
    rows = predicted[mask]
    wanted = targets[mask]
    right = rows.gather(1, wanted.unsqueeze(1)).squeeze(1)
    others = rows.scatter(1, wanted.unsqueeze(1), torch.finfo(rows.dtype).min)
    return bool(((right - others.max(dim=1).values) >= margin).all())


def _trainable_state(model: Any) -> dict[str, Any]:
    return {name: p.detach().clone() for name, p in model.named_parameters() if p.requires_grad}


class _NoProgress:
    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, *args: Any, **kwargs: Any) -> int:
        return 0

    def update(self, *args: Any, **kwargs: Any) -> None:
        return None


def _progress(show: bool) -> Any:
    if not show:
        return _NoProgress()
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("loss {task.fields[loss]:.4f}"),
        TimeRemainingColumn(),
    )


def main(argv: list[str] | None = None, *, prog: str = "train_lora") -> int:
    """Read settings (YAML + flags), train, print the adapter path and metrics.

    Args:
        argv: Command-line arguments.
        prog: Program name for the help.

    Returns:
        0 on success.
    """
    import json

    from derm3r.training.settings import load_settings

    settings = load_settings(argv, prog=prog)
    result = train(settings)
    print(json.dumps({"adapter_dir": str(result.adapter_dir), **result.metrics}, ensure_ascii=False))
    return 0

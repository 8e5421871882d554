"""LoRA (QLoRA on CUDA) supervised fine-tuning of one agent with TRL's ``SFTTrainer``.

TRL's trainer brings evaluation, early stopping, checkpoints, ``resume_from_checkpoint``, ``report_to``
and ``accelerate launch`` for several GPUs; derm3r adds the collator that prompts as the hf engine does
(:mod:`derm3r.training.collator`), a loss over the answer positions only and the stop-when-exact
callback of overfitting checks (:mod:`derm3r.training.trainer`), and the adapter's
provenance and model card. Heavy libraries are imported inside functions.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.llm.prompts import prompt_hash
from derm3r.training.collator import IGNORE, ChatCollator, collate, encode
from derm3r.training.collator import load_image as _load_image
from derm3r.training.data import Sample, load_samples
from derm3r.training.settings import SettingsError, TrainingDataError
from derm3r.training.settings_checks import data_dir_problem

if TYPE_CHECKING:
    from derm3r.training.settings import Settings

__all__ = ["IGNORE", "TrainResult", "_load_image", "collate", "encode", "main", "train"]
log = logging.getLogger(__name__)


@dataclass
class TrainResult:
    """What a training run produced.

    Attributes:
        adapter_dir: Where the adapter, ``derm3r_adapter.json`` and its README.md model card were saved.
        metrics: Final metrics (also in the metadata file).
        model: The trained peft model, in memory (eval mode).
        processor: The processor used to encode samples.
    """

    adapter_dir: Path
    metrics: dict[str, Any]
    model: Any
    processor: Any


def conversation(sample: Sample) -> dict[str, Any]:
    """A prepared sample in TRL's conversational format: ``messages`` ending with the assistant's answer."""
    return {
        "sample_id": sample.sample_id,
        "agent": sample.agent,
        "messages": [*sample.messages, {"role": "assistant", "content": sample.target}],
        "images": list(sample.images),
    }


def data_hash(paths: list[Path]) -> str:
    """Hash the training and validation files (names and bytes)."""
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.name.encode())
        digest.update(path.read_bytes() if path.is_file() else b"")
    return digest.hexdigest()[:16]


def _read_data(settings: Settings) -> tuple[list[Path], list[Sample], list[Sample], str]:
    from derm3r.llm.specs import PromptRenderer, load_agent_specs

    data_dir = Path(settings.script.data_dir)
    agent = settings.agent
    missing = data_dir_problem(data_dir, agent)
    if missing:
        raise SettingsError(f"settings: {missing}")
    files = [data_dir / f"{agent}.train.jsonl", data_dir / f"{agent}.validation.jsonl"]
    train_samples = load_samples(files[0])
    val_samples = load_samples(files[1]) if files[1].is_file() else []
    if not train_samples:
        raise TrainingDataError(f"{files[0]}: no training samples for agent {agent!r}")
    current = prompt_hash(load_agent_specs()[agent], PromptRenderer())
    stale = {s.prompt_hash for s in train_samples + val_samples} - {current}
    if stale:
        raise TrainingDataError(
            f"{data_dir}: samples were rendered with other prompts ({sorted(stale)}, now {current}); rerun prepare"
        )
    return files, train_samples, val_samples, current


def _fitting(rows: list[dict[str, Any]], collator: ChatCollator, max_length: int | None) -> list[dict[str, Any]]:
    kept = [row for row in rows if max_length is None or len(collator.encoded(row).input_ids) <= max_length]
    if len(kept) < len(rows):
        log.warning("%d samples longer than max_length=%s skipped", len(rows) - len(kept), max_length)
    return kept


@dataclass
class _Run:
    trainer: Any
    processor: Any
    exact: Any
    sizes: tuple[int, int]


def _trainer(settings: Settings, rows: list[dict[str, Any]], val_rows: list[dict[str, Any]]) -> _Run:
    """Build the SFTTrainer (and the exact-answers callback when ``stop_at_margin`` asks for it)."""
    from datasets import Dataset
    from transformers import EarlyStoppingCallback
    from transformers.trainer_utils import IntervalStrategy, SaveStrategy

    from derm3r.training.models import is_vision_language, load_base, lora_config
    from derm3r.training.trainer import AnswerOnlySFTTrainer, StopWhenAnswersExact

    args = settings.training
    processor, model = load_base(settings)
    collator = ChatCollator(processor, settings.script.max_pixels)
    rows, val_rows = _fitting(rows, collator, args.max_length), _fitting(val_rows, collator, args.max_length)
    if not rows:
        raise SettingsError(f"max_length: every training sample is longer than {args.max_length} tokens")
    callbacks: list[Any] = []
    exact = None
    if settings.script.stop_at_margin > 0:
        exact = StopWhenAnswersExact(rows, collator, settings.script.stop_at_margin, args.per_device_train_batch_size)
        callbacks.append(exact)
        args.load_best_model_at_end = False  # the exact weights are the ones wanted, not the best-evaluated
    if val_rows and args.eval_strategy != IntervalStrategy.NO:
        if args.load_best_model_at_end:
            callbacks.append(
                EarlyStoppingCallback(
                    early_stopping_patience=settings.script.early_stopping_patience,
                    early_stopping_threshold=settings.script.early_stopping_threshold,
                )
            )
    else:
        val_rows = []
        args.eval_strategy = IntervalStrategy.NO
        args.load_best_model_at_end = False
        if args.save_strategy == SaveStrategy.BEST:
            args.save_strategy = SaveStrategy.STEPS
    trainer = AnswerOnlySFTTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(_without_empty_images(rows)),
        eval_dataset=Dataset.from_list(_without_empty_images(val_rows)) if val_rows else None,
        processing_class=processor,
        data_collator=collator,
        peft_config=lora_config(settings.model, vision_language=is_vision_language(model.config)),
        callbacks=callbacks,
    )
    if exact is not None:
        exact.trainer = trainer
    return _Run(trainer, processor, exact, (len(rows), len(val_rows)))


def _without_empty_images(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows for ``datasets``: an ``images`` column only where some sample has images (TRL reads it as a VL set)."""
    if any(row["images"] for row in rows):
        return rows
    return [{key: value for key, value in row.items() if key != "images"} for row in rows]


def _resume(value: str | None) -> str | bool | None:
    if value is None or value.lower() in ("", "false", "no", "none"):
        return None
    return True if value.lower() in ("true", "last", "yes") else value


def train(settings: Settings) -> TrainResult:
    """Train, evaluate with early stopping, and save the best adapter with its provenance and model card.

    Args:
        settings: Validated settings (:func:`derm3r.training.settings.load_settings`).

    Returns:
        The saved adapter directory, metrics and the in-memory model.

    Raises:
        SettingsError: When the base model cannot be loaded or no sample fits ``max_length``.
        TrainingDataError: When the data are missing, empty or prepared with other prompts.
    """
    from derm3r.llm.hf_model import is_vision_language
    from derm3r.llm.provenance import config_hash, write_metadata
    from derm3r.training.card import write_card

    files, train_samples, val_samples, current = _read_data(settings)
    run = _trainer(settings, [conversation(s) for s in train_samples], [conversation(s) for s in val_samples])
    trainer, processor = run.trainer, run.processor
    started = time.perf_counter()
    output = trainer.train(resume_from_checkpoint=_resume(settings.training.resume_from_checkpoint))
    elapsed = time.perf_counter() - started
    state = trainer.state
    train_rows, val_rows = run.sizes
    exact = run.exact
    max_steps = trainer.args.max_steps if trainer.args.max_steps > 0 else None
    metrics = {
        "steps": state.global_step,
        "samples_seen": round((state.epoch or 0.0) * train_rows),
        "train_loss": round(float(output.training_loss), 6),
        "validation_loss": round(float(state.best_metric), 6) if state.best_metric is not None else None,
        "best_checkpoint": state.best_model_checkpoint,
        "stopped_early": bool(exact and exact.exact) or _stopped_by_patience(state, max_steps, trainer),
        "answers_exact": bool(exact and exact.exact),
        "seconds": round(elapsed, 2),
        "samples_per_s": round((state.epoch or 0.0) * train_rows / elapsed, 3) if elapsed else None,
        "train_samples": train_rows,
        "validation_samples": val_rows,
    }
    out = settings.adapter_dir
    model = trainer.model
    model.eval()
    if trainer.is_world_process_zero():
        model.save_pretrained(str(out))
        base_config = model.get_base_model().config
        meta = {
            "agent": settings.agent,
            "base_model": settings.model.model_name_or_path,
            "base_revision": getattr(base_config, "_commit_hash", None) or settings.model.model_revision,
            "base_config_hash": config_hash(base_config),
            "vision_language": is_vision_language(base_config),
            "prompt_hash": current,
            "data_hash": data_hash(files),
            "config": _config(settings),
            "metrics": metrics,
        }
        write_metadata(out, meta)
        write_card(out, meta, settings.command)
    trainer.accelerator.wait_for_everyone()
    return TrainResult(adapter_dir=out, metrics=metrics, model=model, processor=processor)


def _stopped_by_patience(state: Any, max_steps: int | None, trainer: Any) -> bool:
    """Whether early stopping ended the run before its planned steps."""
    planned = max_steps or state.max_steps
    return bool(state.global_step < planned and trainer.args.eval_strategy != "no")


def _config(settings: Settings) -> dict[str, Any]:
    """The settings that shaped the adapter, under their TRL/transformers names."""
    model, args = settings.model, settings.training
    return {
        **{key: value for key, value in vars(settings.script).items()},
        "output_dir": str(settings.adapter_dir.parent),
        "model_name_or_path": model.model_name_or_path,
        "model_revision": model.model_revision,
        "dtype": model.dtype,
        "attn_implementation": model.attn_implementation,
        "load_in_4bit": model.load_in_4bit,
        "lora_r": model.lora_r,
        "lora_alpha": model.lora_alpha,
        "lora_dropout": model.lora_dropout,
        "lora_target_modules": model.lora_target_modules,
        "lora_modules_to_save": model.lora_modules_to_save,
        "lora_task_type": model.lora_task_type,
        **{
            key: getattr(args, key)
            for key in (
                "learning_rate",
                "weight_decay",
                "warmup_steps",
                "lr_scheduler_type",
                "num_train_epochs",
                "max_steps",
                "per_device_train_batch_size",
                "gradient_accumulation_steps",
                "eval_steps",
                "max_length",
                "seed",
                "bf16",
                "activation_checkpointing",
            )
        },
    }


def main(argv: list[str] | None = None, *, prog: str = "train_lora") -> int:
    """Read settings (YAML + flags), train, print the adapter path and metrics.

    Args:
        argv: Command-line arguments.
        prog: Program name for the help.

    Returns:
        0 on success.
    """
    from derm3r.llm.quiet import quiet_third_party
    from derm3r.training.settings import load_settings

    quiet_third_party()
    settings = load_settings(argv, prog=prog)
    result = train(settings)
    print(json.dumps({"adapter_dir": str(result.adapter_dir), **result.metrics}, ensure_ascii=False, default=str))
    return 0

"""TRL's ``SFTConfig`` with defaults that fit derm3r's adapters and plain CPUs.

Imported only when training runs (it pulls transformers and TRL).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from trl import ModelConfig, SFTConfig


def _cuda() -> bool:
    import torch

    return bool(torch.cuda.is_available())


@dataclass
class TrainConfig(SFTConfig):
    """``SFTConfig`` whose precision and activation checkpointing follow the hardware.

    On CUDA: bf16 where supported and activation checkpointing on; on a CPU: float32 and no
    checkpointing (it only costs time there). Evaluation, checkpoints and the best-model reload run
    every ``eval_steps``; samples longer than ``max_length`` are skipped, never truncated.
    """

    output_dir: str | None = field(default="adapters", metadata={"help": "adapters go to OUTPUT_DIR/AGENT"})
    learning_rate: float = field(default=2e-4, metadata={"help": "AdamW learning rate"})
    bf16: bool | None = field(  # type: ignore[assignment]  # None: decided by the hardware
        default=None, metadata={"help": "bf16 mixed precision (default: when CUDA has it)"}
    )
    gradient_checkpointing: bool | None = field(  # type: ignore[assignment]  # None: decided by the hardware
        default=None, metadata={"help": "deprecated alias of activation_checkpointing"}
    )
    activation_checkpointing: bool | None = field(
        default=None, metadata={"help": "trade compute for memory (default: on CUDA only)"}
    )
    max_length: int | None = field(
        default=4096, metadata={"help": "samples with more tokens are skipped (never truncated)"}
    )
    eval_strategy: str = field(default="steps", metadata={"help": "when a validation split exists: steps or epoch"})
    eval_steps: float | None = field(default=50, metadata={"help": "evaluate (and checkpoint) every N steps"})
    save_steps: float | None = field(  # type: ignore[assignment]  # None: eval_steps
        default=None, metadata={"help": "checkpoint every N steps (default: eval_steps)"}
    )
    save_total_limit: int | None = field(default=2, metadata={"help": "checkpoints kept (the best one is kept too)"})
    load_best_model_at_end: bool = field(default=True, metadata={"help": "save the best-evaluated weights"})
    metric_for_best_model: str | None = field(default="eval_loss", metadata={"help": "metric that picks the best"})
    remove_unused_columns: bool = field(default=False, metadata={"help": "the collator needs every column"})
    dataset_kwargs: dict[str, Any] | str | None = field(
        default_factory=lambda: {"skip_prepare_dataset": True},
        metadata={"help": "derm3r's collator tokenises; TRL's preparation is skipped"},
    )

    def __post_init__(self) -> None:
        cuda = _cuda()
        if self.bf16 is None:
            import torch

            self.bf16 = cuda and torch.cuda.is_bf16_supported()
        if self.activation_checkpointing is None and self.gradient_checkpointing is None:
            self.activation_checkpointing = cuda
        if self.save_steps is None:
            self.save_steps = self.eval_steps or 50
        super().__post_init__()


@dataclass
class ModelArguments(ModelConfig):
    """TRL's ``ModelConfig`` whose ``dtype`` follows the hardware unless set (bf16 on CUDA, else float32)."""

    dtype: str | None = field(
        default=None, metadata={"help": "load the base in this dtype: auto, bfloat16, float16, float32"}
    )

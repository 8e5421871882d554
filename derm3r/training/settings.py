"""Training settings: one dataclass, read from a YAML file and overridden by command-line flags."""

from __future__ import annotations

import argparse
import dataclasses
import typing
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from derm3r.errors import InputError, OptionError

#: LoRA on the language model only: plain module names would also hit the vision tower's MLP.
LANGUAGE_MODEL_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"


class SettingsError(OptionError):
    """A training setting is missing or of the wrong kind; the message names it."""


class TrainingDataError(InputError):
    """The prepared training samples are missing, empty or rendered with other prompts; the message names the file."""


@dataclass
class TrainSettings:
    """How to train one agent's LoRA adapter."""

    agent: str = field(default="rec", metadata={"help": "agent to train: rec, rep or reason"})
    data_dir: str = field(default="finetune/data", metadata={"help": "folder written by `derm3r finetune prepare`"})
    base_model: str = field(default="Qwen/Qwen2.5-VL-3B-Instruct", metadata={"help": "hub id or local base model"})
    output_dir: str = field(default="adapters", metadata={"help": "adapters go to OUTPUT_DIR/AGENT"})
    rank: int = field(default=16, metadata={"help": "LoRA rank r"})
    alpha: int = field(default=32, metadata={"help": "LoRA alpha"})
    dropout: float = field(default=0.05, metadata={"help": "LoRA dropout"})
    target_modules: str = field(default=LANGUAGE_MODEL_TARGETS, metadata={"help": "regex of LoRA target modules"})
    modules_to_save: list[str] = field(
        default_factory=list, metadata={"help": "modules trained in full and saved (e.g. language_model.norm)"}
    )
    learning_rate: float = field(default=2e-4, metadata={"help": "AdamW learning rate"})
    weight_decay: float = field(default=0.0, metadata={"help": "AdamW weight decay"})
    warmup_steps: int = field(default=0, metadata={"help": "linear warm-up optimiser steps"})
    epochs: int = field(default=3, metadata={"help": "passes over the training split"})
    max_steps: int = field(default=0, metadata={"help": "stop after this many optimiser steps (0: epochs decide)"})
    batch_size: int = field(default=1, metadata={"help": "samples per device per micro-batch"})
    grad_accum: int = field(default=8, metadata={"help": "micro-batches per optimiser step"})
    eval_every: int = field(default=50, metadata={"help": "validation every N optimiser steps (and at the end)"})
    patience: int = field(default=3, metadata={"help": "early stop after N validations without improvement"})
    min_delta: float = field(default=0.0, metadata={"help": "smallest validation-loss drop that counts"})
    stop_at_margin: float = field(
        default=0.0,
        metadata={
            "help": "stop once every training answer token is the greedy choice by this logit margin (0: off); "
            "for overfitting checks on a few cases"
        },
    )
    max_length: int = field(default=4096, metadata={"help": "longer samples are skipped, never truncated"})
    max_pixels: int = field(default=256 * 28 * 28, metadata={"help": "image area cap, as the hf engine uses"})
    quantize: str = field(default="auto", metadata={"help": "auto (4-bit QLoRA when CUDA is present), 4bit or none"})
    gradient_checkpointing: bool = field(default=True, metadata={"help": "on GPU only: trade compute for memory"})
    seed: int = field(default=0, metadata={"help": "random seed"})
    log_every: int = field(default=10, metadata={"help": "progress update every N optimiser steps"})
    progress: bool = field(default=True, metadata={"help": "show a progress bar"})

    def validate(self) -> TrainSettings:
        """Check values that the types alone do not.

        Returns:
            The settings.

        Raises:
            SettingsError: Naming the bad field.
        """
        if self.agent not in ("rec", "rep", "reason"):
            raise SettingsError(f"agent: expected rec, rep or reason, got {self.agent!r}")
        if self.quantize not in ("auto", "4bit", "none"):
            raise SettingsError(f"quantize: expected auto, 4bit or none, got {self.quantize!r}")
        for name in ("rank", "alpha", "epochs", "batch_size", "grad_accum", "eval_every", "max_length", "log_every"):
            if getattr(self, name) < 1:
                raise SettingsError(f"{name}: must be at least 1, got {getattr(self, name)}")
        if not 0 <= self.dropout < 1:
            raise SettingsError(f"dropout: expected 0 to <1, got {self.dropout}")
        if self.stop_at_margin < 0:
            raise SettingsError(f"stop_at_margin: must be 0 (off) or positive, got {self.stop_at_margin}")
        if self.learning_rate <= 0:
            raise SettingsError(f"learning_rate: must be positive, got {self.learning_rate}")
        return self


def _hints() -> dict[str, Any]:
    return typing.get_type_hints(TrainSettings)


def _bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")


def build_parser(prog: str = "train_lora") -> argparse.ArgumentParser:
    """Build the one parser of training: ``--config FILE`` plus a flag per setting (help from metadata).

    Args:
        prog: Program name shown in the help.

    Returns:
        The parser; flags left out stay None so the YAML value (or the default) stands.
    """
    parser = argparse.ArgumentParser(prog=prog, description="Train one DERM-3R agent's LoRA adapter.")
    parser.add_argument("--config", type=Path, default=None, help="YAML file of settings (flags override it)")
    hints = _hints()
    for item in dataclasses.fields(TrainSettings):
        flag = "--" + item.name.replace("_", "-")
        kind = hints[item.name]
        help_text = item.metadata.get("help", "")
        if kind is bool:
            parser.add_argument(flag, type=_bool, default=None, metavar="BOOL", help=help_text)
        elif typing.get_origin(kind) is list:
            parser.add_argument(flag, nargs="*", default=None, help=help_text)
        else:
            parser.add_argument(flag, type=kind, default=None, help=help_text)
    return parser


def load_settings(argv: Sequence[str] | None = None, *, prog: str = "train_lora") -> TrainSettings:
    """Read settings: defaults, then the YAML ``--config``, then command-line flags.

    Args:
        argv: Command-line arguments.
        prog: Program name for the help.

    Returns:
        Validated settings.

    Raises:
        SettingsError: For an unreadable config, an unknown key or a value of the wrong kind.
    """
    args = build_parser(prog).parse_args(argv)
    values: dict[str, Any] = {}
    if args.config is not None:
        values.update(read_config(args.config))
    values.update({key: value for key, value in vars(args).items() if key != "config" and value is not None})
    return TrainSettings(**values).validate()


def read_config(path: Path) -> dict[str, Any]:
    """Read and type-check a YAML settings file.

    Args:
        path: The file.

    Returns:
        Its settings.

    Raises:
        SettingsError: Naming the file and the bad key.
    """
    if not path.is_file():
        raise SettingsError(f"--config: {path} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SettingsError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a mapping of settings")
    hints = _hints()
    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in hints:
            raise SettingsError(f"{path}: {key}: unknown setting")
        kind = hints[key]
        expected: Any = list if typing.get_origin(kind) is list else kind
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
            raise SettingsError(f"{path}: {key}: expected {getattr(expected, '__name__', expected)}, got {value!r}")
        values[key] = value
    return values

"""Training settings under the names TRL and transformers use, read from YAML and flags alike.

Three dataclasses, parsed by one ``transformers.HfArgumentParser``: derm3r's own :class:`ScriptArguments`
(agent, data, image size, early stopping), TRL's ``ModelConfig`` (base model, LoRA, 4-bit) and
:class:`TrainConfig`, TRL's ``SFTConfig`` with CPU-friendly defaults. A YAML ``--config`` file is turned
into flags placed before the command line, so the command line overrides it and argparse checks the
types of both the same way. Files written for the old loop (``rank``, ``epochs`` …) are refused with
the new key named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import yaml

from derm3r.errors import InputError, OptionError
from derm3r.i18n import LANGS
from derm3r.training.settings_checks import (
    KnownSettings,
    config_problems,
    leftover_problem,
    problems_message,
    value_problems,
)

if TYPE_CHECKING:
    from derm3r.training.config import ModelArguments, TrainConfig

#: LoRA on the language model only: plain module names would also hit the vision tower's MLP.
LANGUAGE_MODEL_TARGETS = r".*language_model.*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"
#: LoRA targets of a text-only causal LM (every attention and MLP projection).
TEXT_MODEL_TARGETS = r".*\.(q_proj|k_proj|v_proj|o_proj|gate_proj|up_proj|down_proj)"
DEFAULT_BASE_MODEL = "Qwen/Qwen2.5-VL-3B-Instruct"

#: Keys of the old training loop's settings → the TRL/transformers setting that replaced each.
RENAMED = {
    "rank": "lora_r",
    "alpha": "lora_alpha",
    "dropout": "lora_dropout",
    "target_modules": "lora_target_modules",
    "modules_to_save": "lora_modules_to_save",
    "base_model": "model_name_or_path",
    "epochs": "num_train_epochs",
    "batch_size": "per_device_train_batch_size",
    "grad_accum": "gradient_accumulation_steps",
    "eval_every": "eval_steps",
    "patience": "early_stopping_patience",
    "min_delta": "early_stopping_threshold",
    "quantize": "load_in_4bit",
    "log_every": "logging_steps",
    "progress": "disable_tqdm (inverted)",
}


class SettingsError(OptionError):
    """A training setting is missing, renamed or of the wrong kind; the message names it."""


class TrainingDataError(InputError):
    """The prepared training samples are missing, empty or rendered with other prompts; the message names the file."""


@dataclass
class ScriptArguments:
    """derm3r's own training settings (the rest are TRL's ``SFTConfig`` and ``ModelConfig``)."""

    agent: str = field(default="rec", metadata={"help": "agent to train: rec, rep or reason"})
    data_dir: str = field(default="finetune/data", metadata={"help": "folder written by `derm3r finetune prepare`"})
    max_pixels: int = field(default=256 * 28 * 28, metadata={"help": "image area cap, as the hf engine uses"})
    early_stopping_patience: int = field(
        default=3, metadata={"help": "stop after N evaluations without improvement (needs a validation split)"}
    )
    early_stopping_threshold: float = field(
        default=0.0, metadata={"help": "smallest eval-loss drop that counts as an improvement"}
    )
    stop_at_margin: float = field(
        default=0.0,
        metadata={
            "help": "stop once every training answer token is the greedy choice by this logit margin (0: off); "
            "for overfitting checks on a few cases"
        },
    )

    def validate(self) -> ScriptArguments:
        """Check values that the types alone do not.

        Returns:
            The arguments.

        Raises:
            SettingsError: Naming the bad field.
        """
        if self.agent not in ("rec", "rep", "reason"):
            raise SettingsError(f"agent: expected rec, rep or reason, got {self.agent!r}")
        if self.stop_at_margin < 0:
            raise SettingsError(f"stop_at_margin: must be 0 (off) or positive, got {self.stop_at_margin}")
        if self.early_stopping_patience < 1:
            raise SettingsError(f"early_stopping_patience: must be at least 1, got {self.early_stopping_patience}")
        if self.max_pixels < 28 * 28:
            raise SettingsError(f"max_pixels: must be at least {28 * 28}, got {self.max_pixels}")
        return self


@dataclass
class Settings:
    """Everything one training run needs.

    Attributes:
        script: derm3r's settings (agent, data, early stopping).
        model: TRL's model settings (base model, LoRA, 4-bit).
        training: TRL's ``SFTConfig`` (``output_dir`` is the adapters folder; adapters go to ``output_dir/agent``).
        command: The argument list the settings were read from (for the model card).
    """

    script: ScriptArguments
    model: ModelArguments
    training: TrainConfig
    command: list[str] = field(default_factory=list)

    @property
    def agent(self) -> str:
        """The agent being trained."""
        return self.script.agent

    #: Where this agent's adapter is saved: ``output_dir/agent`` (checkpoints go below it, ``checkpoint-N``).
    adapter_dir: Path = Path("adapters/rec")


def build_parser(prog: str = "derm3r finetune") -> Any:
    """Build the ``HfArgumentParser`` over derm3r's, TRL's model and TRL's SFT settings.

    Args:
        prog: Program name shown in the help.

    Returns:
        The parser.
    """
    from transformers import HfArgumentParser

    from derm3r.training.config import ModelArguments, TrainConfig

    parser = HfArgumentParser((ScriptArguments, ModelArguments, TrainConfig), prog=prog)  # type: ignore[arg-type]
    parser.description = "Train one DERM-3R agent's LoRA adapter with TRL's SFTTrainer."
    parser.add_argument("--config", type=Path, default=None, help="YAML file of settings (flags override it)")
    # Read from the raw arguments before parsing (``--help`` prints while parsing); declared so it is listed.
    parser.add_argument("--lang", choices=LANGS, default=None, help="language of messages and reports")
    parser.error = _raise_settings_error  # type: ignore[method-assign,assignment]  # exit 2 via SettingsError
    return parser


def own_flags() -> set[str]:
    """``dest`` names of the training flags whose help derm3r declares (help.yaml translates them).

    The others are TRL's and transformers', translated by flag name (derm3r/i18n/training_flags.yaml).

    Returns:
        derm3r's own fields, the library fields derm3r redeclares with its own default and help, and ``--config``.
    """
    from trl import ModelConfig, SFTConfig

    from derm3r.training.config import ModelArguments, TrainConfig

    names = {item.name for item in fields(ScriptArguments)} | {"config", "help", "lang"}
    for own, library in ((TrainConfig, SFTConfig), (ModelArguments, ModelConfig)):
        library_fields = library.__dataclass_fields__  # type: ignore[attr-defined]
        names |= {name for name, item in own.__dataclass_fields__.items() if library_fields.get(name) is not item}
    return names


def _raise_settings_error(message: str) -> NoReturn:
    raise SettingsError(f"settings: {message}")


def load_settings(argv: Sequence[str] | None = None, *, prog: str = "derm3r finetune") -> Settings:
    """Read settings: defaults, then the YAML ``--config``, then command-line flags.

    Args:
        argv: Command-line arguments.
        prog: Program name for the help.

    Returns:
        Validated settings.

    Raises:
        SettingsError: For an unreadable config, a renamed or unknown key, or a bad value.
    """
    arguments = list(argv or [])
    _refuse_renamed_flags(arguments)
    parser = build_parser(prog)
    known = KnownSettings.of(parser)
    config_flags: list[str] = []
    if "--config" in arguments:
        where = arguments.index("--config")
        if where + 1 >= len(arguments):
            raise SettingsError("--config: expected a YAML file after --config")
        config_flags = config_as_flags(Path(arguments[where + 1]), known)
        del arguments[where : where + 2]
    try:
        *parsed, leftover = parser.parse_args_into_dataclasses(
            args=[*config_flags, *arguments], return_remaining_strings=True
        )
    except SettingsError:
        raise
    except ValueError as error:  # raised by the dataclasses' own checks (__post_init__)
        raise SettingsError(f"settings: {error}") from error
    if leftover:
        raise SettingsError(f"settings: {leftover_problem(leftover, [*config_flags, *arguments], known)}")
    script, model, training = parsed[:3]  # then the Namespace of --config and --lang
    script.validate()
    problems = value_problems(script, model, training)
    if problems:
        raise SettingsError(problems_message("settings", problems))
    if model.model_name_or_path is None:
        model.model_name_or_path = DEFAULT_BASE_MODEL
    adapter_dir = Path(training.output_dir or "adapters") / script.agent
    training.output_dir = str(adapter_dir)  # the trainer's checkpoints go below the adapter they lead to
    return Settings(script=script, model=model, training=training, command=list(argv or []), adapter_dir=adapter_dir)


def _refuse_renamed_flags(arguments: list[str]) -> None:
    for argument in arguments:
        if not argument.startswith("--"):
            continue
        flag = argument.split("=", 1)[0]
        key = flag[2:].replace("-", "_")
        if key in RENAMED:
            raise SettingsError(f"{flag}: renamed; use --{RENAMED[key].split()[0]} (TRL/transformers names)")


def config_as_flags(path: Path, known: KnownSettings | None = None) -> list[str]:
    """Read a YAML settings file as flags (so argparse type-checks it like the command line).

    Args:
        path: The file.
        known: The parser's settings: keys naming none of them, and lists for one-value settings, are refused.

    Returns:
        ``--key value`` tokens, lists as several values.

    Raises:
        SettingsError: Naming the file and the bad key (old names get the new one).
    """
    if not path.is_file():
        raise SettingsError(f"--config: {path} not found")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise SettingsError(f"{path}: not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise SettingsError(f"{path}: expected a mapping of settings")
    renamed = [key for key in raw if key in RENAMED]
    if renamed:
        pairs = ", ".join(f"{key} → {RENAMED[key]}" for key in renamed)
        raise SettingsError(f"{path}: settings renamed to TRL/transformers names: {pairs}")
    problems = config_problems(raw, known) if known is not None else []
    if problems:
        raise SettingsError(problems_message(str(path), problems))
    flags: list[str] = []
    for key, value in raw.items():
        if isinstance(value, dict):
            raise SettingsError(f"{path}: {key}: nested mappings are not supported; give a JSON string")
        flags.append(f"--{key}")
        values = value if isinstance(value, list) else [value]
        flags.extend("true" if v is True else "false" if v is False else str(v) for v in values)
    return flags

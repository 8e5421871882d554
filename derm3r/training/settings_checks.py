"""Checks of training settings that their types alone let through, and readable names for what argparse refuses.

``HfArgumentParser`` checks only types: a negative learning rate, zero epochs or a LoRA dropout of 1 parse
fine and fail later (or train nonsense). Its message for an unknown key, or for a list given where one
value is expected, names neither the key nor the problem ("Some specified arguments are not used by the
HfArgumentParser"). The functions here turn both kinds into one message per field.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: (field, test the value must pass, what the value must be). Fields set to None are not checked.
_Rule = tuple[str, Callable[[Any], bool], str]


def _positive(value: Any) -> bool:
    return math.isfinite(value) and value > 0


def _non_negative(value: Any) -> bool:
    return math.isfinite(value) and value >= 0


TRAINING_RULES: tuple[_Rule, ...] = (
    ("learning_rate", _positive, "a positive number"),
    ("num_train_epochs", _positive, "a positive number"),
    ("max_steps", lambda value: value == -1 or value >= 1, "-1 (train num_train_epochs) or at least 1"),
    ("per_device_train_batch_size", lambda value: value >= 1, "at least 1"),
    ("per_device_eval_batch_size", lambda value: value >= 1, "at least 1"),
    ("gradient_accumulation_steps", lambda value: value >= 1, "at least 1"),
    ("eval_steps", _positive, "a positive number of steps (below 1: a share of the run)"),
    ("save_steps", _positive, "a positive number of steps (below 1: a share of the run)"),
    ("logging_steps", _positive, "a positive number of steps (below 1: a share of the run)"),
    ("weight_decay", _non_negative, "0 or more"),
    ("max_grad_norm", _non_negative, "0 (no clipping) or more"),
    ("max_length", lambda value: value >= 1, "at least 1"),
    ("save_total_limit", lambda value: value >= 1, "at least 1"),
    ("seed", lambda value: value >= 0, "0 or more"),
)
MODEL_RULES: tuple[_Rule, ...] = (
    ("lora_r", lambda value: value >= 1, "at least 1"),
    ("lora_alpha", _positive, "a positive number"),
    ("lora_dropout", lambda value: math.isfinite(value) and 0 <= value < 1, "at least 0 and below 1"),
)
#: derm3r's own fields beyond those ``ScriptArguments.validate`` checks.
SCRIPT_RULES: tuple[_Rule, ...] = (("early_stopping_threshold", _non_negative, "0 or more"),)


def problems_message(prefix: str, problems: Sequence[str]) -> str:
    """One problem on the prefix's line; several as an indented list below ``prefix: N problems:``.

    Args:
        prefix: What the problems are in (``settings`` or the config file).
        problems: At least one problem.

    Returns:
        The error message.
    """
    if len(problems) == 1:
        return f"{prefix}: {problems[0]}"
    return f"{prefix}: {len(problems)} problems:\n" + "\n".join(f"  {problem}" for problem in problems)


def value_problems(script: Any, model: Any, training: Any) -> list[str]:
    """Every setting whose value makes no sense, as ``field: must be …, got …``.

    Args:
        script: derm3r's ``ScriptArguments``.
        model: TRL's model settings.
        training: TRL's ``SFTConfig``.

    Returns:
        One line per bad field (empty when all are fine).
    """
    problems = []
    for settings, rules in ((training, TRAINING_RULES), (model, MODEL_RULES), (script, SCRIPT_RULES)):
        for name, passes, wanted in rules:
            value = getattr(settings, name, None)
            if value is not None and not isinstance(value, str) and not passes(value):
                problems.append(f"{name}: must be {wanted}, got {value!r}")
    return problems


def data_dir_problem(data_dir: Path, agent: str) -> str | None:
    """What is missing for ``agent`` in the prepared-data folder (None when its training file is there).

    Checked when training starts, before the base model loads (settings alone may be read anywhere).

    Args:
        data_dir: The ``data_dir`` setting.
        agent: The agent to train.

    Returns:
        ``data_dir: …`` naming the missing folder or file, or None.
    """
    where = f"data_dir: {data_dir}"
    if not data_dir.exists():
        train_file = data_dir / f"{agent}.train.jsonl"
        return f"{where} does not exist (write {train_file} with `derm3r finetune prepare DATA.jsonl --out {data_dir}`)"
    if not data_dir.is_dir():
        return f"{where} is not a folder"
    if not (data_dir / f"{agent}.train.jsonl").is_file():
        return f"{where} has no {agent}.train.jsonl (run `derm3r finetune prepare` into it)"
    return None


@dataclass(frozen=True)
class KnownSettings:
    """The settings a parser accepts: each spelling of a flag → its field, and whether it takes several values."""

    fields: dict[str, str]
    many: set[str]

    @classmethod
    def of(cls, parser: Any) -> KnownSettings:
        """Read them from an argparse parser (``HfArgumentParser`` is one)."""
        fields, many = {}, set()
        for action in parser._actions:
            for option in action.option_strings:
                fields[option.lstrip("-")] = action.dest
            if action.nargs in ("+", "*") or (isinstance(action.nargs, int) and action.nargs > 1):
                many.add(action.dest)
        return cls(fields, many)

    def unknown(self, key: str) -> str:
        """The message for a setting no parser field has, with the nearest known name when one is close."""
        close = difflib.get_close_matches(key.lstrip("-").replace("-", "_"), sorted(set(self.fields.values())), n=1)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return f"{key}: unknown setting{hint}; `derm3r finetune --help` lists them"


def config_problems(raw: dict[Any, Any], known: KnownSettings) -> list[str]:
    """Keys of a YAML settings file that name no setting, and lists given where one value is expected.

    Args:
        raw: The file's mapping.
        known: The parser's settings.

    Returns:
        One line per bad key.
    """
    problems = []
    for key, value in raw.items():
        field_name = known.fields.get(str(key))
        if field_name is None:
            problems.append(known.unknown(str(key)))
        elif isinstance(value, list) and field_name not in known.many:
            problems.append(f"{key}: expected one value, got a list of {len(value)} ({value!r})")
    return problems


def leftover_problem(leftover: Sequence[str], arguments: Sequence[str], known: KnownSettings) -> str:
    """Name what the parser did not use: an unknown flag, or a value after a flag that takes one.

    Args:
        leftover: The strings ``HfArgumentParser`` returned unused (at least one).
        arguments: The whole argument list (to find the flag a stray value followed).
        known: The parser's settings.

    Returns:
        One message naming the flag or value.
    """
    first = leftover[0]
    if first.startswith("-"):
        return known.unknown(first.split("=", 1)[0])
    flag = next((item for item in reversed(arguments[: _index(arguments, first)]) if item.startswith("--")), None)
    if flag is None:
        return f"{first!r}: a value without a setting before it (settings are --name value)"
    name = flag.split("=", 1)[0].lstrip("-")
    return f"{known.fields.get(name, name)}: expected one value, got another, {first!r}"


def _index(arguments: Sequence[str], item: str) -> int:
    """Position of the last ``item`` in ``arguments`` (a stray value is usually the last of its kind)."""
    positions = [number for number, argument in enumerate(arguments) if argument == item]
    return positions[-1] if positions else len(arguments)

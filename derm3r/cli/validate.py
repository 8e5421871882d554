"""Argument checks shared by the subcommands: every option range-checked, every problem named (exit 2).

Each ``argparse`` type below raises ``argparse.ArgumentTypeError``, which argparse reports as
``derm3r: error: argument --NAME: …`` with exit code 2 before anything is loaded.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path


def whole_number(minimum: int) -> type[int]:
    """An argparse type: an integer of at least ``minimum``.

    Args:
        minimum: The smallest value allowed.

    Returns:
        A callable argparse uses to convert and check the value.
    """

    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    convert.__name__ = f"whole number ≥ {minimum}"
    return convert  # type: ignore[return-value]


def probability(text: str) -> float:
    """An argparse type: a number in [0, 1] (NaN and infinities refused: they would switch a threshold off).

    Args:
        text: The value as typed.

    Returns:
        The number.

    Raises:
        argparse.ArgumentTypeError: When it is not a finite number in [0, 1].
    """
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number in [0, 1], got {text!r}") from None
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"must be a number in [0, 1], got {text!r}")
    return value


def file_path(text: str) -> Path:
    """An argparse type: a path without NUL characters (the operating system cannot open one).

    Args:
        text: The path as typed.

    Returns:
        The path.

    Raises:
        argparse.ArgumentTypeError: When it is empty or holds a NUL.
    """
    if not text or "\0" in text:
        raise argparse.ArgumentTypeError("must be a non-empty path without NUL characters")
    return Path(text)

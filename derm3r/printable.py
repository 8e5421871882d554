"""Text safe to show on a terminal: what a case says is shown, never obeyed.

A case id or any free-text field may carry ANSI escape sequences (recolour, move the cursor, set the window
title, rewrite the screen) or bidirectional overrides that make text read differently from what it is.
Everything derm3r prints to a terminal — reports, summaries, error messages — passes through
:func:`printable`; JSON output keeps every character but escapes the dangerous ones
(:func:`escape_json_text`).
"""

from __future__ import annotations

import re
from typing import Any, TypeVar, cast

from pydantic import BaseModel

T = TypeVar("T")

# ESC-introduced sequences (CSI "ESC [ … final", OSC "ESC ] … BEL|ESC \\", and two-character escapes), and
# their single-character C1 forms (U+009B CSI, U+009D OSC).
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor movement, erase
    r"|(?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f]).*?(?:\x07|\x1b\\|\x9c|$)"  # OSC/DCS/SOS/PM/APC strings
    r"|\x1b[@-Z\\-_]?",  # other two-character escapes, or a lone ESC
    re.DOTALL,
)
# Other C0/C1 controls (tab and newline kept), DEL, and the bidirectional embeddings, overrides and isolates.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


def printable(text: object) -> str:
    """Return ``str(text)`` without escape sequences and control characters (tabs and newlines stay).

    Args:
        text: Anything that will be printed.

    Returns:
        The text as a terminal should show it.
    """
    return _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", str(text)))


def escape_json_text(text: str) -> str:
    """Escape, as JSON u-escapes, the characters a terminal may obey that JSON leaves raw (C1 controls, DEL, bidi).

    JSON already escapes C0 controls (ESC is written as the escape of U+001B); the result decodes to the same
    values.

    Args:
        text: JSON text.

    Returns:
        The same JSON with those characters escaped.
    """
    return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def printable_copy(value: T) -> T:
    """Return a copy of a value (a pydantic model, list, dict or string) with every string made printable.

    Args:
        value: What a renderer will show, e.g. a Consultation.

    Returns:
        The same structure, its strings (and dict keys) passed through :func:`printable`.
    """
    return cast(T, _clean(value))


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, BaseModel):
        return value.model_copy(update={name: _clean(getattr(value, name)) for name in type(value).model_fields})
    if isinstance(value, list):
        return [_clean(item) for item in value]
    if isinstance(value, tuple):
        return tuple(_clean(item) for item in value)
    if isinstance(value, dict):
        return {_clean(key): _clean(item) for key, item in value.items()}
    return value

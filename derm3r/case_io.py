"""Reading cases from files and dicts with errors that name the field."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from derm3r.errors import CaseInputError
from derm3r.schemas.case import Case

MAX_CASE_FILE_BYTES = 2_000_000


def describe_validation_error(error: ValidationError, prefix: str = "") -> str:
    """Turn a pydantic error into one line per problem, each naming the field path.

    Args:
        error: The validation error.
        prefix: Text put before each field path, e.g. the file name.

    Returns:
        A human-readable multi-line message.
    """
    lines = []
    for item in error.errors():
        location = ".".join(str(part) for part in item["loc"]) or "(top level)"
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = "unknown field (check its spelling against the Case format)"
        lines.append(f"{prefix}field '{location}': {message}")
    return "\n".join(lines)


def parse_case(data: Any, origin: str = "case") -> Case:
    """Validate a dict into a Case.

    Args:
        data: The decoded JSON object.
        origin: Where it came from, used in error messages.

    Returns:
        The validated case.

    Raises:
        CaseInputError: When the data is not a valid case.
    """
    if isinstance(data, Case):
        return data
    if not isinstance(data, dict):
        raise CaseInputError(f"{origin}: a case must be a JSON object, got {type(data).__name__}")
    try:
        return Case.model_validate(data)
    except ValidationError as error:
        raise CaseInputError(f"{origin}: invalid case\n" + describe_validation_error(error, "  ")) from None


def load_case(path: str | Path) -> tuple[Case, Path]:
    """Read and validate a case file.

    Args:
        path: Path to a Case JSON file.

    Returns:
        The case and the directory its image paths are relative to.

    Raises:
        CaseInputError: When the file is missing, too large, not JSON or not a valid case.
    """
    case_path = Path(path)
    if not case_path.is_file():
        raise CaseInputError(f"{case_path}: case file not found")
    if case_path.stat().st_size > MAX_CASE_FILE_BYTES:
        raise CaseInputError(f"{case_path}: case file is larger than {MAX_CASE_FILE_BYTES} bytes")
    try:
        data = json.loads(case_path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise CaseInputError(f"{case_path}: not UTF-8 text") from None
    except json.JSONDecodeError as error:
        raise CaseInputError(
            f"{case_path}: not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    return parse_case(data, str(case_path)), case_path.resolve().parent

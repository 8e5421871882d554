"""The evaluation line format (DESIGN.md): ``{"case": {...Case...}, "expert": {...}}``, read and validated."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from derm3r.case_io import describe_validation_error
from derm3r.errors import InputError
from derm3r.schemas.case import Case, Number

MAX_LINE_CHARS = 2_000_000
#: Longest error message kept in a record (an exception's text may quote the hostile input).
MAX_ERROR_CHARS = 2_000
#: A line as read: its text, its bytes when they are not UTF-8, or (from Python) an object.
RawLine = str | bytes | dict[str, Any]


class EvaluationInputError(InputError):
    """An evaluation data file (or a run directory) is unusable; the message says which and why."""


class ExpertHerb(BaseModel):
    """One herb of the expert's prescription."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    dose_g: Number | None = Field(default=None, gt=0, le=500)


class ExpertPlan(BaseModel):
    """What the expert decided for a case; every field is optional and metrics use what is present."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    disease: str = ""
    syndrome: str = ""
    syndrome_options: dict[str, str] = Field(default_factory=dict, description="Option letter → syndrome name.")
    syndrome_answer: list[str] = Field(default_factory=list, description="The correct option letter(s).")
    pathogenesis: str = ""
    treatment_principle: str = ""
    formula: str = ""
    herbs: list[ExpertHerb] = Field(default_factory=list)
    lesion_description: str = ""
    source: str = ""

    @field_validator("syndrome_answer", mode="before")
    @classmethod
    def _split_answer(cls, value: Any) -> Any:
        # "AC", "A,C" and ["A", "C"] all name the same two options.
        if isinstance(value, str):
            parts = [part for part in re.split(r"[\s,，、;；]+", value) if part]
            if len(parts) == 1 and parts[0].isascii() and parts[0].isalpha():
                return list(parts[0])
            return parts
        return value

    @model_validator(mode="after")
    def _answer_among_options(self) -> ExpertPlan:
        unknown = [letter for letter in self.syndrome_answer if letter not in self.syndrome_options]
        if unknown:
            raise ValueError(f"syndrome_answer {unknown} not among syndrome_options {sorted(self.syndrome_options)}")
        return self


class EvalLine(BaseModel):
    """One line of an evaluation file."""

    model_config = ConfigDict(extra="forbid")

    case: Case
    expert: ExpertPlan = Field(default_factory=ExpertPlan)
    source: str = ""


@dataclass(frozen=True)
class ParsedLine:
    """A line of the data file: its 1-based number and either the validated line or the reason it is bad."""

    number: int
    line: EvalLine | None
    error: str | None = None

    @property
    def case_id(self) -> str | None:
        """The case id when the line is valid."""
        return self.line.case.case_id if self.line else None


def parse_line(number: int, raw: RawLine) -> ParsedLine:
    """Validate one evaluation line without raising, however hostile the line.

    Args:
        number: Its 1-based line number, named in the error.
        raw: The JSON text of the line, its decoded object, or its bytes when they are not UTF-8.

    Returns:
        The parsed line, or one carrying an error that names the line number and the field.
    """
    try:
        return _parse_line(number, raw)
    except RecursionError:
        return ParsedLine(number, None, f"line {number}: nested too deeply")
    except Exception as error:  # a line is data: whatever it does, it becomes that line's error
        problem = f"line {number}: unreadable ({type(error).__name__}: {error})"
        return ParsedLine(number, None, problem[:MAX_ERROR_CHARS])


def load_json_line(number: int, raw: str | bytes) -> tuple[Any, str | None]:
    """Decode one JSON line, turning every way it can fail into a message that names the line.

    Args:
        number: Its 1-based line number.
        raw: The line's text, or its bytes when they are not UTF-8.

    Returns:
        The decoded value and ``None``, or ``None`` and the reason it could not be decoded.
    """
    if isinstance(raw, bytes):
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError as error:
            return None, f"line {number}: not UTF-8 text (byte {error.start + 1}: {error.reason})"
        raw = raw.decode("utf-8")
    if len(raw) > MAX_LINE_CHARS:
        return None, f"line {number}: longer than {MAX_LINE_CHARS} characters"
    try:
        return json.loads(raw), None
    except json.JSONDecodeError as error:
        return None, f"line {number}: not valid JSON (column {error.colno}: {error.msg})"
    except RecursionError:
        return None, f"line {number}: not usable JSON (nested deeper than Python's recursion limit)"
    except ValueError as error:  # e.g. an integer longer than sys.get_int_max_str_digits()
        return None, f"line {number}: not usable JSON ({error})"[:MAX_ERROR_CHARS]


def _parse_line(number: int, raw: RawLine) -> ParsedLine:
    data: Any = raw
    if isinstance(raw, (str, bytes)):
        if isinstance(raw, str) and len(raw) <= MAX_LINE_CHARS:
            try:
                # pydantic's JSON parser validates in one pass (3x faster); a bad line is re-read below only to
                # word its error the same way whether it came as text or as an object.
                return ParsedLine(number, EvalLine.model_validate_json(raw))
            except ValidationError:
                pass
        data, problem = load_json_line(number, raw)
        if problem is not None:
            return ParsedLine(number, None, problem)
    if not isinstance(data, dict):
        return ParsedLine(number, None, f"line {number}: must be a JSON object, got {type(data).__name__}")
    try:
        return ParsedLine(number, EvalLine.model_validate(data))
    except ValidationError as error:
        return ParsedLine(number, None, f"line {number}: invalid\n" + describe_validation_error(error, "  "))


#: What a blank line may hold: ASCII whitespace. str.strip() also drops controls such as \x1c-\x1f, which would make a
#: line of them vanish from the run without a record; such a line is an error (not JSON) instead.
BLANK = " \t\n\r\x0b\x0c"


def file_lines(path: Path) -> Iterator[tuple[int, str | bytes]]:
    r"""Yield ``(line number, line)`` of a JSONL file split at ``\n`` only, skipping blank lines.

    ``str.splitlines()`` also splits at \x0b, \x0c, \x1c-\x1e, \x85, \u2028 and \u2029; a JSON string may hold the
    last three as they are (json.dumps with ``ensure_ascii=False`` writes them unescaped), and one record would
    become two broken lines. Each line is decoded on its own, so a line that is not UTF-8 is yielded as its bytes
    and the rest of the file stays readable.

    Args:
        path: The file.

    Yields:
        Line numbers (of the file, so blank lines still count) and the lines, with their line ending.

    Raises:
        OSError: When the file cannot be opened or read (each reader words its own error).
    """
    with path.open("rb") as handle:
        for number, data in enumerate(handle, start=1):
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                yield number, data
                continue
            if text.strip(BLANK):
                yield number, text


def iter_lines(source: str | Path | Iterable[str | dict[str, Any]]) -> Iterator[tuple[int, RawLine]]:
    """Yield ``(line number, raw line)`` of a JSONL file or an iterable, skipping blank lines.

    A file is read by :func:`file_lines`: a line that is not UTF-8 is yielded as its bytes (and
    :func:`parse_line` turns it into that line's error) instead of making the whole file unreadable.

    Args:
        source: A JSONL path, or an iterable of JSON strings or dicts (numbered from 1).

    Yields:
        Line numbers (of the file, so blank lines still count) and the raw lines.

    Raises:
        EvaluationInputError: When the file is missing or unreadable.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise EvaluationInputError(f"{path}: evaluation data file not found")
        try:
            yield from file_lines(path)
        except OSError as error:
            raise EvaluationInputError(f"{path}: cannot read the evaluation data file ({error.strerror})") from None
        return
    for number, item in enumerate(source, start=1):
        if isinstance(item, str) and not item.strip(BLANK):
            continue
        yield number, item

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
from derm3r.errors import CaseInputError
from derm3r.schemas.case import Case

MAX_LINE_CHARS = 2_000_000


class EvaluationInputError(CaseInputError):
    """An evaluation data file (or a run directory) is unusable; the message says which and why."""


class ExpertHerb(BaseModel):
    """One herb of the expert's prescription."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1)
    dose_g: float | None = Field(default=None, gt=0, le=500)


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


def parse_line(number: int, raw: str | dict[str, Any]) -> ParsedLine:
    """Validate one evaluation line without raising.

    Args:
        number: Its 1-based line number, named in the error.
        raw: The JSON text of the line or its decoded object.

    Returns:
        The parsed line, or one carrying an error that names the line number and the field.
    """
    data: Any = raw
    if isinstance(raw, str):
        if len(raw) > MAX_LINE_CHARS:
            return ParsedLine(number, None, f"line {number}: longer than {MAX_LINE_CHARS} characters")
        try:
            # pydantic's JSON parser validates in one pass (3x faster); a bad line is re-read below only to
            # word its error the same way whether it came as text or as an object.
            return ParsedLine(number, EvalLine.model_validate_json(raw))
        except ValidationError:
            pass
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as error:
            return ParsedLine(number, None, f"line {number}: not valid JSON (column {error.colno}: {error.msg})")
    if not isinstance(data, dict):
        return ParsedLine(number, None, f"line {number}: must be a JSON object, got {type(data).__name__}")
    try:
        return ParsedLine(number, EvalLine.model_validate(data))
    except ValidationError as error:
        return ParsedLine(number, None, f"line {number}: invalid\n" + describe_validation_error(error, "  "))


def iter_lines(source: str | Path | Iterable[str | dict[str, Any]]) -> Iterator[tuple[int, str | dict[str, Any]]]:
    """Yield ``(line number, raw line)`` of a JSONL file or an iterable, skipping blank lines.

    Args:
        source: A JSONL path, or an iterable of JSON strings or dicts (numbered from 1).

    Yields:
        Line numbers (of the file, so blank lines still count) and the raw lines.

    Raises:
        EvaluationInputError: When the file is missing or not UTF-8.
    """
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise EvaluationInputError(f"{path}: evaluation data file not found")
        try:
            with path.open(encoding="utf-8") as handle:
                for number, text in enumerate(handle, start=1):
                    if text.strip():
                        yield number, text
        except UnicodeDecodeError:
            raise EvaluationInputError(f"{path}: not UTF-8 text") from None
        return
    for number, item in enumerate(source, start=1):
        if isinstance(item, str) and not item.strip():
            continue
        yield number, item

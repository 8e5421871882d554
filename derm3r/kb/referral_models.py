"""Validated models of the referral knowledge (knowledge/rules/red_flags.yaml, red_flag_signs.yaml)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field, field_validator

from derm3r.kb.models import _Entry

#: Fields a red-flag sign is read from when it names none: every text field but tongue and pulse,
#: and what the patient reported after the last prescription.
DEFAULT_SIGN_FIELDS = ("chief_complaint", "history", "lesion_description", "symptoms", "previous_visits.response")


class RedFlagSign(_Entry):
    """A red-flag sign described rather than named: parts that must be said together in one clause."""

    id: str = Field(pattern=r"^red_flag_sign\.[a-z0-9_]+$")
    label: str = Field(min_length=1, description="Chinese label shown with the evidence.")
    english: str = ""
    terms: list[str] = Field(default_factory=list, description="Lexicon term ids that state this sign too.")
    patterns: list[list[str]] = Field(
        default_factory=list,
        description="Each pattern: regular expressions that must all occur, unnegated, in one clause.",
    )
    window: int = Field(default=16, ge=1, le=200, description="Characters the parts of one pattern may span.")
    span: Literal["clause", "sentence"] = Field(
        default="clause", description="Whether the parts must share a clause or only a sentence (痣增大，边缘不规则)."
    )
    exclude: str = Field(default="", description="A clause matching this expression never states the sign.")
    fields: list[str] = Field(default_factory=lambda: list(DEFAULT_SIGN_FIELDS))
    lab_clauses: bool = Field(default=False, description="Also read laboratory clauses (e.g. 抗核抗体阳性).")
    named: bool = Field(
        default=False,
        description="The sign is a disease's name: right after a worry opener (会不会是…, 'is it …') it is no finding.",
    )
    ended_by: list[str] = Field(
        default_factory=list,
        description="Lexicon term ids whose words of ending (derm3r/text/data/scope_words.yaml resolved_terms: 不烧了, "
        "烧退了) end this sign too: a fever's grade ends with the fever.",
    )

    @field_validator("exclude")
    @classmethod
    def _valid_exclude(cls, value: str) -> str:
        re.compile(value)
        return value

    @field_validator("patterns")
    @classmethod
    def _valid_patterns(cls, value: list[list[str]]) -> list[list[str]]:
        for pattern in value:
            if not pattern:
                raise ValueError("a pattern needs at least one part")
            for part in pattern:
                re.compile(part)
        return value


class AllergenClass(_Entry):
    """A class of herbs a patient may name as an allergy ("对虫类药过敏"), with its members."""

    id: str = Field(pattern=r"^allergen_class\.[a-z0-9_]+$")
    name: str = Field(min_length=1)
    names: list[str] = Field(default_factory=list, description="Other ways the class is written (lower case).")
    herbs: list[str] = Field(min_length=1, description="Herb ids of the class.")

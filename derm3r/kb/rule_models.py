"""Validated models for the clinical rules kept as data under knowledge/rules/.

Each model is one kind of rule file: red-flag patterns, follow-up questions, staging rules and
thresholds. The Python that applies them (derm3r/safety, derm3r/clinic) holds no clinical facts of
its own; docs/knowledge.md describes every field.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from derm3r.kb.models import WeightedSign, _Entry
from derm3r.schemas.findings import Stage


class RedFlagRule(_Entry):
    """A combination of findings that calls for referral instead of a prescription.

    The rule fires when every group of ``all_of`` (or ``min_groups`` of them) has at least one present term
    and no term of ``none_of`` is present.
    """

    id: str = Field(pattern=r"^red_flag_rule\.[a-z0-9_]+$")
    label: str = Field(
        default="",
        description="A short Chinese name of what fired (疑似过敏性休克), shown where the rule is evidence for a "
        "disease; ``derm3r kb check`` reports a rule without one.",
    )
    reason: str = Field(
        min_length=2,
        description="Shown to the clinician; {labels} becomes the labels of the present terms of the first group.",
    )
    all_of: list[list[str]] = Field(min_length=1, description="Groups of term or red_flag_sign ids, each 'any of'.")
    none_of: list[str] = Field(default_factory=list, description="Finding ids; any present suppresses the rule.")
    min_groups: int | None = Field(
        default=None,
        ge=1,
        description="Fires when at least this many groups have a present finding (a score such as qSOFA ≥ 2); "
        "every group when unset.",
    )
    max_age: int | None = Field(default=None, ge=0, description="Applies only up to this age (completed years).")
    min_age: int | None = Field(default=None, ge=0, description="Applies only from this age (completed years).")
    under_months: int | None = Field(
        default=None,
        ge=1,
        description="Applies only to a patient younger than this many months (NICE NG143: under 3 months); "
        "the age must be known — a child of unstated age does not satisfy it.",
    )
    pregnant: bool | None = Field(
        default=None,
        description="True: applies only to a patient known to be pregnant (patient.pregnant or the text, "
        "as the patient facts read it); unset: to anyone.",
    )

    @model_validator(mode="after")
    def _min_groups_fit(self) -> RedFlagRule:
        if self.min_groups is not None and self.min_groups > len(self.all_of):
            raise ValueError(f"min_groups {self.min_groups} is more than the {len(self.all_of)} groups of all_of")
        return self


class FollowUpQuestion(_Entry):
    """A question asked when the evidence a differentiation needs was not described."""

    id: str = Field(pattern=r"^question\.[a-z0-9_]+$")
    question: str = Field(min_length=2)
    diseases: list[str] = Field(default_factory=list, description="Disease ids; empty means every disease.")
    replaces: list[str] = Field(
        default_factory=list, description="Question ids this one stands in for, for the diseases it names."
    )
    when_missing: list[str] = Field(
        default_factory=list, description="Sign categories; asked when none of them is among the signs."
    )
    when_no_images: bool = Field(default=False, description="Asked when the case has no image.")
    case_field: str = Field(default="", description="Case field that, when filled but unread, changes the question.")
    question_if_field_filled: str = ""


class StageCondition(BaseModel):
    """One stage and the terms that place a case in it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage
    when_any: list[str] = Field(min_length=1, description="Lexicon term ids; any one present gives this stage.")


class StagingRule(_Entry):
    """How one disease is staged from course signs: the first stage whose terms are present wins."""

    id: str = Field(pattern=r"^staging\.[a-z0-9_]+$")
    disease: str
    stages: list[StageCondition] = Field(min_length=1)


class Threshold(_Entry):
    """A clinical threshold or calibration constant read by the code that applies it."""

    id: str = Field(pattern=r"^threshold\.[a-z0-9_]+$")
    value: float
    unit: str = ""
    note: str = ""


class SyndromeElementEntry(_Entry):
    """A syndrome element (证素): a location (病位) or nature (病性), with the words that name it in a syndrome."""

    id: str = Field(pattern=r"^element\.[a-z0-9_]+$")
    name: str = Field(min_length=1, description="e.g. 血热, 湿, 肝经.")
    kind: Literal["病位", "病性"]
    names: list[str] = Field(min_length=1, description="Forms inside syndrome names that state it (血热, 营血热 …).")
    principle: str = Field(default="", description="The treatment principle (治法) for this element, e.g. 凉血.")
    signs: list[WeightedSign] = Field(
        default_factory=list, description="Signs that state the element in a case (证素辨证), with weights."
    )

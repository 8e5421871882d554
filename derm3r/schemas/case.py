"""The Case: what a clinician knows about one patient visit (DESIGN.md, interchange formats)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

ImageView = Literal["closeup", "regional", "overview", "tongue", "dermoscopy"]

MAX_TEXT_CHARS = 20_000
MAX_IMAGES = 24


def _not_a_bool(value: Any) -> Any:
    # pydantic's lax mode reads true as 1: "age": true would be a one-year-old. JSON booleans are not numbers.
    if isinstance(value, bool):
        raise ValueError(f"expected a number, got the boolean {str(value).lower()}")
    return value


#: A float or an int that refuses booleans (every other lax conversion stays, e.g. 35 → 35.0).
Number = Annotated[float, BeforeValidator(_not_a_bool)]
WholeNumber = Annotated[int, BeforeValidator(_not_a_bool)]


class Patient(BaseModel):
    """Who the patient is, as far as dosing and safety need to know."""

    model_config = ConfigDict(extra="forbid")

    sex: Literal["F", "M", "U"] | None = None
    age: Number | None = Field(default=None, ge=0, le=130, description="Age in years.")
    pregnant: bool | None = None
    breastfeeding: bool | None = None
    allergies: list[str] = Field(default_factory=list)


class Visit(BaseModel):
    """Date and ordinal of the visit."""

    model_config = ConfigDict(extra="forbid")

    date: str | None = None
    number: WholeNumber | None = Field(default=None, ge=1)


class ImageRef(BaseModel):
    """A photograph attached to the case; the path is relative to the case file."""

    model_config = ConfigDict(extra="forbid")

    path: str = Field(min_length=1, max_length=4096)
    view: ImageView = "closeup"
    site: str | None = None

    @field_validator("path")
    @classmethod
    def _no_control_characters(cls, value: str) -> str:
        if any(ord(character) < 32 or ord(character) == 127 for character in value):
            raise ValueError("must not contain control characters (a NUL or a newline is never part of a file name)")
        return value


class PreviousHerb(BaseModel):
    """A herb of an earlier prescription."""

    model_config = ConfigDict(extra="allow")

    name: str
    #: The same bound as a plan's herbs (schemas.plan.HerbDose): beyond it the number is an input error.
    dose_g: Number | None = Field(default=None, gt=0, le=500, description="Grams per day.")


class PreviousPlan(BaseModel):
    """What was prescribed at an earlier visit."""

    model_config = ConfigDict(extra="allow")

    formula: str | dict[str, object] | None = None
    herbs: list[PreviousHerb] = Field(default_factory=list)


class PreviousVisit(BaseModel):
    """An earlier visit of the same patient (oldest first in Case.previous_visits)."""

    model_config = ConfigDict(extra="allow")

    visit: Visit = Field(default_factory=Visit)
    summary: str = Field(default="", max_length=MAX_TEXT_CHARS)
    syndrome: str = ""
    plan: PreviousPlan | None = None
    response: str = Field(default="", max_length=MAX_TEXT_CHARS)


class Case(BaseModel):
    """One consultation request. Only ``case_id`` is required; free text alone must work."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    case_id: str = Field(min_length=1, max_length=200)
    patient: Patient = Field(default_factory=Patient)
    visit: Visit = Field(default_factory=Visit)
    chief_complaint: str = Field(default="", max_length=MAX_TEXT_CHARS)
    history: str = Field(default="", max_length=MAX_TEXT_CHARS)
    lesion_description: str = Field(default="", max_length=MAX_TEXT_CHARS)
    symptoms: str = Field(default="", max_length=MAX_TEXT_CHARS)
    tongue: str = Field(default="", max_length=2_000)
    pulse: str = Field(default="", max_length=2_000)
    images: list[ImageRef] = Field(default_factory=list, max_length=MAX_IMAGES)
    previous_visits: list[PreviousVisit] = Field(default_factory=list, max_length=50)

    def text_fields(self) -> dict[str, str]:
        """Return the free-text fields that carry clinical findings, by field name."""
        return {
            "chief_complaint": self.chief_complaint,
            "history": self.history,
            "lesion_description": self.lesion_description,
            "symptoms": self.symptoms,
            "tongue": self.tongue,
            "pulse": self.pulse,
        }

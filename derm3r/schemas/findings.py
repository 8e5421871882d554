"""Outputs of DERM-Rec (per image or text) and DERM-Rep (patient level)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Stage = Literal["进行期", "静止期", "退行期", "未定"]
SeverityBand = Literal["轻度", "中度", "重度", "未定"]


class Sign(BaseModel):
    """A clinical sign found in the case, with where it was found."""

    model_config = ConfigDict(extra="forbid")

    term: str = Field(description="Knowledge-base lexicon id, e.g. color.bright_red.")
    label: str = Field(description="Canonical Chinese label.")
    category: str
    source: str = Field(description="Where it was found: a case field name or image:<path>.")
    evidence: str = Field(default="", description="The words or measurement it was read from.")


class ImageQualityFacts(BaseModel):
    """Basic decoded facts and quality of one image."""

    model_config = ConfigDict(extra="forbid")

    path: str
    view: str
    width: int = 0
    height: int = 0
    quality_score: float = Field(default=0.0, ge=0, le=1)
    usable: bool = False
    reasons: list[str] = Field(default_factory=list)


class LesionOutline(BaseModel):
    """Where one lesion lies in a photograph, in the upright image's pixel coordinates (x right, y down)."""

    model_config = ConfigDict(extra="forbid")

    bbox: tuple[int, int, int, int] = Field(description="x0, y0, x1, y1 (x1, y1 exclusive).")
    polygon: list[tuple[int, int]] = Field(
        default_factory=list, description="Convex outline of the lesion, (x, y) vertices in drawing order."
    )
    area_fraction: float = Field(ge=0, le=1, description="This lesion's pixels over all pixels.")


class Measurement(BaseModel):
    """One number (or class) an image analysis measured, with how far to trust it."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(description="area_percent, lesion_count, erythema_index, pasi_erythema, tongue_body …")
    value: int | float | str | None = Field(description="The measurement; None when it cannot be measured.")
    unit: str = Field(default="", description="%, ΔL*a*b*, PASI 0-4 …; empty for counts and classes.")
    confidence: float | None = Field(default=None, ge=0, le=1)
    note: str = Field(default="", description="How it was measured, or why it is missing.")


class ImageMeasurements(BaseModel):
    """Everything measured on one photograph, with the lesions' outlines to draw on it."""

    model_config = ConfigDict(extra="forbid")

    image_size: tuple[int, int] = Field(description="(width, height) of the upright photo the outlines refer to.")
    items: list[Measurement] = Field(default_factory=list)
    outlines: list[LesionOutline] = Field(default_factory=list, description="Largest lesions first.")

    def get(self, name: str) -> Measurement | None:
        """The measurement called ``name``, if measured."""
        return next((item for item in self.items if item.name == name), None)


class LesionFindings(BaseModel):
    """DERM-Rec output: what one source (an image, or the case text) shows."""

    model_config = ConfigDict(extra="forbid")

    source: str = Field(description="'text' or 'image:<path>'.")
    view: str | None = None
    site: str | None = None
    morphology: list[str] = Field(default_factory=list, description="斑块, 丘疹, 脓疱 …")
    color: list[str] = Field(default_factory=list, description="鲜红, 淡红, 暗红, 紫暗.")
    scale: list[str] = Field(default_factory=list)
    border: list[str] = Field(default_factory=list)
    distribution: list[str] = Field(default_factory=list)
    sites: list[str] = Field(default_factory=list)
    itch: list[str] = Field(default_factory=list)
    description: str = Field(default="", description="A Chinese sentence describing the lesions.")
    signs: list[Sign] = Field(default_factory=list, description="Every sign found, with provenance.")
    negated: list[Sign] = Field(default_factory=list, description="Signs explicitly denied (无/否认 …).")
    past: list[Sign] = Field(
        default_factory=list,
        description="Signs stated as past or resolved (既往, 好转, 已愈 …): shown with their words, not counted now.",
    )
    quality: ImageQualityFacts | None = None
    measurements: ImageMeasurements | None = Field(
        default=None, description="What the image analysis measured (images analysed offline only)."
    )


class LesionRepresentation(BaseModel):
    """DERM-Rep output: the patient-level lesion picture and its TCM pathogenesis."""

    model_config = ConfigDict(extra="forbid")

    summary: str = Field(description="Patient-level lesion description in Chinese.")
    stage: Stage = "未定"
    severity: SeverityBand = "未定"
    pathogenesis: str = Field(default="", description="TCM pathogenesis (病机) suggested by the lesions.")
    pathogenesis_source: str | None = Field(default=None, description="Knowledge id the pathogenesis came from.")
    signs: list[Sign] = Field(default_factory=list, description="Merged signs of all sources.")
    negated: list[Sign] = Field(default_factory=list)
    past: list[Sign] = Field(
        default_factory=list, description="The text's past or resolved signs: history for a relapse, not signs now."
    )
    images_used: list[str] = Field(default_factory=list)
    images_excluded: list[str] = Field(default_factory=list, description="Unusable images, with the reason.")
    change_since_last_visit: str = ""
    conflicts: list[str] = Field(default_factory=list, description="Where sources disagree.")

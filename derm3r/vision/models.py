"""Result models of the offline image side (pydantic v2)."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from derm3r.schemas.findings import LesionOutline

View = Literal["closeup", "regional", "overview", "tongue", "dermoscopy"]
VIEWS: tuple[str, ...] = ("closeup", "regional", "overview", "tongue", "dermoscopy")
ColorClass = Literal["鲜红", "淡红", "暗红", "紫暗"]
ScaleBand = Literal["none", "thin", "thick"]
TongueBody = Literal["淡白", "淡红", "红", "绛", "紫暗"]
CoatColor = Literal["白", "黄", "灰黑"]
CoatThickness = Literal["薄", "厚"]


class ImageInfo(BaseModel):
    """What intake learned about a file: sizes, format and what it had to change."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    path: str
    format: str = Field(description="Decoder format name: JPEG, PNG, WEBP or TIFF.")
    original_size: tuple[int, int] = Field(description="(width, height) upright, before downscaling.")
    working_size: tuple[int, int] = Field(description="(width, height) of the array handed to analysis.")
    file_bytes: int = 0
    exif_rotated: bool = False
    downscaled: bool = False
    had_alpha: bool = False
    mode_converted_from: str | None = Field(
        default=None, description="Original PIL mode when it was not 8-bit RGB (e.g. CMYK, L, I;16)."
    )


class LoadedImage(ImageInfo):
    """A decoded image ready for analysis: 8-bit RGB pixels plus the intake facts."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    rgb: np.ndarray = Field(exclude=True, repr=False, description="HxWx3 uint8 sRGB pixels.")

    def info(self) -> ImageInfo:
        """The intake facts without the pixels."""
        return ImageInfo.model_validate(self.model_dump())


class ImageQuality(BaseModel):
    """Technical quality of one image and whether it is fit for colour analysis."""

    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=0, le=1, description="Overall quality, 1 = no problem found.")
    usable: bool
    reasons: list[str] = Field(
        default_factory=list, description="Problems, Chinese with English in brackets."
    )
    width: int
    height: int
    sharpness: float = Field(
        description="Noise-corrected Laplacian variance of grey levels at the standard 512 px scale."
    )
    noise_sigma: float = Field(description="Estimated additive noise, grey levels.")
    mean_luminance: float = Field(description="Mean luma 0-255.")
    highlight_clipped: float = Field(description="Fraction of pixels with a saturated channel.")
    shadow_clipped: float = Field(description="Fraction of pixels with luma at or below 8.")
    mean_a: float
    mean_b: float
    skin_fraction: float = Field(description="Fraction of pixels with skin-like chromaticity.")
    blurred: bool = False
    overexposed: bool = False
    underexposed: bool = False
    low_resolution: bool = False
    color_cast: bool = False
    noisy: bool = False
    little_skin: bool = False


class LabColor(BaseModel):
    """A CIELAB (D65) colour."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    L: float
    a: float
    b: float


class LesionType(BaseModel):
    """One lesion type seen in a photo (色素脱失, 风团, 水疱 …) and how sure the analysis is."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(
        description="depigmentation, hyperpigmentation, wheal, vesicle, pustule, crust, lichenification, "
        "comedone, erosion, silvery_scale."
    )
    label: str = Field(description="The Chinese term.")
    confidence: float = Field(ge=0, le=1)
    uncertain: bool = Field(description="Confidence below the reporting threshold: the clinician's text wins.")
    evidence: str = ""


class LesionImageFindings(BaseModel):
    """Lesion measurements from one skin image, relative to the surrounding skin."""

    model_config = ConfigDict(extra="forbid")

    lesion_found: bool
    area_fraction: float = Field(ge=0, le=1, description="Lesion pixels over all pixels.")
    lesion_count: int = Field(ge=0)
    color_class: ColorClass | None = None
    color_confidence: float = Field(default=0.0, ge=0, le=1)
    reference_skin: LabColor | None = Field(default=None, description="Robust median of surrounding skin.")
    lesion_color: LabColor | None = Field(default=None, description="Median of unscaled lesion pixels.")
    delta_L: float | None = None
    delta_a: float | None = None
    delta_b: float | None = None
    hue_deg: float | None = Field(default=None, description="Hue angle of the lesion, 0 red, 90 yellow.")
    scale_present: bool = False
    scale_thickness: ScaleBand = "none"
    scale_coverage: float = Field(
        default=0.0, ge=0, le=1, description="Share of the lesion interior covered by scale."
    )
    border_compactness: float | None = Field(
        default=None, description="Area-weighted perimeter^2/(4*pi*area); about 1 for a disc."
    )
    border_regular: bool | None = None
    pasi_erythema: float | None = Field(default=None, ge=0, le=4)
    pasi_erythema_uncertainty: float | None = None
    pasi_scale: float | None = Field(default=None, ge=0, le=4)
    pasi_scale_uncertainty: float | None = None
    lesion_types: list[LesionType] = Field(default_factory=list, description="Most confident first.")
    outlines: list[LesionOutline] = Field(
        default_factory=list, description="Largest lesions first, in the analysed array's pixel coordinates."
    )
    notes: list[str] = Field(default_factory=list)


class TongueImageFindings(BaseModel):
    """Tongue body and coating read from a tongue photograph."""

    model_config = ConfigDict(extra="forbid")

    body_color: TongueBody
    body_lab: LabColor
    body_confidence: float = Field(default=0.0, ge=0, le=1, description="Posterior of the body colour class.")
    coat_color: CoatColor | None = Field(default=None, description="None when no coating was found.")
    coat_confidence: float = Field(default=0.0, ge=0, le=1, description="Posterior of the coat colour class.")
    coat_lab: LabColor | None = None
    coat_thickness: CoatThickness | None = None
    coat_greasy: bool = False
    coat_coverage: float = Field(default=0.0, ge=0, le=1, description="Mean coat opacity over the tongue.")
    coat_uniformity: float = Field(default=0.0, ge=0, le=1, description="1 = evenly spread coat.")
    tongue_fraction: float = Field(default=0.0, ge=0, le=1, description="Share of the frame segmented as tongue.")
    fissure_index: float = Field(default=0.0, ge=0, description="Share of the inner tongue in thin dark lines.")
    fissured: bool = False
    fissure_confidence: float = Field(default=0.0, ge=0, le=1)
    tooth_mark_index: float = Field(default=0.0, ge=0, description="Lateral-edge waviness over tongue width.")
    tooth_marked: bool = False
    tooth_mark_confidence: float = Field(default=0.0, ge=0, le=1)
    peeled_share: float = Field(default=0.0, ge=0, le=1, description="Largest bare island inside the coat.")
    peeled: bool = False
    peeled_confidence: float = Field(default=0.0, ge=0, le=1)
    confidence: float = Field(default=0.0, ge=0, le=1)
    summary_zh: str = Field(default="", description="E.g. 舌红，苔薄黄.")
    notes: list[str] = Field(default_factory=list)


class ImageAnalysis(BaseModel):
    """Everything the offline image side says about one image."""

    model_config = ConfigDict(extra="forbid")

    path: str
    view: View
    image: ImageInfo
    quality: ImageQuality
    analyzed: bool
    skipped_reason: str | None = None
    lesions: LesionImageFindings | None = None
    tongue: TongueImageFindings | None = None

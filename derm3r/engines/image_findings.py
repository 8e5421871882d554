"""Map the classical image analysis (derm3r.vision) onto DERM-Rec's findings and lexicon signs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from derm3r.engines.base import ImageInput
from derm3r.errors import CaseInputError
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.findings import ImageQualityFacts, LesionFindings, Sign

if TYPE_CHECKING:  # vision (numpy, Pillow) is loaded on the first image, not with the engine
    from derm3r.vision.models import ImageAnalysis, LesionImageFindings, TongueImageFindings

_LESION_COLOUR_TERMS = {
    "鲜红": "color.bright_red",
    "淡红": "color.pale_red",
    "暗红": "color.dark_red",
    "紫暗": "color.purple_dark",
}
_LESION_TYPE_TERMS = {
    "depigmentation": "morphology.depigmentation",
    "hyperpigmentation": "morphology.hyperpigmentation",
    "wheal": "morphology.wheal",
    "vesicle": "morphology.vesicle",
    "pustule": "morphology.pustule",
    "crust": "morphology.crust",
    "lichenification": "morphology.lichenification",
    "comedone": "morphology.comedone",
    "erosion": "morphology.erosion",
    "silvery_scale": "scale.silvery",
}
_TONGUE_BODY_TERMS = {
    "淡白": "tongue.pale",
    "淡红": "tongue.pale_red",
    "红": "tongue.red",
    "绛": "tongue.crimson",
    "紫暗": "tongue.dark",
}
_COAT_COLOUR_TERMS = {"白": "tongue.coat_white", "黄": "tongue.coat_yellow"}
#: One lesion covering more than this share of a closeup is described as a plaque rather than papules.
PLAQUE_AREA_PER_LESION = 0.01


def findings_from_image(kb: KnowledgeBase, image: ImageInput) -> LesionFindings:
    """Analyse one image and express what it shows as lexicon signs.

    Args:
        kb: The knowledge base (labels and categories of the terms).
        image: The image reference and the case folder.

    Returns:
        Findings with quality facts; no signs when the image is unusable.

    Raises:
        CaseInputError: When the file is missing, unreadable, not an image or outside the case folder.
    """
    from derm3r.vision.analyze import analyze_image
    from derm3r.vision.errors import ImageInputError
    from derm3r.vision.measurements import measurements_from_analysis

    try:
        analysis = analyze_image(
            image.ref.path, image.ref.view, base_dir=image.base_dir, allow_outside=image.allow_outside
        )
    except ImageInputError as error:
        raise CaseInputError(f"field 'images' ({image.ref.path}): {error}") from None
    quality = _quality_facts(image, analysis)
    findings = LesionFindings(
        source=f"image:{image.ref.path}",
        view=image.ref.view,
        site=image.ref.site,
        quality=quality,
        measurements=measurements_from_analysis(analysis),
    )
    if not quality.usable:
        return findings
    terms: list[tuple[str, str]] = []
    if analysis.tongue is not None:
        terms = _tongue_terms(analysis.tongue)
        findings.description = analysis.tongue.summary_zh
    elif analysis.lesions is not None and analysis.lesions.lesion_found:
        terms = _lesion_terms(analysis.lesions)
    _add_signs(kb, findings, terms)
    if not findings.description:
        findings.description = "，".join(sign.label for sign in findings.signs) or "未见明确皮损"
    return findings


def _quality_facts(image: ImageInput, analysis: ImageAnalysis) -> ImageQualityFacts:
    return ImageQualityFacts(
        path=image.ref.path,
        view=image.ref.view,
        width=analysis.image.working_size[0],
        height=analysis.image.working_size[1],
        quality_score=analysis.quality.score,
        usable=analysis.quality.usable and analysis.analyzed,
        # The skipped reason repeats the quality reasons; it is kept only when there are none.
        reasons=list(analysis.quality.reasons) or ([analysis.skipped_reason] if analysis.skipped_reason else []),
    )


def _tongue_terms(tongue: TongueImageFindings) -> list[tuple[str, str]]:
    """The tongue photo's lexicon terms, each with the measurement it was read from."""
    terms = [(_TONGUE_BODY_TERMS[tongue.body_color], f"舌体颜色{tongue.body_color}")]
    if tongue.coat_color in _COAT_COLOUR_TERMS:  # 灰黑 has no lexicon term yet: measurement only
        terms.append((_COAT_COLOUR_TERMS[tongue.coat_color], f"苔色{tongue.coat_color}"))
    if tongue.coat_thickness == "薄":
        terms.append(("tongue.coat_thin", "苔薄"))
    if tongue.coat_greasy:
        terms.append(("tongue.coat_greasy", "苔腻"))
    return terms


def _lesion_terms(lesions: LesionImageFindings) -> list[tuple[str, str]]:
    """The skin photo's lexicon terms (shape, colour, scale, border, lesion types), each with its measurement."""
    # Confident lesion types only; uncertain ones stay in the measurements and the text decides.
    types = [
        (_LESION_TYPE_TERMS[kind.name], f"{kind.label} (置信度 {kind.confidence:.2f}): {kind.evidence}")
        for kind in lesions.lesion_types
        if not kind.uncertain and kind.name in _LESION_TYPE_TERMS
    ]
    if lesions.lesion_count == 0:
        return types  # a white or pigmented patch without an erythematous lesion
    per_lesion = lesions.area_fraction / max(1, lesions.lesion_count)
    shape = "morphology.plaque" if per_lesion >= PLAQUE_AREA_PER_LESION else "morphology.papule"
    terms = [(shape, f"{lesions.lesion_count}处皮损，面积占比{lesions.area_fraction:.0%}")]
    if lesions.color_class:
        terms.append((_LESION_COLOUR_TERMS[lesions.color_class], f"Δa*={lesions.delta_a or 0:.1f}"))
    if lesions.scale_present:
        terms.append(("scale.present", f"鳞屑覆盖{lesions.scale_coverage:.0%}"))
        if lesions.scale_thickness == "thick":
            terms.append(("scale.thick", "鳞屑厚"))
        elif lesions.scale_thickness == "thin":
            terms.append(("scale.thin", "鳞屑薄"))
    if lesions.border_regular is False:
        terms.append(("border.irregular", "边缘不规则"))
    return terms + types


def _add_signs(kb: KnowledgeBase, findings: LesionFindings, terms: list[tuple[str, str]]) -> None:
    """Append each term as a sign of the image, and its label to the findings' field of its category."""
    by_category = {
        "color": findings.color,
        "scale": findings.scale,
        "morphology": findings.morphology,
        "border": findings.border,
    }
    for term_id, evidence in terms:
        term = kb.terms[term_id]
        findings.signs.append(
            Sign(term=term_id, label=term.label, category=term.category, source=findings.source, evidence=evidence)
        )
        if term.category in by_category:
            by_category[term.category].append(term.label)

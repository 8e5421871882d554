"""Ground what Rec and Rep models wrote in the knowledge base's lexicon.

A model answers in words (RecOutput, RepOutput). The signs the graph routes on, the safety check and
the evidence panel need lexicon ids with provenance, so they are read here from the model's own words
with the same negation-aware matcher the knowledge engine uses, never taken from the model. Image
quality comes from the deterministic quality gate, so the multi-view fusion weighs an LLM's image
findings exactly as it weighs the classical analysis.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from derm3r.clinic.fusion import fuse_findings
from derm3r.kb.loader import KnowledgeBase
from derm3r.llm.schemas import RecOutput, RepOutput
from derm3r.schemas.findings import ImageQualityFacts, LesionFindings, LesionRepresentation
from derm3r.text.signs import extract_signs, lexicon_matcher

if TYPE_CHECKING:
    import numpy as np

_REC_LISTS = ("morphology", "color", "scale", "border", "distribution", "sites", "itch")


def ground_findings(
    kb: KnowledgeBase,
    output: RecOutput,
    source: str,
    *,
    view: str | None = None,
    site: str | None = None,
    quality: ImageQualityFacts | None = None,
) -> LesionFindings:
    """Turn Rec's answer into findings whose signs are read from its words.

    Args:
        kb: The knowledge base (lexicon).
        output: The model's validated answer.
        source: ``text`` or ``image:<path>``.
        view: The image's view, when the source is an image.
        site: The image's body site, when given.
        quality: The image's quality facts (None for the text source).

    Returns:
        The findings, with present and denied signs attributed to ``source``.
    """
    fields = {f"{source}.{name}": "，".join(getattr(output, name)) for name in _REC_LISTS}
    fields[f"{source}.description"] = output.description
    extracted = extract_signs(kb, lexicon_matcher(kb), fields)
    return LesionFindings(
        source=source,
        view=view,
        site=site,
        **output.model_dump(),
        signs=extracted.present,
        negated=extracted.negated,
        quality=quality,
    )


def ground_representation(
    kb: KnowledgeBase, output: RepOutput, findings: list[LesionFindings]
) -> LesionRepresentation:
    """Turn Rep's answer into the patient-level representation, with signs fused from every source.

    The signs are those of Rec's findings fused across views (text first, images by quality × view),
    plus those written in Rep's own summary; a sign Rep denies is dropped only when no source states it.

    Args:
        kb: The knowledge base (lexicon).
        output: The model's validated answer.
        findings: Rec's findings the answer was written from.

    Returns:
        The representation with grounded signs and the images used or excluded.
    """
    fused = fuse_findings(findings)
    extracted = extract_signs(kb, lexicon_matcher(kb), {"representation.summary": output.summary})
    signs = {sign.term: sign for sign in fused.signs}
    for sign in extracted.present:
        signs.setdefault(sign.term, sign)
    negated = {sign.term: sign for sign in [*fused.negated, *extracted.negated] if sign.term not in signs}
    return LesionRepresentation(
        **output.model_dump(exclude={"conflicts"}),
        signs=list(signs.values()),
        negated=list(negated.values()),
        images_used=fused.images_used,
        images_excluded=fused.images_excluded,
        conflicts=list(dict.fromkeys([*fused.conflicts, *output.conflicts])),
    )


def image_quality(rgb: np.ndarray, path: str, view: str) -> ImageQualityFacts:
    """Judge an image with the deterministic quality gate, as the classical analysis does.

    Args:
        rgb: The decoded image (HxWx3 uint8).
        path: The image path as the case gives it.
        view: Its view; tongue photographs need no skin in view.

    Returns:
        The quality facts the fusion weighs the image by.
    """
    from derm3r.vision.quality import assess_quality

    quality = assess_quality(rgb, require_skin=view != "tongue")
    height, width = rgb.shape[:2]
    return ImageQualityFacts(
        path=path,
        view=view,
        width=int(width),
        height=int(height),
        quality_score=quality.score,
        usable=quality.usable,
        reasons=list(quality.reasons),
    )

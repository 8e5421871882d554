"""Multi-view fusion: merge text findings and per-image findings into one set of signs.

The clinician's text outranks classical image analysis. Images are weighted by their quality score
and by how much of a lesion their view shows (a closeup or dermoscopy sees colour and scale best, an
overview least). For mutually exclusive descriptors (lesion colour, scale thickness, tongue body
colour, coat colour) the images vote with those weights; the winner is added only when the text is
silent on that descriptor, and a disagreement with the text, or between images, is reported.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from derm3r.schemas.findings import LesionFindings, Sign

VIEW_WEIGHTS = {"closeup": 1.0, "dermoscopy": 1.0, "tongue": 1.0, "regional": 0.7, "overview": 0.4}
#: A non-exclusive image sign (e.g. 斑块) needs at least this summed weight to count.
MIN_SIGN_WEIGHT = 0.5
#: Images disagree when the runner-up of a vote keeps this share of the winner's weight.
DISAGREEMENT_SHARE = 0.5
EXCLUSIVE_GROUPS: dict[str, tuple[str, ...]] = {
    "皮损颜色": ("color.bright_red", "color.pale_red", "color.dark_red", "color.purple_dark"),
    "鳞屑厚薄": ("scale.thick", "scale.thin"),
    "舌质": ("tongue.pale", "tongue.pale_red", "tongue.red", "tongue.crimson", "tongue.dark"),
    "苔色": ("tongue.coat_white", "tongue.coat_yellow"),
}


@dataclass
class FusedSigns:
    """The merged picture of all sources."""

    signs: list[Sign] = field(default_factory=list)
    negated: list[Sign] = field(default_factory=list)
    images_used: list[str] = field(default_factory=list)
    images_excluded: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)


def image_weight(finding: LesionFindings) -> float:
    """Return how much an image's findings count: quality score × view weight (0 when unusable)."""
    if finding.quality is None or not finding.quality.usable:
        return 0.0
    return finding.quality.quality_score * VIEW_WEIGHTS.get(finding.view or "", 0.5)


def fuse_findings(findings: list[LesionFindings]) -> FusedSigns:
    """Merge text and image findings.

    Args:
        findings: Rec's findings: the text source and one per image.

    Returns:
        Merged signs, denied signs, which images were used or excluded (with the reason), and conflicts.
    """
    fused = FusedSigns()
    merged: dict[str, Sign] = {}
    negated: dict[str, Sign] = {}
    for finding in findings:
        if finding.source != "text":
            continue
        for sign in finding.signs:
            merged.setdefault(sign.term, sign)
        for sign in finding.negated:
            negated.setdefault(sign.term, sign)
    text_terms = set(merged)

    votes: dict[str, float] = defaultdict(float)
    examples: dict[str, Sign] = {}
    for finding in findings:
        if finding.source == "text":
            continue
        path = finding.quality.path if finding.quality else finding.source
        weight = image_weight(finding)
        if weight <= 0:
            reasons = "；".join(finding.quality.reasons) if finding.quality else ""
            fused.images_excluded.append(f"{path}: {reasons or '不可用'}")
            continue
        fused.images_used.append(path)
        for sign in finding.signs:
            votes[sign.term] += weight
            examples.setdefault(sign.term, sign)

    exclusive_terms = {term for group in EXCLUSIVE_GROUPS.values() for term in group}
    for name, group in EXCLUSIVE_GROUPS.items():
        ranked = sorted((term for term in group if votes.get(term)), key=lambda t: votes[t], reverse=True)
        if not ranked:
            continue
        winner = ranked[0]
        if len(ranked) > 1 and votes[ranked[1]] >= DISAGREEMENT_SHARE * votes[winner]:
            fused.conflicts.append(
                f"各图像{name}不一致：" + "、".join(f"{examples[t].label}({votes[t]:.2f})" for t in ranked)
            )
        stated = [merged[t].label for t in group if t in text_terms]
        if stated:
            if winner not in text_terms:
                fused.conflicts.append(
                    f"图像所见{name}（{examples[winner].label}）与文字描述（{'、'.join(stated)}）不一致，以文字为准"
                )
            continue
        if votes[winner] >= MIN_SIGN_WEIGHT:
            merged[winner] = examples[winner]
    for term, weight in votes.items():
        if term not in exclusive_terms and term not in merged and weight >= MIN_SIGN_WEIGHT:
            merged[term] = examples[term]

    fused.signs = list(merged.values())
    fused.negated = [sign for term, sign in negated.items() if term not in merged]
    return fused

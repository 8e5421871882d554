"""Dose and preparation rules: ceilings of every toxic grade, age scaling, 入丸散/外用/先煎.

The Pharmacopoeia's range is a limit, not a suggestion: a dose above it is cut to the ceiling for
every herb, whatever its toxicity grade (细辛 9 g → 3 g, 苦杏仁 20 g → 10 g); a herb with no
internal dose (外用 only, or a raw form used internally only after processing) or one that is
taken only in pills and powders (入丸散，不入煎剂) is taken out of the decoction and named.
"""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.models import Herb
from derm3r.schemas.plan import HerbDose
from derm3r.schemas.safety import SafetyFinding, Severity

PHARMACOPOEIA = "《中华人民共和国药典》2020年版 一部"
TOXIC_GRADES = ("low", "moderate", "high")
GRADE_LABELS = {"none": "无毒", "low": "有小毒", "moderate": "有毒", "high": "有大毒"}
#: A ceiling this small is the knowledge base's way of saying "no internal dose" (不作内服).
NO_INTERNAL_DOSE_G = 0.01


def no_internal_dose(entry: Herb) -> bool:
    """Whether a herb has no dose by mouth at all (外用 only, or only after processing)."""
    return entry.internal_use == "none" or entry.dose_max_g <= NO_INTERNAL_DOSE_G


def check_preparation(kb: KnowledgeBase, herbs: list[HerbDose]) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Take out of a decoction what may not be decocted or swallowed; note special decoction methods.

    Args:
        kb: The knowledge base.
        herbs: Resolved herbs of a decoction (the plan's herbs are boiled together).

    Returns:
        The herbs that may stay and one finding per removal or note.
    """
    kept: list[HerbDose] = []
    findings: list[SafetyFinding] = []
    for herb in herbs:
        entry = kb.herbs[herb.herb_id or ""]
        if no_internal_dose(entry):
            findings.append(
                _herb_finding(
                    entry,
                    "blocking",
                    "external_only",
                    f"{entry.name}不作内服（外用或须炮制后方可内服），无安全内服剂量（not for internal use）",
                    f"已从内服方中移除{entry.name}；如需外用请另开外治方",
                )
            )
            continue
        if entry.internal_use == "pills_powders":
            findings.append(
                _herb_finding(
                    entry,
                    "blocking",
                    "not_in_decoction",
                    f"{entry.name}入丸散用，不入煎剂（pills and powders only, never decocted）",
                    f"已从汤剂中移除{entry.name}；如确需使用，由医师另开丸散并核对每次量",
                )
            )
            continue
        if entry.decoction_method and entry.decoction_method not in herb.note:
            herb.note = "；".join(part for part in (herb.note, entry.decoction_method) if part)
            findings.append(
                _herb_finding(
                    entry,
                    "info",
                    "decoction_method",
                    f"{entry.name}宜{entry.decoction_method}（decoction instruction）",
                    f"已在{entry.name}下注明“{entry.decoction_method}”",
                )
            )
        kept.append(herb)
    return kept, findings


def _herb_finding(entry: Herb, severity: Severity, kind: str, message: str, action: str = "") -> SafetyFinding:
    """One herb's finding: rule ``herb.<kind>.<herb id>``, the herb's monograph as its source."""
    # Every herb entry names its source (kb/models.py requires one); the Pharmacopoeia stands in for a hand-built one.
    return SafetyFinding(
        severity=severity,
        rule_id=f"herb.{kind}.{entry.id}",
        message=message,
        source=entry.source or PHARMACOPOEIA,
        herbs=[entry.name],
        action=action,
    )


def check_doses(kb: KnowledgeBase, herbs: list[HerbDose], factor: float = 1.0) -> list[SafetyFinding]:
    """Cut every dose above the Pharmacopoeia ceiling down to it, whatever the herb's toxicity grade.

    Args:
        kb: The knowledge base.
        herbs: Resolved herbs (modified in place when a dose is corrected).
        factor: Age scaling already applied (the ceiling scales with it).

    Returns:
        Findings: blocking corrections for toxic herbs, warning corrections for the others, and a
        warning that names the grade of every toxic herb kept within its range.
    """
    findings = []
    for herb in herbs:
        entry = kb.herbs[herb.herb_id or ""]
        toxic = entry.toxicity in TOXIC_GRADES
        ceiling = round(entry.dose_max_g * factor, 3)
        grade = GRADE_LABELS[entry.toxicity]
        if herb.dose_g <= ceiling:
            if toxic:
                message = f"{entry.name}{grade}，用量{herb.dose_g:g}g在限量内；{entry.notes}".rstrip("；")
                findings.append(_herb_finding(entry, "warning", "toxic", message))
            continue
        message = (
            f"{entry.name}（{grade}）{herb.dose_g:g}g超过药典用量上限{ceiling:g}g"
            f"（常用{entry.dose_min_g:g}～{entry.dose_max_g:g}g；dose above ceiling）"
        )
        findings.append(
            _herb_finding(entry, "blocking" if toxic else "warning", "dose_ceiling", message, f"已减至{ceiling:g}g")
        )
        herb.dose_g = ceiling
    return findings


def age_factor(kb: KnowledgeBase, age: float | None) -> tuple[float, str, str]:
    """Return the dose factor for an age, with the rule id and its source ("" when none applies)."""
    if age is None:
        return 1.0, "", ""
    completed_years = int(age)  # the rules' bands are in completed years, both bounds inclusive
    for rule in sorted(kb.dose_rules.values(), key=lambda r: r.max_age if r.max_age is not None else 999):
        low = rule.min_age if rule.min_age is not None else -1
        high = rule.max_age if rule.max_age is not None else 999
        if low <= completed_years <= high:
            return rule.factor, rule.id, rule.source
    return 1.0, "", ""

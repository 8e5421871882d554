"""Checks of a prescription against the materia medica: unknown herbs, duplicates, pairs, pregnancy."""

from __future__ import annotations

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.case import Patient
from derm3r.schemas.plan import HerbDose
from derm3r.schemas.safety import SafetyFinding

PHARMACOPOEIA = "《中华人民共和国药典》2020年版 一部"


def resolve_herbs(kb: KnowledgeBase, herbs: list[HerbDose]) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Resolve names to knowledge-base herbs, drop unknown herbs and merge aliases of one herb.

    Args:
        kb: The knowledge base.
        herbs: The plan's herbs.

    Returns:
        The cleaned herbs and the findings explaining each change.
    """
    findings: list[SafetyFinding] = []
    kept: list[HerbDose] = []
    seen: dict[str, HerbDose] = {}
    for herb in herbs:
        herb_id = herb.herb_id if herb.herb_id in kb.herbs else kb.resolve_herb(herb.name)
        if herb_id is None:
            findings.append(_unknown_herb(kb, herb.name))
            continue
        canonical = kb.herbs[herb_id].name
        if herb_id in seen:
            first = seen[herb_id]
            findings.append(
                SafetyFinding(
                    severity="blocking",
                    rule_id="herb.duplicate",
                    message=f"“{herb.name}”与“{first.name}”为同一药物（{canonical}），重复开具（duplicate herb）",
                    herbs=[first.name, herb.name],
                    action=f"合并为一味，保留{max(first.dose_g, herb.dose_g):g}g",
                )
            )
            first.dose_g = max(first.dose_g, herb.dose_g)
            continue
        resolved = herb.model_copy(update={"herb_id": herb_id, "name": canonical})
        seen[herb_id] = resolved
        kept.append(resolved)
    return kept, findings


def remove_incompatible(kb: KnowledgeBase, herbs: list[HerbDose]) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Remove one herb of every 十八反/十九畏 pair (the later-listed, i.e. the added one).

    Args:
        kb: The knowledge base.
        herbs: Resolved herbs, base formula first.

    Returns:
        The herbs without forbidden pairs and one blocking finding per removal.
    """
    findings = []
    kept = list(herbs)
    for rule in kb.incompatibilities.values():
        side_a = [herb for herb in kept if herb.herb_id in rule.herbs_a]
        side_b = [herb for herb in kept if herb.herb_id in rule.herbs_b]
        for herb_a in side_a:
            for herb_b in side_b:
                if herb_a not in kept or herb_b not in kept:
                    continue
                dropped = herb_a if kept.index(herb_a) > kept.index(herb_b) else herb_b
                kept.remove(dropped)
                findings.append(
                    SafetyFinding(
                        severity="blocking",
                        rule_id=rule.id,
                        message=f"{herb_a.name}与{herb_b.name}属{rule.kind}，不宜同用（incompatible pair）",
                        source=rule.source,
                        herbs=[herb_a.name, herb_b.name],
                        action=f"已移除{dropped.name}",
                    )
                )
    return kept, findings


def pregnancy_status(kb: KnowledgeBase, patient: Patient) -> str:
    """Return "pregnant", "possible" (woman of childbearing age, status unknown) or "no".

    The childbearing ages are ``threshold.childbearing_min_age`` / ``_max_age`` of the knowledge base.
    """
    if patient.pregnant:
        return "pregnant"
    unknown = patient.pregnant is None and patient.sex == "F" and patient.age is not None
    low, high = kb.threshold("threshold.childbearing_min_age"), kb.threshold("threshold.childbearing_max_age")
    if unknown and low <= (patient.age or 0) <= high:
        return "possible"
    return "no"


def check_pregnancy(
    kb: KnowledgeBase, herbs: list[HerbDose], status: str
) -> tuple[list[HerbDose], list[SafetyFinding]]:
    """Remove pregnancy-forbidden herbs and flag cautioned ones when the patient is or may be pregnant.

    Args:
        kb: The knowledge base.
        herbs: Resolved herbs.
        status: From :func:`pregnancy_status`.

    Returns:
        The herbs and the findings.
    """
    if status == "no":
        return herbs, []
    findings = []
    kept = []
    for herb in herbs:
        entry = kb.herbs[herb.herb_id or ""]
        if entry.pregnancy == "forbidden":
            confirmed = status == "pregnant"
            findings.append(
                SafetyFinding(
                    severity="blocking" if confirmed else "warning",
                    rule_id=f"pregnancy.forbidden.{entry.id}",
                    message=f"{entry.name}孕妇禁用（forbidden in pregnancy）"
                    + ("" if confirmed else "；患者为育龄女性，妊娠状态未知"),
                    source=entry.source or PHARMACOPOEIA,
                    herbs=[entry.name],
                    action="已移除" if confirmed else "请先确认是否妊娠",
                )
            )
            if confirmed:
                continue
        elif entry.pregnancy == "caution":
            findings.append(
                SafetyFinding(
                    severity="warning",
                    rule_id=f"pregnancy.caution.{entry.id}",
                    message=f"{entry.name}孕妇慎用（use with caution in pregnancy）"
                    + ("" if status == "pregnant" else "；患者为育龄女性，妊娠状态未知"),
                    source=entry.source or PHARMACOPOEIA,
                    herbs=[entry.name],
                    action="请权衡后决定是否保留",
                )
            )
        kept.append(herb)
    return kept, findings


def _unknown_herb(kb: KnowledgeBase, name: str) -> SafetyFinding:
    """The finding for a name no herb answers to; a homonym (草河车, 芍药) names the drugs it may mean."""
    meant = [herb.name for herb in kb.herbs.values() if name.strip() in herb.homonyms]
    if meant:
        message = (
            f"药名“{name}”名同药异，可指{'或'.join(meant)}，无法确定所用药物（ambiguous herb name: may mean "
            f"{' or '.join(meant)}）"
        )
        action = f"已从处方中移除，请写明药名（{'、'.join(meant)}）"
    else:
        message = f"药名“{name}”不在知识库中，无法核对剂量与配伍禁忌（unknown herb）"
        action = "已从处方中移除，请医师核对药名"
    return SafetyFinding(severity="blocking", rule_id="herb.unknown", message=message, herbs=[name], action=action)

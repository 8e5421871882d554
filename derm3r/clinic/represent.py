"""Patient-level lesion representation: summary sentence, stage, severity."""

from __future__ import annotations

import re

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.case import Case
from derm3r.schemas.findings import SeverityBand, Sign, Stage

_BSA = re.compile(r"(?:BSA|体表面积)[^0-9]{0,6}(\d+(?:\.\d+)?)\s*%", re.IGNORECASE)
_PASI = re.compile(r"PASI[^0-9]{0,6}(\d+(?:\.\d+)?)", re.IGNORECASE)
_SUMMARY_ORDER = (
    ("morphology", "皮损见{}"),
    ("color", "色{}"),
    ("scale", "{}"),
    ("shape", "呈{}"),
    ("border", "{}"),
    ("site", "见于{}"),
    ("distribution", "{}分布"),
    ("itch", "{}"),
)


def infer_stage(kb: KnowledgeBase, disease_id: str | None, present: set[str]) -> Stage:
    """Stage a case by its disease's rule in knowledge/rules/staging.yaml (e.g. 白疕 进行期/静止期/退行期).

    Args:
        kb: The knowledge base.
        disease_id: The disease the lesions point to; a disease without a staging rule is not staged.
        present: Ids of the terms found present.

    Returns:
        The first stage of the rule whose terms are present, or 未定.
    """
    rule = kb.staging_rule(disease_id)
    if rule is None:
        return "未定"
    for condition in rule.stages:
        if present & set(condition.when_any):
            return condition.stage
    return "未定"


def infer_severity(kb: KnowledgeBase, present: set[str], text: str) -> SeverityBand:
    """Grade severity from stated BSA/PASI (rule of tens) or, failing those, from the extent.

    Args:
        kb: The knowledge base (the BSA/PASI bands are thresholds there).
        present: Ids of the terms found present.
        text: All case text, searched for "BSA 12%" or "PASI 8".

    Returns:
        轻度, 中度, 重度 or 未定.
    """
    bsa = _BSA.search(text)
    pasi = _PASI.search(text)
    if bsa or pasi:
        value = max(float(bsa.group(1)) if bsa else 0.0, float(pasi.group(1)) if pasi else 0.0)
        if value > kb.threshold("threshold.severity_severe_above"):
            return "重度"
        return "中度" if value >= kb.threshold("threshold.severity_moderate_from") else "轻度"
    if present & {"morphology.erythroderma", "morphology.pustule_sheets"}:
        return "重度"
    if "distribution.generalized" in present:
        return "重度"
    sites = [term for term in present if term.startswith("site.")]
    if "distribution.localized" in present and len(sites) <= 1:
        return "轻度"
    if len(sites) >= 3:
        return "中度"
    return "轻度" if sites else "未定"


def distinct_labels(labels: list[str]) -> list[str]:
    """Labels in order without repeats, dropping one that a more specific label already says.

    "红色" goes when "鲜红" is there and "鳞屑" when "银白色鳞屑" is: the label's core (without a
    trailing 色) is found inside another label of the same kind.

    Args:
        labels: Labels of one kind (colours, scale …).

    Returns:
        The labels worth printing.
    """
    unique = list(dict.fromkeys(label for label in labels if label))
    cores = {label: label.removesuffix("色") or label for label in unique}
    return [label for label in unique if not any(other != label and cores[label] in other for other in unique)]


def summarize(signs: list[Sign], stage: Stage, severity: SeverityBand) -> str:
    """Write the patient-level lesion description in Chinese.

    Args:
        signs: Present signs, all sources merged.
        stage: The inferred stage.
        severity: The inferred severity band.

    Returns:
        One or two sentences; an explicit statement when no lesion was described.
    """
    by_category: dict[str, list[str]] = {}
    for sign in signs:
        labels = by_category.setdefault(sign.category, [])
        if sign.label not in labels:
            labels.append(sign.label)
    if "color" in by_category:  # the template says 色 already: 色红, not 色红色
        by_category["color"] = [label.removesuffix("色") or label for label in by_category["color"]]
    parts = [
        template.format("、".join(distinct_labels(by_category[category])))
        for category, template in _SUMMARY_ORDER
        if category in by_category
    ]
    if not parts:
        return "病历及图像中未见可辨识的皮损描述。"
    tail = []
    if stage != "未定":
        tail.append(f"病情属{stage}")
    if severity != "未定":
        tail.append(f"程度{severity}")
    return "，".join(parts) + "。" + ("，".join(tail) + "。" if tail else "")


def describe_change(case: Case) -> str:
    """Say what changed since the last visit, from the recorded response.

    Args:
        case: The case.

    Returns:
        An empty string at a first visit.
    """
    if not case.previous_visits:
        return ""
    last = case.previous_visits[-1]
    label = f"第{last.visit.number}诊" if last.visit.number else "上次就诊"
    syndrome = f"（辨为{last.syndrome}）" if last.syndrome else ""
    response = last.response or "未记录疗效"
    return f"{label}{syndrome}后：{response}"

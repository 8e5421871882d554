"""Render a Consultation as a readable report in the terminal (Chinese by default, ``lang="en"`` English).

Order: a referral or abstention banner first, then what the clinician acts on (disease, syndrome,
principle, formula, herbs), the evidence it rests on, and last the per-source findings. Every panel is
wrapped text, so nothing is cut at 80 columns.
"""

from __future__ import annotations

from collections.abc import Mapping

from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from derm3r.cli.wrap import KEEP_TOGETHER, WrappedText
from derm3r.clinic.represent import distinct_labels as distinct
from derm3r.clinic.sign_labels import Implications, implied_by, shown_labels, signs_by_term
from derm3r.i18n import t
from derm3r.i18n.clinical_names import ClinicalNames
from derm3r.schemas.consultation import Consultation
from derm3r.schemas.findings import LesionFindings, Sign
from derm3r.schemas.plan import DiseaseCandidate, EvidenceItem, Modification, SyndromeCall
from derm3r.vision.measurements import describe_measurements


def colon(lang: str) -> str:
    """The separator after a label: full-width in Chinese."""
    return "：" if lang == "zh" else ": "


#: A confidence below this prints as "little evidence", not as 0.00.
SHOWN_CONFIDENCE = 0.005


def _panel(lines: list[str | Text], title: str, style: str = "") -> Panel:
    body = Text("\n").join(line if isinstance(line, Text) else Text(line) for line in lines)
    return Panel(WrappedText(body), title=title, title_align="left", border_style=style)


def _banner(consultation: Consultation, lang: str) -> Panel | None:
    safety = consultation.safety
    if not (safety.referral or safety.abstained or safety.red_flags):
        return None
    heading = t("report.referral" if safety.referral else "report.abstained", lang)
    title = f"{heading}{colon(lang)}{safety.reason}" if safety.reason else heading
    lines: list[str | Text] = [Text(title, style="bold")]
    lines += [f"{t('report.red_flag', lang)}{colon(lang)}{flag}" for flag in safety.red_flags]
    if safety.referral:
        lines.append(f"{t('report.referral_advice', lang)}{colon(lang)}{safety.referral}")
    lines += [f"{t('report.questions', lang)}{colon(lang)}{question}" for question in safety.questions]
    return _panel(lines, f"⚠ {heading}", "bold red")


def _confidence(call: SyndromeCall, lang: str) -> str:
    if call.confidence < SHOWN_CONFIDENCE:
        return t("report.no_support", lang)
    return f"{t('report.confidence', lang)} {call.confidence:.2f}"


#: Evidence items shown per disease candidate (strongest first), so a candidate stays on a line or two.
CANDIDATE_EVIDENCE = 4


def _candidate_line(candidate: DiseaseCandidate, lang: str, names: ClinicalNames) -> str:
    """A differential candidate: its confidence, the strongest signs for it (＋, history marked), those against (－)."""
    confidence = (t("report.no_support", lang) if candidate.confidence < SHOWN_CONFIDENCE
                  else f"{t('report.confidence', lang)} {candidate.confidence:.2f}")
    supports = sorted((item for item in candidate.evidence if item.supports), key=lambda item: -item.weight)
    against = [item for item in candidate.evidence if not item.supports]
    # A sign read from the past history is marked as such: it supports a relapse, it is not seen now.
    signs = [f"＋{item.label}" + (f"（{t('report.history_sign', lang)}）" if item.history else "")
             for item in supports[:CANDIDATE_EVIDENCE]] + [f"－{item.label}" for item in against]
    return f"　{names.disease(candidate.name)}（{confidence}）" + (f" {' '.join(signs)}" if signs else "")


def _diagnosis(consultation: Consultation, lang: str, names: ClinicalNames) -> Panel:
    assessment = consultation.assessment
    named = (names.disease(assessment.disease, assessment.disease_western) if assessment.disease
             else t("report.undetermined", lang))
    lines: list[str | Text] = [f"{t('report.disease', lang)}{colon(lang)}{named}"]
    candidates = assessment.disease_differential
    if candidates:
        lines.append(f"{t('report.disease_differential', lang)}{colon(lang)}")
        lines += [_candidate_line(candidate, lang, names) for candidate in candidates]
    if assessment.syndrome is not None:
        syndrome = assessment.syndrome
        named = f"{names.term(syndrome.name)}（{_confidence(syndrome, lang)}）"
        lines.append(Text(f"{t('report.syndrome', lang)}{colon(lang)}{named}", style="bold"))
    if assessment.secondary_syndrome is not None:
        secondary = names.term(assessment.secondary_syndrome.name)
        lines.append(f"{t('report.secondary_syndrome', lang)}{colon(lang)}{secondary}")
    if assessment.differential:
        listed = "、".join(f"{names.term(call.name)}（{_confidence(call, lang)}）" for call in assessment.differential)
        lines.append(f"{t('report.alternatives', lang)}{colon(lang)}{listed}")
    if assessment.pathogenesis:
        lines.append(f"{t('report.pathogenesis', lang)}{colon(lang)}{assessment.pathogenesis}")
    if assessment.treatment_principle:
        lines.append(Text(f"{t('report.principle', lang)}{colon(lang)}{names.term(assessment.treatment_principle)}",
                          style="bold"))
    return _panel(lines, "DERM-Reason " + t("report.diagnosis_title", lang))


def _plan(consultation: Consultation, lang: str, names: ClinicalNames) -> Panel | None:
    plan = consultation.plan
    if plan.formula is None:
        return _panel(list(plan.notes + plan.lifestyle), t("report.plan_title", lang)) if plan.notes else None
    herbs = Text(f"{t('report.herbs', lang)}{colon(lang)}")
    for index, h in enumerate(plan.herbs):
        herbs.append("　" if index else "")
        herbs.append(names.herb(h.name), style=KEEP_TOGETHER)
        herbs.append(f"{names.gap}{h.dose_g:g}g" + (f"({names.role(h.role)})" if h.role else "")
                     + (f"[{h.note}]" if h.note else ""))
    origin = f"（{plan.formula.origin}）" if plan.formula.origin else ""
    parts: list[str | Text] = [
        Text(f"{t('report.formula', lang)}{colon(lang)}{names.term(plan.formula.name)}{origin}", style="bold"),
        herbs,
    ]
    for modification in plan.modifications:
        parts.append(_modification_line(modification, lang, names))
    parts += [f"{t('report.external', lang)}{colon(lang)}{item}" for item in plan.external_treatment]
    parts += [f"{t('report.lifestyle', lang)}{colon(lang)}{item}" for item in plan.lifestyle]
    parts += [f"{t('report.note', lang)}{colon(lang)}{note}" for note in plan.notes]
    if plan.follow_up:
        parts.append(f"{t('report.follow_up', lang)}{colon(lang)}{plan.follow_up}")
    return _panel(parts, t("report.plan_title", lang))


def _kept_names(names: list[str], separator: str) -> Text:
    """Names joined, each one kept whole on a line."""
    joined = Text()
    for index, name in enumerate(names):
        joined.append(separator if index else "")
        joined.append(name, style=KEEP_TOGETHER)
    return joined


def _modification_line(modification: Modification, lang: str, names: ClinicalNames) -> Text:
    line = Text(f"{t('report.modification', lang)}{colon(lang)}{'、'.join(distinct(modification.trigger))} → ")
    if modification.add:
        line.append(t("report.add", lang))
        for index, h in enumerate(modification.add):
            line.append("、" if index else "")
            line.append(names.herb(h.name), style=KEEP_TOGETHER)
            line.append(f"{names.gap}{h.dose_g:g}g")
    if modification.remove:
        line.append(("；" if modification.add else "") + t("report.remove", lang))
        line.append_text(_kept_names([names.herb(name) for name in modification.remove], "、"))
    line.append(f"（{modification.reason}）")
    return line


def _evidence_line(item: EvidenceItem, signs: dict[str, Sign], accounted: dict[str, Sign], lang: str) -> Text:
    mark, style = ("＋", "green") if item.supports else ("－", "red")
    line = Text(f"{mark} ", style=f"bold {style}")
    line.append(f"{item.label} ({item.weight:g})")
    if item.term in accounted:
        line.append(t("report.implied_by", lang, label=accounted[item.term].label))
    sign = signs.get(item.term)
    if sign is not None and sign.evidence:
        line.append(f"　「{sign.evidence}」 {sign.source}", style="dim")
    elif sign is not None:
        line.append(f"　{sign.source}", style="dim")
    return line


def _evidence(consultation: Consultation, lang: str, names: ClinicalNames, implies: Implications) -> Panel | None:
    syndrome = consultation.assessment.syndrome
    if syndrome is None or not syndrome.evidence:
        return None
    signs = signs_by_term(consultation)
    accounted = implied_by(list(signs.values()), implies)
    lines: list[str | Text] = [Text(t("report.evidence_legend", lang), style="italic")]
    ordered = sorted(syndrome.evidence, key=lambda item: (not item.supports, -item.weight))
    lines += [_evidence_line(item, signs, accounted, lang) for item in ordered]
    return _panel(lines, f"{t('report.evidence_title', lang)}{colon(lang)}{names.term(syndrome.name)}")


def _finding_lines(finding: LesionFindings, lang: str, implies: Implications) -> list[str | Text]:
    source = t("report.source_text", lang) if finding.source == "text" else finding.source
    where = "　".join(x for x in (finding.view or "", finding.site or "") if x)
    lines: list[str | Text] = [Text(f"{source}　{where}".rstrip(), style="bold")]
    labels = shown_labels(finding.signs, implies)
    lines.append("、".join(labels) if labels else (finding.description or "—"))
    if finding.negated:
        negated = "、".join(shown_labels(finding.negated, implies))
        lines.append(f"{t('report.negated', lang)}{colon(lang)}{negated}")
    for sign in finding.past:
        lines.append(t("report.past_sign", lang, label=sign.label, words=sign.evidence.strip()))
    quality = finding.quality
    if quality is not None:
        if quality.usable:
            lines.append(t("report.image_usable", lang, score=quality.quality_score))
        else:
            reasons = "；".join(dict.fromkeys(quality.reasons)) or "—"
            lines.append(Text(t("report.image_unusable", lang, score=quality.quality_score, reasons=reasons),
                              style="yellow"))
    if finding.measurements is not None:
        lines.append(Text(t("report.measurements", lang), style="bold"))
        lines += [f"　{line}" for line in describe_measurements(finding.measurements, lang)]
    return lines


def _findings(consultation: Consultation, lang: str, implies: Implications) -> Panel:
    lines: list[str | Text] = []
    for finding in consultation.findings:
        if lines:
            lines.append("")
        lines += _finding_lines(finding, lang, implies)
    return _panel(lines or ["—"], t("report.findings_title", lang))


def _representation(consultation: Consultation, lang: str) -> Panel:
    rep = consultation.representation
    lines: list[str | Text] = [
        f"{t('report.summary', lang)}{colon(lang)}{rep.summary}",
        t("report.stage_severity", lang, stage=rep.stage, severity=rep.severity),
    ]
    if rep.pathogenesis:
        lines.append(f"{t('report.lesion_pathogenesis', lang)}{colon(lang)}{rep.pathogenesis}")
    if rep.change_since_last_visit:
        lines.append(f"{t('report.change', lang)}{colon(lang)}{rep.change_since_last_visit}")
    # Unusable images and their reasons are already under their findings; not repeated here.
    lines += [f"{t('report.conflict', lang)}{colon(lang)}{item}" for item in rep.conflicts]
    return _panel(lines, t("report.representation_title", lang))


def _safety(consultation: Consultation, lang: str, *, bannered: bool) -> Panel:
    safety = consultation.safety
    lines: list[str | Text] = []
    if not bannered:
        lines += [f"{t('report.questions', lang)}{colon(lang)}{question}" for question in safety.questions]
    for warning in safety.warnings:
        style = {"blocking": "red", "warning": "yellow", "info": "cyan"}[warning.severity]
        action = f" → {warning.action}" if warning.action else ""
        line = Text(f"{warning.severity} ", style=style)
        line.append(f"{warning.message}{action}")
        lines.append(line)
    return _panel(lines or [t("report.safety_ok", lang)], t("report.safety_title", lang))


def render_consultation(
    consultation: Consultation,
    console: Console,
    lang: str = "zh",
    herb_pinyin: Mapping[str, str] | None = None,
    disease_western: Mapping[str, str] | None = None,
    implies: Implications | None = None,
) -> None:
    """Print the banner, diagnosis, plan, evidence, findings, representation and safety sections.

    Args:
        consultation: The result to show.
        console: Where to print.
        lang: ``zh`` or ``en`` (English shows clinical names as English or pinyin, the Chinese beside them).
        herb_pinyin: Herb name → pinyin from the knowledge data, for English labels.
        disease_western: Disease name → Western name from the knowledge data, for English labels.
        implies: Term id → the broader term ids it implies (knowledge/lexicon), so a sign read as a more
            specific one is listed once.
    """
    names = ClinicalNames(lang, herb_pinyin, disease_western)
    header = t("report.case", lang, case_id=consultation.case_id, engine=consultation.engine)
    console.print(Panel(Text(header, style="bold"), expand=False))
    banner = _banner(consultation, lang)
    sections = [
        banner,
        _diagnosis(consultation, lang, names),
        _plan(consultation, lang, names),
        _evidence(consultation, lang, names, implies or {}),
        _findings(consultation, lang, implies or {}),
        _representation(consultation, lang),
        _safety(consultation, lang, bannered=banner is not None),
    ]
    for section in sections:
        if section is not None:
            console.print(section)

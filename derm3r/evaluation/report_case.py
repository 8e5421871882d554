"""One case of report.html: the patient's presentation beside the expert's plan and the system's, with flags."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from pathlib import Path
from typing import Any

from derm3r.i18n import t
from derm3r.i18n.clinical_names import ClinicalNames

#: Presentation fields shown, in reading order, with their Chinese / English labels.
PRESENTATION = (
    ("chief_complaint", "主诉 chief complaint"),
    ("history", "病史 history"),
    ("lesion_description", "皮损 lesions"),
    ("symptoms", "症状 symptoms"),
    ("tongue", "舌象 tongue"),
    ("pulse", "脉象 pulse"),
)


def case_anchor(record: Mapping[str, Any]) -> str:
    """The id of a case's section in report.html (``case-<line>``)."""
    return f"case-{record['line']}"


def case_flags(record: Mapping[str, Any]) -> dict[str, str]:
    """The values the filters and links test: ``1``/``0`` flags, names, and herb F1 (empty when not scored).

    Args:
        record: A result record.

    Returns:
        Data-attribute name (without ``data-``) → value.
    """
    scores = record.get("scores") or {}
    labels = record.get("labels") or {}
    safety = (record.get("consultation") or {}).get("safety") or {}

    def wrong(metric: str) -> str:
        return "1" if metric in scores and scores[metric] < 1 else "0"

    expert, system = labels.get("syndrome_expert") or "", labels.get("syndrome_system") or "未辨证"
    return {
        "wrong-disease": wrong("disease_acc"),
        "wrong-syndrome": wrong("syndrome_acc"),
        "abstained": "1" if safety.get("abstained") else "0",
        "referred": "1" if safety.get("referral") or safety.get("red_flags") else "0",
        "error": "1" if record.get("error") else "0",
        "herb-f1": f"{scores['herb_f1']:.4f}" if "herb_f1" in scores else "",
        "disease": str(labels.get("disease") or ""),
        "syndrome": expert,
        "pair": f"{expert}→{system}" if expert else "",
    }


def _herb_spans(herbs: Sequence[Mapping[str, Any]], highlight: Mapping[str, str], names: ClinicalNames) -> str:
    spans = []
    for herb in herbs:
        name = str(herb.get("name", ""))
        dose = herb.get("dose_g")
        shown = names.herb(name)
        text = f"{shown} {dose:g}g" if isinstance(dose, (int, float)) else shown
        spans.append(f'<span class="herb {highlight.get(name, "")}">{escape(text)}</span>')
    return " ".join(spans) or "<span class=muted>—</span>"


def _field(title: str, value: Any) -> str:
    text = str(value) if value not in (None, "") else ""
    return f"<p><b>{escape(title)}</b>: {escape(text) if text else '<span class=muted>—</span>'}</p>"


def _presentation(presentation: Mapping[str, Any]) -> list[str]:
    patient = presentation.get("patient") or {}
    who = "，".join(f"{key} {value}" for key, value in patient.items() if value not in (None, [], ""))
    parts = [_field("患者 patient", who)] if who else []
    parts += [_field(title, presentation.get(key, "")) for key, title in PRESENTATION]
    images = presentation.get("images") or []
    if images:
        listed = "、".join(f"{image.get('path')} ({image.get('view', 'closeup')})" for image in images)
        parts.append(_field("图像 images", listed))
    return parts


def _outline_svg(measurements: Mapping[str, Any], href: str | None) -> str:
    width, height = measurements.get("image_size") or (0, 0)
    outlines = measurements.get("outlines") or []
    if not outlines or not width or not height:
        return ""
    shown_width = 240
    photo = f'<image href="{escape(href)}" width="{width}" height="{height}"/>' if href else ""
    shapes = "".join(
        '<polygon points="' + " ".join(f"{x},{y}" for x, y in outline.get("polygon") or []) + '" fill="none" '
        f'stroke="#e00" stroke-width="{max(width, height) / 200:.1f}"/>'
        for outline in outlines
    )
    return (f'<svg class=outline width="{shown_width}" height="{round(shown_width * height / width)}" '
            f'viewBox="0 0 {width} {height}" role="img" aria-label="lesion outlines">{photo}{shapes}</svg>')


def _measurements(consultation: Mapping[str, Any], case_dir: str | None, lang: str) -> str:
    from derm3r.schemas.findings import ImageMeasurements
    from derm3r.vision.measurements import describe_measurements

    blocks = []
    for finding in consultation.get("findings") or []:
        data = finding.get("measurements")
        if not data:
            continue
        lines = describe_measurements(ImageMeasurements.model_validate(data), lang)
        source = str(finding.get("source", "")).removeprefix("image:")
        href = (Path(case_dir) / source).as_uri() if case_dir and Path(case_dir).is_absolute() else None
        items = "".join(f"<li>{escape(line)}</li>" for line in lines)
        blocks.append(f"<div><b>{escape(source)}</b>{_outline_svg(data, href)}<ul class=measure>{items}</ul></div>")
    if not blocks:
        return ""
    return f"<details open><summary>{escape(t('report.measurements', lang))}</summary>{''.join(blocks)}</details>"


def _expert_side(expert: Mapping[str, Any], diff: Mapping[str, Any], names: ClinicalNames) -> list[str]:
    options = expert.get("syndrome_options") or {}
    side = [_field("病 disease", names.disease(str(expert.get("disease", "")))),
            _field("证 syndrome", names.term(str(expert.get("syndrome", ""))))]
    if options:
        listed = "；".join(f"{k}. {v}" for k, v in options.items())
        side.append(_field("选项 options", f"{listed}（答案 {''.join(expert.get('syndrome_answer', []))}）"))
    return [
        *side,
        _field("病机 pathogenesis", expert.get("pathogenesis", "")),
        _field("治法 principle", names.term(str(expert.get("treatment_principle", "")))),
        _field("方 formula", names.term(str(expert.get("formula", "")))),
        "<p><b>药 herbs</b>: " + _herb_spans(expert.get("herbs") or [],
                                             {name: "missing" for name in diff.get("herbs_missing", [])},
                                             names) + "</p>",
    ]


def _system_side(
    consultation: Mapping[str, Any], diff: Mapping[str, Any], has_options: bool, names: ClinicalNames
) -> list[str]:
    assessment = consultation.get("assessment") or {}
    plan = consultation.get("plan") or {}
    syndrome = assessment.get("syndrome") or {}
    secondary = assessment.get("secondary_syndrome") or {}
    named = "、".join(names.term(s["name"]) for s in (syndrome, secondary) if s)
    highlight = {name: "extra" for name in diff.get("herbs_extra", [])}
    highlight |= {name: "dose" for name in diff.get("herbs_dose_off", [])}
    side = [
        _field("病 disease", names.disease(str(assessment.get("disease", "")))),
        _field("证 syndrome", f"{named} (confidence {syndrome.get('confidence', 0):.2f})" if syndrome else ""),
    ]
    if has_options:
        side.append(_field("选择 chosen", "".join(diff.get("options_chosen", [])) or "无"))
    representation = consultation.get("representation") or {}
    return [
        *side,
        _field("病机 pathogenesis", assessment.get("pathogenesis") or representation.get("pathogenesis", "")),
        _field("治法 principle", names.term(str(assessment.get("treatment_principle", "")))),
        _field("方 formula", names.term(str((plan.get("formula") or {}).get("name", "")))),
        "<p><b>药 herbs</b>: " + _herb_spans(plan.get("herbs") or [], highlight, names) + "</p>",
        _field("皮损 lesions", representation.get("summary", "")),
    ]


def _evidence_item(item: Mapping[str, Any]) -> str:
    mark = "+" if item.get("supports", True) else "−"
    return (f"{mark}{item.get('weight', 0):g} {escape(str(item.get('label')))}"
            f" <span class=muted>{escape(str(item.get('term')))}</span>")


def evidence_html(
    evidence: Sequence[Mapping[str, Any]], implied: Mapping[str, Mapping[str, str]], lang: str = "zh"
) -> str:
    """The evidence list, each reading once: a broader sign read as a more specific one listed is folded under it.

    苔薄黄 implies 苔黄 and 苔薄 (knowledge/lexicon ``implies``), and from 「舌红苔薄黄」 all three are scored; the list
    shows 苔薄黄 with the other two, and their weights, in a line beneath it. A broader sign whose specific one is not
    itself evidence stays a line of its own, marked with the sign it was read as.

    Args:
        evidence: The syndrome's evidence items (term, label, weight, supports).
        implied: Broader term → the ``{"term", "label"}`` of the sign it was read as (the record's ``implied``).
        lang: Language of the fold's caption.

    Returns:
        The ``<li>`` elements.
    """
    listed = {str(item.get("term")) for item in evidence}
    folded: dict[str, list[Mapping[str, Any]]] = {}
    for item in evidence:
        specific = implied.get(str(item.get("term")))
        if specific is not None and specific.get("term") in listed:
            folded.setdefault(str(specific["term"]), []).append(item)
    lines = []
    for item in evidence:
        term = str(item.get("term"))
        specific = implied.get(term)
        if specific is not None and specific.get("term") in listed:
            continue
        line = _evidence_item(item)
        if specific is not None:
            line += escape(t("report.implied_by", lang, label=specific.get("label", "")))
        if term in folded:
            under = "、".join(_evidence_item(each) for each in folded[term])
            line += f"<div class='implied muted'>{escape(t('html.implied_under', lang))}{under}</div>"
        lines.append(f"<li>{line}</li>")
    return "".join(lines)


def _badges(flags: Mapping[str, str]) -> str:
    badges = [("referred", "refer", "转诊 referred"), ("abstained", "abstain", "弃权 abstained"),
              ("wrong-disease", "wrong", "辨病错 wrong disease"), ("wrong-syndrome", "wrong", "辨证错 wrong syndrome")]
    return "".join(f"<span class='badge {css}'>{escape(text)}</span>" for key, css, text in badges if flags[key] == "1")


def case_html(record: Mapping[str, Any], case_dir: str | None = None, lang: str = "zh") -> str:
    """One case's section: header with flags, presentation | expert | system, measurements, evidence, safety.

    Args:
        record: A result record.
        case_dir: Absolute folder the case's image paths are relative to (for drawing outlines on the photo).
        lang: Language of the measurement labels; English also shows clinical names in English or pinyin.

    Returns:
        A ``<section class=case>`` element whose data attributes the filters read.
    """
    flags = case_flags(record)
    data = " ".join(f'data-{key}="{escape(value)}"' for key, value in flags.items())
    case_id = str(record.get("case_id") or f"line {record['line']}")
    where = t("html.case_line", lang, line=record["line"], ms=f"{record.get('ms', 0):.0f}")
    head = (f'<section class=case id="{case_anchor(record)}" {data}><h3>{escape(case_id)}{_badges(flags)} '
            f"<span class=muted>{where}</span></h3>")
    if record.get("error"):
        return f'{head}<pre class=error>{escape(str(record["error"]))}</pre></section>'
    expert: Mapping[str, Any] = record.get("expert") or {}
    consultation: Mapping[str, Any] = record.get("consultation") or {}
    safety = consultation.get("safety") or {}
    diff = record.get("diff") or {}
    syndrome = (consultation.get("assessment") or {}).get("syndrome") or {}
    banner = ""
    if safety.get("abstained") or safety.get("referral"):
        said = f"{safety.get('reason') or ''} {safety.get('referral') or ''}"
        banner = f"<p class=error>{escape(said)}</p>"
    evidence = evidence_html(syndrome.get("evidence") or [], record.get("implied") or {}, lang)
    warnings = "".join(
        f"<li>[{escape(str(w.get('severity')))}] {escape(str(w.get('message')))}</li>"
        for w in safety.get("warnings", [])
    )
    scores = ", ".join(f"{escape(name)} {value:.2f}" for name, value in (record.get("scores") or {}).items())
    presentation = "".join(_presentation(record.get("presentation") or {}))
    names = ClinicalNames(lang)
    return (
        f"{head}{banner}<div class=triple>"
        f"<div><h4>{escape(t('html.presentation', lang))}</h4>{presentation}</div>"
        f"<div><h4>{escape(t('html.expert', lang))}</h4>{''.join(_expert_side(expert, diff, names))}</div>"
        f"<div><h4>{escape(t('html.system', lang))}</h4>"
        f"{''.join(_system_side(consultation, diff, bool(expert.get('syndrome_options')), names))}</div></div>"
        f"{_measurements(consultation, case_dir, lang)}"
        "<details><summary>证据 evidence (+ supports, − against) and safety</summary>"
        f"<ul>{evidence or '<li>—</li>'}</ul>"
        f"<p><b>安全 safety</b></p><ul>{warnings or '<li>—</li>'}</ul></details>"
        f"<p class=muted>{scores}</p></section>"
    )

"""``report.md`` and the self-contained ``report.html`` of an evaluation run (plots as inline SVG)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from derm3r.evaluation.calibration import run_calibration
from derm3r.evaluation.report_assets import SCRIPT, STYLE
from derm3r.evaluation.report_case import case_html
from derm3r.evaluation.report_parts import (
    RUN_ROWS,
    breakdown_table,
    calibration_section,
    ci_bar_svg,
    confusion_table,
    counts_section,
    metrics_table,
    run_block,
)
from derm3r.i18n import t

__all__ = ["STYLE", "ci_bar_svg", "label", "render_html", "render_markdown"]

METRIC_LABELS = {
    "disease_acc": "辨病准确率 disease accuracy",
    "syndrome_acc": "辨证准确率 syndrome accuracy",
    "syndrome_mc_acc": "证型选择题 multiple choice",
    "formula_match": "主方一致 formula match",
    "herb_precision": "药物精确率 herb precision",
    "herb_recall": "药物召回率 herb recall",
    "herb_f1": "药物 F1 herb F1",
    "herb_dose_f1": "药物剂量 F1 (±30%)",
    "principle_bleu4": "治法 BLEU-4",
    "principle_rouge_l": "治法 ROUGE-L",
    "principle_bigram_f1": "治法 bigram F1",
    "pathogenesis_bleu4": "病机 BLEU-4",
    "pathogenesis_rouge_l": "病机 ROUGE-L",
    "pathogenesis_bigram_f1": "病机 bigram F1",
    "lesion_bleu4": "皮损描述 BLEU-4",
    "lesion_rouge_l": "皮损描述 ROUGE-L",
    "lesion_bigram_f1": "皮损描述 bigram F1",
    "abstained": "弃权率 abstention rate",
    "warnings": "每例警示数 warnings per plan (count)",
}
#: Metrics shown in the per-disease and per-syndrome tables.
BREAKDOWN_METRICS = ("syndrome_acc", "formula_match", "herb_f1", "principle_rouge_l", "abstained")

def _fmt(value: float) -> str:
    return f"{value:.3f}"


def label(metric: str) -> str:
    """Display name of a metric."""
    return METRIC_LABELS.get(metric, metric)


def render_markdown(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]], lang: str = "zh") -> str:
    """The run's summary as Markdown: metrics with CIs, breakdowns, confusion matrix and errors.

    Args:
        metrics: The aggregate (``metrics.json``).
        records: The result records, by line.
        lang: Language of the headings and sentences (metric names stay bilingual).

    Returns:
        Markdown text.
    """
    run = metrics.get("run", {})
    summary_line = t("md.summary_line", lang, engines=", ".join(metrics.get("engines") or [run.get("engine", "?")]),
                     data=run.get("data", "?"), cases=metrics["cases"], scored=metrics["scored"],
                     errors=metrics["errors"])
    out = [
        f"# {t('html.title', lang)}",
        "",
        summary_line,
        "",
        *(f"- {title}: {run[key]}" for key, title in RUN_ROWS if run.get(key) is not None),
        f"- {t('md.settings', lang)}: `{json.dumps(run.get('settings') or {}, ensure_ascii=False)}`",
        "",
        f"| {t('html.th_metric', lang)} | {t('html.th_mean', lang)} | 95% CI | n |",
        "|---|---:|---:|---:|",
    ]
    for name, summary in metrics["metrics"].items():
        ci = f"[{_fmt(summary['ci_low'])}, {_fmt(summary['ci_high'])}]"
        out.append(f"| {label(name)} | {_fmt(summary['mean'])} | {ci} | {summary['n']} |")
    for title, key in (("html.by_disease", "by_disease"), ("html.by_syndrome", "by_syndrome")):
        groups = metrics.get(key) or {}
        if not groups:
            continue
        out += ["", f"## {t(title, lang)}", "",
                f"| {t('html.th_group', lang)} | n | " + " | ".join(label(m) for m in BREAKDOWN_METRICS) + " |",
                "|---|---:|" + "---:|" * len(BREAKDOWN_METRICS)]
        for group, entry in groups.items():
            cells = [_fmt(entry["metrics"][m]) if m in entry["metrics"] else "–" for m in BREAKDOWN_METRICS]
            out.append(f"| {group} | {entry['n']} | " + " | ".join(cells) + " |")
    confusion = metrics.get("confusion") or {}
    if confusion.get("expert"):
        out += ["", f"## {t('md.confusion', lang)}", "",
                f"| {t('md.expert_by_system', lang)} | " + " | ".join(confusion["system"]) + " |",
                "|---|" + "---:|" * len(confusion["system"])]
        for row, counts in zip(confusion["expert"], confusion["counts"], strict=True):
            out.append(f"| {row} | " + " | ".join(str(c) for c in counts) + " |")
    errors = [r for r in records if r.get("error")]
    if errors:
        out += ["", f"## {t('md.errors', lang)}", ""]
        out += [f"- {t('html.line', lang, line=r['line'])} ({r.get('case_id') or '?'}): "
                f"{str(r['error']).splitlines()[0]}" for r in errors]
    return "\n".join(out) + "\n"


def _filters(lang: str) -> str:
    boxes = [("wrongDisease", "html.filter_wrong_disease"), ("wrongSyndrome", "html.filter_wrong_syndrome"),
             ("abstained", "html.filter_abstained"), ("referred", "html.filter_referred"),
             ("error", "html.filter_errors")]
    checks = "".join(f'<label><input type=checkbox id="f-{key}" data-test="{key}"> {escape(t(title, lang))}</label>'
                     for key, title in boxes)
    herb = (f'<label><input type=checkbox id="f-herb-f1" data-test="herb_f1"> {escape(t("html.filter_herb_f1", lang))}'
            ' <input type=number id="f-herb-f1-value" min=0 max=1 step=0.05 value=0.5></label>')
    return (f"<div id=filters><b>{escape(t('html.filter', lang))}</b>: {checks}{herb} "
            f"<span id=picked></span> <a href=# id=clear-pick hidden>×</a> "
            f"<span class=muted>{escape(t('html.shown', lang))} <span id=shown></span></span></div>")


#: Sections of report.html: (id, message key); the contents bar lists them.
SECTIONS = (("run", "html.run"), ("metrics", "html.metrics"), ("counts", "html.counts"),
            ("calibration", "html.calibration"), ("by-disease", "html.by_disease"),
            ("by-syndrome", "html.by_syndrome"), ("confusion", "html.confusion"), ("cases", "html.cases"))


def render_html(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]], lang: str = "zh") -> str:
    """The self-contained HTML report: provenance, metrics, counts, calibration, breakdowns, confusion, cases.

    Breakdown rows and confusion cells filter the case list to their cases; the filter bar shows wrong
    diseases or syndromes, abstentions, referrals, errors or herb F1 below a threshold. No external resource.

    Args:
        metrics: The aggregate (``metrics.json``).
        records: The result records, by line.
        lang: Language of the headings.

    Returns:
        An HTML document.
    """
    run = metrics.get("run", {})
    engines = ", ".join(metrics.get("engines") or [run.get("engine", "?")])
    case_dir = (run.get("settings") or {}).get("case_dir")
    contents = "".join(f'<a href="#{key}">{escape(t(title, lang))}</a>' for key, title in SECTIONS)
    case_links = "".join(
        f'<a href="#case-{r["line"]}" class=muted>{escape(str(r.get("case_id") or r["line"]))}</a>' for r in records
    )
    legend = f"<p class=muted>{t('html.herb_legend', lang)}</p>"
    body = {
        "run": run_block(metrics),
        "metrics": metrics_table(metrics, label, lang),
        "counts": counts_section(metrics, records, label, lang),
        "calibration": calibration_section(run_calibration(metrics, records), lang),
        "by-disease": breakdown_table(metrics.get("by_disease") or {}, BREAKDOWN_METRICS, "disease", label, lang),
        "by-syndrome": breakdown_table(metrics.get("by_syndrome") or {}, BREAKDOWN_METRICS, "syndrome", label, lang),
        "confusion": confusion_table(metrics.get("confusion") or {}, lang),
        "cases": _filters(lang) + legend + "".join(case_html(r, case_dir, lang) for r in records),
    }
    summary = t("html.summary_line", lang, engines=escape(engines), scheme=escape(str(run.get("scheme", "?"))),
                data=escape(str(run.get("data", "?"))), cases=metrics["cases"], scored=metrics["scored"],
                errors=metrics["errors"])
    sections = "".join(f'<section id="{key}"><h2>{escape(t(title, lang))}</h2>{body[key]}</section>'
                       for key, title in SECTIONS)
    return (
        f"<!doctype html><html lang={lang}><head><meta charset=utf-8><title>{escape(t('html.title', lang))}</title>"
        f"<style>{STYLE}</style></head><body><nav id=contents><b>{escape(t('html.contents', lang))}</b>{contents}"
        f"<hr>{case_links}</nav><main><h1>{escape(t('html.title', lang))}</h1>"
        f"<p>{summary}</p>{sections}</main><script>{SCRIPT}</script></body></html>\n"
    )

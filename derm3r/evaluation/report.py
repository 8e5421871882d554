"""``report.md`` and the self-contained ``report.html`` of an evaluation run (plots as inline SVG)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from derm3r.evaluation.aggregate import COUNT_METRICS

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
    "warnings": "每例警示数 warnings per plan",
}
#: Metrics shown in the per-disease and per-syndrome tables.
BREAKDOWN_METRICS = ("syndrome_acc", "formula_match", "herb_f1", "principle_rouge_l", "abstained")

STYLE = """
body{font-family:system-ui,"Noto Sans CJK SC","PingFang SC",sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:4px 8px;text-align:left;
vertical-align:top}th{background:#f3f3f3}.num{text-align:right;font-variant-numeric:tabular-nums}
.case{border:1px solid #ddd;border-radius:6px;padding:0.5em 1em;margin:1em 0}.case h3{margin:0.3em 0}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1em}.missing{background:#fdd;text-decoration:line-through}
.extra{background:#ffe9b3}.dose{background:#e0e8ff}.herb{display:inline-block;margin:1px 3px;padding:0 3px;
border-radius:3px}.error{color:#b00}.muted{color:#777;font-size:90%}
"""


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def label(metric: str) -> str:
    """Display name of a metric."""
    return METRIC_LABELS.get(metric, metric)


def render_markdown(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> str:
    """The run's summary as Markdown: metrics with CIs, breakdowns, confusion matrix and errors.

    Args:
        metrics: The aggregate (``metrics.json``).
        records: The result records, by line.

    Returns:
        Markdown text.
    """
    run = metrics.get("run", {})
    out = [
        "# derm3r evaluation",
        "",
        f"Engine: {', '.join(metrics.get('engines') or [run.get('engine', '?')])}; data: {run.get('data', '?')}; "
        f"cases {metrics['cases']}, scored {metrics['scored']}, errors {metrics['errors']}.",
        "",
        "| metric | mean | 95% CI | n |",
        "|---|---:|---:|---:|",
    ]
    for name, summary in metrics["metrics"].items():
        ci = f"[{_fmt(summary['ci_low'])}, {_fmt(summary['ci_high'])}]"
        out.append(f"| {label(name)} | {_fmt(summary['mean'])} | {ci} | {summary['n']} |")
    for title, key in (("Per disease", "by_disease"), ("Per syndrome (expert)", "by_syndrome")):
        groups = metrics.get(key) or {}
        if not groups:
            continue
        out += ["", f"## {title}", "", "| group | n | " + " | ".join(label(m) for m in BREAKDOWN_METRICS) + " |",
                "|---|---:|" + "---:|" * len(BREAKDOWN_METRICS)]
        for group, entry in groups.items():
            cells = [_fmt(entry["metrics"][m]) if m in entry["metrics"] else "–" for m in BREAKDOWN_METRICS]
            out.append(f"| {group} | {entry['n']} | " + " | ".join(cells) + " |")
    confusion = metrics.get("confusion") or {}
    if confusion.get("expert"):
        out += ["", "## Syndrome confusion (rows expert, columns system)", "",
                "| expert \\ system | " + " | ".join(confusion["system"]) + " |",
                "|---|" + "---:|" * len(confusion["system"])]
        for row, counts in zip(confusion["expert"], confusion["counts"], strict=True):
            out.append(f"| {row} | " + " | ".join(str(c) for c in counts) + " |")
    errors = [r for r in records if r.get("error")]
    if errors:
        out += ["", "## Errors", ""]
        out += [f"- line {r['line']} ({r.get('case_id') or '?'}): {str(r['error']).splitlines()[0]}" for r in errors]
    return "\n".join(out) + "\n"


def ci_bar_svg(mean: float, low: float, high: float, scale: float = 1.0, width: int = 220) -> str:
    """An inline SVG bar of a mean with its confidence interval drawn as a whisker.

    Args:
        mean: The bar's value.
        low: Lower end of the interval.
        high: Upper end of the interval.
        scale: The value drawn at full width.
        width: Width in pixels.

    Returns:
        An ``<svg>`` element.
    """

    def x(value: float) -> float:
        return round(max(0.0, min(value / scale, 1.0)) * (width - 2) + 1, 1)

    return (
        f'<svg width="{width}" height="16" role="img" aria-label="{mean:.3f} [{low:.3f}, {high:.3f}]">'
        f'<rect x="1" y="3" width="{width - 2}" height="10" fill="#eee"/>'
        f'<rect x="1" y="3" width="{x(mean) - 1}" height="10" fill="#4a7ab5"/>'
        f'<line x1="{x(low)}" y1="8" x2="{x(high)}" y2="8" stroke="#111" stroke-width="1.5"/>'
        f'<line x1="{x(low)}" y1="4" x2="{x(low)}" y2="12" stroke="#111"/>'
        f'<line x1="{x(high)}" y1="4" x2="{x(high)}" y2="12" stroke="#111"/></svg>'
    )


def _metrics_table(metrics: Mapping[str, Any]) -> str:
    rows = []
    for name, summary in metrics["metrics"].items():
        scale = max(1.0, summary["ci_high"]) if name in COUNT_METRICS else 1.0
        bar = ci_bar_svg(summary["mean"], summary["ci_low"], summary["ci_high"], scale)
        rows.append(
            f"<tr><td>{escape(label(name))}</td><td class=num>{_fmt(summary['mean'])}</td>"
            f"<td class=num>[{_fmt(summary['ci_low'])}, {_fmt(summary['ci_high'])}]</td>"
            f"<td class=num>{summary['n']}</td><td>{bar}</td></tr>"
        )
    return ("<table><tr><th>metric</th><th>mean</th><th>95% CI</th><th>n</th><th>plot</th></tr>"
            + "".join(rows) + "</table>")


def _breakdown_table(groups: Mapping[str, Any]) -> str:
    head = "".join(f"<th>{escape(label(m))}</th>" for m in BREAKDOWN_METRICS)
    rows = []
    for group, entry in groups.items():
        cells = []
        for metric in BREAKDOWN_METRICS:
            value = entry["metrics"].get(metric)
            cells.append("<td>–</td>" if value is None else f"<td>{ci_bar_svg(value, value, value, width=90)} "
                         f"<span class=num>{_fmt(value)}</span></td>")
        rows.append(f"<tr><td>{escape(group)}</td><td class=num>{entry['n']}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>group</th><th>n</th>{head}</tr>{''.join(rows)}</table>"


def _confusion_table(confusion: Mapping[str, Any]) -> str:
    if not confusion.get("expert"):
        return "<p class=muted>No expert syndromes.</p>"
    peak = max((max(row) for row in confusion["counts"]), default=1) or 1
    head = "".join(f"<th>{escape(c)}</th>" for c in confusion["system"])
    rows = []
    for expert, counts in zip(confusion["expert"], confusion["counts"], strict=True):
        cells = []
        for system, count in zip(confusion["system"], counts, strict=True):
            hue = "74,122,181" if system == expert else "200,60,60"
            alpha = round(0.1 + 0.8 * count / peak, 2) if count else 0
            cells.append(f'<td class=num style="background:rgba({hue},{alpha})">{count or ""}</td>')
        rows.append(f"<tr><th>{escape(expert)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th>expert \\ system</th>{head}</tr>{''.join(rows)}</table>"


def _herb_spans(herbs: Sequence[Mapping[str, Any]], highlight: Mapping[str, str]) -> str:
    spans = []
    for herb in herbs:
        name = str(herb.get("name", ""))
        dose = herb.get("dose_g")
        text = f"{name} {dose:g}g" if isinstance(dose, (int, float)) else name
        spans.append(f'<span class="herb {highlight.get(name, "")}">{escape(text)}</span>')
    return " ".join(spans) or "<span class=muted>—</span>"


def _field(title: str, value: str) -> str:
    return f"<p><b>{escape(title)}</b>: {escape(value) if value else '<span class=muted>—</span>'}</p>"


def _case_html(record: Mapping[str, Any]) -> str:
    case_id = str(record.get("case_id") or f"line {record['line']}")
    anchor = escape(f"case-{record['line']}")
    if record.get("error"):
        return (f'<div class=case id="{anchor}"><h3>{escape(case_id)} <span class=muted>line {record["line"]}'
                f'</span></h3><pre class=error>{escape(str(record["error"]))}</pre></div>')
    expert: Mapping[str, Any] = record.get("expert") or {}
    consultation: Mapping[str, Any] = record.get("consultation") or {}
    assessment = consultation.get("assessment") or {}
    plan = consultation.get("plan") or {}
    safety = consultation.get("safety") or {}
    representation = consultation.get("representation") or {}
    diff = record.get("diff") or {}
    syndrome = assessment.get("syndrome") or {}
    secondary = assessment.get("secondary_syndrome") or {}
    system_syndrome = "、".join(s["name"] for s in (syndrome, secondary) if s)
    options = expert.get("syndrome_options") or {}
    expert_side = [
        _field("病 disease", str(expert.get("disease", ""))),
        _field("证 syndrome", str(expert.get("syndrome", ""))),
    ]
    if options:
        listed = "；".join(f"{k}. {v}" for k, v in options.items())
        expert_side.append(_field("选项 options", f"{listed}（答案 {''.join(expert.get('syndrome_answer', []))}）"))
    expert_side += [
        _field("病机 pathogenesis", str(expert.get("pathogenesis", ""))),
        _field("治法 principle", str(expert.get("treatment_principle", ""))),
        _field("方 formula", str(expert.get("formula", ""))),
        "<p><b>药 herbs</b>: " + _herb_spans(expert.get("herbs") or [],
                                             {name: "missing" for name in diff.get("herbs_missing", [])}) + "</p>",
        _field("皮损 lesions", str(expert.get("lesion_description", ""))),
    ]
    highlight = {name: "extra" for name in diff.get("herbs_extra", [])}
    highlight |= {name: "dose" for name in diff.get("herbs_dose_off", [])}
    formula = plan.get("formula") or {}
    system_side = [
        _field("病 disease", str(assessment.get("disease", ""))),
        _field("证 syndrome", f"{system_syndrome} (confidence {syndrome.get('confidence', 0):.2f})"
               if syndrome else ""),
    ]
    if options:
        system_side.append(_field("选择 chosen", "".join(diff.get("options_chosen", [])) or "无"))
    system_side += [
        _field("病机 pathogenesis", str(assessment.get("pathogenesis") or representation.get("pathogenesis", ""))),
        _field("治法 principle", str(assessment.get("treatment_principle", ""))),
        _field("方 formula", str(formula.get("name", ""))),
        "<p><b>药 herbs</b>: " + _herb_spans(plan.get("herbs") or [], highlight) + "</p>",
        _field("皮损 lesions", str(representation.get("summary", ""))),
    ]
    evidence = "".join(
        f"<li>{'+' if item.get('supports', True) else '−'}{item.get('weight', 0):g} {escape(str(item.get('label')))}"
        f" <span class=muted>{escape(str(item.get('term')))}</span></li>"
        for item in syndrome.get("evidence", [])
    )
    warnings = "".join(
        f"<li>[{escape(str(w.get('severity')))}] {escape(str(w.get('message')))}</li>"
        for w in safety.get("warnings", [])
    )
    abstained = f"<p class=error>弃权 abstained: {escape(str(safety.get('reason', '')))}</p>" if safety.get(
        "abstained") else ""
    scores = ", ".join(f"{escape(name)} {value:.2f}" for name, value in (record.get("scores") or {}).items())
    return (
        f'<div class=case id="{anchor}"><h3>{escape(case_id)} <span class=muted>line {record["line"]}, '
        f'{record.get("ms", 0):.0f} ms</span></h3>{abstained}<div class=pair><div><h4>专家 expert</h4>'
        f'{"".join(expert_side)}</div><div><h4>系统 system</h4>{"".join(system_side)}</div></div>'
        f"<details><summary>证据 evidence and safety</summary><ul>{evidence or '<li>—</li>'}</ul>"
        f"<p><b>安全 safety</b></p><ul>{warnings or '<li>—</li>'}</ul></details>"
        f"<p class=muted>{scores}</p></div>"
    )


def render_html(metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]]) -> str:
    """The self-contained HTML report: summary, plots, breakdowns, confusion matrix and every case.

    Args:
        metrics: The aggregate (``metrics.json``).
        records: The result records, by line.

    Returns:
        An HTML document with no external resources.
    """
    run = metrics.get("run", {})
    engines = ", ".join(metrics.get("engines") or [run.get("engine", "?")])
    legend = ('<p class=muted>Herbs: <span class="herb missing">missed by the system</span> '
              '<span class="herb extra">added by the system</span> <span class="herb dose">dose off by more than '
              "30%</span></p>")
    parts = [
        "<!doctype html><html lang=zh><head><meta charset=utf-8><title>derm3r evaluation</title>",
        f"<style>{STYLE}</style></head><body><h1>derm3r evaluation</h1>",
        f"<p>Engine <b>{escape(engines)}</b>; data {escape(str(run.get('data', '?')))}; cases {metrics['cases']}, "
        f"scored {metrics['scored']}, errors {metrics['errors']}.</p>",
        "<h2>Metrics (mean, bootstrap 95% CI)</h2>", _metrics_table(metrics),
        "<h2>Per disease</h2>", _breakdown_table(metrics.get("by_disease") or {}),
        "<h2>Per syndrome (expert)</h2>", _breakdown_table(metrics.get("by_syndrome") or {}),
        "<h2>Syndrome confusion matrix</h2>", _confusion_table(metrics.get("confusion") or {}),
        "<h2>Cases</h2>", legend,
        *(_case_html(record) for record in records),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"

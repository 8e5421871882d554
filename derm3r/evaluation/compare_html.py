"""Rendering of ``derm3r compare``: the terminal table and the self-contained ``compare.html``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from typing import TYPE_CHECKING, Any

from derm3r.evaluation.aggregate import COUNT_METRICS
from derm3r.evaluation.report import STYLE, ci_bar_svg, label
from derm3r.evaluation.report_parts import RUN_ROWS
from derm3r.i18n import t

if TYPE_CHECKING:
    from derm3r.evaluation.compare import Run


def _difference(diff: dict[str, float] | None) -> str:
    if diff is None:
        return "–"
    return f"{diff['diff']:+.3f} [{diff['ci_low']:+.3f}, {diff['ci_high']:+.3f}]"


def render_compare_text(runs: Sequence[Run], rows: Sequence[dict[str, Any]]) -> Any:
    """A rich table: each run's mean and, for later runs, the paired difference from the first with its CI.

    Args:
        runs: The runs.
        rows: From :func:`derm3r.evaluation.compare.metric_rows`.

    Returns:
        A ``rich.table.Table``.
    """
    from rich.table import Table

    table = Table(title="derm3r compare")
    table.add_column("metric", overflow="fold")
    table.add_column(runs[0].title, justify="right", overflow="fold")
    for run in runs[1:]:
        table.add_column(run.title, justify="right", overflow="fold")
        table.add_column("Δ paired 95% CI", justify="right", overflow="fold")
    table.add_row("cases (scored/errors)", *(
        cell for index, run in enumerate(runs)
        for cell in ([f"{run.metrics['cases']} ({run.metrics['scored']}/{run.metrics['errors']})"]
                     + ([""] if index else []))
    ))
    for row in rows:
        cells = []
        for index, summary in enumerate(row["summaries"]):
            cells.append(f"{summary['mean']:.3f}" if summary else "–")
            if index:
                cells.append(_difference(row["differences"][index]))
        table.add_row(label(row["metric"]), *cells)
    return table


def _diff_bar(diff: dict[str, float], scale: float) -> str:
    width, mid = 160, 80

    def x(value: float) -> float:
        return round(mid + max(-1.0, min(1.0, value / scale)) * (mid - 2), 1)

    colour = "#1a7f37" if diff["ci_low"] > 0 else "#b00" if diff["ci_high"] < 0 else "#888"
    return (f'<svg width="{width}" height="16" role="img" aria-label="{_difference(diff)}">'
            f'<line x1="{mid}" y1="1" x2="{mid}" y2="15" stroke="#999"/>'
            f'<rect x="{min(x(0), x(diff["diff"]))}" y="4" width="{abs(x(diff["diff"]) - x(0))}" height="8" '
            f'fill="{colour}"/><line x1="{x(diff["ci_low"])}" y1="8" x2="{x(diff["ci_high"])}" y2="8" '
            'stroke="#111" stroke-width="1.5"/></svg>')


def _metrics_table(runs: Sequence[Run], rows: Sequence[dict[str, Any]], lang: str) -> str:
    paired = escape(t("html.paired_ci", lang))
    head = f"<th>{escape(runs[0].title)}</th>" + "".join(
        f"<th>{escape(run.title)}</th><th>Δ vs {escape(runs[0].title)}<br>{paired}</th>"
        for run in runs[1:]
    )
    lines = []
    for row in rows:
        name = row["metric"]
        counting = name in COUNT_METRICS
        scale = max([1.0, *(s["ci_high"] for s in row["summaries"] if s)]) if counting else 1.0
        cells = []
        for index, summary in enumerate(row["summaries"]):
            shown = f"{summary['mean']:.3f}" if summary else "–"
            bar = ci_bar_svg(summary["mean"], summary["ci_low"], summary["ci_high"], scale, width=120) if (
                summary and not counting) else ""
            cells.append(f"<td>{bar} <span class=num>{shown}</span></td>")
            if index:
                diff = row["differences"][index]
                drawn = _diff_bar(diff, scale) if diff else ""
                cells.append(f"<td class=diff>{drawn} <span class=num>{escape(_difference(diff))}</span>"
                             f"<span class=muted> n={diff['n'] if diff else 0}</span></td>")
        lines.append(f"<tr id='metric-{escape(name)}'><td>{escape(label(name))}</td>{''.join(cells)}</tr>")
    return f"<table id=metrics><tr><th>{escape(t('html.th_metric', lang))}</th>{head}</tr>{''.join(lines)}</table>"


def _runs_table(runs: Sequence[Run]) -> str:
    head = "".join(f"<th>{escape(run.title)}</th>" for run in runs)
    rows = []
    for key, title in (*RUN_ROWS, ("settings", "设置 settings")):
        values = [run.metrics.get("run", {}).get(key) for run in runs]
        differs = len({json.dumps(v, sort_keys=True, ensure_ascii=False) for v in values}) > 1
        cells = "".join(
            f"<td{' class=extra' if differs else ''}>"
            + (f"<pre class=settings>{escape(json.dumps(v, ensure_ascii=False, indent=1))}</pre>"
               if isinstance(v, dict) else escape("—" if v is None else str(v))) + "</td>"
            for v in values
        )
        rows.append(f"<tr><td>{escape(title)}</td>{cells}</tr>")
    return f"<table id=runs class=run-block><tr><th></th>{head}</tr>{''.join(rows)}</table>"


def _changed_table(runs: Sequence[Run], changed: Sequence[dict[str, Any]], lang: str) -> str:
    if not changed:
        return f"<p class=muted>{escape(t('html.compare_none_changed', lang))}</p>"
    head = "".join(f"<th>{escape(run.title)}</th>" for run in runs)
    rows = []
    for case in changed:
        cells = []
        for calls, link in zip(case["calls"], case["links"], strict=True):
            text = " / ".join(escape(calls.get(field) or "—") for field in ("disease", "syndrome", "formula"))
            cells.append(f'<td><a class=case-link href="{escape(link)}">{text}</a></td>')
        where = escape(t("html.line", lang, line=case["line"]))
        rows.append(f"<tr class=changed><td>{escape(str(case['case_id']))} <span class=muted>{where}"
                    f"</span></td><td>{escape(', '.join(case['changed']))}</td>{''.join(cells)}</tr>")
    heads = "".join(f"<th>{escape(t(key, lang))}</th>" for key in ("html.th_case", "html.th_changed"))
    return (f"<table id=changed-cases><tr>{heads}{head}</tr>{''.join(rows)}</table>"
            f"<p class=muted>{escape(t('html.compare_changed_note', lang))}</p>")


def render_compare_html(
    runs: Sequence[Run], rows: Sequence[dict[str, Any]], changed: Sequence[dict[str, Any]], lang: str = "zh"
) -> str:
    """The self-contained compare page: runs and their settings, metrics with paired differences, changed cases.

    Args:
        runs: The runs.
        rows: From :func:`derm3r.evaluation.compare.metric_rows`.
        changed: From :func:`derm3r.evaluation.compare.changed_cases`.
        lang: Language of the page's headings and notes (``zh`` or ``en``).

    Returns:
        An HTML document.
    """
    shared = sum(
        1 for line, record in runs[0].records.items()
        if not record.get("error") and all(line in run.records and not run.records[line].get("error") for run in runs)
    )
    def text(key: str, **fields: Any) -> str:
        return escape(t(key, lang, **fields))

    title, runs_heading, metrics_heading = text("html.compare_title"), text("html.run"), text("html.compare_metrics")
    changed_heading = text("html.changed")
    contents = (f'<nav id=contents><b>{text("html.contents")}</b><a href="#runs-section">{runs_heading}</a>'
                f'<a href="#metrics-section">{metrics_heading}</a><a href="#changed-section">{changed_heading}</a>'
                "</nav>")
    return (
        f"<!doctype html><html lang={lang}><head><meta charset=utf-8><title>{title}</title>"
        f"<style>{STYLE}</style></head><body>{contents}<main><h1>{title}</h1>"
        f"<p>{text('html.compare_intro', runs=len(runs), first=runs[0].title)}</p>"
        f"<section id=runs-section><h2>{runs_heading}</h2>{_runs_table(runs)}</section>"
        f"<section id=metrics-section><h2>{metrics_heading}</h2>"
        f"<p class=muted id=shared>{text('html.compare_shared', count=shared)}</p>"
        f"{_metrics_table(runs, rows, lang)}</section>"
        f"<section id=changed-section><h2>{changed_heading} ({len(changed)})</h2>"
        f"{_changed_table(runs, changed, lang)}</section></main></body></html>\n"
    )

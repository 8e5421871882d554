"""The summary parts of report.html: run block, metric bars, counts, calibration, breakdowns, confusion matrix."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from derm3r.evaluation.aggregate import COUNT_METRICS
from derm3r.i18n import t

#: Provenance rows of the run block, in order (metrics.json ``run`` keys).
RUN_ROWS = (
    ("date", "日期 date"),
    ("derm3r_version", "版本 derm3r version"),
    ("git_commit", "提交 git commit"),
    ("knowledge_hash", "知识库哈希 knowledge-base hash"),
    ("engine", "引擎 engine"),
    ("scheme", "方案 formula scheme"),
    ("data", "数据 data"),
    ("data_sha256", "数据哈希 data sha256"),
    ("seconds", "用时 seconds"),
)


def fmt(value: float) -> str:
    """A metric value as the reports print it."""
    return f"{value:.3f}"


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


def run_block(metrics: Mapping[str, Any]) -> str:
    """The provenance table and the whole ``run`` block of metrics.json."""
    run = metrics.get("run") or {}
    rows = "".join(
        f"<tr><td>{escape(title)}</td><td>{escape(str(run[key]) if run.get(key) is not None else '—')}</td></tr>"
        for key, title in RUN_ROWS
    )
    counts = f"{metrics['cases']} / {metrics['scored']} / {metrics['errors']}"
    settings = json.dumps(run.get("settings") or {}, ensure_ascii=False, indent=1)
    return (f"<table class=run-block>{rows}<tr><td>病例 cases / scored / errors</td><td>{counts}</td></tr>"
            f"<tr><td>设置 settings</td><td><pre class=settings>{escape(settings)}</pre></td></tr></table>"
            f"<details><summary>metrics.json run</summary><pre class=settings>"
            f"{escape(json.dumps(run, ensure_ascii=False, indent=1))}</pre></details>")


def metrics_table(metrics: Mapping[str, Any], label: Any, lang: str = "zh") -> str:
    """Rates (every metric but the counts) with mean, CI, n and a bar on the 0–1 scale."""
    rows = []
    for name, summary in metrics["metrics"].items():
        if name in COUNT_METRICS:
            continue
        bar = ci_bar_svg(summary["mean"], summary["ci_low"], summary["ci_high"])
        rows.append(
            f"<tr id='metric-{escape(name)}'><td>{escape(label(name))}</td><td class=num>{fmt(summary['mean'])}</td>"
            f"<td class=num>[{fmt(summary['ci_low'])}, {fmt(summary['ci_high'])}]</td>"
            f"<td class=num>{summary['n']}</td><td>{bar}</td></tr>"
        )
    head = f"<tr><th>{t('html.th_metric', lang)}</th><th>{t('html.th_mean', lang)}</th><th>95% CI</th><th>n</th>"
    return f"<table>{head}<th>0 – 1</th></tr>" + "".join(rows) + "</table>"


def counts_section(
    metrics: Mapping[str, Any], records: Sequence[Mapping[str, Any]], label: Any, lang: str = "zh"
) -> str:
    """Count metrics as counts: total, mean per case, and a histogram of cases by count (not a 0–1 bar)."""
    parts = []
    for name in sorted(COUNT_METRICS):
        values = [int((r.get("scores") or {})[name]) for r in records if name in (r.get("scores") or {})]
        if not values:
            continue
        summary = metrics["metrics"].get(name) or {}
        histogram = Counter(values)
        peak = max(histogram.values())
        bars = "".join(
            f"<tr><td class=num>{count}</td><td><svg width='{round(200 * n / peak) + 2}' height='12'>"
            f"<rect width='{round(200 * n / peak) + 1}' height='12' fill='#8a6'/></svg> <span class=num>{n}</span>"
            f"</td></tr>"
            for count, n in sorted(histogram.items())
        )
        ci = f"[{fmt(summary.get('ci_low', 0))}, {fmt(summary.get('ci_high', 0))}]"
        parts.append(
            f"<h3>{escape(label(name))}</h3><p>"
            + t("html.count_line", lang, total=sum(values), cases=len(values), mean=f"{summary.get('mean', 0):.2f}",
                ci=ci)
            + f"</p><table><tr><th>{escape(t('html.th_per_case', lang, name=name))}</th>"
            f"<th>{t('html.th_cases', lang)}</th></tr>{bars}</table>"
        )
    return "".join(parts) or "<p class=muted>—</p>"


def calibration_svg(table: Mapping[str, Any], size: int = 260) -> str:
    """A reliability diagram: per bin, accuracy (bar) against the diagonal of perfect calibration."""
    pad = 30
    inner = size - 2 * pad

    def px(value: float) -> float:
        return round(pad + value * inner, 1)

    def py(value: float) -> float:
        return round(size - pad - value * inner, 1)

    bars = []
    for entry in table.get("bins") or []:
        if not entry.get("count"):
            continue
        x0, x1 = px(entry["low"]), px(entry["high"])
        top = py(entry["accuracy"])
        bars.append(f'<rect class=bin x="{x0}" y="{top}" width="{round(x1 - x0 - 1, 1)}" '
                    f'height="{round(size - pad - top, 1)}" fill="#4a7ab5"><title>n={entry["count"]} '
                    f'conf {entry["confidence"]:.2f} acc {entry["accuracy"]:.2f}</title></rect>'
                    f'<circle cx="{px(entry["confidence"])}" cy="{py(entry["confidence"])}" r="2.5" fill="#e60"/>')
    return (
        f'<svg width="{size}" height="{size}" role="img" aria-label="reliability diagram">'
        f'<rect x="{pad}" y="{pad}" width="{inner}" height="{inner}" fill="#fafafa" stroke="#999"/>'
        f'{"".join(bars)}<line x1="{px(0)}" y1="{py(0)}" x2="{px(1)}" y2="{py(1)}" stroke="#555" stroke-dasharray="4"/>'
        f'<text x="{size / 2}" y="{size - 6}" text-anchor="middle" font-size="11">confidence 置信度</text>'
        f'<text x="10" y="{size / 2}" font-size="11" transform="rotate(-90 10 {size / 2})" text-anchor="middle">'
        f"accuracy 准确率</text></svg>"
    )


def calibration_section(table: Mapping[str, Any], lang: str = "zh") -> str:
    """The reliability diagram, the ECE and the bins."""
    if not table.get("cases"):
        return f"<p class=muted>{t('html.no_calibration', lang)}</p>"
    rows = "".join(
        f"<tr><td class=num>{entry['low']:.1f}–{entry['high']:.1f}</td><td class=num>{entry['count']}</td>"
        f"<td class=num>{'' if entry['confidence'] is None else fmt(entry['confidence'])}</td>"
        f"<td class=num>{'' if entry['accuracy'] is None else fmt(entry['accuracy'])}</td></tr>"
        for entry in table["bins"] if entry["count"]
    )
    head = "".join(f"<th>{t(key, lang)}</th>" for key in ("html.th_bin", "html.th_cases", "html.th_confidence",
                                                           "html.th_accuracy"))
    ece = t("html.ece_line", lang, ece=f"{table['ece']:.3f}", cases=table["cases"])
    return (f"<p>{ece}</p>"
            f"{calibration_svg(table)}<table><tr>{head}</tr>{rows}</table>")


def breakdown_table(
    groups: Mapping[str, Any], metrics: Sequence[str], key: str, label: Any, lang: str = "zh"
) -> str:
    """Per-group means; each group's name links to (filters) its cases."""
    head = "".join(f"<th>{escape(label(m))}</th>" for m in metrics)
    rows = []
    for group, entry in groups.items():
        cells = []
        for metric in metrics:
            value = entry["metrics"].get(metric)
            cells.append("<td>–</td>" if value is None else f"<td>{ci_bar_svg(value, value, value, width=90)} "
                         f"<span class=num>{fmt(value)}</span></td>")
        link = (f'<a class=jump href="#cases" data-key="{escape(key)}" data-value="{escape(group)}">'
                f"{escape(group)}</a>")
        rows.append(f"<tr><td>{link}</td><td class=num>{entry['n']}</td>{''.join(cells)}</tr>")
    return f"<table><tr><th>{t('html.th_group', lang)}</th><th>n</th>{head}</tr>{''.join(rows)}</table>"


def confusion_table(confusion: Mapping[str, Any], lang: str = "zh") -> str:
    """The syndrome confusion matrix; every non-empty cell links to (filters) its cases."""
    if not confusion.get("expert"):
        return f"<p class=muted>{t('html.no_confusion', lang)}</p>"
    peak = max((max(row) for row in confusion["counts"]), default=1) or 1
    head = "".join(f"<th>{escape(c)}</th>" for c in confusion["system"])
    rows = []
    for expert, counts in zip(confusion["expert"], confusion["counts"], strict=True):
        cells = []
        for system, count in zip(confusion["system"], counts, strict=True):
            hue = "74,122,181" if system == expert else "200,60,60"
            alpha = round(0.1 + 0.8 * count / peak, 2) if count else 0
            pair = f"{expert}→{system}"
            inside = (f'<a class=jump href="#cases" data-key="pair" data-value="{escape(pair)}">{count}</a>'
                      if count else "")
            cells.append(f'<td class=num style="background:rgba({hue},{alpha})">{inside}</td>')
        rows.append(f"<tr><th>{escape(expert)}</th>{''.join(cells)}</tr>")
    return f"<table><tr><th>{escape(t('html.th_expert_system', lang))}</th>{head}</tr>{''.join(rows)}</table>"

"""``derm3r compare``: several runs' metrics side by side, as a text table and ``compare.html``."""

from __future__ import annotations

import json
from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from derm3r.evaluation.lines import EvaluationInputError
from derm3r.evaluation.report import STYLE, ci_bar_svg, label


def load_run(run_dir: str | Path) -> dict[str, Any]:
    """Read a run's ``metrics.json``.

    Args:
        run_dir: A directory written by ``derm3r evaluate``.

    Returns:
        The metrics.

    Raises:
        EvaluationInputError: When the directory has no readable metrics.json.
    """
    path = Path(run_dir) / "metrics.json"
    if not path.is_file():
        raise EvaluationInputError(f"{run_dir}: no metrics.json (not a finished evaluation run)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise EvaluationInputError(f"{path}: not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("metrics"), dict):
        raise EvaluationInputError(f"{path}: field 'metrics' missing")
    return data


def run_name(run_dir: str | Path, metrics: dict[str, Any]) -> str:
    """A column title: the directory name and the engine."""
    engines = ",".join(metrics.get("engines") or [])
    return f"{Path(run_dir).name} ({engines})" if engines else Path(run_dir).name


def compare_rows(runs: Sequence[dict[str, Any]]) -> list[tuple[str, list[dict[str, float] | None]]]:
    """One row per metric found in any run, with that metric's summary in each run (None when absent).

    Args:
        runs: The runs' metrics.

    Returns:
        ``(metric, [summary per run])`` in the order metrics first appear.
    """
    names: list[str] = []
    for run in runs:
        names += [name for name in run["metrics"] if name not in names]
    return [(name, [run["metrics"].get(name) for run in runs]) for name in names]


def render_compare_text(titles: Sequence[str], runs: Sequence[dict[str, Any]]) -> Any:
    """A rich table of the runs' means and CIs.

    Args:
        titles: One title per run.
        runs: The runs' metrics.

    Returns:
        A ``rich.table.Table``.
    """
    from rich.table import Table

    table = Table(title="derm3r compare")
    table.add_column("metric")
    for title in titles:
        table.add_column(title, justify="right")
    table.add_row("cases (scored/errors)", *(f"{r['cases']} ({r['scored']}/{r['errors']})" for r in runs))
    for name, summaries in compare_rows(runs):
        cells = [f"{s['mean']:.3f} [{s['ci_low']:.3f}, {s['ci_high']:.3f}]" if s else "–" for s in summaries]
        table.add_row(label(name), *cells)
    return table


def render_compare_html(titles: Sequence[str], runs: Sequence[dict[str, Any]]) -> str:
    """A self-contained HTML table of the runs with a CI bar per cell.

    Args:
        titles: One title per run.
        runs: The runs' metrics.

    Returns:
        An HTML document.
    """
    head = "".join(f"<th>{escape(title)}</th>" for title in titles)
    rows = ["<tr><td>cases (scored/errors)</td>" + "".join(
        f"<td class=num>{r['cases']} ({r['scored']}/{r['errors']})</td>" for r in runs) + "</tr>"]
    for name, summaries in compare_rows(runs):
        scale = max([1.0, *(s["ci_high"] for s in summaries if s)]) if name == "warnings" else 1.0
        cells = "".join(
            f"<td>{ci_bar_svg(s['mean'], s['ci_low'], s['ci_high'], scale, width=160)} "
            f"<span class=num>{s['mean']:.3f}</span></td>" if s else "<td>–</td>"
            for s in summaries
        )
        rows.append(f"<tr><td>{escape(label(name))}</td>{cells}</tr>")
    return (
        f"<!doctype html><html lang=zh><head><meta charset=utf-8><title>derm3r compare</title><style>{STYLE}</style>"
        f"</head><body><h1>derm3r compare</h1><table><tr><th>metric</th>{head}</tr>{''.join(rows)}</table>"
        "</body></html>\n"
    )


def compare(run_dirs: Sequence[str | Path]) -> tuple[list[str], list[dict[str, Any]], Path]:
    """Load runs and write ``compare.html`` next to the first run's files.

    Args:
        run_dirs: Run directories, at least one.

    Returns:
        Column titles, the runs' metrics and the path of compare.html.

    Raises:
        EvaluationInputError: When no run is given or one is unreadable.
    """
    if not run_dirs:
        raise EvaluationInputError("compare: give at least one run directory")
    runs = [load_run(run_dir) for run_dir in run_dirs]
    titles = [run_name(run_dir, run) for run_dir, run in zip(run_dirs, runs, strict=True)]
    path = Path(run_dirs[0]) / "compare.html"
    path.write_text(render_compare_html(titles, runs), encoding="utf-8")
    return titles, runs, path

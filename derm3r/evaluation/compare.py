"""``derm3r compare A B … --out DIR``: runs on the same data side by side, with paired differences.

For every metric: each run's mean, and for each later run its difference from the first with a paired
bootstrap 95% CI over the cases both runs scored (the cases are resampled together, so the interval
reflects the change, not the spread between cases). The cases whose disease, syndrome or formula
changed are listed with links to each run's case view. Runs that scored different data are refused.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from derm3r.evaluation.lines import EvaluationInputError
from derm3r.evaluation.results import RESULTS_FILE, load_results

#: Bootstrap resamples of the paired difference.
RESAMPLES = 2000


@dataclass
class Run:
    """One evaluation run as compare reads it."""

    path: Path
    title: str
    metrics: dict[str, Any]
    records: dict[int, dict[str, Any]]


def load_run(run_dir: str | Path) -> Run:
    """Read a run's ``metrics.json`` and ``results.jsonl``.

    Args:
        run_dir: A directory written by ``derm3r evaluate``.

    Returns:
        The run.

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
    records = {record["line"]: record for record in load_results(Path(run_dir) / RESULTS_FILE)}
    return Run(Path(run_dir), run_name(run_dir, data), data, records)


def run_name(run_dir: str | Path, metrics: dict[str, Any]) -> str:
    """A column title: the directory name and the engine."""
    engines = ",".join(metrics.get("engines") or [])
    return f"{Path(run_dir).name} ({engines})" if engines else Path(run_dir).name


def _case_key(record: dict[str, Any]) -> tuple[int, str, str]:
    expert = json.dumps(record.get("expert"), ensure_ascii=False, sort_keys=True)
    return record["line"], str(record.get("case_id")), expert


def check_same_data(runs: Sequence[Run]) -> None:
    """Refuse runs that scored different data: other lines, case ids or expert plans.

    Args:
        runs: The runs.

    Raises:
        EvaluationInputError: Naming the first run that differs from the first and how.
    """
    first = runs[0]
    reference = {_case_key(record) for record in first.records.values()}
    for run in runs[1:]:
        keys = {_case_key(record) for record in run.records.values()}
        if keys != reference:
            only_first = sorted(line for line, _, _ in reference - keys)[:5]
            only_other = sorted(line for line, _, _ in keys - reference)[:5]
            raise EvaluationInputError(
                f"compare: {run.path} scored different data than {first.path} (lines differing only in the first: "
                f"{only_first or 'none'}, only in the other: {only_other or 'none'}); compare runs of the same file"
            )
        ours, theirs = (_data_hash(each) for each in (first, run))
        if ours and theirs and ours != theirs:  # same lines, ids and plans, yet a case's own text differs
            raise EvaluationInputError(
                f"compare: {run.path} scored different data than {first.path} (the same case ids and expert plans, "
                f"but the data files differ: sha256 {ours[:12]}… against {theirs[:12]}…); compare runs of the same file"
            )


def _data_hash(run: Run) -> str | None:
    value = run.metrics.get("run", {}).get("data_sha256")
    return value if isinstance(value, str) else None


def paired_difference(
    pairs: Sequence[tuple[float, float]], *, resamples: int = RESAMPLES, seed: int = 0
) -> dict[str, float]:
    """Mean of (b − a) over paired cases with a percentile bootstrap 95% CI that resamples the pairs.

    Args:
        pairs: ``(value in run a, value in run b)`` per shared case.
        resamples: Bootstrap resamples.
        seed: Resampling seed.

    Returns:
        ``{"diff", "ci_low", "ci_high", "n"}``.
    """
    import numpy as np

    if not pairs:
        return {"diff": 0.0, "ci_low": 0.0, "ci_high": 0.0, "n": 0}
    delta = np.asarray([b - a for a, b in pairs], dtype=float)
    if len(delta) == 1:
        return {"diff": float(delta[0]), "ci_low": float(delta[0]), "ci_high": float(delta[0]), "n": 1}
    rng = np.random.default_rng(seed)
    means = delta[rng.integers(0, len(delta), size=(resamples, len(delta)))].mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"diff": float(delta.mean()), "ci_low": float(low), "ci_high": float(high), "n": len(delta)}


def metric_rows(runs: Sequence[Run]) -> list[dict[str, Any]]:
    """One row per metric found in any run: each run's summary and each later run's paired difference.

    Args:
        runs: The runs (the first is the baseline).

    Returns:
        ``{"metric", "summaries": [summary or None per run], "differences": [None, diff per later run]}``.
    """
    names: list[str] = []
    for run in runs:
        names += [name for name in run.metrics["metrics"] if name not in names]
    rows = []
    base = runs[0]
    for name in names:
        differences: list[dict[str, float] | None] = [None]
        for run in runs[1:]:
            pairs = []
            for line, record in base.records.items():
                other = run.records.get(line)
                if other is None or record.get("error") or other.get("error"):
                    continue
                a, b = (record.get("scores") or {}).get(name), (other.get("scores") or {}).get(name)
                if a is not None and b is not None:
                    pairs.append((float(a), float(b)))
            differences.append(paired_difference(pairs) if pairs else None)
        rows.append({"metric": name, "summaries": [run.metrics["metrics"].get(name) for run in runs],
                     "differences": differences})
    return rows


def _calls(record: dict[str, Any]) -> dict[str, str]:
    consultation = record.get("consultation") or {}
    assessment = consultation.get("assessment") or {}
    formula = (consultation.get("plan") or {}).get("formula") or {}
    return {"disease": str(assessment.get("disease") or ""),
            "syndrome": str((assessment.get("syndrome") or {}).get("name") or ""),
            "formula": str(formula.get("name") or "")}


def changed_cases(runs: Sequence[Run], out: Path) -> list[dict[str, Any]]:
    """The cases whose disease, syndrome or formula differs between the first run and any other.

    Args:
        runs: The runs.
        out: The compare folder (links are relative to it).

    Returns:
        Per changed case: line, case id, what changed, each run's calls and a link to its case view.
    """
    changed = []
    for line in sorted(runs[0].records):
        calls = [_calls(run.records[line]) if line in run.records else {} for run in runs]
        fields = [field for field in ("disease", "syndrome", "formula") if len({c.get(field) for c in calls}) > 1]
        if not fields:
            continue
        links = [os.path.relpath(run.path / "report.html", out) + f"#case-{line}" for run in runs]
        changed.append({"line": line, "case_id": runs[0].records[line].get("case_id"), "changed": fields,
                        "calls": calls, "links": links})
    return changed


def compare(run_dirs: Sequence[str | Path], out: str | Path, lang: str = "zh") -> tuple[list[Run], Path]:
    """Load runs, refuse different data, and write ``compare.html`` and ``compare.json`` into ``out``.

    Args:
        run_dirs: Run directories, at least two.
        out: The folder to write (created when missing).
        lang: Language of compare.html (``zh`` or ``en``).

    Returns:
        The runs and the path of compare.html.

    Raises:
        EvaluationInputError: When fewer than two runs are given, one is unreadable, or they scored different data.
    """
    from derm3r.evaluation.compare_html import render_compare_html

    if len(run_dirs) < 2:
        raise EvaluationInputError("compare: give at least two run directories")
    runs = [load_run(run_dir) for run_dir in run_dirs]
    check_same_data(runs)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    rows = metric_rows(runs)
    changed = changed_cases(runs, folder)
    summary = {"runs": [{"path": str(run.path), "title": run.title, "run": run.metrics.get("run", {})} for run in runs],
               "metrics": rows, "changed": changed}
    (folder / "compare.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    path = folder / "compare.html"
    path.write_text(render_compare_html(runs, rows, changed, lang), encoding="utf-8")
    return runs, path

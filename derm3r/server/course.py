"""The course of treatment: what each visit found and prescribed, and how the plan changed between visits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from derm3r.server.db.models import VisitRow
from derm3r.server.schemas import CourseVisit


def plan_in_force(visit: VisitRow) -> dict[str, Any]:
    """The plan the patient left with: the clinician's edit when there is one, else the system's proposal."""
    if visit.final_plan is not None:
        return visit.final_plan
    plan: dict[str, Any] = visit.consultation.get("plan") or {}
    return plan


def formula_name(plan: dict[str, Any]) -> str:
    """The formula's name of a plan dict (a FormulaRef object or a bare string)."""
    formula = plan.get("formula")
    if isinstance(formula, dict):
        return str(formula.get("name") or "")
    return str(formula or "")


def plan_changes(before: dict[str, Any] | None, after: dict[str, Any]) -> list[dict[str, Any]]:
    """List how ``after`` differs from ``before``: formula, herbs added or removed, grams or role changed.

    Args:
        before: The earlier plan (None for the first visit: every herb counts as added).
        after: The later plan.

    Returns:
        One ``{"change", "herb"|"formula", "before", "after"}`` item per difference, in the later plan's order.
    """
    old = {herb["name"]: herb for herb in (before or {}).get("herbs", [])}
    new = {herb["name"]: herb for herb in after.get("herbs", [])}
    changes: list[dict[str, Any]] = []
    if before is not None and formula_name(before) != formula_name(after):
        changes.append({"change": "formula", "before": formula_name(before), "after": formula_name(after)})
    for name, herb in new.items():
        if name not in old:
            changes.append({"change": "added", "herb": name, "before": None, "after": herb.get("dose_g")})
            continue
        if old[name].get("dose_g") != herb.get("dose_g"):
            changes.append({"change": "dose", "herb": name, "before": old[name].get("dose_g"),
                            "after": herb.get("dose_g")})
        if old[name].get("role") != herb.get("role"):
            changes.append({"change": "role", "herb": name, "before": old[name].get("role"),
                            "after": herb.get("role")})
    changes += [{"change": "removed", "herb": name, "before": herb.get("dose_g"), "after": None}
                for name, herb in old.items() if name not in new]
    return changes


def _numbers(measurements: Any) -> Iterator[tuple[str, float]]:
    """Numeric measurements of one image: ``{"items": [{"name", "value", …}]}`` (values that are classes skipped)."""
    if not isinstance(measurements, dict):
        return
    for item in measurements.get("items") or []:
        value = item.get("value") if isinstance(item, dict) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            yield str(item.get("name")), float(value)


def read_measurements(consultation: dict[str, Any]) -> dict[str, float]:
    """Average every numeric image measurement over the images that carry it.

    Image findings may carry ``measurements`` (lesion area %, PASI sub-scores, tongue attributes);
    a consultation without them gives an empty dict and the course falls back to the severity band.

    Args:
        consultation: A Consultation as JSON.

    Returns:
        Measurement name → mean value.
    """
    sums: dict[str, list[float]] = {}
    for finding in consultation.get("findings", []):
        for name, value in _numbers(finding.get("measurements")):
            sums.setdefault(name, []).append(value)
    return {name: round(sum(values) / len(values), 3) for name, values in sums.items()}


def course_visit(visit: VisitRow, previous: VisitRow | None) -> CourseVisit:
    """Summarise one visit for the course view."""
    consultation = visit.consultation
    assessment = consultation.get("assessment") or {}
    syndrome = assessment.get("syndrome") or {}
    plan = plan_in_force(visit)
    return CourseVisit(
        visit_id=visit.id,
        number=visit.number,
        date=visit.date,
        disease=str(assessment.get("disease") or ""),
        syndrome=str(syndrome.get("name") or ""),
        confidence=syndrome.get("confidence"),
        severity=str((consultation.get("representation") or {}).get("severity") or "未定"),
        measurements=read_measurements(consultation),
        formula=formula_name(plan),
        herbs=list(plan.get("herbs", [])),
        changes=plan_changes(plan_in_force(previous) if previous is not None else None, plan),
        response_to_previous=visit.response_to_previous,
        edited=visit.final_plan is not None,
    )

"""docs/formats.md lists exactly the fields of the models it documents, so the page cannot drift from the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import BaseModel

from derm3r.evaluation.lines import EvalLine, ExpertPlan
from derm3r.schemas.case import Case, ImageRef, Patient, PreviousVisit
from derm3r.schemas.consultation import Consultation, TraceEntry

DOC = Path(__file__).resolve().parents[1] / "docs" / "formats.md"
MODELS: dict[str, type[BaseModel]] = {
    model.__name__: model
    for model in (Case, Patient, ImageRef, PreviousVisit, EvalLine, ExpertPlan, Consultation, TraceEntry)
}


def _documented() -> dict[str, list[str]]:
    tables: dict[str, list[str]] = {}
    for match in re.finditer(r"<!-- fields: (\w+) -->\n((?:\|.*\n)+)", DOC.read_text(encoding="utf-8")):
        rows = match.group(2).splitlines()[2:]
        tables[match.group(1)] = [re.search(r"`(\w+)`", row).group(1) for row in rows]  # type: ignore[union-attr]
    return tables


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_documented_model_lists_its_fields_in_order(name: str) -> None:
    assert _documented()[name] == list(MODELS[name].model_fields)


def test_the_graph_context_is_documented_too() -> None:
    from dataclasses import fields

    from derm3r.graph.context import ConsultContext

    assert _documented()["ConsultContext"] == [field.name for field in fields(ConsultContext)]

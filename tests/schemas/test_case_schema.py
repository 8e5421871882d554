"""The Case schema refuses what cannot be a patient visit, naming the field (DESIGN.md, interchange formats)."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from derm3r.schemas.case import MAX_TEXT_CHARS, Case


def _error_locations(data: dict[str, Any]) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        Case.model_validate(data)
    return [".".join(str(part) for part in error["loc"]) for error in caught.value.errors()]


def test_free_text_alone_is_a_case_and_whitespace_is_stripped() -> None:
    case = Case.model_validate({"case_id": " c1 ", "history": "  皮疹两周  "})
    assert case.case_id == "c1" and case.history == "皮疹两周"
    assert case.text_fields()["history"] == "皮疹两周" and case.images == []


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({"case_id": ""}, "case_id"),
        ({"case_id": "c", "patient": {"age": True}}, "patient.age"),
        ({"case_id": "c", "patient": {"age": 131}}, "patient.age"),
        ({"case_id": "c", "patient": {"sex": "female"}}, "patient.sex"),
        ({"case_id": "c", "visit": {"number": 0}}, "visit.number"),
        ({"case_id": "c", "histroy": "typo"}, "histroy"),
        ({"case_id": "c", "history": "痒" * (MAX_TEXT_CHARS + 1)}, "history"),
        ({"case_id": "c", "images": [{"path": "a\nb.jpg"}]}, "images.0.path"),
        ({"case_id": "c", "images": [{"path": "a.jpg", "view": "selfie"}]}, "images.0.view"),
        ({"case_id": "c", "previous_visits": [{"plan": {"herbs": [{"name": "甘草", "dose_g": 900}]}}]},
         "previous_visits.0.plan.herbs.0.dose_g"),
    ],
)
def test_an_impossible_field_is_refused_by_its_path(data: dict[str, Any], location: str) -> None:
    assert location in _error_locations(data)


def test_a_json_boolean_is_never_read_as_a_number() -> None:
    assert "patient.age" in _error_locations({"case_id": "c", "patient": {"age": False}})
    assert Case.model_validate({"case_id": "c", "patient": {"age": 35}}).patient.age == 35.0

"""What the recognition tests read from a note: the asserted signs of one field, the top-ranked disease."""

from __future__ import annotations

from derm3r.clinic.age_signs import age_composed_signs
from derm3r.clinic.recognize import rank_diseases
from derm3r.text import extract_fields
from derm3r.text.signs import age_group_signs, extract_signs


def asserted_signs(kb, text: str, field: str = "lesion_description") -> set[str]:  # type: ignore[no-untyped-def]
    """The sign ids asserted (present, not negated, the patient's) in one field's text."""
    return {m.sign_id for m in extract_fields(kb, {field: text}) if m.asserted}


def top_disease(kb, fields: dict[str, str], age: float | None = None) -> str:  # type: ignore[no-untyped-def]
    """The id of the disease ranked first from these fields (age group and past history too), or "" when none ranks."""
    extracted = extract_signs(kb, None, fields)
    signs = extracted.present + age_group_signs(kb, age, extracted.present_ids)
    signs += age_composed_signs(kb, signs)
    ranked = rank_diseases(kb, {sign.term for sign in signs}, {sign.term for sign in extracted.past})
    return ranked[0].disease.id if ranked else ""

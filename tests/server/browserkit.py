"""Helpers of the browser tests: screenshots, filling the case form, uploading a photo, running a consultation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from serverkit import CASES, REPO

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = REPO / "test-artifacts" / "serve"
TEXT_FIELDS = ["chief_complaint", "history", "lesion_description", "symptoms", "tongue", "pulse"]


def shot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def fill_case(page: Any, case: dict[str, Any]) -> None:
    form = page.locator("#case-form")
    patient = case.get("patient", {})
    if patient.get("sex"):
        form.locator("select[name=sex]").select_option(patient["sex"])
    if patient.get("age") is not None:
        form.locator("input[name=age]").fill(str(patient["age"]))
    for field in TEXT_FIELDS:
        if case.get(field):
            form.locator(f"[name={field}]").fill(case[field])


def upload_photo(page: Any, image: dict[str, str]) -> None:
    page.locator("[data-testid=photo-input]").set_input_files(str(CASES / image["path"]))
    card = page.locator("#photo-list .photo").last
    card.locator("select").select_option(image["view"])
    card.locator("input").fill(image.get("site", ""))


def consult(page: Any) -> None:
    page.locator("[data-testid=consult]").click()
    page.locator("#progress li[data-node=check_safety].done").wait_for(timeout=240_000)  # a busy CI machine
    page.locator("[data-testid=result]").wait_for()



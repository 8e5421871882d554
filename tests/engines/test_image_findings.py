"""DERM-Rec's image findings: what the classical image analysis measured, expressed as lexicon signs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from derm3r.engines.base import ImageInput
from derm3r.engines.image_findings import findings_from_image
from derm3r.errors import CaseInputError
from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.case import ImageRef

CASES = Path(__file__).resolve().parents[2] / "examples" / "cases"


def test_a_psoriasis_closeup_gives_signs_with_their_measurements(kb: KnowledgeBase) -> None:
    ref = ImageRef(path="img/ps-blood-stasis-1-shin.jpg", view="closeup", site="shin")
    findings = findings_from_image(kb, ImageInput(ref, CASES))
    assert findings.source == "image:img/ps-blood-stasis-1-shin.jpg" and findings.quality is not None
    assert findings.quality.usable and findings.measurements is not None
    assert findings.signs, "a usable photo of a plaque reads as signs"
    for sign in findings.signs:
        assert sign.source == findings.source and sign.evidence  # each sign says what it was read from
        assert sign.label == kb.terms[sign.term].label
    # Each sign's label also lands in the field of its category (colour, scale, morphology, border).
    by_category = {"color": findings.color, "scale": findings.scale, "morphology": findings.morphology,
                   "border": findings.border}
    for sign in findings.signs:
        if sign.category in by_category:
            assert sign.label in by_category[sign.category]
    assert any(sign.term.startswith("morphology.") for sign in findings.signs)


def test_an_unusable_photo_gives_no_signs_and_says_why_once(kb: KnowledgeBase, tmp_path: Path) -> None:
    Image.fromarray(np.full((480, 640, 3), 3, dtype=np.uint8)).save(tmp_path / "dark.jpg")
    findings = findings_from_image(kb, ImageInput(ImageRef(path="dark.jpg", view="closeup"), tmp_path))
    assert findings.quality is not None and not findings.quality.usable
    assert findings.signs == [] and findings.quality.reasons
    assert len(findings.quality.reasons) == len(set(findings.quality.reasons))


def test_a_missing_photo_is_a_case_error_naming_the_image(kb: KnowledgeBase, tmp_path: Path) -> None:
    with pytest.raises(CaseInputError, match=r"field 'images' \(nope\.jpg\)"):
        findings_from_image(kb, ImageInput(ImageRef(path="nope.jpg", view="closeup"), tmp_path))

"""Multi-view fusion end to end: real painted photographs decoded, analysed and merged with the text."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from derm3r.clinic.fusion import fuse_findings, image_weight
from derm3r.schemas.findings import ImageQualityFacts, LesionFindings, Sign
from derm3r.testing.synthetic_images import paint_skin
from derm3r.testing.synthetic_tongue import paint_tongue

REPO = Path(__file__).resolve().parents[2]


def _save(folder: Path, name: str, rgb: np.ndarray) -> str:
    Image.fromarray(rgb).save(folder / name, quality=95)
    return name


def _image_finding(kb, view: str, score: float, term: str, usable: bool = True) -> LesionFindings:  # type: ignore[no-untyped-def]
    quality = ImageQualityFacts(path=f"{view}.jpg", view=view, quality_score=score, usable=usable)
    t = kb.terms[term]
    sign = Sign(term=term, label=t.label, category=t.category, source=f"image:{view}.jpg")
    return LesionFindings(source=f"image:{view}.jpg", view=view, quality=quality, signs=[sign])


def test_closeup_outweighs_overview(kb) -> None:
    text = LesionFindings(source="text")
    closeup = _image_finding(kb, "closeup", 0.9, "color.bright_red")
    overview = _image_finding(kb, "overview", 0.9, "color.dark_red")
    assert image_weight(closeup) > image_weight(overview)
    fused = fuse_findings([text, closeup, overview])
    terms = {s.term for s in fused.signs}
    assert "color.bright_red" in terms and "color.dark_red" not in terms
    assert not fused.conflicts  # 0.36 < half of 0.9: not a real disagreement


def test_text_outranks_images_and_the_conflict_is_reported(kb) -> None:
    t = kb.terms["color.pale_red"]
    text = LesionFindings(source="text", signs=[Sign(term=t.id, label=t.label, category=t.category, source="history")])
    fused = fuse_findings([text, _image_finding(kb, "closeup", 0.9, "color.bright_red")])
    assert {s.term for s in fused.signs} == {"color.pale_red"}
    assert any("以文字为准" in c for c in fused.conflicts)


def test_unusable_image_is_excluded_with_its_reason(kb) -> None:
    bad = _image_finding(kb, "closeup", 0.2, "color.bright_red", usable=False)
    bad.quality.reasons.append("图像模糊 (blurred)")  # type: ignore[union-attr]
    fused = fuse_findings([LesionFindings(source="text"), bad])
    assert fused.signs == [] and "blurred" in fused.images_excluded[0]


def test_consult_reads_painted_lesion_and_tongue_photos(system, tmp_path: Path) -> None:
    lesion, truth = paint_skin(11, tone=3, color_class="鲜红", scale="thick", count=2, size="large")
    tongue, _ = paint_tongue(12, body="红", coat_color="黄", coat_thickness="薄")
    case = {
        "case_id": "photos",
        "history": "银屑病，近1月新发皮疹不断增多，咽痛，便秘",
        "images": [
            {"path": _save(tmp_path, "elbow.jpg", lesion), "view": "closeup", "site": "elbow"},
            {"path": _save(tmp_path, "tongue.jpg", tongue), "view": "tongue"},
        ],
    }
    consultation = system.consult(case, case_dir=tmp_path)
    by_source = {f.source: f for f in consultation.findings}
    assert by_source["image:elbow.jpg"].quality.usable
    assert truth.color_class in by_source["image:elbow.jpg"].color
    terms = {s.term for s in consultation.representation.signs}
    assert {"color.bright_red", "tongue.red", "tongue.coat_yellow"} <= terms  # the text said neither
    assert consultation.representation.images_used == ["elbow.jpg", "tongue.jpg"]
    assert consultation.assessment.syndrome.id == "syn.psoriasis.blood_heat"


def test_blurred_photo_is_named_and_excluded(system, tmp_path: Path) -> None:
    blurred, _ = paint_skin(13, color_class="暗红", fault="blur")
    case = {"case_id": "blur", "history": "银屑病，皮损鲜红", "images": [{"path": _save(tmp_path, "b.jpg", blurred)}]}
    representation = system.consult(case, case_dir=tmp_path).representation
    assert representation.images_excluded and representation.images_excluded[0].startswith("b.jpg")
    assert "color.dark_red" not in {s.term for s in representation.signs}


def test_corrupt_image_exits_2_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 this is not really a jpeg")
    (tmp_path / "case.json").write_text(
        json.dumps({"case_id": "c", "images": [{"path": "broken.jpg"}]}), encoding="utf-8"
    )
    result = subprocess.run(
        [sys.executable, "-m", "derm3r.cli.main", "consult", str(tmp_path / "case.json"), "--no-retrieval"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        timeout=120,
    )
    assert result.returncode == 2
    assert "broken.jpg" in result.stderr and "Traceback" not in result.stderr


def test_image_escaping_the_case_folder_is_refused(system, tmp_path: Path) -> None:
    from derm3r.errors import CaseInputError

    inside = tmp_path / "case"
    inside.mkdir()
    rgb, _ = paint_skin(14)
    _save(tmp_path, "outside.jpg", rgb)
    with pytest.raises(CaseInputError, match=r"outside\.jpg"):
        system.consult({"case_id": "esc", "images": [{"path": "../outside.jpg"}]}, case_dir=inside)


def test_twelve_megapixel_photo_is_downscaled_and_analysed(tmp_path: Path) -> None:
    from derm3r.vision.analyze import analyze_image

    small, _ = paint_skin(15, width=800, height=600)
    Image.fromarray(small).resize((4000, 3000)).save(tmp_path / "big.jpg", quality=92)
    analysis = analyze_image("big.jpg", "closeup", base_dir=tmp_path)
    assert analysis.image.original_size == (4000, 3000)
    assert analysis.image.downscaled and analysis.analyzed
    assert analysis.lesions is not None and analysis.lesions.lesion_found

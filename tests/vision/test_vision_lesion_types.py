"""Lesion types beyond red plaques, on painted photos decoded from JPEG, across skin tones.

Right answers follow the textbook descriptions (《中医外科学》皮肤病总论; 白驳风: 白斑 lighter than
the surrounding skin with a sharp border and no inflammation; 瘾疹: 风团 pale-pink, often with a
paler centre; 蛇串疮: clustered vesicles on an erythematous base; 痂: serum or pus dried on a lesion —
脓痂/浆痂 yellow to honey-yellow and rough, so a red or dark-red scaly plaque (白疕) is not crust;
粉刺: black points at the follicle openings scattered over the skin, not domes on a red base;
糜烂: a superficial loss exposing a red, moist surface — wet glints, no scale; 白疕: 红斑上覆以多层银白色鳞屑).
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from derm3r.testing.synthetic_images import paint_skin
from derm3r.testing.synthetic_lesion_types import paint_lesion_type
from derm3r.vision.lesion import analyze_lesions
from derm3r.vision.models import LesionImageFindings


def _analyse(rgb: np.ndarray) -> LesionImageFindings:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=90)
    return analyze_lesions(np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB")))


def _certain(f: LesionImageFindings) -> set[str]:
    return {t.name for t in f.lesion_types if not t.uncertain}


@pytest.mark.parametrize("tone", [1, 6])
def test_vitiligo_patch_is_depigmentation_and_claims_no_erythema(tone: int) -> None:
    f = _analyse(paint_lesion_type(10 + tone, "depigmentation", tone=tone))
    assert f.lesion_found
    assert "depigmentation" in _certain(f)
    assert f.color_class is None and f.pasi_erythema is None


@pytest.mark.parametrize("tone", [2, 5])
def test_hyperpigmented_patch_is_named(tone: int) -> None:
    f = _analyse(paint_lesion_type(20 + tone, "hyperpigmentation", tone=tone))
    assert f.lesion_found and "hyperpigmentation" in _certain(f)
    assert "depigmentation" not in _certain(f)


@pytest.mark.parametrize("tone", [1, 4, 6])
def test_pale_centred_wheals_are_wheals(tone: int) -> None:
    f = _analyse(paint_lesion_type(30 + tone, "wheal", tone=tone))
    assert "wheal" in _certain(f)
    assert not _certain(f) & {"vesicle", "pustule", "depigmentation"}


@pytest.mark.parametrize("tone", [1, 3, 6])
def test_clustered_domes_are_vesicles_not_scale(tone: int) -> None:
    f = _analyse(paint_lesion_type(40 + tone, "vesicle", tone=tone))
    assert "vesicle" in _certain(f)
    assert not f.scale_present  # the zoster photo must not read as 鳞屑


def test_yellow_topped_domes_are_pustules() -> None:
    f = _analyse(paint_lesion_type(51, "pustule", tone=3))
    assert "pustule" in _certain(f) and "vesicle" not in _certain(f)


def test_crust_and_lichenification_are_named() -> None:
    assert "crust" in _certain(_analyse(paint_lesion_type(61, "crust", tone=2)))
    assert "lichenification" in _certain(_analyse(paint_lesion_type(71, "lichenification", tone=3)))


@pytest.mark.parametrize("tone", [1, 3, 6])
def test_clear_skin_reports_nothing(tone: int) -> None:
    f = _analyse(paint_lesion_type(80 + tone, "normal", tone=tone))
    assert not f.lesion_found and not f.lesion_types


@pytest.mark.parametrize(("tone", "colour", "scale"), [(1, "鲜红", "thick"), (4, "暗红", "thin"), (6, "紫暗", "thick")])
def test_scaly_plaques_keep_scale_and_gain_no_pigmentary_or_blister_claim(tone: int, colour: str, scale: str) -> None:
    rgb, _ = paint_skin(90 + tone, tone=tone, color_class=colour, scale=scale)  # type: ignore[arg-type]
    f = _analyse(rgb)
    assert f.lesion_found and f.scale_present
    assert not _certain(f) & {"depigmentation", "hyperpigmentation", "vesicle", "pustule", "wheal", "crust"}


EXAMPLE_IMAGES = Path(__file__).resolve().parents[2] / "examples" / "cases" / "img"


@pytest.mark.parametrize(
    ("name", "crusted"),
    [("ps-blood-heat-1-trunk", False), ("ps-blood-heat-1-elbow", False), ("ps-damp-toxin-1-axilla", True)],
)
def test_red_psoriatic_scale_is_not_crust_but_honey_crust_is(name: str, crusted: bool) -> None:
    # 血热证 plaques are bright red with silvery scale; the 湿毒 axilla picture carries yellow crusts.
    rgb = np.asarray(Image.open(EXAMPLE_IMAGES / f"{name}.jpg").convert("RGB"))
    f = analyze_lesions(rgb)
    assert f.lesion_found
    assert ("crust" in _certain(f)) is crusted


def test_uncertain_types_are_marked_and_below_the_threshold() -> None:
    from derm3r.vision.lesion_types import UNCERTAIN_BELOW

    f = _analyse(paint_lesion_type(33, "lichenification", tone=5))
    for kind in f.lesion_types:
        assert kind.uncertain == (kind.confidence < UNCERTAIN_BELOW)


def test_confident_types_become_signs_and_measurements(tmp_path, kb) -> None:  # type: ignore[no-untyped-def]
    from derm3r.engines.base import ImageInput
    from derm3r.engines.image_findings import findings_from_image
    from derm3r.schemas.case import ImageRef

    Image.fromarray(paint_lesion_type(12, "depigmentation", tone=4)).save(tmp_path / "patch.jpg", quality=92)
    findings = findings_from_image(kb, ImageInput(ref=ImageRef(path="patch.jpg", view="regional"), base_dir=tmp_path))
    terms = {sign.term for sign in findings.signs}
    assert "morphology.depigmentation" in terms
    assert not any(term.startswith("color.") for term in terms)  # no erythema claimed on a white patch
    assert findings.measurements is not None
    names = {item.name: item for item in findings.measurements.items}
    assert names["lesion_types"].value == "色素脱失斑" and names["lesion_types"].confidence >= 0.5


def test_an_uncertain_type_says_so_when_described() -> None:
    from derm3r.schemas.findings import Measurement
    from derm3r.vision.measurements import UNCERTAIN_NOTE, describe_measurement

    item = Measurement(name="lesion_types", value="风团", confidence=0.35, note=UNCERTAIN_NOTE + "淡红隆起")
    assert "不确定" in describe_measurement(item, "zh")
    assert "uncertain" in describe_measurement(item, "en")
    sure = Measurement(name="lesion_types", value="风团", confidence=0.7, note="淡红隆起, 环状")
    assert "不确定" not in describe_measurement(sure, "zh")


@pytest.mark.parametrize("tone", [1, 3, 6])
def test_scattered_black_points_are_comedones_and_count_as_found(tone: int) -> None:
    f = _analyse(paint_lesion_type(110 + tone, "comedone", tone=tone))
    assert "comedone" in _certain(f)
    assert f.lesion_found  # a face of blackheads is not clear skin, though nothing is red
    assert not _certain(f) & {"vesicle", "pustule", "hyperpigmentation", "erosion"}


@pytest.mark.parametrize("kind", ["vesicle", "pustule", "depigmentation", "hyperpigmentation", "normal"])
def test_domes_and_patches_are_not_comedones(kind: str) -> None:
    for tone in (2, 5):
        assert "comedone" not in _certain(_analyse(paint_lesion_type(120 + tone, kind, tone=tone)))  # type: ignore[arg-type]


@pytest.mark.parametrize("tone", [1, 4, 6])
def test_moist_red_surface_with_glints_is_erosion_not_scale(tone: int) -> None:
    f = _analyse(paint_lesion_type(130 + tone, "erosion", tone=tone))
    assert "erosion" in _certain(f)
    assert not f.scale_present  # the wet shine is not 鳞屑
    assert not _certain(f) & {"vesicle", "pustule", "silvery_scale"}


@pytest.mark.parametrize("kind", ["vesicle", "pustule", "crust", "wheal"])
def test_blisters_crusts_and_wheals_are_not_erosion(kind: str) -> None:
    for tone in (1, 4):
        assert "erosion" not in _certain(_analyse(paint_lesion_type(140 + tone, kind, tone=tone)))  # type: ignore[arg-type]


@pytest.mark.parametrize("tone", [1, 3, 6])
def test_thick_psoriatic_scale_is_silvery(tone: int) -> None:
    rgb, _ = paint_skin(150 + tone, tone=tone, color_class="鲜红", scale="thick")
    f = _analyse(rgb)
    assert f.scale_present and "silvery_scale" in _certain(f)
    assert "erosion" not in _certain(f)

from __future__ import annotations

import pytest

from derm3r.testing.synthetic_images import paint_skin
from derm3r.vision.lesion import analyze_lesions
from derm3r.vision.quality import assess_quality

# Every colour class and scale band, spread over all six skin tones.
CASES = [
    (1, "鲜红", "thin", 3, "medium"),
    (2, "淡红", "none", 2, "large"),
    (3, "暗红", "thick", 4, "small"),
    (4, "紫暗", "thin", 2, "medium"),
    (5, "鲜红", "thick", 1, "large"),
    (6, "淡红", "thin", 3, "medium"),
    (1, "紫暗", "none", 5, "small"),
    (2, "暗红", "thin", 2, "medium"),
    (3, "淡红", "thick", 2, "medium"),
    (4, "鲜红", "none", 3, "small"),
    (5, "紫暗", "thick", 2, "medium"),
    (6, "暗红", "none", 2, "large"),
]


@pytest.mark.parametrize(("tone", "color", "scale", "count", "size"), CASES)
def test_recovers_painted_truth(tone: int, color: str, scale: str, count: int, size: str) -> None:
    rgb, truth = paint_skin(
        1000 + tone * 10 + count,
        tone=tone,
        color_class=color,  # type: ignore[arg-type]
        scale=scale,  # type: ignore[arg-type]
        count=count,
        size=size,  # type: ignore[arg-type]
        irregularity=0.5,
    )
    f = analyze_lesions(rgb, assess_quality(rgb))
    assert f.lesion_found
    assert f.color_class == truth.color_class
    assert f.scale_present == (truth.scale != "none")
    assert f.scale_thickness == truth.scale
    assert abs(f.area_fraction - truth.area_fraction) <= 0.05
    assert f.lesion_count == truth.count
    assert f.pasi_erythema is not None and f.pasi_erythema_uncertainty is not None
    assert f.reference_skin is not None and f.delta_a is not None and f.delta_a > 0


def test_clear_skin_has_no_lesion() -> None:
    rgb, truth = paint_skin(7, tone=4, count=0)
    f = analyze_lesions(rgb)
    assert truth.count == 0
    assert not f.lesion_found and f.lesion_count == 0 and f.area_fraction == 0.0 and f.color_class is None
    assert "未见明显皮损 (no lesion found)" in f.notes


def test_pasi_subscores_follow_severity() -> None:
    pale, _ = paint_skin(31, tone=2, color_class="淡红", scale="none", count=2)
    bright, _ = paint_skin(32, tone=2, color_class="鲜红", scale="thin", count=2)
    dark, _ = paint_skin(33, tone=2, color_class="暗红", scale="thick", count=2)
    f_pale, f_bright, f_dark = (analyze_lesions(x) for x in (pale, bright, dark))
    assert f_pale.pasi_erythema < f_bright.pasi_erythema <= f_dark.pasi_erythema  # type: ignore[operator]
    assert f_pale.pasi_scale == 0 < f_bright.pasi_scale < f_dark.pasi_scale  # type: ignore[operator]
    assert all(0 <= f.pasi_erythema <= 4 for f in (f_pale, f_bright, f_dark))  # type: ignore[operator]


def test_pasi_only_for_closeups_and_dark_skin_is_noted() -> None:
    rgb, _ = paint_skin(41, tone=6, color_class="鲜红", count=2)
    f = analyze_lesions(rgb, view="overview")
    assert f.lesion_found and f.pasi_erythema is None and f.pasi_scale is None
    assert any("dark skin" in n for n in f.notes)


def test_irregular_borders_score_less_compact() -> None:
    smooth, _ = paint_skin(51, tone=2, count=2, size="large", irregularity=0.0, scale="none")
    wavy, _ = paint_skin(51, tone=2, count=2, size="large", irregularity=1.0, scale="none")
    f_smooth, f_wavy = analyze_lesions(smooth), analyze_lesions(wavy)
    assert f_smooth.border_compactness is not None and f_wavy.border_compactness is not None
    assert f_smooth.border_compactness < f_wavy.border_compactness
    assert f_smooth.border_regular


def test_background_beside_the_skin_is_ignored() -> None:
    rgb, truth = paint_skin(71, tone=1, color_class="淡红", scale="thick", count=2, size="medium")
    rgb = rgb.copy()
    rgb[:, :120] = (230, 230, 225)  # an off-white sheet: whitish like scale, but not skin
    kept = truth.mask.copy()
    kept[:, :120] = False
    f = analyze_lesions(rgb)
    assert f.color_class == "淡红"
    assert abs(f.area_fraction - kept.mean()) <= 0.02
    clear, _ = paint_skin(72, tone=4, count=0)
    clear = clear.copy()
    clear[:, :150] = (60, 80, 120)
    assert not analyze_lesions(clear).lesion_found

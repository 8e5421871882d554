"""Every image measurement reaches the Consultation, with lesion outlines that lie on the painted lesions."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from derm3r.schemas.findings import ImageMeasurements, LesionOutline
from derm3r.testing.synthetic_images import paint_skin
from derm3r.testing.synthetic_tongue import paint_tongue
from derm3r.vision.analyze import analyze_image
from derm3r.vision.lesion import analyze_lesions
from derm3r.vision.measurements import describe_measurement, measurements_from_analysis


def _raster(outlines: list[LesionOutline], size: tuple[int, int]) -> np.ndarray:
    canvas = Image.new("1", size, 0)
    draw = ImageDraw.Draw(canvas)
    for outline in outlines:
        draw.polygon(outline.polygon, fill=1)
    return np.asarray(canvas, dtype=bool)


def test_outlines_enclose_the_painted_plaques_one_per_plaque() -> None:
    rgb, truth = paint_skin(1033, tone=3, color_class="暗红", scale="thick", count=3, size="medium")
    findings = analyze_lesions(rgb)
    assert len(findings.outlines) == truth.count == findings.lesion_count
    drawn = _raster(findings.outlines, (rgb.shape[1], rgb.shape[0]))
    # The convex outlines hold nearly all the painted lesion and little else.
    assert (drawn & truth.mask).sum() / truth.mask.sum() >= 0.9
    assert drawn.sum() <= 1.6 * truth.mask.sum()
    for outline in findings.outlines:
        x0, y0, x1, y1 = outline.bbox
        xs, ys = zip(*outline.polygon, strict=True)
        assert x0 <= min(xs) and max(xs) <= x1 and y0 <= min(ys) and max(ys) <= y1


def test_outlines_are_in_the_original_photo_coordinates(tmp_path: Path) -> None:
    rgb, truth = paint_skin(77, tone=2, color_class="鲜红", count=1, size="large", width=960, height=720)
    big = np.asarray(Image.fromarray(rgb).resize((3840, 2880), Image.Resampling.BILINEAR))
    Image.fromarray(big).save(tmp_path / "big.png")
    analysis = analyze_image("big.png", "closeup", base_dir=tmp_path)
    measurements = measurements_from_analysis(analysis)
    assert measurements is not None and measurements.image_size == (3840, 2880)
    assert analysis.image.working_size != analysis.image.original_size  # intake did downscale
    mask = np.asarray(Image.fromarray(truth.mask).resize((3840, 2880)), dtype=bool)
    ys, xs = np.nonzero(mask)
    x0, y0, x1, y1 = measurements.outlines[0].bbox
    assert abs(x0 - xs.min()) < 80 and abs(x1 - xs.max()) < 80 and abs(y0 - ys.min()) < 80 and abs(y1 - ys.max()) < 80


def test_closeup_measurements_carry_area_count_erythema_and_pasi_with_confidence(tmp_path: Path) -> None:
    rgb, truth = paint_skin(1003, tone=3, color_class="暗红", scale="thick", count=2)
    Image.fromarray(rgb).save(tmp_path / "c.png")
    measurements = measurements_from_analysis(analyze_image("c.png", "closeup", base_dir=tmp_path))
    assert isinstance(measurements, ImageMeasurements)
    area = measurements.get("area_percent")
    assert area is not None and abs(float(area.value or 0) - 100 * truth.area_fraction) <= 5
    count = measurements.get("lesion_count")
    assert count is not None and count.value == truth.count and isinstance(count.value, int)
    erythema = measurements.get("erythema_index")
    assert erythema is not None and float(erythema.value or 0) > 0 and erythema.confidence is not None
    for name in ("pasi_erythema", "pasi_scale"):
        item = measurements.get(name)
        assert item is not None and 0 <= float(item.value or 0) <= 4 and 0 < (item.confidence or 0) <= 1
    induration = measurements.get("pasi_induration")
    assert induration is not None and induration.value is None and "photograph" in induration.note
    assert describe_measurement(induration, "zh").startswith("PASI 浸润：未测")


def test_overview_has_no_pasi_and_tongue_has_attributes(tmp_path: Path) -> None:
    rgb, _ = paint_skin(41, tone=4, color_class="鲜红", count=2)
    Image.fromarray(rgb).save(tmp_path / "o.png")
    overview = measurements_from_analysis(analyze_image("o.png", "overview", base_dir=tmp_path))
    assert overview is not None and overview.get("pasi_erythema") is None and overview.get("lesion_count")
    tongue_rgb, tongue_truth = paint_tongue(5, body="红", coat_color="黄", coat_thickness="厚")
    Image.fromarray(tongue_rgb).save(tmp_path / "t.png")
    tongue = measurements_from_analysis(analyze_image("t.png", "tongue", base_dir=tmp_path))
    assert tongue is not None and not tongue.outlines
    body = tongue.get("tongue_body")
    assert body is not None and body.value == tongue_truth.body and body.confidence is not None
    assert {item.name for item in tongue.items} >= {"coat_color", "coat_thickness", "coat_greasy"}

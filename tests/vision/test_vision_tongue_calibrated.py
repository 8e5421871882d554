from __future__ import annotations

import io

import numpy as np
from PIL import Image

from derm3r.testing.synthetic_tongue import paint_tongue
from derm3r.vision.color import srgb_to_lab
from derm3r.vision.tongue import analyze_tongue
from derm3r.vision.tongue_calibration import classify_coat, load_calibration
from derm3r.vision.tongue_segment import normalise_illuminant, segment_tongue


def _jpeg_roundtrip(rgb: np.ndarray) -> np.ndarray:
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format="JPEG", quality=90)
    return np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"))


def test_calibration_is_fitted_on_labelled_photos_and_orders_redness() -> None:
    cal = load_calibration()
    assert "TonguExpert" in cal.source
    means = dict(zip(cal.body.classes, cal.body.means[:, 1], strict=True))
    # TonguExpert's light < regular < dark bodies must come out in increasing redness (a*).
    assert means["淡白"] < means["淡红"] < means["红"]
    white, yellow = (float(m[0]) for m in cal.coat.means)
    assert white < yellow


def test_segmentation_excludes_face_and_keeps_the_tongue() -> None:
    rgb, _ = paint_tongue(21, body="红", coat_color="白", coat_thickness="薄")
    rgb = _jpeg_roundtrip(rgb)
    lab = srgb_to_lab(rgb)
    mask = segment_tongue(lab)
    h, w = mask.shape
    assert mask[int(0.6 * h), w // 2]
    # Corners are face skin in the painted frame.
    assert not mask[int(0.95 * h), 5] and not mask[int(0.95 * h), w - 6]
    assert 0.15 < mask.mean() < 0.6


def test_a_strong_cast_is_corrected_from_neutral_pixels_and_a_neutral_photo_is_left_alone() -> None:
    rgb = np.full((80, 80, 3), (180, 120, 110), dtype=np.uint8)
    rgb[:10, :] = (240, 240, 240)  # teeth-like neutral band
    tongue = np.zeros((80, 80), dtype=bool)
    tongue[30:70, 20:60] = True
    same, gains = normalise_illuminant(rgb, tongue)
    assert gains == (1.0, 1.0, 1.0) and same is rgb
    cast = rgb.copy()
    cast[:10, :] = (230, 225, 145)  # a strong warm light makes the neutral band yellow-orange
    corrected, gains = normalise_illuminant(cast, tongue)
    assert gains[2] > 1.1 and gains[0] < 0.95
    band = corrected[:10].reshape(-1, 3).astype(int).mean(axis=0)
    assert np.ptp(band) < np.ptp(cast[:10].reshape(-1, 3).astype(int).mean(axis=0)) / 2


def test_grey_black_coat_is_a_rule_and_white_yellow_come_from_the_fit() -> None:
    assert classify_coat(np.array([80.0, 2.0, 0.0]), grey_share=0.5)[0] == "灰黑"
    assert classify_coat(np.array([80.0, 2.0, 0.0]), grey_share=0.1)[0] == "白"
    assert classify_coat(np.array([80.0, 2.0, 0.0]))[0] == "白"
    assert classify_coat(np.array([75.0, 3.0, 20.0]))[0] == "黄"


def test_findings_carry_confidences_and_surface_signs() -> None:
    rgb, _ = paint_tongue(8, body="淡红", coat_color="黄", coat_thickness="厚")
    f = analyze_tongue(_jpeg_roundtrip(rgb))
    assert 0.0 < f.body_confidence <= 1.0 and 0.0 < f.coat_confidence <= 1.0
    assert 0.1 < f.tongue_fraction < 0.7
    for conf in (f.fissure_confidence, f.tooth_mark_confidence, f.peeled_confidence):
        assert 0.5 <= conf <= 0.6  # uncalibrated signs never claim more

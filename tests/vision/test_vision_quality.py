from __future__ import annotations

import numpy as np
import pytest

from derm3r.testing.synthetic_images import paint_skin
from derm3r.vision.quality import assess_quality


@pytest.mark.parametrize("tone", [1, 3, 6])
def test_clean_images_are_usable(tone: int) -> None:
    rgb, _ = paint_skin(10 + tone, tone=tone, count=3)
    q = assess_quality(rgb)
    assert q.usable and not q.reasons and q.score > 0.7
    assert q.skin_fraction > 0.5


@pytest.mark.parametrize(
    ("fault", "flag", "reason"),
    [
        ("blur", "blurred", "图像模糊 (blurred)"),
        ("over", "overexposed", "曝光过度 (over-exposed)"),
        ("under", "underexposed", "曝光不足 (under-exposed)"),
    ],
)
@pytest.mark.parametrize("tone", [1, 6])
def test_faults_are_flagged_and_block_use(fault: str, flag: str, reason: str, tone: int) -> None:
    rgb, _ = paint_skin(20 + tone, tone=tone, count=2, fault=fault)  # type: ignore[arg-type]
    q = assess_quality(rgb)
    assert getattr(q, flag)
    assert reason in q.reasons
    assert not q.usable and q.score <= 0.3


def test_noise_is_reported_but_not_blocking() -> None:
    rgb, _ = paint_skin(5, tone=3, count=2, fault="noise")
    q = assess_quality(rgb)
    assert q.noisy and "噪点明显 (noisy)" in q.reasons
    assert q.usable and not q.blurred


def test_tiny_image_and_no_skin() -> None:
    rgb, _ = paint_skin(1, width=100, height=80, count=1, size="small")
    q = assess_quality(rgb)
    assert q.low_resolution and not q.usable
    grey = np.full((300, 300, 3), 128, dtype=np.uint8)
    grey += np.random.default_rng(0).integers(0, 20, grey.shape, dtype=np.uint8)
    q = assess_quality(grey)
    assert q.little_skin and "画面中皮肤过少 (little skin in view)" in q.reasons and not q.usable
    # Tongue photos need no skin: the flag stays, but it is neither a reason nor blocking.
    q = assess_quality(grey, require_skin=False)
    assert "画面中皮肤过少 (little skin in view)" not in q.reasons


def test_colour_cast_is_reported() -> None:
    rgb, _ = paint_skin(3, tone=2, count=1)
    cast = rgb.astype(np.int16)
    cast[..., 2] = np.clip(cast[..., 2] + 90, 0, 255)  # strong blue cast
    q = assess_quality(cast.astype(np.uint8))
    assert q.color_cast and "色偏明显 (colour cast)" in q.reasons


def test_sharpness_does_not_depend_on_pixel_count() -> None:
    from PIL import Image

    rgb, _ = paint_skin(4, tone=3, count=3, width=480, height=360)
    big = np.asarray(Image.fromarray(rgb).resize((1440, 1080), Image.Resampling.BICUBIC))
    # Upscaling softens pixels but, at the standard scale, the image is as sharp as before.
    assert not assess_quality(big).blurred

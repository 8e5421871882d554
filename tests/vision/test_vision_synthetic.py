from __future__ import annotations

import numpy as np
import pytest

from derm3r.testing.synthetic_images import SKIN_TONES, Nuisance, paint_skin
from derm3r.testing.synthetic_tongue import paint_tongue


def test_painting_is_seeded() -> None:
    a, ta = paint_skin(9, tone=2, count=3)
    b, tb = paint_skin(9, tone=2, count=3)
    c, _ = paint_skin(10, tone=2, count=3)
    assert np.array_equal(a, b) and ta == tb and np.array_equal(ta.mask, tb.mask)
    assert not np.array_equal(a, c)
    assert np.array_equal(paint_tongue(3)[0], paint_tongue(3)[0])


def test_truth_describes_the_image() -> None:
    rgb, truth = paint_skin(11, tone=5, color_class="紫暗", scale="thick", count=4, size="small")
    assert rgb.shape == (360, 480, 3) and rgb.dtype == np.uint8
    assert truth.count <= 4 and truth.area_fraction == pytest.approx(truth.mask.mean())
    assert truth.color_class == "紫暗" and truth.scale == "thick" and len(SKIN_TONES) >= 5
    # Skin tones go from light to dark.
    means = [paint_skin(1, tone=t, count=0)[0].mean() for t in (1, 6)]
    assert means[0] > means[1] + 60


def test_nuisance_and_bad_tone() -> None:
    rgb, _ = paint_skin(
        12, nuisance=Nuisance(white_balance=0.05, shading=2.0, jpeg_quality=80, delta_spread=0.2)
    )
    assert rgb.shape == (360, 480, 3)
    with pytest.raises(ValueError, match="tone must be 1-6"):
        paint_skin(1, tone=7)

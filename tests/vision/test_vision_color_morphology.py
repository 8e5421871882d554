from __future__ import annotations

import numpy as np
import pytest

from derm3r.vision.color import lab_to_srgb, srgb_to_lab, srgb_to_ycbcr
from derm3r.vision.filters import box_mean, gaussian_blur, noise_sigma
from derm3r.vision.morphology import closing, component_perimeters, dilate, erode, fill_holes, label, opening


@pytest.mark.parametrize(
    ("rgb", "lab"),
    [
        ((255, 255, 255), (100.0, 0.0, 0.0)),
        ((0, 0, 0), (0.0, 0.0, 0.0)),
        ((255, 0, 0), (53.24, 80.09, 67.20)),
        ((0, 255, 0), (87.73, -86.18, 83.18)),
        ((0, 0, 255), (32.30, 79.19, -107.86)),
        ((128, 128, 128), (53.59, 0.0, 0.0)),
    ],
)
def test_srgb_to_lab_reference_values(rgb: tuple[int, int, int], lab: tuple[float, float, float]) -> None:
    got = srgb_to_lab(np.array([[rgb]], dtype=np.uint8))[0, 0]
    assert np.allclose(got, lab, atol=0.05)


def test_lab_round_trip_and_float_input() -> None:
    rng = np.random.default_rng(1)
    rgb = rng.integers(0, 256, (40, 50, 3), dtype=np.uint8)
    lab = srgb_to_lab(rgb)
    assert lab.shape == rgb.shape and lab.dtype == np.float32
    assert np.abs(lab_to_srgb(lab).astype(int) - rgb.astype(int)).max() <= 1
    assert np.allclose(srgb_to_lab(rgb / 255.0), lab, atol=1e-3)


def test_ycbcr_of_grey_is_neutral() -> None:
    ycc = srgb_to_ycbcr(np.full((2, 2, 3), 77, dtype=np.uint8))
    assert np.allclose(ycc[..., 0], 77, atol=0.01) and np.allclose(ycc[..., 1:], 128, atol=0.01)


def test_filters() -> None:
    img = np.zeros((21, 21), dtype=np.float32)
    img[10, 10] = 81.0
    assert box_mean(img, 4)[10, 10] == pytest.approx(1.0)
    assert gaussian_blur(img, 2.0).sum() == pytest.approx(81.0, rel=1e-4)
    rng = np.random.default_rng(0)
    assert noise_sigma(100 + rng.normal(0, 5, (200, 200))) == pytest.approx(5.0, rel=0.05)


def test_morphology_basics() -> None:
    m = np.zeros((30, 30), dtype=bool)
    m[5:25, 5:25] = True
    m[12:17, 12:17] = False  # a hole
    m[0, 0] = True  # a speck
    assert fill_holes(m)[14, 14] and fill_holes(m).sum() == m.sum() + 25
    assert not opening(m, 1)[0, 0]
    assert erode(m, 2).sum() < m.sum() < dilate(m, 2).sum()
    bridged = np.zeros((10, 20), dtype=bool)
    bridged[2:8, 2:9] = True
    bridged[2:8, 10:17] = True
    assert label(bridged)[1] == 2 and label(closing(bridged, 1))[1] == 1


def test_label_matches_connectivity_rules() -> None:
    diag = np.eye(5, dtype=bool)
    assert label(diag, connectivity=8)[1] == 1
    assert label(diag, connectivity=4)[1] == 5
    rng = np.random.default_rng(3)
    noise = rng.random((80, 80)) > 0.55
    labels, n = label(noise)
    assert n == len(np.unique(labels)) - 1
    # No two 8-neighbours carry different non-zero labels.
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):
        a = labels[max(dy, 0) :, max(dx, 0) : labels.shape[1] + min(dx, 0)]
        b = labels[: labels.shape[0] - dy, max(-dx, 0) : labels.shape[1] - max(dx, 0)]
        both = (a > 0) & (b > 0)
        assert (a[both] == b[both]).all()


def test_perimeter_of_square() -> None:
    m = np.zeros((12, 12), dtype=int)
    m[2:6, 2:6] = 1
    assert component_perimeters(m, 1)[1] == 16

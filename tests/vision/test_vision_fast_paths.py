"""The fast paths of the 12 MP analysis give what the plain computations give, exactly.

The analysis of a phone photo must take at most about a second (issue 7). The faster ways of computing a
window extreme, component boxes and a lesion's convex outline are checked here against the plain ones
they replaced, on random masks and images, so a speed-up can never change a result.
"""

from __future__ import annotations

import numpy as np
import pytest

from derm3r.vision.filters import grey_closing
from derm3r.vision.morphology import component_boxes, label
from derm3r.vision.outline import _convex_hull


def _plain_hull(points: np.ndarray) -> list[tuple[float, float]]:
    """Andrew's monotone chain over every point (the outline's hull before its points were thinned)."""
    pts = sorted(set(map(tuple, points.tolist())))
    if len(pts) <= 2:
        return [(float(x), float(y)) for x, y in pts]

    def cross(o: tuple[int, int], a: tuple[int, int], b: tuple[int, int]) -> int:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[int, int]] = []
    upper: list[tuple[int, int]] = []
    for chain, seq in ((lower, pts), (upper, pts[::-1])):
        for p in seq:
            while len(chain) >= 2 and cross(chain[-2], chain[-1], p) <= 0:
                chain.pop()
            chain.append(p)
    return lower[:-1] + upper[:-1]


def _plain_closing(img: np.ndarray, radius: int) -> np.ndarray:
    """Grey closing as a max then a min over every (2r+1) square, edges replicated."""
    k = 2 * radius + 1
    out = []
    for reduce in (np.maximum, np.minimum):
        p = np.pad(img if not out else out[-1], radius, mode="edge")
        windows = np.lib.stride_tricks.sliding_window_view(p, (k, k))
        out.append(reduce.reduce(reduce.reduce(windows, axis=-1), axis=-1))
    return out[-1]


@pytest.mark.parametrize("seed", range(4))
def test_the_lesion_outline_is_the_hull_of_every_pixel_corner(seed: int) -> None:
    rng = np.random.default_rng(seed)
    for _ in range(200):
        h, w = rng.integers(1, 25, 2)
        mask = rng.random((h, w)) < rng.random()
        if rng.random() < 0.2:  # a single row or column: collinear points
            mask[:] = False
            mask[rng.integers(0, h), :] = True
        ys, xs = np.nonzero(mask)
        if xs.size == 0:
            continue
        corners = np.concatenate([np.stack([xs + dx, ys + dy], axis=1) for dx in (0, 1) for dy in (0, 1)])
        assert _convex_hull(corners) == _plain_hull(corners)


@pytest.mark.parametrize("radius", [1, 2, 4])
def test_grey_closing_is_the_max_then_min_over_the_square(radius: int) -> None:
    rng = np.random.default_rng(radius)
    img = (rng.random((37, 53)) * 100).astype(np.float32)
    assert np.array_equal(grey_closing(img, radius), _plain_closing(img, radius))


def test_component_boxes_are_each_components_extent() -> None:
    rng = np.random.default_rng(7)
    labels, count = label(rng.random((60, 80)) < 0.3)
    y_min, y_max, x_min, x_max = component_boxes(labels, count)
    for k in range(1, count + 1):
        ys, xs = np.nonzero(labels == k)
        assert (y_min[k], y_max[k], x_min[k], x_max[k]) == (ys.min(), ys.max(), xs.min(), xs.max())

"""Lesion outlines to draw on the photo: a bounding box and a convex polygon per connected lesion."""

from __future__ import annotations

import numpy as np

from derm3r.schemas.findings import LesionOutline

#: Outlines kept per image, largest lesions first (a rash of hundreds of papules is not drawn one by one).
MAX_OUTLINES = 12


def _row_ends(points: np.ndarray) -> np.ndarray:
    """The leftmost and rightmost of the (x, y) points in each row: every hull vertex is one of them."""
    if len(points) == 0:
        return points
    order = np.lexsort((points[:, 0], points[:, 1]))
    ordered = points[order]
    new_row = np.flatnonzero(np.diff(ordered[:, 1])) + 1
    first = np.concatenate([[0], new_row])
    last = np.concatenate([new_row - 1, [len(ordered) - 1]])
    return ordered[np.concatenate([first, last])]


def _convex_hull(points: np.ndarray) -> list[tuple[float, float]]:
    """Andrew's monotone chain over (x, y) points; vertices counter-clockwise in image coordinates."""
    pts = sorted(set(map(tuple, _row_ends(points).tolist())))
    if len(pts) <= 2:
        return [(float(x), float(y)) for x, y in pts]

    def cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    for p in pts:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], p) <= 0:
            lower.pop()
        lower.append(p)
    upper: list[tuple[float, float]] = []
    for p in reversed(pts):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], p) <= 0:
            upper.pop()
        upper.append(p)
    return lower[:-1] + upper[:-1]


def lesion_outlines(
    labels: np.ndarray, count: int, image_size: tuple[int, int], *, limit: int = MAX_OUTLINES
) -> list[LesionOutline]:
    """Outline the labelled lesions in the coordinates of an image of ``image_size``.

    The polygon is the convex hull of each component's pixel corners, so it encloses every lesion pixel;
    a horseshoe-shaped plaque is drawn with its hollow filled.

    Args:
        labels: Label image of the analysed (downscaled) array, 0 background, 1..count lesions.
        count: Number of labels.
        image_size: (width, height) of the image the outlines are drawn on.
        limit: Most outlines returned.

    Returns:
        Outlines, largest lesion first.
    """
    if count == 0:
        return []
    h, w = labels.shape
    sx, sy = image_size[0] / w, image_size[1] / h
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:]
    order = np.argsort(-areas, kind="stable")[:limit]
    outlines = []
    for index in order:
        ys, xs = np.nonzero(labels == index + 1)
        # Pixel corners, so a one-pixel lesion still has an area.
        corners = np.concatenate([np.stack([xs + dx, ys + dy], axis=1) for dx in (0, 1) for dy in (0, 1)])
        hull = _convex_hull(corners)
        outlines.append(
            LesionOutline(
                bbox=(
                    int(np.floor(xs.min() * sx)),
                    int(np.floor(ys.min() * sy)),
                    min(image_size[0], int(np.ceil((xs.max() + 1) * sx))),
                    min(image_size[1], int(np.ceil((ys.max() + 1) * sy))),
                ),
                polygon=[(min(image_size[0], round(x * sx)), min(image_size[1], round(y * sy))) for x, y in hull],
                area_fraction=round(float(areas[index]) / (h * w), 5),
            )
        )
    return outlines

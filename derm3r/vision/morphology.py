"""Binary morphology and connected components in numpy / plain Python (no scipy).

Masks are 2-D boolean arrays. Pixels outside the image count as background for dilation and as
foreground for erosion, so objects touching the border are not eaten away from the edge.
"""

from __future__ import annotations

import numpy as np


def _shift_or(mask: np.ndarray, dy: int, dx: int) -> np.ndarray:
    """``mask`` shifted by (dy, dx) with zero fill."""
    h, w = mask.shape
    out = np.zeros_like(mask)
    ys = slice(max(dy, 0), h + min(dy, 0))
    yd = slice(max(-dy, 0), h + min(-dy, 0))
    xs = slice(max(dx, 0), w + min(dx, 0))
    xd = slice(max(-dx, 0), w + min(-dx, 0))
    out[ys, xs] = mask[yd, xd]
    return out


def _dilate_line(mask: np.ndarray, radius: int, axis: int) -> np.ndarray:
    out = mask.copy()
    for s in range(1, radius + 1):
        if axis == 0:
            out |= _shift_or(mask, s, 0)
            out |= _shift_or(mask, -s, 0)
        else:
            out |= _shift_or(mask, 0, s)
            out |= _shift_or(mask, 0, -s)
    return out


def dilate(mask: np.ndarray, radius: int, shape: str = "disk") -> np.ndarray:
    """Binary dilation.

    Args:
        mask: 2-D bool array.
        radius: structuring-element radius in pixels (0 returns a copy).
        shape: "square" for a (2r+1) square, "disk" for an octagon approximating a disc.

    Returns:
        Dilated bool array.
    """
    m = np.asarray(mask, dtype=bool)
    if radius <= 0:
        return m.copy()
    if shape == "square":
        return _dilate_line(_dilate_line(m, radius, 0), radius, 1)
    # Alternating 3x3 crosses and squares grow an octagon, close enough to a disc for cleanup.
    out = m
    for i in range(radius):
        if i % 2 == 0:
            out = _dilate_line(out, 1, 0) | _dilate_line(out, 1, 1)
        else:
            out = _dilate_line(_dilate_line(out, 1, 0), 1, 1)
    return out


def erode(mask: np.ndarray, radius: int, shape: str = "disk") -> np.ndarray:
    """Binary erosion (dual of :func:`dilate`); see there for the arguments."""
    return ~dilate(~np.asarray(mask, dtype=bool), radius, shape)


def opening(mask: np.ndarray, radius: int, shape: str = "disk") -> np.ndarray:
    """Erosion then dilation: removes specks and thin spurs narrower than the element."""
    return dilate(erode(mask, radius, shape), radius, shape)


def closing(mask: np.ndarray, radius: int, shape: str = "disk") -> np.ndarray:
    """Dilation then erosion: bridges gaps and notches narrower than the element."""
    m = np.asarray(mask, dtype=bool)
    # Pad so that closing near the border behaves as it does inside the image.
    p = np.pad(m, radius, mode="edge")
    return erode(dilate(p, radius, shape), radius, shape)[radius : -radius or None, radius : -radius or None]


def label(mask: np.ndarray, connectivity: int = 8) -> tuple[np.ndarray, int]:
    """Label connected components by runs and union-find.

    Args:
        mask: 2-D bool array.
        connectivity: 4 or 8.

    Returns:
        (labels, count): int32 label image with 0 for background and 1..count for components.
    """
    m = np.asarray(mask, dtype=bool)
    h, w = m.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = m
    d = np.diff(padded, axis=1)
    sy, sx = np.nonzero(d == 1)
    _, ex = np.nonzero(d == -1)
    n_runs = sy.size
    if n_runs == 0:
        return np.zeros((h, w), dtype=np.int32), 0
    parent = list(range(n_runs))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    reach = 1 if connectivity == 8 else 0
    row_start = np.searchsorted(sy, np.arange(h + 1))
    rs = row_start.tolist()
    sx_l = sx.tolist()
    ex_l = ex.tolist()
    for y in range(1, h):
        i, i_end = rs[y - 1], rs[y]
        j, j_end = rs[y], rs[y + 1]
        while i < i_end and j < j_end:
            # Runs [s, e) overlap, or touch diagonally under 8-connectivity.
            if sx_l[i] < ex_l[j] + reach and sx_l[j] < ex_l[i] + reach:
                ri, rj = find(i), find(j)
                if ri != rj:
                    parent[max(ri, rj)] = min(ri, rj)
            if ex_l[i] < ex_l[j]:
                i += 1
            else:
                j += 1
    roots = np.array([find(i) for i in range(n_runs)])
    _, compact = np.unique(roots, return_inverse=True)
    run_label = (compact + 1).astype(np.int32)
    acc = np.zeros((h, w + 1), dtype=np.int32)
    np.add.at(acc, (sy, sx), run_label)
    np.add.at(acc, (sy, ex), -run_label)
    labels = np.cumsum(acc[:, :w], axis=1).astype(np.int32)
    return labels, int(run_label.max())


def connected_to(seeds: np.ndarray, candidates: np.ndarray) -> np.ndarray:
    """The candidate pixels 8-connected to the seeds, through candidates or seeds.

    Args:
        seeds: Boolean mask the growth starts from.
        candidates: Boolean mask of pixels that may be reached.

    Returns:
        The candidates in a component of ``candidates | seeds`` that holds a seed.
    """
    labels, count = label(candidates | seeds)
    touching = np.zeros(count + 1, dtype=bool)
    touching[np.unique(labels[seeds])] = True
    touching[0] = False
    return touching[labels] & candidates


def fill_holes(mask: np.ndarray) -> np.ndarray:
    """Fill background regions that do not touch the image border."""
    m = np.asarray(mask, dtype=bool)
    bg_labels, n = label(~m, connectivity=4)
    if n == 0:
        return m.copy()
    border = np.unique(np.concatenate([bg_labels[0], bg_labels[-1], bg_labels[:, 0], bg_labels[:, -1]]))
    keep_bg = np.zeros(n + 1, dtype=bool)
    keep_bg[border] = True
    keep_bg[0] = False
    holes = ~keep_bg[bg_labels] & ~m
    return m | holes


def remove_small(mask: np.ndarray, min_pixels: int) -> np.ndarray:
    """Drop 8-connected components smaller than ``min_pixels``."""
    labels, n = label(mask)
    if n == 0:
        return np.asarray(mask, dtype=bool).copy()
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    keep = sizes >= min_pixels
    keep[0] = False
    return keep[labels]


def component_perimeters(labels: np.ndarray, count: int) -> np.ndarray:
    """Boundary length of each labelled component, counted as pixel-edge cracks.

    Returns:
        float array of length ``count + 1`` (index 0 unused) of crack counts.
    """
    p = np.pad(labels, 1)
    per = np.zeros(count + 1, dtype=np.float64)
    for a, b in ((p[:, :-1], p[:, 1:]), (p[:-1, :], p[1:, :])):
        diff = a != b
        per += np.bincount(a[diff].ravel(), minlength=count + 1)
        per += np.bincount(b[diff].ravel(), minlength=count + 1)
    per[0] = 0.0
    return per


def component_edge_shares(labels: np.ndarray, count: int) -> np.ndarray:
    """Share of each labelled component's outline that lies on the image's edge.

    Returns:
        float array of length ``count + 1`` (index 0 unused), 0-1.
    """
    border = np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]])
    on_edge = np.bincount(border, minlength=count + 1).astype(np.float64)
    share = on_edge / np.maximum(component_perimeters(labels, count), 1.0)
    share[0] = 0.0
    return share


def component_boxes(labels: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Bounding box of each labelled component, in one pass over the image.

    Returns:
        (y_min, y_max, x_min, x_max), inclusive, int arrays of length ``count + 1`` (index 0 and labels
        with no pixel unused: their min is the image size and their max -1).
    """
    h, w = labels.shape
    ys, xs = np.nonzero(labels)
    k = labels[ys, xs]
    y_min, x_min = np.full(count + 1, h, dtype=np.int64), np.full(count + 1, w, dtype=np.int64)
    y_max, x_max = np.full(count + 1, -1, dtype=np.int64), np.full(count + 1, -1, dtype=np.int64)
    np.minimum.at(y_min, k, ys)
    np.maximum.at(y_max, k, ys)
    np.minimum.at(x_min, k, xs)
    np.maximum.at(x_max, k, xs)
    return y_min, y_max, x_min, x_max

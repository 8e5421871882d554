"""The shape of a line on the skin: colour offsets from the local skin, and the stroke and surround tests.

Marker ink (:mod:`derm3r.vision.ink`), dark lines (black marker, dark hair) and warm hair strands
(:mod:`derm3r.vision.hair`) differ in colour but share their shape: a long thin valley, a line or a ring
(not a patch, nor a mesh round flakes), with skin beside it. This module holds what they share: the
per-pixel offsets (light-skin units, see :mod:`derm3r.vision.skin_model`), :func:`thin_stroke`,
:func:`on_skin` and :func:`lines_on_skin`, the component loop that keeps a colour rule's lines.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from derm3r.vision.filters import grey_closing
from derm3r.vision.lesion_reference import SkinReference
from derm3r.vision.morphology import closing, component_perimeters, dilate, erode, label
from derm3r.vision.skin_model import chroma_damping, lightness_damping

#: A thin stroke blends with the skin on each side of it (2-3 px wide at 300-400 px, less after the
#: light smoothing), so its pixels turn the hue only part of the way (PAD-UFES-20 calibration pen tiles:
#: 13-50°, a dark-violet ring on yellow skin 6-11°) — as little as a lesion's bluish rim, a hair or the
#: cool shading along a frame edge. What such a stroke has and they lack is the shape of a valley: its
#: pixels are bluer and darker than the pixels a few px away on BOTH sides (a black top-hat of b* and L*
#: over a square of this half-width); a rim or a shaded edge is a step, a patch is broad. Dark lines and
#: hairs are valleys over the same square.
INK_LINE_RADIUS = 4
#: The stroke is grown from its core into pixels half as blue (its faded edge)...
INK_EDGE_SHARE = 0.5
#: ...and it is ink along its length: at least this share of it is core (calibration strokes 0.29-0.93; the
#: bluish fragments of hair, wrinkles and frame shading that pass the shape tests 0.02-0.22).
INK_MIN_CORE_SHARE = 0.25
#: A stroke is long and thin: length / width (from area and outline) at least this (a disc ~3.1, 3:1 ellipse ~4.7).
INK_MIN_ELONGATION = 5.0
MIN_INK_PIXELS = 12
#: A stroke is at most about twice this wide (analysis pixels, 300-400 px photos): no more than
#: INK_MAX_CORE_SHARE of it survives an erosion of this radius.
INK_MAX_HALF_WIDTH = 5
INK_MAX_CORE_SHARE = 0.65
#: A line encloses nothing, a drawn ring one hole (a doodle two); the colour between the flakes of a
#: dusky scaly plaque forms a mesh with many.
INK_MAX_HOLES = 2
MIN_HOLE_PIXELS = 6
#: What a drawn ring encloses is skin or the lesion, not something this much lighter (scale flakes).
INK_MAX_INSIDE_DL = 8.0
#: A stroke is long: at least this many analysis pixels (a circle round a lesion, a margin line).
INK_MIN_LENGTH = 25.0
#: The skin beside a stroke is skin: its median L* at most this far below the skin's, sampled this
#: many px (inner, outer) from the stroke.
INK_SURROUND_MAX_DL = 8.0
INK_SURROUND_INNER = 3
INK_SURROUND_OUTER = 6
#: ...unless a coloured stroke is long and far bluer (Δb*, light-skin units) than the dark thing beside it: a
#: marker drawn across a brown lesion (PAD-UFES-20 calibration half: PAT_717_1347_899, 586 px long and 21.6
#: bluer than the lentigo under it; the bluish parts of blue-grey naevi, melanomas and hairy horns rejected
#: here are at most 8.3 bluer when longer than 100 px, and at most 32 px long when 10 or more bluer).
INK_ACROSS_MIN_LENGTH = 150.0
INK_ACROSS_MIN_BLUER = 15.0
#: A line has skin beside it, not a red lesion or white flakes: the median a* rise and L* rise 3-6 px from it
#: at most these (painted dusky scaly plaques: the gaps between flakes have flakes beside them).
DARK_LINE_MAX_SURROUND_DA = 4.0
DARK_LINE_MAX_SURROUND_DL = 4.0


class Offsets(NamedTuple):
    """Colour offsets from the local skin (light-skin units) and valley depths, computed once per photo."""

    l_abs: np.ndarray
    d_l: np.ndarray
    d_a: np.ndarray
    d_b: np.ndarray
    dip_l: np.ndarray
    dip_b: np.ndarray
    turn: np.ndarray
    chroma: np.ndarray


def stroke_offsets(lab: np.ndarray, ref: SkinReference) -> Offsets:
    """The offsets of every pixel from the local skin, tone-normalised, and its valley depths.

    Args:
        lab: lightly smoothed CIELAB of the analysed image.
        ref: the surrounding-skin reference.

    Returns:
        The per-pixel offsets (light-skin units) shared by the stroke, line and hair rules.
    """
    k_c, k_l = chroma_damping(ref.L), lightness_damping(ref.L)
    a, b = lab[..., 1], lab[..., 2]
    # A dark brown or grey lesion loses b* too, but keeps the skin's hue or loses its colour; ink turns it.
    turn = np.degrees(np.arctan2(ref.local_b, ref.local_a) - np.arctan2(b, a))
    return Offsets(
        l_abs=lab[..., 0],
        d_l=(lab[..., 0] - ref.local_L) / k_l,
        d_a=(a - ref.local_a) / k_c,
        d_b=(b - ref.local_b) / k_c,
        dip_l=(grey_closing(lab[..., 0], INK_LINE_RADIUS) - lab[..., 0]) / k_l,
        dip_b=(grey_closing(b, INK_LINE_RADIUS) - b) / k_c,
        turn=(turn + 180.0) % 360.0 - 180.0,
        chroma=np.hypot(a, b),
    )


def thin_stroke(comp: np.ndarray, below_skin: np.ndarray) -> np.ndarray | None:
    """The component when it is a stroke or a ring drawn on skin (see :func:`stroke_shape`); None when not."""
    shape = stroke_shape(comp, below_skin)
    return None if shape is None else shape[0]


def stroke_shape(
    comp: np.ndarray, below_skin: np.ndarray, d_b: np.ndarray | None = None
) -> tuple[np.ndarray, bool] | None:
    """The component when it is a stroke or a ring drawn on skin; None for a patch or a lesion's part.

    Small gaps are closed first, so a textured bluish naevus whose mask is full of holes counts as
    the solid patch it is; the hole a drawn ring encloses is far too big to close. A stroke has skin
    on both sides: a bluish fragment inside a dark naevus does not, but a long marker stroke drawn across a
    brown lesion is far bluer than the lesion beside it (given ``d_b``).

    Args:
        comp: HxW bool mask of one component.
        below_skin: ΔL* of every pixel from the local skin (light-skin units).
        d_b: Δb* of every pixel from the local skin (light-skin units), for a stroke of coloured ink; None
            for a dark line or a hair, which must have skin beside it.

    Returns:
        (the component with small gaps closed, whether it was drawn across a pigmented lesion), or None when
        it is no stroke.
    """
    ys, xs = np.nonzero(comp)
    pad = INK_MAX_HALF_WIDTH + 1
    y0, y1, x0, x1 = max(ys.min() - pad, 0), ys.max() + pad + 1, max(xs.min() - pad, 0), xs.max() + pad + 1
    crop = closing(comp[y0:y1, x0:x1], 2)
    area = float(crop.sum())
    if erode(crop, INK_MAX_HALF_WIDTH).sum() > INK_MAX_CORE_SHARE * area:
        return None  # a patch wider than a pen stroke
    half_outline = stroke_length(crop)
    if half_outline**2 / max(area, 1.0) < INK_MIN_ELONGATION:
        return None  # a small compact spot
    gaps, n_gaps = label(~crop, connectivity=4)
    sizes = np.bincount(gaps.ravel(), minlength=n_gaps + 1)
    edge = np.unique(np.concatenate([gaps[0], gaps[-1], gaps[:, 0], gaps[:, -1]]))
    sizes[edge] = 0
    holes = sizes >= MIN_HOLE_PIXELS
    holes[0] = False
    if int(holes.sum()) > INK_MAX_HOLES:
        return None  # a mesh round many flakes: a dusky scaly plaque, not a line or a ring
    inside = holes[gaps]
    if inside.any() and float(np.median(below_skin[y0:y1, x0:x1][inside])) > INK_MAX_INSIDE_DL:
        return None  # a dusky rim round white flakes: a scaly plaque's edge, not a drawn ring
    if half_outline < INK_MIN_LENGTH:
        return None  # a short fragment: of a plaque's edge as likely as of a stroke
    # Beyond the blur halo of a broad dark stroke (2-3 px of it read 9-10 L* below the skin).
    ring = dilate(crop, INK_SURROUND_OUTER) & ~dilate(crop, INK_SURROUND_INNER)
    across = ring.any() and float(np.median(below_skin[y0:y1, x0:x1][ring])) < -INK_SURROUND_MAX_DL
    if across and (d_b is None or not _drawn_across(crop, ring, d_b[y0:y1, x0:x1], half_outline)):
        return None  # surrounded by something dark: part of a pigmented lesion
    out = np.zeros_like(comp)
    out[y0:y1, x0:x1] = crop
    return out, bool(across)


def _drawn_across(crop: np.ndarray, ring: np.ndarray, d_b: np.ndarray, length: float) -> bool:
    """Whether a stroke with something dark beside it is ink drawn across a pigmented lesion.

    A brown lesion keeps the skin's b* or loses a little; a blue or violet marker stroke drawn over it is
    far bluer than the lesion beside it, and long. A bluish part of a blue-grey naevus or of a melanoma has
    more of the same blue-grey beside it.
    """
    bluer = float(np.median(d_b[ring])) - float(np.median(d_b[crop]))
    return length >= INK_ACROSS_MIN_LENGTH and bluer >= INK_ACROSS_MIN_BLUER


def stroke_length(comp: np.ndarray) -> float:
    """A stroke's length in pixels: half its outline (crack count corrected by π/4 for curved edges)."""
    return float(component_perimeters(comp.astype(np.int32), 1)[1]) * (np.pi / 4.0) / 2.0


def on_skin(comp: np.ndarray, off: Offsets) -> bool:
    """Whether what lies beside a line is skin: not a red lesion, nor the white flakes of a scaly plaque.

    A dark fold or crust line in a lesion has the lesion beside it; the coloured gaps between the flakes
    of a dusky scaly plaque have lighter flakes beside them (``comp``: the line; ``off``: the photo's offsets).
    """
    ys, xs = np.nonzero(comp)
    pad = INK_SURROUND_OUTER + 1
    y0, y1, x0, x1 = max(ys.min() - pad, 0), ys.max() + pad + 1, max(xs.min() - pad, 0), xs.max() + pad + 1
    crop = comp[y0:y1, x0:x1]
    ring = dilate(crop, INK_SURROUND_OUTER) & ~dilate(crop, INK_SURROUND_INNER)
    if not ring.any():
        return True
    redder = float(np.median(off.d_a[y0:y1, x0:x1][ring]))
    lighter = float(np.median(off.d_l[y0:y1, x0:x1][ring]))
    return redder <= DARK_LINE_MAX_SURROUND_DA and lighter <= DARK_LINE_MAX_SURROUND_DL


def lines_on_skin(
    core: np.ndarray, edge: np.ndarray, off: Offsets, thin: Callable[[np.ndarray], bool] | None = None
) -> np.ndarray:
    """The components of a colour rule's edge mask that are lines drawn or lying on the skin.

    A component is kept when it is mostly core (a line's faded edge is grown from its core, a bluish or dark
    fragment of texture has little core), passes the stroke tests of :func:`thin_stroke`, the extra shape
    test ``thin`` when given (a hair is thinner than a pen stroke) and has skin beside it (:func:`on_skin`).

    Args:
        core: HxW bool mask of the pixels that pass the colour rule at full margin.
        edge: HxW bool mask of the pixels that pass it at the edge share (a superset of ``core``).
        off: the photo's offsets.
        thin: an extra test of a kept component (its mask with small gaps closed); None for none.

    Returns:
        HxW bool mask of the kept components, with small gaps closed; empty when there is none.
    """
    lines = np.zeros(core.shape, dtype=bool)
    if int(core.sum()) < MIN_INK_PIXELS:
        return lines
    labels, count = label(edge)
    sizes = np.bincount(labels.ravel(), minlength=count + 1)
    core_share = np.bincount(labels[core], minlength=count + 1) / np.maximum(sizes, 1)
    keep = (sizes >= MIN_INK_PIXELS) & (core_share >= INK_MIN_CORE_SHARE)
    keep[0] = False
    for k in np.nonzero(keep)[0]:
        comp = thin_stroke(labels == k, off.d_l)
        if comp is not None and (thin is None or thin(comp)) and on_skin(comp, off):
            lines |= comp
    return lines

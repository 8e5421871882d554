"""Auburn, red-brown and light-brown hairs: thin warm strands on the skin, kept out of red lesions.

A dark or brown-black hair is a dark line (:func:`derm3r.vision.ink.dark_line_mask`): darker than the
skin far more than it is warmer. An auburn, copper or light-brown hair is warm as well as dark: on the
PAD-UFES-20 calibration clear tiles, painted strands 2-4 px wide gain a* by 0.5-1.7 × their darkening,
so they were seeds of a red lesion (暗红 or 鲜红, with 结痂 and 苔藓样变). What tells such a strand from
erythema is its colour and its shape:

- it is brown-orange, not red: it gains b* by at least half what it gains in a* (hair 0.6-1.4; painted
  鲜红 and 暗红 plaques ≤ 0.4, a red line of vessels less) and it is darkened at least half as much
  as it is reddened (鲜红 and 淡红 redden two to ten times more than they darken); and
- it is a hair: a deep valley in L*, long, as thin as a hair (narrower than a pen stroke; a linear
  excoriation or a Koebner line is wider), with skin beside it (a dark fold or crust line in a red lesion
  has the lesion beside it). A hair crossing a plaque leaves a gap in it that the lesion's closing fills.
  No white flakes lie beside it: the dark gaps between a scaly plaque's flakes form a mesh of such lines.

Thresholds are in light-skin units (see :mod:`derm3r.vision.skin_model`).
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.morphology import closing, connected_to, dilate, erode, label
from derm3r.vision.strokes import INK_EDGE_SHARE, Offsets, lines_on_skin

#: A strand is a valley at least this deep in L* and at least this much darker than the skin (as a dark
#: line is); its pixels half as deep belong to it.
HAIR_DIP_L = 8.0
#: Brown-orange, not red: Δb* ≥ this × Δa* (painted auburn, copper and light-brown hair 0.6-1.4).
HAIR_MIN_YELLOW_PER_RED = 0.5
#: Darkened at least half as much as reddened: Δa* ≤ this × −ΔL* (hair 0.5-1.7, copper the most; 鲜红 and 淡红 2-10).
HAIR_MAX_RED_PER_DARK = 2.0
#: As thin as a hair: no more than this share of it survives an erosion of this radius (a 4 px strand,
#: softened, is ~6 px wide; a pen stroke may be up to ~10).
HAIR_MAX_HALF_WIDTH = 3
HAIR_MAX_CORE_SHARE = 0.2
#: Pixels this close to a strand carry its colour (blur, JPEG chroma bleed).
HAIR_HALO = 1
#: How far beside a found strand its blended edge pixels are taken in.
HAIR_TRACE_REACH = 2
#: Skin lies beside a hair: at most this share of the pixels within HAIR_BESIDE px of it are this much lighter
#: than the skin (light-skin units). Painted hairs on the clear tiles 0-0.5 %; the mesh of dark gaps between
#: the white flakes of a painted 暗红 plaque on type VI skin 47 %.
HAIR_BESIDE = 3
HAIR_FLAKE_DL = 6.0
HAIR_MAX_FLAKE_SHARE = 0.05


def _dark_valley(off: Offsets, share: float) -> np.ndarray:
    """Pixels of a thin dark valley darkened at least half as much as reddened (a strand, not erythema)."""
    darker = -off.d_l
    deep = (off.dip_l >= share * HAIR_DIP_L) & (darker >= share * HAIR_DIP_L)
    return deep & (off.d_a <= HAIR_MAX_RED_PER_DARK * darker)


def _warm_valley(off: Offsets, share: float) -> np.ndarray:
    """Pixels of a thin dark valley that is warmer than the skin the way a brown or auburn hair is."""
    return _dark_valley(off, share) & (off.d_b >= HAIR_MIN_YELLOW_PER_RED * off.d_a)


def _hair_thin(comp: np.ndarray) -> bool:
    """Whether a stroke is as thin as a hair (little of it survives the erosion)."""
    area = float(comp.sum())
    return float(erode(closing(comp, 1), HAIR_MAX_HALF_WIDTH).sum()) <= HAIR_MAX_CORE_SHARE * area


def warm_strand_mask(off: Offsets, domain: np.ndarray) -> np.ndarray:
    """Pixels of thin, long, warm hair strands lying on the skin (auburn, copper, light brown).

    Args:
        off: the stroke offsets of the lightly smoothed CIELAB against the surrounding-skin reference
            (:func:`derm3r.vision.strokes.stroke_offsets`; :func:`derm3r.vision.ink.exclude_ink` returns them).
        domain: skin pixels and what they enclose; strands are looked for there.

    Returns:
        HxW bool mask (with a 1 px halo); empty when there is no such strand.
    """
    core, edge = _warm_valley(off, 1.0) & domain, _warm_valley(off, INK_EDGE_SHARE) & domain
    strands = lines_on_skin(core, edge, off, _hair_thin)
    if not strands.any():
        return strands
    # Into the dark-valley pixels right beside it whose hue wobbles (a thin strand's edges blend with the skin);
    # no further: followed at any distance, the valleys led into the dark crust and folds of a lesion.
    strands |= connected_to(strands, _dark_valley(off, INK_EDGE_SHARE) & domain & dilate(strands, HAIR_TRACE_REACH))
    return dilate(_without_flakes(strands, off), HAIR_HALO)


def _without_flakes(strands: np.ndarray, off: Offsets) -> np.ndarray:
    """The strands with no white flakes beside them: the dark gaps of a scaly plaque form a mesh of strands."""
    grown = dilate(strands, HAIR_BESIDE)
    groups, count = label(grown)  # a strand and the pixels beside it
    beside = grown & ~strands
    n_beside = np.bincount(groups[beside], minlength=count + 1)
    n_lighter = np.bincount(groups[beside & (off.d_l > HAIR_FLAKE_DL)], minlength=count + 1)
    flaky = n_lighter > HAIR_MAX_FLAKE_SHARE * np.maximum(n_beside, 1)
    return strands & ~flaky[groups]

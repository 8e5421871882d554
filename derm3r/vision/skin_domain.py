"""Where the skin is: a fixed chromaticity rule, widened by the photo's own dominant skin colour.

The fixed YCbCr rule (:func:`skin_mask`) holds for skin photographed under ordinary light, but a
phone that white-balances on the skin itself renders it a warm grey (CIELAB chroma 3-9) that the
rule rejects — on the PAD-UFES-20 calibration half that was a third of the photos where no lesion
was found, and there the rule kept only the brown lesion, which then served as its own "skin".
So the patient's own skin is also taken to be the photo's dominant colour when that colour is
plausibly skin and the fixed rule sees little: a close-up is mostly skin, and what the rule does
see is then the lesion inside it.

A hand in front of a grey wall must not turn the wall into skin and the hand into a lesion: the
dominant colour is only adopted when what the fixed rule sees does not reach far along the photo's
edge (a limb enters the frame from the edge; a lesion sits inside the skin).

Some phones balance further, to a neutral grey (chroma < 2) or a faint cool cast, which is also
what a grey wall or card looks like. Such a near-neutral dominant colour is only taken for skin when
the fixed rule sees a warm patch inside it that stays clear of the photo's edge — a nevus or keratosis
in white-balanced skin (a fifth of the calibration-half misses); a plain grey field stays "no skin".
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.color import lab_chroma_hue, srgb_to_ycbcr
from derm3r.vision.lesion_reference import robust_sigma
from derm3r.vision.morphology import closing, fill_holes, label

#: Below this share of fixed-rule skin the photo's dominant colour is considered as well.
FIXED_RULE_ENOUGH = 0.6
#: The dominant colour must cover this share of the photo to stand for the skin.
MIN_DOMINANT_SHARE = 0.3
#: Plausible skin for the dominant colour: warm hues, from near-grey (white-balanced) to saturated.
MIN_DOMINANT_CHROMA = 2.0
MAX_DOMINANT_CHROMA = 45.0
DOMINANT_HUE_RANGE = (-10.0, 115.0)
DOMINANT_L_RANGE = (20.0, 92.0)
#: Fixed-rule regions outside the dominant colour touching more than this share of the photo's edge
#: are a limb or face in front of a background, not a lesion in the skin.
MAX_EDGE_SHARE = 0.15
#: A near-neutral dominant colour (any hue, up to this chroma) is white-balanced skin only with evidence.
NEUTRAL_MAX_CHROMA = 6.0
NEUTRAL_L_RANGE = (35.0, 96.0)
#: The evidence: a fixed-rule patch inside it of at least this share of the photo.
MIN_ENCLOSED_PATCH = 0.003


def skin_mask(rgb: np.ndarray) -> np.ndarray:
    """Pixels whose chromaticity is skin-like, light to dark tones, inflamed skin included.

    The rule works in YCbCr, where skin of all tones clusters in a narrow Cb/Cr band and mostly
    differs in Y; the band is widened on the Cr (red) side so erythematous skin still counts.

    Args:
        rgb: HxWx3 uint8.

    Returns:
        HxW bool mask.
    """
    ycc = srgb_to_ycbcr(rgb)
    y, cb, cr = ycc[..., 0], ycc[..., 1], ycc[..., 2]
    return (y > 20) & (y < 250) & (cb > 85) & (cb < 135) & (cr > 135) & (cr < 185) & (cr - cb > 12)


def _dominant_colour(lab: np.ndarray) -> np.ndarray:
    """Median colour around the most populated cell of a coarse CIELAB histogram (L* 6, a*/b* 3 units)."""
    step = max(1, int(np.sqrt(lab.shape[0] * lab.shape[1] / 40_000)))
    sample = lab[::step, ::step].reshape(-1, 3)
    edges = (np.arange(0.0, 106.0, 6.0), np.arange(-30.0, 61.0, 3.0), np.arange(-30.0, 61.0, 3.0))
    hist, _ = np.histogramdd(sample, bins=edges)
    k = np.unravel_index(int(np.argmax(hist)), hist.shape)
    cell = np.array([0.5 * (e[i] + e[i + 1]) for e, i in zip(edges, k, strict=True)])
    # The cell is coarse (its centre may sit 1.5 a*/b* units off): refine on the pixels around it.
    near = (np.hypot(sample[:, 1] - cell[1], sample[:, 2] - cell[2]) < 4.0) & (np.abs(sample[:, 0] - cell[0]) < 9.0)
    return np.median(sample[near], axis=0)


def _plausible_skin(colour: np.ndarray) -> bool:
    chroma, hue = lab_chroma_hue(colour)
    return bool(
        DOMINANT_L_RANGE[0] <= colour[0] <= DOMINANT_L_RANGE[1]
        and MIN_DOMINANT_CHROMA <= chroma <= MAX_DOMINANT_CHROMA
        and DOMINANT_HUE_RANGE[0] <= hue <= DOMINANT_HUE_RANGE[1]
    )


def _near_neutral(colour: np.ndarray) -> bool:
    chroma, _ = lab_chroma_hue(colour)
    return bool(NEUTRAL_L_RANGE[0] <= colour[0] <= NEUTRAL_L_RANGE[1] and chroma <= NEUTRAL_MAX_CHROMA)


def dominant_skin(lab: np.ndarray, allow_neutral: bool = False) -> np.ndarray | None:
    """Pixels of the photo's dominant colour when it is plausibly skin and covers enough of it.

    Args:
        lab: HxWx3 CIELAB (lightly smoothed is best).
        allow_neutral: also accept a near-neutral dominant colour of any hue (the caller must hold
            other evidence that it is skin, see :func:`skin_domain`).

    Returns:
        HxW bool mask, or None when the dominant colour is not skin-like or covers too little.
    """
    centre = _dominant_colour(lab)
    if not (_plausible_skin(centre) or (allow_neutral and _near_neutral(centre))):
        return None
    d_ab = np.hypot(lab[..., 1] - centre[1], lab[..., 2] - centre[2])
    d_l = np.abs(lab[..., 0] - centre[0])
    near = (d_ab < 6.0) & (d_l < 20.0)
    if near.mean() < 0.1:
        return None
    spread_ab = max(robust_sigma(lab[..., 1][near]), robust_sigma(lab[..., 2][near]))
    spread_l = robust_sigma(lab[..., 0][near])
    core = (d_ab < max(4.0, 3.0 * spread_ab)) & (d_l < max(12.0, 3.0 * spread_l))
    return core if core.mean() >= MIN_DOMINANT_SHARE else None


def _reaches_edge(mask: np.ndarray) -> bool:
    """Whether the mask touches more than MAX_EDGE_SHARE of the photo's border pixels."""
    border = np.concatenate([mask[0], mask[-1], mask[1:-1, 0], mask[1:-1, -1]])
    return bool(border.mean() > MAX_EDGE_SHARE)


def _adopted_core(fixed: np.ndarray, lab: np.ndarray) -> np.ndarray | None:
    """The dominant colour's pixels when they are the skin around what the fixed rule sees, else None."""
    core = dominant_skin(lab, allow_neutral=True)
    if core is None:
        return None
    # What the fixed rule sees beyond the dominant colour: a lesion inside the skin, or a limb in
    # front of a skin-coloured background (then the fixed rule alone is trusted).
    other, n = label(fixed & ~closing(core, 2))
    sizes = np.bincount(other.ravel(), minlength=n + 1)
    big = np.nonzero(sizes[1:] >= 0.02 * fixed.size)[0] + 1
    if any(_reaches_edge(other == k) for k in big):
        return None
    if not _plausible_skin(_dominant_colour(lab)):
        # Near-neutral: skin only around a warm patch clear of the edge (a grey wall holds none).
        patches = np.nonzero(sizes[1:] >= MIN_ENCLOSED_PATCH * fixed.size)[0] + 1
        if not any(not _reaches_edge(other == k) for k in patches):
            return None
    return core


def skin_domain(rgb: np.ndarray, lab: np.ndarray) -> np.ndarray:
    """Skin and whatever it encloses (lesions, scale); background never counts.

    Args:
        rgb: HxWx3 uint8 sRGB (the analysed, downscaled copy).
        lab: its CIELAB, same shape.

    Returns:
        HxW bool mask.
    """
    fixed = skin_mask(rgb)
    if fixed.mean() < FIXED_RULE_ENOUGH:
        core = _adopted_core(fixed, lab)
        if core is not None:
            fixed = fixed | core
    return fill_holes(closing(fixed, 3))


def skin_fraction(rgb: np.ndarray, lab: np.ndarray) -> float:
    """Share of the photo that is skin by the fixed rule or the photo's dominant skin colour."""
    fixed = skin_mask(rgb)
    if fixed.mean() >= FIXED_RULE_ENOUGH:
        return float(fixed.mean())
    # A plausibly skin-coloured dominant colour counts as before; a near-neutral one needs evidence.
    core = dominant_skin(lab)
    if core is None:
        core = _adopted_core(fixed, lab)
    return float((fixed | core).mean()) if core is not None else float(fixed.mean())

"""Surface signs of the tongue: fissures (裂纹), tooth marks (齿痕) and peeled coat (剥苔).

These are indices from the image, not yet fitted on labelled photographs (TonguExpert labels
fissures and tooth marks only as light / severe, with no negative class); their thresholds are
project choices and their confidences are capped at 0.6 to say so.
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.filters import box_mean
from derm3r.vision.morphology import erode, fill_holes, label

#: A fissure pixel is this much darker (L*) than its neighbourhood.
FISSURE_DROP = 6.0
FISSURE_PRESENT = 0.02
#: Edge waviness (residual std over tongue width) above which the lateral edge is scalloped.
TOOTH_MARK_PRESENT = 0.012
#: A bare island inside the coat larger than this share of the tongue reads as peeled coat.
PEELED_SHARE = 0.03
UNCALIBRATED_CAP = 0.6


def _fissure_index(lab: np.ndarray, mask: np.ndarray) -> float:
    """Share of the inner tongue taken by thin dark lines (darker than the local mean)."""
    inner = erode(mask, 4)
    if inner.sum() < 50:
        return 0.0
    lightness = lab[..., 0]
    local = box_mean(lightness, 4)
    dark = inner & (local - lightness > FISSURE_DROP)
    # Thin lines, not broad shadows: a fissure pixel has lighter tissue within a few pixels.
    broad = erode(dark, 2)
    return float((dark & ~broad).sum() / inner.sum())


def _tooth_mark_index(mask: np.ndarray) -> float:
    """Waviness of the lateral edges in the middle of the tongue, relative to its width."""
    rows = np.nonzero(mask.any(axis=1))[0]
    if rows.size < 20:
        return 0.0
    span = rows[int(0.25 * rows.size) : int(0.85 * rows.size)]
    left = np.array([np.argmax(mask[r]) for r in span], dtype=np.float64)
    right = np.array([mask.shape[1] - 1 - np.argmax(mask[r, ::-1]) for r in span], dtype=np.float64)
    width = float(np.median(right - left)) or 1.0
    kernel = np.ones(9) / 9.0
    resid = [edge[4:-4] - np.convolve(edge, kernel, mode="valid") for edge in (left, right)]
    return float(np.mean([np.std(r) for r in resid]) / width) if resid[0].size else 0.0


def _peeled_share(alpha_img: np.ndarray, mask: np.ndarray) -> float:
    """Largest bare island enclosed by coat, as a share of the tongue."""
    coated = mask & (alpha_img > 0.25)
    if coated.sum() < 0.1 * mask.sum():
        return 0.0
    islands = fill_holes(coated) & ~coated & mask
    labels, n = label(islands)
    if n == 0:
        return 0.0
    return float(np.bincount(labels.ravel())[1:].max() / max(mask.sum(), 1))


def _confidence(value: float, threshold: float) -> float:
    return round(float(np.clip(0.5 + abs(value - threshold) / (2.0 * threshold), 0.5, UNCALIBRATED_CAP)), 3)


def surface_signs(lab: np.ndarray, mask: np.ndarray, alpha_img: np.ndarray) -> dict[str, float | bool]:
    """Fissure, tooth-mark and peeled-coat indices with presence flags and capped confidences.

    Args:
        lab: smoothed CIELAB image.
        mask: tongue mask.
        alpha_img: coat opacity per pixel (0 outside the tongue).

    Returns:
        Keyword fields of :class:`~derm3r.vision.models.TongueImageFindings`.
    """
    fissure = _fissure_index(lab, mask)
    tooth = _tooth_mark_index(mask)
    peeled = _peeled_share(alpha_img, mask)
    return {
        "fissure_index": round(fissure, 4),
        "fissured": fissure >= FISSURE_PRESENT,
        "fissure_confidence": _confidence(fissure, FISSURE_PRESENT),
        "tooth_mark_index": round(tooth, 4),
        "tooth_marked": tooth >= TOOTH_MARK_PRESENT,
        "tooth_mark_confidence": _confidence(tooth, TOOTH_MARK_PRESENT),
        "peeled_share": round(peeled, 4),
        "peeled": peeled >= PEELED_SHARE,
        "peeled_confidence": _confidence(peeled, PEELED_SHARE),
    }

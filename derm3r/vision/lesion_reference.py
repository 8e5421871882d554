"""The patient's own surrounding skin as the reference every lesion is measured against.

The dominant a* mode of the skin domain, refined by excluding red (lesion), pale low-a* (scale)
and very light outliers, gives the global skin colour; normalised box convolutions of the skin
pixels give smooth local fields, so lighting gradients are not read as lesions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from derm3r.vision.filters import box_mean

MIN_SEED_DELTA_A = 2.5
#: Dark outliers (brown or black lesions) are dropped from the skin in this many passes, each
#: relative to the local field of the pass before, when more than this many spreads (and L* units)
#: below it.
DARK_PASSES = 3
DARK_OUTLIER_SIGMAS = 3.0
DARK_OUTLIER_MIN = 6.0


@dataclass(frozen=True)
class SkinReference:
    """Surrounding-skin colour: global robust medians and smooth local fields."""

    L: float
    a: float
    b: float
    sigma_a: float
    sigma_L: float
    local_L: np.ndarray
    local_a: np.ndarray
    local_b: np.ndarray
    skin_fraction_left: float


def robust_sigma(values: np.ndarray) -> float:
    """Median absolute deviation scaled to a Gaussian sigma (0 for an empty sample)."""
    if values.size == 0:
        return 0.0
    med = np.median(values)
    return float(1.4826 * np.median(np.abs(values - med)))


def _mode(values: np.ndarray, bin_width: float = 0.5) -> float:
    """Most common value of a 1-D sample (histogram peak after light smoothing)."""
    if values.size == 0:
        return 0.0
    lo, hi = np.percentile(values, [0.5, 99.5])
    if hi - lo < bin_width:
        return float(np.median(values))
    bins = int(np.ceil((hi - lo) / bin_width))
    hist, edges = np.histogram(values, bins=bins, range=(lo, hi))
    smooth = np.convolve(hist, np.ones(5) / 5.0, mode="same")
    k = int(np.argmax(smooth))
    return float(0.5 * (edges[k] + edges[k + 1]))


def _local_field(channel: np.ndarray, weight: np.ndarray, radius: int, fallback: float) -> np.ndarray:
    """Normalised box convolution: mean of ``channel`` over nearby pixels where weight is 1."""
    num = box_mean(channel * weight, radius)
    den = box_mean(weight.astype(np.float32), radius)
    # Blend towards the global value where little skin is nearby, instead of dividing by ~0.
    trust = np.clip(den / 0.15, 0.0, 1.0)
    local = np.where(den > 1e-6, num / np.maximum(den, 1e-6), fallback)
    return (trust * local + (1.0 - trust) * fallback).astype(np.float32)


def skin_reference(lab_s: np.ndarray, domain: np.ndarray) -> tuple[SkinReference, np.ndarray]:
    """Estimate surrounding skin: the dominant a* mode, refined by excluding outliers.

    Red (lesion) and pale, low-a* (scale) outliers are excluded on both sides, and very light
    pixels too, so that neither inflammation nor scale leaks into the reference.

    Returns:
        (reference, skin_pixels_mask)
    """
    L, a, b = lab_s[..., 0], lab_s[..., 1], lab_s[..., 2]
    dom_a = a[domain]
    ref_a = _mode(dom_a)
    ref_l = float(np.median(L[domain]))
    skin = domain.copy()
    sigma = 1.0
    sigma_l = 1.0
    for _ in range(4):
        sigma = max(robust_sigma(a[skin]), 0.3)
        sigma_l = max(robust_sigma(L[skin]), 0.3)
        band = max(3.0 * sigma, MIN_SEED_DELTA_A)
        candidate = domain & (np.abs(a - ref_a) < band) & (ref_l + max(4.0 * sigma_l, 6.0) > L)
        if not candidate.any():
            break
        skin = candidate
        ref_a = float(np.median(a[skin]))
        ref_l = float(np.median(L[skin]))
    radius = max(8, int(max(L.shape) / 6))
    w = skin.astype(np.float32)
    local_l = _local_field(L, w, radius, ref_l)
    for _ in range(DARK_PASSES):
        # A dark lesion filling much of a close-up drags the local field down until it is no longer
        # darker than "its skin": drop pixels far below the field (relative, so shading stays skin).
        spread = max(robust_sigma((L - local_l)[skin]), 0.3)
        kept = skin & (L - local_l > -max(DARK_OUTLIER_SIGMAS * spread, DARK_OUTLIER_MIN))
        if kept.sum() < 0.5 * skin.sum():
            break
        skin = kept
        w = skin.astype(np.float32)
        local_l = _local_field(L, w, radius, ref_l)
    ref_l = float(np.median(L[skin]))
    ref_b = float(np.median(b[skin]))
    local_l = _local_field(L, w, radius, ref_l)
    local_a = _local_field(a, w, radius, ref_a)
    # Spread about the local skin colour, so lighting gradients do not count as noise.
    ref = SkinReference(
        L=ref_l,
        a=ref_a,
        b=ref_b,
        sigma_a=max(robust_sigma((a - local_a)[skin]), 0.3),
        sigma_L=max(robust_sigma((L - local_l)[skin]), 0.3),
        local_L=local_l,
        local_a=local_a,
        local_b=_local_field(b, w, radius, ref_b),
        skin_fraction_left=float(skin.mean()),
    )
    return ref, skin

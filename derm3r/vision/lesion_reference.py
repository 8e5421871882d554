"""The patient's own surrounding skin as the reference every lesion is measured against.

The dominant a* mode of the skin domain, refined by excluding red (lesion), pale low-a* (scale)
and very light outliers, gives the global skin colour; normalised box convolutions of the skin
pixels give smooth local fields, so lighting gradients are not read as lesions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from derm3r.vision.filters import box_mean, otsu_threshold
from derm3r.vision.morphology import dilate, erode, label, opening

MIN_SEED_DELTA_A = 2.5
#: Dark outliers (brown or black lesions) are dropped from the skin in this many passes, each
#: relative to the local field of the pass before, when more than this many spreads (and L* units)
#: below it.
DARK_PASSES = 3
DARK_OUTLIER_SIGMAS = 3.0
DARK_OUTLIER_MIN = 6.0
#: A lesion that fills much of a close-up is a blob of its own lightness class: at least this share
#: of the photo, its core this many L* units (and 3 ring spreads) from the skin just outside it...
MIN_BLOB_SHARE = 0.01
MIN_BLOB_STEP = 8.0
#: ...solid: at least this share of it survives an erosion of 3 px (the lighter skin between hairs,
#: wrinkles or glints forms a mesh that erodes away; the calibration-half lesions keep 0.75-0.94)...
MIN_BLOB_CORE = 0.7
#: ...and inside the frame: at most this share of its outline on the photo's edge (a shaded corner
#: or half of the photo lies along the edge; a lesion filling the frame and covering its centre may
#: touch it more).
MAX_BLOB_EDGE = 0.15
MAX_CENTRAL_BLOB_EDGE = 0.45


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


def _local_field(num: np.ndarray, den: np.ndarray, fallback: float) -> np.ndarray:
    """Normalised box convolution: the mean of a channel over nearby skin pixels.

    ``num`` is the box mean of the channel times the weight (1 on skin), ``den`` the box mean of the weight.
    """
    # Blend towards the global value where little skin is nearby, instead of dividing by ~0.
    trust = np.clip(den / 0.15, 0.0, 1.0)
    local = np.where(den > 1e-6, num / np.maximum(den, 1e-6), fallback)
    return (trust * local + (1.0 - trust) * fallback).astype(np.float32)


def _image_border(mask: np.ndarray) -> np.ndarray:
    return np.concatenate([mask[0], mask[-1], mask[1:-1, 0], mask[1:-1, -1]])


def _edge_share(comp: np.ndarray) -> float:
    """Share of a component's outline that lies on the photo's edge."""
    padded = np.pad(comp, 1)
    outline = int((padded & ~erode(padded, 1)).sum())
    return float(_image_border(comp).sum() / max(outline, 1))


def _inside_frame(comp: np.ndarray) -> bool:
    h, w = comp.shape
    central = bool(comp[h // 2 - h // 20 : h // 2 + h // 20 + 1, w // 2 - w // 20 : w // 2 + w // 20 + 1].all())
    return _edge_share(comp) < (MAX_CENTRAL_BLOB_EDGE if central else MAX_BLOB_EDGE)


def sharp_blobs(lightness: np.ndarray, skin: np.ndarray) -> np.ndarray:
    """Large blobs of their own lightness class with a clear step to the skin around them.

    A brown nevus or keratosis filling much of a close-up pulls a local skin field onto itself (the
    calibration-half misses: centre vs local field ΔL* -2 where centre vs skin was -28). Otsu splits
    the skin domain by L*; the class holding more of the photo's edge is the skin, and components of
    the other class are lesions when their core stands clearly off the skin just outside them and
    they lie inside the frame (a shading gradient has no step and lies along the edge).

    Returns:
        HxW bool mask of the blobs (empty when there are none).
    """
    out = np.zeros_like(skin)
    if skin.sum() < 100:
        return out
    cut = otsu_threshold(lightness[skin])
    dark, light = skin & (lightness < cut), skin & (lightness >= cut)
    if dark.sum() < 50 or light.sum() < 50:
        return out
    inner_dark = _image_border(dark).mean() <= _image_border(light).mean()
    candidate, surround = (dark, light) if inner_dark else (light, dark)
    labels, n = label(opening(candidate, 3))
    sizes = np.bincount(labels.ravel(), minlength=n + 1)
    for k in np.nonzero(sizes[1:] >= MIN_BLOB_SHARE * skin.size)[0] + 1:
        comp = labels == k
        core = erode(comp, 3)
        ring = dilate(comp, 10) & ~dilate(comp, 3) & surround
        if core.sum() < MIN_BLOB_CORE * comp.sum() or ring.sum() < 20:
            continue  # a mesh of hairs, wrinkles or glints, not a patch
        step = float(np.median(lightness[ring]) - np.median(lightness[core])) * (1.0 if inner_dark else -1.0)
        if step > max(MIN_BLOB_STEP, 3.0 * robust_sigma(lightness[ring])) and _inside_frame(comp):
            out |= comp
    return out


def skin_reference(lab_s: np.ndarray, domain: np.ndarray) -> tuple[SkinReference, np.ndarray]:
    """Estimate surrounding skin: the dominant a* mode, refined by excluding outliers.

    Red (lesion) and pale, low-a* (scale) outliers are excluded on both sides, and very light
    pixels too, so that neither inflammation nor scale leaks into the reference.

    Returns:
        (reference, skin_pixels_mask)
    """
    L, a, b = lab_s[..., 0], lab_s[..., 1], lab_s[..., 2]
    # A lesion filling much of a close-up would otherwise become the "skin" (mode and median).
    blobs = sharp_blobs(L, domain)
    base = domain & ~dilate(blobs, 2)
    if base.sum() < 0.2 * domain.sum():
        base = domain
    ref_a = _mode(a[base])
    ref_l = float(np.median(L[base]))
    skin = base.copy()
    sigma = 1.0
    sigma_l = 1.0
    for _ in range(4):
        sigma = max(robust_sigma(a[skin]), 0.3)
        sigma_l = max(robust_sigma(L[skin]), 0.3)
        band = max(3.0 * sigma, MIN_SEED_DELTA_A)
        candidate = base & (np.abs(a - ref_a) < band) & (ref_l + max(4.0 * sigma_l, 6.0) > L)
        if not candidate.any():
            break
        skin = candidate
        ref_a = float(np.median(a[skin]))
        ref_l = float(np.median(L[skin]))
    radius = max(8, int(max(L.shape) / 6))
    # The box means of the weight and of L* x weight are shared by the fields measured on the same skin.
    w = skin.astype(np.float32)
    den, num_l = box_mean(w, radius), box_mean(L * w, radius)
    local_l = _local_field(num_l, den, ref_l)
    for _ in range(DARK_PASSES):
        # A dark lesion filling much of a close-up drags the local field down until it is no longer
        # darker than "its skin": drop pixels far below the field (relative, so shading stays skin).
        spread = max(robust_sigma((L - local_l)[skin]), 0.3)
        kept = skin & (L - local_l > -max(DARK_OUTLIER_SIGMAS * spread, DARK_OUTLIER_MIN))
        if kept.sum() < 0.5 * skin.sum():
            break
        skin = kept
        w = skin.astype(np.float32)
        den, num_l = box_mean(w, radius), box_mean(L * w, radius)
        local_l = _local_field(num_l, den, ref_l)
    ref_l = float(np.median(L[skin]))
    ref_b = float(np.median(b[skin]))
    local_l = _local_field(num_l, den, ref_l)
    local_a = _local_field(box_mean(a * w, radius), den, ref_a)
    # Spread about the local skin colour, so lighting gradients do not count as noise.
    ref = SkinReference(
        L=ref_l,
        a=ref_a,
        b=ref_b,
        sigma_a=max(robust_sigma((a - local_a)[skin]), 0.3),
        sigma_L=max(robust_sigma((L - local_l)[skin]), 0.3),
        local_L=local_l,
        local_a=local_a,
        local_b=_local_field(box_mean(b * w, radius), den, ref_b),
        skin_fraction_left=float(skin.mean()),
    )
    return ref, skin

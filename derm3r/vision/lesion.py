"""Classical lesion analysis of a skin photograph: segmentation, colour class, scale, extent, border.

The analysis works in CIELAB on a downscaled copy. Lesions are found as pixels whose redness (a*)
stands clearly above the surrounding skin, so everything is measured relative to that skin rather
than in absolute colour; offsets are divided by the tone damping of :mod:`derm3r.vision.skin_model`
before the colour class is decided, which keeps the decision comparable from light to dark skin.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from derm3r.vision.color import srgb_to_lab
from derm3r.vision.filters import box_mean, gaussian_blur, local_std, resize_rgb_to_max_side
from derm3r.vision.models import ColorClass, ImageQuality, LabColor, LesionImageFindings, ScaleBand
from derm3r.vision.morphology import (
    closing,
    component_perimeters,
    dilate,
    erode,
    fill_holes,
    label,
    opening,
    remove_small,
)
from derm3r.vision.quality import assess_quality, skin_mask
from derm3r.vision.skin_model import chroma_damping, lightness_damping

ANALYSIS_SIDE = 400
MIN_SEED_DELTA_A = 2.2
MIN_LESION_FRACTION = 0.001
# Colour-class boundaries in tone-normalised offsets (light-skin units, see skin_model).
DARK_DELTA_L = -12.5
PURPLE_DELTA_B = -5.0
BRIGHT_DELTA_A = 13.0
# Scale: a pixel counts as scale when it has moved this far from the lesion colour towards white.
SCALE_ALPHA = 0.5
SCALE_ALPHA_TEXTURED = 0.3
SCALE_PRESENT_COVERAGE = 0.04
SCALE_THICK_COVERAGE = 0.36
IRREGULAR_COMPACTNESS = 1.35

NOTES = {
    "none": "未见明显皮损 (no lesion found)",
    "dark_skin": "深肤色，红斑程度可能被低估 (dark skin: erythema may be under-estimated)",
    "low_quality": "图像质量欠佳，结果仅供参考 (limited image quality: treat results as indicative)",
    "large": "皮损范围广，周围正常皮肤参照较少 (extensive lesions: little normal skin for reference)",
}


@dataclass(frozen=True)
class _Reference:
    """Surrounding-skin colour: global robust medians and smooth local fields."""

    L: float
    a: float
    b: float
    sigma_a: float
    local_L: np.ndarray
    local_a: np.ndarray
    local_b: np.ndarray
    skin_fraction_left: float


def _robust_sigma(values: np.ndarray) -> float:
    if values.size == 0:
        return 0.0
    med = np.median(values)
    return float(1.4826 * np.median(np.abs(values - med)))


def _local_field(channel: np.ndarray, weight: np.ndarray, radius: int, fallback: float) -> np.ndarray:
    """Normalised box convolution: mean of ``channel`` over nearby pixels where weight is 1."""
    num = box_mean(channel * weight, radius)
    den = box_mean(weight.astype(np.float32), radius)
    # Blend towards the global value where little skin is nearby, instead of dividing by ~0.
    trust = np.clip(den / 0.15, 0.0, 1.0)
    local = np.where(den > 1e-6, num / np.maximum(den, 1e-6), fallback)
    return (trust * local + (1.0 - trust) * fallback).astype(np.float32)


def _reference(lab_s: np.ndarray, domain: np.ndarray) -> tuple[_Reference, np.ndarray]:
    """Estimate surrounding skin by excluding red outliers a few times, then smooth it locally.

    Returns:
        (reference, skin_pixels_mask)
    """
    L, a, b = lab_s[..., 0], lab_s[..., 1], lab_s[..., 2]
    dom_a = a[domain]
    # Start low: with many lesions the plain median would already sit inside lesion colour.
    ref_a = float(np.percentile(dom_a, 30)) if dom_a.size else 0.0
    skin = domain.copy()
    sigma = 1.0
    for _ in range(4):
        sigma = max(_robust_sigma(a[skin]), 0.3)
        cut = ref_a + max(3.0 * sigma, MIN_SEED_DELTA_A)
        skin = domain & (a < cut)
        if not skin.any():
            skin = domain.copy()
            break
        ref_a = float(np.median(a[skin]))
    ref_l = float(np.median(L[skin]))
    ref_b = float(np.median(b[skin]))
    radius = max(8, int(max(L.shape) / 6))
    w = skin.astype(np.float32)
    ref = _Reference(
        L=ref_l,
        a=ref_a,
        b=ref_b,
        sigma_a=sigma,
        local_L=_local_field(L, w, radius, ref_l),
        local_a=_local_field(a, w, radius, ref_a),
        local_b=_local_field(b, w, radius, ref_b),
        skin_fraction_left=float(skin.mean()),
    )
    return ref, skin


def _classify_color(d_l: float, d_a: float, d_b: float) -> tuple[ColorClass, float]:
    """Colour class from tone-normalised offsets, with a 0-1 confidence from the margin."""
    if d_l <= DARK_DELTA_L:
        margin_l = (DARK_DELTA_L - d_l) / 6.0
        if d_b <= PURPLE_DELTA_B:
            return "紫暗", float(np.clip(min(margin_l, (PURPLE_DELTA_B - d_b) / 5.0), 0.0, 1.0))
        return "暗红", float(np.clip(min(margin_l, (d_b - PURPLE_DELTA_B) / 5.0), 0.0, 1.0))
    margin_l = (d_l - DARK_DELTA_L) / 6.0
    if d_a >= BRIGHT_DELTA_A:
        return "鲜红", float(np.clip(min(margin_l, (d_a - BRIGHT_DELTA_A) / 5.0), 0.0, 1.0))
    return "淡红", float(np.clip(min(margin_l, (BRIGHT_DELTA_A - d_a) / 5.0), 0.0, 1.0))


def _scale_band(coverage: float) -> ScaleBand:
    if coverage < SCALE_PRESENT_COVERAGE:
        return "none"
    return "thick" if coverage >= SCALE_THICK_COVERAGE else "thin"


def _border(labels: np.ndarray, count: int) -> float | None:
    """Area-weighted compactness perimeter^2 / (4 pi area), crack length corrected to ~1 for a disc."""
    if count == 0:
        return None
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:].astype(np.float64)
    # Crack counting over-reads a curved boundary by 4/pi; undo that on average.
    perims = component_perimeters(labels, count)[1:] * (np.pi / 4.0)
    compact = perims**2 / (4.0 * np.pi * np.maximum(areas, 1.0))
    return float(np.sum(compact * areas) / np.sum(areas))


def _empty(ref: _Reference | None, notes: list[str]) -> LesionImageFindings:
    return LesionImageFindings(
        lesion_found=False,
        area_fraction=0.0,
        lesion_count=0,
        reference_skin=LabColor(L=round(ref.L, 2), a=round(ref.a, 2), b=round(ref.b, 2)) if ref else None,
        notes=[NOTES["none"], *notes],
    )


def analyze_lesions(
    rgb: np.ndarray, quality: ImageQuality | None = None, *, view: str = "closeup"
) -> LesionImageFindings:
    """Segment lesions against the surrounding skin and describe them.

    Args:
        rgb: HxWx3 uint8 sRGB image.
        quality: result of :func:`assess_quality` for this image (computed when omitted); its
            noise estimate sets the smoothing and its score widens the PASI uncertainty.
        view: the image view; PASI sub-scores are only estimated for "closeup".

    Returns:
        Lesion extent, count, colour class, scale, border and (close-ups) PASI sub-scores.
    """
    if quality is None:
        quality = assess_quality(rgb)
    small = resize_rgb_to_max_side(rgb, ANALYSIS_SIDE)
    n_pix = small.shape[0] * small.shape[1]
    lab = srgb_to_lab(small)
    # More smoothing for noisier images: the seeds must come from colour, not from grain.
    shrink = small.shape[1] / max(rgb.shape[1], 1)
    noise = quality.noise_sigma * (shrink if shrink < 1 else 1.0)
    sigma_s = float(np.clip(1.2 + 0.12 * noise, 1.2, 3.5))
    lab_s = np.stack([gaussian_blur(lab[..., c], sigma_s) for c in range(3)], axis=-1)
    lab_fine = np.stack([gaussian_blur(lab[..., c], 0.8) for c in range(3)], axis=-1)

    skin_like = skin_mask(small)
    domain = np.ones_like(skin_like) if skin_like.mean() > 0.6 else fill_holes(closing(skin_like, 3))
    if domain.sum() < 0.05 * n_pix:
        return _empty(None, ["画面中皮肤过少 (little skin in view)"])
    ref, _ = _reference(lab_s, domain)
    notes: list[str] = []
    if ref.L < 45.0:
        notes.append(NOTES["dark_skin"])
    if quality.score < 0.6:
        notes.append(NOTES["low_quality"])

    d_a = lab_s[..., 1] - ref.local_a
    seed_cut = max(MIN_SEED_DELTA_A, 4.0 * ref.sigma_a)
    seeds = remove_small(opening(domain & (d_a > seed_cut), 1), max(6, int(MIN_LESION_FRACTION * n_pix / 2)))
    if not seeds.any():
        return _empty(ref, notes)
    # Hysteresis: the boundary sits halfway between skin and the lesion's typical redness.
    edge_cut = max(0.5 * float(np.median(d_a[seeds])), 0.6 * seed_cut)
    red = domain & (d_a > edge_cut)
    red_labels, _ = label(red)
    seed_ids = np.unique(red_labels[seeds])
    keep = np.zeros(red_labels.max() + 1, dtype=bool)
    keep[seed_ids] = True
    keep[0] = False
    red = keep[red_labels]

    # Lesion base colour: clearly red pixels away from the edge.
    core = erode(red, 2) & (d_a > edge_cut * 1.5)
    if core.sum() < 20:
        core = red
    base = np.median(lab_s[core], axis=0)
    c_base = float(np.hypot(base[1], base[2]))

    # Scale: pixels that moved from the lesion colour towards achromatic white, near red tissue.
    L_f, a_f, b_f = lab_fine[..., 0], lab_fine[..., 1], lab_fine[..., 2]
    chroma = np.hypot(a_f, b_f)
    white_l = max(float(base[0]) + 15.0, 85.0)
    alpha_c = (c_base - chroma) / max(c_base - 5.0, 3.0)
    alpha_l = (L_f - float(base[0])) / max(white_l - float(base[0]), 5.0)
    alpha = np.clip(np.minimum(alpha_c, alpha_l), 0.0, 1.0)
    texture = local_std(lab[..., 0], 2)
    near_red = dilate(red, max(3, int(max(small.shape) / 60)))
    textured = texture > 2.0 * max(_robust_sigma(lab[..., 0][~near_red]) if (~near_red).any() else 1.0, 1.0)
    scale_px = near_red & ((alpha >= SCALE_ALPHA) | ((alpha >= SCALE_ALPHA_TEXTURED) & textured))

    lesion = fill_holes(closing(red | scale_px, 2))
    lesion = opening(lesion, 1)
    lesion = remove_small(lesion, max(10, int(MIN_LESION_FRACTION * n_pix)))
    labels, count = label(lesion)
    if count == 0:
        return _empty(ref, notes)
    area_fraction = float(lesion.mean())
    if ref.skin_fraction_left < 0.3:
        notes.append(NOTES["large"])

    scale_in = scale_px & lesion
    coverage = float(scale_in.sum() / max(lesion.sum(), 1))
    band = _scale_band(coverage)

    # Colour offsets relative to the local skin, then normalised for skin tone.
    colour_px = lesion & ~dilate(scale_in, 1) & erode(lesion, 2)
    if colour_px.sum() < 20:
        colour_px = lesion & ~scale_in if (lesion & ~scale_in).sum() >= 5 else lesion
    les_lab = np.median(lab_s[colour_px], axis=0)
    d_l = float(np.median(lab_s[..., 0][colour_px] - ref.local_L[colour_px]))
    d_a_med = float(np.median(d_a[colour_px]))
    d_b = float(np.median(lab_s[..., 2][colour_px] - ref.local_b[colour_px]))
    k_c, k_l = chroma_damping(ref.L), lightness_damping(ref.L)
    color_class, confidence = _classify_color(d_l / k_l, d_a_med / k_c, d_b / k_c)
    confidence = float(np.clip(0.5 + 0.5 * confidence, 0.0, 1.0) * (0.6 + 0.4 * quality.score))

    compactness = _border(labels, count)
    findings = LesionImageFindings(
        lesion_found=True,
        area_fraction=round(area_fraction, 4),
        lesion_count=count,
        color_class=color_class,
        color_confidence=round(confidence, 3),
        reference_skin=LabColor(L=round(ref.L, 2), a=round(ref.a, 2), b=round(ref.b, 2)),
        lesion_color=LabColor(L=round(float(les_lab[0]), 2), a=round(float(les_lab[1]), 2), b=round(float(les_lab[2]), 2)),
        delta_L=round(d_l, 2),
        delta_a=round(d_a_med, 2),
        delta_b=round(d_b, 2),
        hue_deg=round(float(np.degrees(np.arctan2(les_lab[2], les_lab[1]))), 1),
        scale_present=band != "none",
        scale_thickness=band,
        scale_coverage=round(coverage, 3),
        border_compactness=round(compactness, 3) if compactness is not None else None,
        border_regular=compactness < IRREGULAR_COMPACTNESS if compactness is not None else None,
        notes=notes,
    )
    if view == "closeup":
        findings = _with_pasi(findings, d_l / k_l, d_a_med / k_c, coverage, float(alpha[scale_in].mean()) if scale_in.any() else 0.0, quality, ref.L)
    return findings


def _with_pasi(
    f: LesionImageFindings,
    d_l: float,
    d_a: float,
    coverage: float,
    scale_alpha: float,
    quality: ImageQuality,
    skin_l: float,
) -> LesionImageFindings:
    """Add PASI erythema and desquamation sub-scores (0-4) with an uncertainty."""
    # Darkening counts towards severity: dusky and violaceous plaques score as marked erythema.
    redness = d_a + 0.6 * max(0.0, -d_l)
    ery = float(np.clip((redness - 3.0) / 6.5, 0.0, 4.0))
    scl = float(np.clip(coverage * max(scale_alpha, 0.5) * 7.0, 0.0, 4.0)) if coverage >= SCALE_PRESENT_COVERAGE else 0.0
    base_unc = 0.5 + (1.0 - quality.score)
    ery_unc = base_unc + (0.5 if skin_l < 45.0 else 0.0)
    return f.model_copy(
        update={
            "pasi_erythema": round(ery * 2) / 2,
            "pasi_erythema_uncertainty": round(ery_unc, 2),
            "pasi_scale": round(scl * 2) / 2,
            "pasi_scale_uncertainty": round(base_unc, 2),
        }
    )

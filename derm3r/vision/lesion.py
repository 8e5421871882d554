"""Classical lesion analysis of a skin photograph: segmentation, colour class, scale, extent, border.

The analysis works in CIELAB on a downscaled copy. Lesions are found as pixels whose redness (a*)
stands clearly above the surrounding skin, so everything is measured relative to that skin rather
than in absolute colour; offsets are divided by the tone damping of :mod:`derm3r.vision.skin_model`
before the colour class is decided, which keeps the decision comparable from light to dark skin.
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.color import srgb_to_lab
from derm3r.vision.filters import gaussian_blur, local_std, resize_rgb_to_max_side
from derm3r.vision.hair import warm_strand_mask
from derm3r.vision.ink import bridge_ink, exclude_ink
from derm3r.vision.lesion_reference import MIN_SEED_DELTA_A, SkinReference, robust_sigma
from derm3r.vision.lesion_types import detect_lesion_types
from derm3r.vision.models import ColorClass, ImageQuality, LabColor, LesionImageFindings, LesionType, ScaleBand
from derm3r.vision.morphology import (
    closing,
    component_edge_shares,
    component_perimeters,
    dilate,
    erode,
    fill_holes,
    label,
    opening,
    remove_small,
)
from derm3r.vision.outline import lesion_outlines
from derm3r.vision.pasi import SCALE_PRESENT_COVERAGE, with_pasi
from derm3r.vision.quality import assess_quality
from derm3r.vision.skin_domain import skin_domain
from derm3r.vision.skin_model import chroma_damping, lightness_damping

ANALYSIS_SIDE = 400
# A seed region must be clearly red somewhere, not just over the cut: JPEG chroma blocks and skin
# mottling make flat regions that sit barely above it.
MIN_PEAK_DELTA_A = 3.8
MIN_LESION_FRACTION = 0.0015
# Median tone-normalised a* rise a lesion needs; the palest class (淡红) starts near 6.
MIN_LESION_DELTA_A = 4.0
MIN_LESION_PEAK_A = 5.8
#: A red component with this share of its outline on the photo's edge needs an upper-decile rise of
#: SHADING_MAX_PEAK_A (PAD-UFES-20 calibration clear-skin tiles: the false ones peak at 5-8).
SHADING_EDGE_SHARE = 0.15
SHADING_MAX_PEAK_A = 8.5
# Colour-class boundaries in tone-normalised offsets (light-skin units, see skin_model).
DARK_DELTA_L = -12.5
PURPLE_DELTA_B = -5.0
BRIGHT_DELTA_A = 13.0
#: A saturated red pigment lowers L* too: a lesion reads dark only when its darkening outweighs its
#: reddening (Δa* < this × |ΔL*|); a vivid red on light skin can sit 30 L* units below the skin.
DARK_REDNESS_RATIO = 1.3
# Scale: a pixel counts as scale when it has moved this far from the lesion colour towards white.
SCALE_ALPHA = 0.35
SCALE_ALPHA_TEXTURED = 0.25
SCALE_THICK_INDEX = 0.22
# Above this, the outline is clearly less compact than a smooth ellipse of aspect up to ~1.6.
IRREGULAR_COMPACTNESS = 1.12

FOUND_WITHOUT_ERYTHEMA = ("depigmentation", "hyperpigmentation", "comedone")
SCALE_IMPOSTORS = ("vesicle", "pustule", "erosion")
NOTES = {
    "none": "未见明显皮损 (no lesion found)",
    "dark_skin": "深肤色，红斑程度可能被低估 (dark skin: erythema may be under-estimated)",
    "low_quality": "图像质量欠佳，结果仅供参考 (limited image quality: treat results as indicative)",
    "large": "皮损范围广，周围正常皮肤参照较少 (extensive lesions: little normal skin for reference)",
    "blisters": "白色点状物为疱顶而非鳞屑 (the white spots are blister tops, not scale)",
    "ink": "皮肤上的标记笔迹已排除 (marker-pen strokes on the skin were left out)",
}


def _classify_color(d_l: float, d_a: float, d_b: float) -> tuple[ColorClass, float]:
    """Colour class from tone-normalised offsets, with a 0-1 confidence from the margin."""
    if d_l <= DARK_DELTA_L and d_a < DARK_REDNESS_RATIO * -d_l:
        margin_l = (DARK_DELTA_L - d_l) / 6.0
        if d_b <= PURPLE_DELTA_B:
            return "紫暗", float(np.clip(min(margin_l, (PURPLE_DELTA_B - d_b) / 5.0), 0.0, 1.0))
        return "暗红", float(np.clip(min(margin_l, (d_b - PURPLE_DELTA_B) / 5.0), 0.0, 1.0))
    margin_l = (d_l - DARK_DELTA_L) / 6.0
    if d_a >= BRIGHT_DELTA_A:
        return "鲜红", float(np.clip(min(margin_l, (d_a - BRIGHT_DELTA_A) / 5.0), 0.0, 1.0))
    return "淡红", float(np.clip(min(margin_l, (BRIGHT_DELTA_A - d_a) / 5.0), 0.0, 1.0))


def _scale_band(coverage: float, opacity: float) -> ScaleBand:
    """None / thin / thick from how much of the plaque is covered and how opaque the cover is."""
    if coverage < SCALE_PRESENT_COVERAGE:
        return "none"
    # Thick scale is both dense and opaque; sparse or translucent flakes read as thin.
    return "thick" if coverage * opacity >= SCALE_THICK_INDEX else "thin"


def _border(labels: np.ndarray, count: int) -> float | None:
    """Area-weighted compactness perimeter^2 / (4 pi area), crack length corrected to ~1 for a disc."""
    if count == 0:
        return None
    areas = np.bincount(labels.ravel(), minlength=count + 1)[1:].astype(np.float64)
    # Crack counting over-reads a curved boundary by 4/pi; undo that on average.
    perims = component_perimeters(labels, count)[1:] * (np.pi / 4.0)
    compact = perims**2 / (4.0 * np.pi * np.maximum(areas, 1.0))
    return float(np.sum(compact * areas) / np.sum(areas))


def _empty(ref: SkinReference | None, notes: list[str], types: list[LesionType]) -> LesionImageFindings:
    """No erythematous lesion; a confident 白斑, 色素沉着 or 粉刺 still counts as found."""
    pigmentary = [t for t in types if t.name in FOUND_WITHOUT_ERYTHEMA and not t.uncertain]
    return LesionImageFindings(
        lesion_found=bool(pigmentary),
        area_fraction=0.0,
        lesion_count=0,
        reference_skin=_lab_color(np.array([ref.L, ref.a, ref.b])) if ref else None,
        lesion_types=types,
        notes=notes if pigmentary else [NOTES["none"], *notes],
    )


def _white_seeds(lab_s: np.ndarray, ref: SkinReference, domain: np.ndarray) -> np.ndarray:
    """Pixels clearly lighter and less chromatic than the local skin (dense scale)."""
    d_l = lab_s[..., 0] - ref.local_L
    chroma = np.hypot(lab_s[..., 1], lab_s[..., 2])
    ref_chroma = np.hypot(ref.local_a, ref.local_b)
    return domain & (d_l > max(4.0, 4.0 * ref.sigma_L)) & (chroma < ref_chroma - max(3.0, 3.0 * ref.sigma_a))


def _ring_level(values: np.ndarray, comp: np.ndarray, width: int) -> float:
    """Upper-quartile value in a ring around one component (its bounding box is cropped first)."""
    ys, xs = np.nonzero(comp)
    y0, y1 = max(ys.min() - width, 0), min(ys.max() + width + 1, comp.shape[0])
    x0, x1 = max(xs.min() - width, 0), min(xs.max() + width + 1, comp.shape[1])
    crop = comp[y0:y1, x0:x1]
    ring = dilate(crop, width) & ~crop
    return float(np.percentile(values[y0:y1, x0:x1][ring], 75)) if ring.any() else 0.0


def _component_percentile(labels: np.ndarray, n: int, values: np.ndarray, q: float) -> np.ndarray:
    """The q-th percentile of ``values`` inside each labelled component (index 0 unused)."""
    flat = labels.ravel()
    order = np.argsort(flat, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(flat, minlength=n + 1))])
    vals = values.ravel()[order]
    out = np.zeros(n + 1, dtype=np.float64)
    for k in range(1, n + 1):
        chunk = vals[starts[k] : starts[k + 1]]
        out[k] = float(np.percentile(chunk, q)) if chunk.size else 0.0
    return out


def _keep_peaked(mask: np.ndarray, values: np.ndarray, peak: float) -> np.ndarray:
    """Keep components whose upper decile of ``values`` reaches ``peak``."""
    labels, n = label(mask)
    if n == 0:
        return mask
    keep = _component_percentile(labels, n, values, 90) >= peak
    keep[0] = False
    return keep[labels]


def _segment(
    lab_s: np.ndarray, lab_f: np.ndarray, ref: SkinReference, domain: np.ndarray, n_pix: int
) -> np.ndarray:
    """Lesion mask from red seeds, plus whitish (scaly) seeds that sit on a red rim.

    Returns:
        The lesion mask; empty when nothing was found.
    """
    d_a = lab_s[..., 1] - ref.local_a
    # Less smoothed redness for the rim test: heavy smoothing smears white scale over the rim.
    d_a_fine = lab_f[..., 1] - ref.local_a
    seed_cut = max(MIN_SEED_DELTA_A, 4.0 * ref.sigma_a)
    min_seed = max(6, int(MIN_LESION_FRACTION * n_pix / 4))
    # Pixels at the edge of the skin region are blurred with the background: no seeds there.
    inner_domain = erode(domain, 2) if not domain.all() else domain
    red_seeds = remove_small(opening(inner_domain & (d_a > seed_cut), 1), min_seed)
    red_seeds = _keep_peaked(red_seeds, d_a, max(MIN_PEAK_DELTA_A, 1.2 * seed_cut))
    white = remove_small(opening(_white_seeds(lab_s, ref, domain) & ~red_seeds, 1), min_seed)
    white_labels, n_white = label(white)
    keep_white = np.zeros((n_white + 1,), dtype=bool)
    for k in range(1, min(n_white, 60) + 1):
        comp = white_labels == k
        # Scale sits on inflamed skin: demand redness just outside, or touching a red seed.
        touches = bool((dilate(comp, 2) & red_seeds).any())
        keep_white[k] = touches or _ring_level(d_a_fine, comp, 3) > 0.5 * seed_cut
    white_seeds = keep_white[white_labels]
    seeds = red_seeds | white_seeds
    if not seeds.any():
        return np.zeros_like(domain)
    # Hysteresis: the boundary sits halfway between skin and the lesions' typical redness.
    typical = float(np.median(d_a[red_seeds])) if red_seeds.any() else seed_cut
    edge_cut = max(0.5 * typical, 0.6 * seed_cut)
    grown = (domain & (d_a > edge_cut)) | seeds
    grown_labels, n_grown = label(grown)
    keep = np.zeros((n_grown + 1,), dtype=bool)
    keep[np.unique(grown_labels[seeds])] = True
    keep[0] = False
    lesion = fill_holes(closing(keep[grown_labels], 3))
    lesion = opening(lesion, 1)
    lesion = remove_small(lesion, max(10, int(MIN_LESION_FRACTION * n_pix)))
    # A lesion must be clearly redder than the skin, typically or at its core (allowing for skin
    # tone), unless it carries scale: mottled skin grown from a stray seed is only marginally red.
    labels, n = label(lesion)
    if n == 0:
        return lesion
    k_c = chroma_damping(ref.L)
    typical_red = _component_percentile(labels, n, d_a, 50) / k_c
    peak_red = _component_percentile(labels, n, d_a, 90) / k_c
    scaly = np.bincount(labels[white_seeds], minlength=n + 1) > 0
    # Phone lenses tint the frame's edges (colour shading): a faint red rise along the edge is that.
    shading = (component_edge_shares(labels, n) >= SHADING_EDGE_SHARE) & (peak_red < SHADING_MAX_PEAK_A)
    keep = (((typical_red >= MIN_LESION_DELTA_A) | (peak_red >= MIN_LESION_PEAK_A)) & ~shading) | scaly
    keep[0] = False
    return keep[labels]


def _scale_alpha(lab: np.ndarray, lab_f: np.ndarray, base: np.ndarray, skin_l: float) -> np.ndarray:
    """How far each pixel moved from the lesion colour towards achromatic white (0-1).

    Lightness comes from the unsmoothed image because JPEG keeps luma detail; chroma comes from
    the lightly smoothed one and is trusted less (x1.5), because chroma subsampling smears the
    loss of colour of small flakes over their neighbours.
    """
    chroma = np.hypot(lab_f[..., 1], lab_f[..., 2])
    c_base = float(np.hypot(base[1], base[2]))
    # Scale looks white against the plaque but on dark skin it is an ashy grey, not paper white.
    white_l = max(float(base[0]) + 15.0, min(85.0, skin_l + 30.0))
    alpha_c = (c_base - chroma) / max(c_base - 5.0, 3.0)
    alpha_l = (lab[..., 0] - float(base[0])) / max(white_l - float(base[0]), 5.0)
    return np.clip(np.minimum(1.5 * alpha_c, alpha_l), 0.0, 1.0)


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
    small, lab, lab_s, lab_f = _prepare(rgb, quality)
    n_pix = small.shape[0] * small.shape[1]
    # Skin and whatever it encloses (lesions, scale); background never counts.
    domain = skin_domain(small, lab_s)
    if domain.sum() < 0.05 * n_pix:
        return _empty(None, ["画面中皮肤过少 (little skin in view)"], [])
    domain, ref, ink, lines, off = exclude_ink(lab_s, lab_f, domain)
    # Auburn and light-brown hairs are warm: out of the domain, or they seed a red lesion.
    hair = warm_strand_mask(off, domain)
    domain, lines = domain & ~hair, lines | hair
    notes: list[str] = [NOTES["ink"]] if ink.any() else []
    if ref.L < 45.0:
        notes.append(NOTES["dark_skin"])
    if quality.score < 0.6:
        notes.append(NOTES["low_quality"])
    lesion = _segment(lab_s, lab_f, ref, domain, n_pix) & ~ink
    labels, count = label(bridge_ink(lesion, ink))  # its parts either side of a stroke are one lesion
    if count == 0:
        return _empty(ref, notes, detect_lesion_types(lab_s, lab_f, ref, domain, lesion, lines=lines))
    if ref.skin_fraction_left < 0.3:
        notes.append(NOTES["large"])
    findings, pasi_inputs, scale_px = _describe(rgb, lab, lab_f, ref, lesion, (labels, count), quality, notes)
    types = detect_lesion_types(
        lab_s, lab_f, ref, domain, lesion, scale_px if findings.scale_present else None, lines=lines
    )
    findings.lesion_types = types
    if findings.scale_present and any(t.name in SCALE_IMPOSTORS and not t.uncertain for t in types):
        # The white spots were vesicle or pustule tops or wet glints, not scale (zoster read as 鳞屑).
        no_scale = {"scale_present": False, "scale_thickness": "none", "scale_coverage": 0.0}
        findings = findings.model_copy(update=no_scale)
        pasi_inputs = (pasi_inputs[0], pasi_inputs[1], 0.0, 0.0)
        notes.append(NOTES["blisters"])
    if view == "closeup":
        findings = with_pasi(findings, *pasi_inputs, quality, ref.L)
    return findings


def _prepare(rgb: np.ndarray, quality: ImageQuality) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Downscaled image and its CIELAB: raw, smoothed for seeds (more for noisier photos) and lightly smoothed."""
    small = resize_rgb_to_max_side(rgb, ANALYSIS_SIDE)
    lab = srgb_to_lab(small)
    # More smoothing for noisier images: the seeds must come from colour, not from grain.
    shrink = small.shape[1] / max(rgb.shape[1], 1)
    noise = quality.noise_sigma * min(shrink, 1.0)
    sigma_s = float(np.clip(1.2 + 0.12 * noise, 1.2, 3.5))
    lab_s = np.stack([gaussian_blur(lab[..., c], sigma_s) for c in range(3)], axis=-1)
    lab_f = np.stack([gaussian_blur(lab[..., c], 0.8 + 0.05 * noise) for c in range(3)], axis=-1)
    return small, lab, lab_s, lab_f


def _describe(
    rgb: np.ndarray,
    lab: np.ndarray,
    lab_f: np.ndarray,
    ref: SkinReference,
    lesion: np.ndarray,
    labelled: tuple[np.ndarray, int],
    quality: ImageQuality,
    notes: list[str],
) -> tuple[LesionImageFindings, tuple[float, float, float, float], np.ndarray]:
    """Colour class, scale, extent and border of the erythematous lesions.

    Returns:
        The findings, the PASI inputs (tone-normalised ΔL*, Δa*, scale coverage, scale opacity) and
        the pixels read as scale.
    """
    labels, count = labelled
    area_fraction = float(lesion.mean())
    # Lesion base colour: the reddest interior pixels (between any scale flakes).
    interior = erode(lesion, 2)
    if interior.sum() < 20:
        interior = lesion
    a_in = lab_f[..., 1][interior]
    base = np.median(lab_f[interior][a_in >= np.percentile(a_in, 70)], axis=0)

    alpha = _scale_alpha(lab, lab_f, base, ref.L)
    texture = local_std(lab[..., 0], 2)
    textured = texture > 2.0 * max(
        robust_sigma(lab[..., 0][~dilate(lesion, 3)]) if (~lesion).any() else 1.0, 1.0
    )
    scale_px = erode(lesion, 1) & ((alpha >= SCALE_ALPHA) | ((alpha >= SCALE_ALPHA_TEXTURED) & textured))
    # Judge scale on the interior: the plaque edge mixes with skin and mimics pale flakes.
    coverage = float((scale_px & interior).sum() / max(interior.sum(), 1))
    opacity = float(alpha[scale_px & interior].mean()) if (scale_px & interior).any() else 0.0
    band = _scale_band(coverage, opacity)

    # Colour offsets of unscaled lesion pixels relative to the local skin, normalised for tone.
    colour_px = _colour_pixels(lesion, interior, alpha, scale_px)
    les_lab = np.median(lab[colour_px], axis=0)
    d_l = float(np.median(lab[..., 0][colour_px] - ref.local_L[colour_px]))
    d_a = float(np.median(lab[..., 1][colour_px] - ref.local_a[colour_px]))
    d_b = float(np.median(lab[..., 2][colour_px] - ref.local_b[colour_px]))
    k_c, k_l = chroma_damping(ref.L), lightness_damping(ref.L)
    color_class, confidence = _classify_color(d_l / k_l, d_a / k_c, d_b / k_c)
    confidence = float(np.clip(0.5 + 0.5 * confidence, 0.0, 1.0) * (0.6 + 0.4 * quality.score))

    compactness = _border(labels, count)
    findings = LesionImageFindings(
        lesion_found=True,
        area_fraction=round(area_fraction, 4),
        lesion_count=count,
        color_class=color_class,
        color_confidence=round(confidence, 3),
        reference_skin=_lab_color(np.array([ref.L, ref.a, ref.b])),
        lesion_color=_lab_color(les_lab),
        delta_L=round(d_l, 2),
        delta_a=round(d_a, 2),
        delta_b=round(d_b, 2),
        hue_deg=round(float(np.degrees(np.arctan2(les_lab[2], les_lab[1]))), 1),
        scale_present=band != "none",
        scale_thickness=band,
        scale_coverage=round(coverage, 3),
        border_compactness=round(compactness, 3) if compactness is not None else None,
        border_regular=compactness < IRREGULAR_COMPACTNESS if compactness is not None else None,
        outlines=lesion_outlines(labels, count, (rgb.shape[1], rgb.shape[0])),
        notes=notes,
    )
    return findings, (d_l / k_l, d_a / k_c, coverage, opacity), scale_px


def _colour_pixels(
    lesion: np.ndarray, interior: np.ndarray, alpha: np.ndarray, scale_px: np.ndarray
) -> np.ndarray:
    """Lesion pixels whose colour is not diluted by scale or by the skin at the edge."""
    near_scale = dilate(scale_px, 1)
    clean = interior & (alpha < 0.15) & ~near_scale
    if clean.sum() >= max(20, 0.05 * lesion.sum()):
        return clean
    # Densely scaled plaques: fall back on the red rim just inside the border.
    rim = erode(lesion, 1) & ~erode(lesion, 4) & ~near_scale & (alpha < 0.15)
    if rim.sum() >= 20:
        return rim
    fallback = interior & (alpha <= np.percentile(alpha[interior], 30))
    return fallback if fallback.any() else lesion


def _lab_color(v: np.ndarray) -> LabColor:
    return LabColor(L=round(float(v[0]), 2), a=round(float(v[1]), 2), b=round(float(v[2]), 2))

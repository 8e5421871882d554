"""Lesion types a TCM dermatologist names, read against the patient's own surrounding skin.

Each detector measures one look in CIELAB relative to the local skin fields of
:class:`~derm3r.vision.lesion_reference.SkinReference` and returns a 0-1 confidence; below
UNCERTAIN_BELOW the type is reported as uncertain, and the clinician's text wins over any of them.

- 色素脱失/白斑 (depigmentation): clearly lighter than the skin, not redder, with a sharp border.
- 色素沉着 (hyperpigmentation): clearly darker, not redder.
- 风团 (wheal): a pale-pink, mildly red area, not darker than the skin, broad, often with a paler
  centre (annular).
- 水疱/脓疱 (vesicles / pustules): several small bright domes clustered on or near a red base;
  pustules when the domes' tops are yellow-white.
- 结痂 (crust): dried serum/pus on a lesion — yellow-brown or honey (b* well above the skin, L* lower,
  hue angle at least CRUST_MIN_HUE: a red plaque's hue is 20-35°, honey crust's 60-85°) with a
  rougher surface than the skin. A dark-red 血痂 looks like a dark red plaque and is not read.
- 苔藓样变 (lichenification): a lesion whose fine lightness texture is far coarser than the skin's.

The thresholds are project choices checked on painted images; they have not been fitted on
labelled clinical photographs (none with a usable licence could be obtained, see
data/photos/SOURCES.md).
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.filters import box_mean, local_std
from derm3r.vision.lesion_reference import SkinReference
from derm3r.vision.lesion_surface import detect_comedones, detect_erosion, scale_colour
from derm3r.vision.models import LesionType
from derm3r.vision.morphology import component_boxes, dilate, erode, label, opening, remove_small
from derm3r.vision.skin_model import chroma_damping, lightness_damping

UNCERTAIN_BELOW = 0.5
LABELS = {
    "depigmentation": "色素脱失斑",
    "hyperpigmentation": "色素沉着",
    "wheal": "风团",
    "vesicle": "水疱",
    "pustule": "脓疱",
    "crust": "结痂",
    "lichenification": "苔藓样变",
}
MIN_PATCH_FRACTION = 0.004
#: Pigmentary patches are opened with this radius (analysis pixels): hairs, ink lines and the
#: dark creases of skin folds are thinner than that on the PAD-UFES-20 calibration photos.
PATCH_OPENING_RADIUS = 2
DEPIGMENT_DL = 8.0
HYPERPIGMENT_DL = -8.0
#: Raw L* step a pigmentary patch needs whatever the tone (dark skin damps offsets; noise does not shrink).
MIN_RAW_DL = 4.0
#: A depigmented patch is less chromatic than the skin (painted vitiligo 0.63-0.80 of the skin's C*;
#: PAD-UFES-20 calibration lit skin 1.04)...
DEPIGMENT_MAX_CHROMA_RATIO = 0.9
#: ...and about as smooth (painted 0.9-1.2 × the skin's lightness texture; calibration glints on hairs
#: and white keratin on tumours 1.8-8.7).
DEPIGMENT_MAX_TEXTURE = 1.6
#: 白驳风's patch is sharply bordered (《中医外科学》白驳风: 白斑边界清楚): the lightness step across its
#: border, relative to its contrast, at least this (painted vitiligo 0.35-0.56 under white balance,
#: shading and JPEG; the PAD-UFES-20 calibration half's confident 色素脱失 on tumours and keratoses —
#: paler skin round a lesion, lit skin, scars — 0.08-0.23 for 11 of 13)...
DEPIGMENT_MIN_SHARPNESS = 0.3
#: ...and keeps the skin's hue or turns pinker: a patch turned yellower than this (degrees; painted
#: −7 to +13; calibration yellow-white keratin +33 to +74) is keratin or crust.
DEPIGMENT_MAX_YELLOW_TURN = 20.0
DOME_RISE_L = 5.0
MIN_DOMES = 5
MIN_DOME_PIXELS = 3
#: Yellow-white tops: b* this far above the skin reads as pus.
PUSTULE_DB = 6.0
#: Bright round spots on a scaly plaque may be flakes: never more than uncertain there.
SCALY_DOME_CAP = 0.45
#: Share of the "scale" pixels the round tops must account for to be read as vesicles instead
#: (painted vesicles: 0.66-1.0; painted psoriatic flakes: 0.05-0.64, those with sparse "scale" up to
#: 0.62 — a thin margin between two painted sets, not a fitted value)…
DOMES_EXPLAIN_SCALE = 0.64
#: ...and the "scale" must be sparse: blister tops cover a small share of the base (painted vesicles
#: 0.03-0.07 of the lesion), psoriatic scale a large one (0.13 and up).
MAX_TOPS_SHARE = 0.10
#: Crust hue (CIELAB h = atan2(b*, a*)): yellow-brown/honey crusts sit at 50-85°, red and dark-red
#: plaques (with or without scale) at 20-35° — the demo psoriasis photos read 结痂 at b* alone.
CRUST_MIN_HUE = 45.0
#: A crust is dried and uneven: its lightness texture at least this many times the skin's.
CRUST_TEXTURE_RATIO = 1.2
LICHEN_TEXTURE_RATIO = 2.5
PALE_CENTRE_SHARE = 0.08


def _patches(mask: np.ndarray, n_pix: int) -> np.ndarray:
    """Compact patches: an opening wider than a hair strand or an ink line (2-3 px at 300-400 px)."""
    radius = PATCH_OPENING_RADIUS
    return remove_small(opening(mask, radius), max(12, int(MIN_PATCH_FRACTION * n_pix)))


def _edge_sharpness(lightness: np.ndarray, patch: np.ndarray, contrast: float) -> float:
    """Lightness step across the border over 2 px, relative to the patch contrast (1 = a clean step)."""
    inner = patch & ~erode(patch, 2)
    outer = dilate(patch, 2) & ~patch
    if not inner.any() or not outer.any() or contrast <= 0:
        return 0.0
    step = float(np.median(lightness[inner]) - np.median(lightness[outer]))
    return float(np.clip(abs(step) / contrast, 0.0, 1.0))


def _type(name: str, confidence: float, evidence: str) -> LesionType:
    confidence = round(float(np.clip(confidence, 0.0, 1.0)), 3)
    return LesionType(
        name=name, label=LABELS[name], confidence=confidence, uncertain=confidence < UNCERTAIN_BELOW, evidence=evidence
    )


def _depigmentation(
    lab: np.ndarray, ref: SkinReference, domain: np.ndarray, light: np.ndarray, contrast: float
) -> LesionType:
    """色素脱失 on a lighter patch, at most uncertain when it is lit skin, a glint or white keratin.

    Lost melanin makes the patch paler in colour too (less chroma than the skin); a lighter patch as
    saturated as the skin is lit or shaded skin. A vitiligo patch keeps the skin's smooth surface; a
    specular highlight or white keratin is near-white and rough (its lightness texture far above the
    skin's) — on the PAD-UFES-20 calibration half these were the confident 色素脱失 on tumours.
    """
    sharp = _edge_sharpness(lab[..., 0], light, contrast * lightness_damping(ref.L))
    chroma = np.hypot(lab[..., 1], lab[..., 2])
    paler = float(np.median(chroma[light])) / max(float(np.hypot(ref.a, ref.b)), 1.0)
    texture = local_std(lab[..., 0], 2)
    skin = domain & ~dilate(light, 3)
    # The patch's own surface, away from its border step.
    inside = erode(light, 3) if erode(light, 3).any() else light
    rough = float(np.median(texture[inside])) / max(float(np.median(texture[skin])) if skin.any() else 0.3, 0.3)
    conf = 0.35 + 0.35 * min(contrast / 20.0, 1.0) + 0.3 * sharp
    evidence = f"ΔL*=+{contrast:.1f}, 边界锐利度 {sharp:.2f}, 面积 {light.mean():.1%}, 彩度比 {paler:.2f}, 纹理 ×{rough:.1f}"
    if paler > DEPIGMENT_MAX_CHROMA_RATIO or rough > DEPIGMENT_MAX_TEXTURE:
        conf = min(conf, SCALY_DOME_CAP)
        evidence += "; 可能为光照、反光或白色角质 (may be light, a glint or white keratin)"
    turn = float(np.degrees(np.arctan2(np.median(lab[..., 2][light]), np.median(lab[..., 1][light]))))
    turn = (turn - float(np.degrees(np.arctan2(ref.b, ref.a))) + 180.0) % 360.0 - 180.0
    if sharp < DEPIGMENT_MIN_SHARPNESS or turn > DEPIGMENT_MAX_YELLOW_TURN:
        conf = min(conf, SCALY_DOME_CAP)
        evidence += f"; 边界不清或偏黄 (色调 {turn:+.0f}°): 可能为较浅皮肤、瘢痕或角质 (no sharp border, or yellowish)"
    return _type("depigmentation", conf, evidence)


def _pigmentary(
    lab: np.ndarray, ref: SkinReference, domain: np.ndarray, red_lesion: np.ndarray, n_pix: int
) -> list[LesionType]:
    raw_l = lab[..., 0] - ref.local_L
    d_l = raw_l / lightness_damping(ref.L)
    d_a = (lab[..., 1] - ref.local_a) / chroma_damping(ref.L)
    # Pale scale and dusky plaques sit on or next to inflamed skin; a pigmentary patch does not.
    away = domain & ~dilate(red_lesion, 4)
    step = max(MIN_RAW_DL, 3.5 * ref.sigma_L)
    out: list[LesionType] = []
    light = _patches(away & (d_l > DEPIGMENT_DL) & (raw_l > step) & (d_a < 2.0), n_pix)
    if light.any():
        out.append(_depigmentation(lab, ref, domain, light, float(np.median(d_l[light]))))
    dark = _patches(away & (d_l < HYPERPIGMENT_DL) & (raw_l < -step) & (d_a < 3.0), n_pix)
    if dark.any():
        contrast = float(-np.median(d_l[dark]))
        out.append(_type("hyperpigmentation", 0.35 + 0.55 * min(contrast / 20.0, 1.0), f"ΔL*=-{contrast:.1f}"))
    return out


def _wheal(lab: np.ndarray, ref: SkinReference, lesion: np.ndarray, n_pix: int) -> list[LesionType]:
    if not lesion.any():
        return []
    d_l = lab[..., 0][lesion] - ref.local_L[lesion]
    d_a = (lab[..., 1][lesion] - ref.local_a[lesion]) / chroma_damping(ref.L)
    pale_pink = float(np.median(d_a)) < 12.0 and float(np.median(d_l)) > -4.0
    if not pale_pink:
        return []
    labels, n = label(lesion)
    sizes = np.bincount(labels.ravel())[1:]
    broad = float(sizes.max() / n_pix) if n else 0.0
    # Annular or pale-centred: inside the outline (holes filled), islands far less red than the wheal.
    red = lab[..., 1] - ref.local_a
    pale_inside = erode(lesion, 3) & (red < 0.45 * float(np.median(red[lesion])))
    annular = bool(pale_inside.sum() > PALE_CENTRE_SHARE * lesion.sum())
    # A pale-pink flat plaque looks the same in one photo; only an annular, pale-centred shape is confident.
    conf = 0.25 + 0.1 * min(broad / 0.05, 1.0) + (0.3 if annular else 0.0) + (0.1 if n >= 2 else 0.0)
    return [_type("wheal", conf, f"淡红隆起, 最大 {broad:.1%}{', 环状' if annular else ''}")]


def _round(labels: np.ndarray, count: int, sizes: np.ndarray) -> np.ndarray:
    """Per component: a dome's top is a compact round spot, filling its bounding box like a disc, not a flake."""
    y_min, y_max, x_min, x_max = component_boxes(labels, count)
    bh, bw = y_max - y_min + 1, x_max - x_min + 1
    return (np.maximum(bh, bw) <= 1.6 * np.minimum(bh, bw)) & (sizes >= 0.55 * bh * bw)


def _domes(
    lab: np.ndarray, ref: SkinReference, domain: np.ndarray, lesion: np.ndarray, scale_px: np.ndarray | None
) -> list[LesionType]:
    if not lesion.any():
        return []  # vesicles and pustules are read on an inflamed base
    lightness = lab[..., 0]
    rise = lightness - box_mean(lightness, 3)
    bright = domain & (rise > DOME_RISE_L) & (lightness > ref.L)
    labels, n = label(bright)
    if n == 0:
        return []
    sizes = np.bincount(labels.ravel())[1:]
    small = np.nonzero((sizes >= MIN_DOME_PIXELS) & (sizes <= 80))[0] + 1
    near = np.bincount(labels[dilate(lesion, 6)], minlength=n + 1) > 0
    round_top = _round(labels, n, np.bincount(labels.ravel(), minlength=n + 1))
    keep = [k for k in small if near[k] and round_top[k]]
    if len(keep) < MIN_DOMES:
        return []
    domes = np.isin(labels, keep)
    tops_b = float(np.median(lab[..., 2][domes] - ref.local_b[domes]))
    conf = 0.55 + 0.4 * min(len(keep) / 20.0, 1.0)
    evidence = f"{len(keep)} 个亮色丘顶, Δb*={tops_b:+.1f}"
    if scale_px is not None and scale_px.any():
        explained = float((scale_px & dilate(domes, 2)).sum() / scale_px.sum())
        if explained < 0.5 * DOMES_EXPLAIN_SCALE:
            return []  # ordinary flakes
        if explained < DOMES_EXPLAIN_SCALE or scale_px.sum() > MAX_TOPS_SHARE * lesion.sum():
            conf = min(conf, SCALY_DOME_CAP)
            evidence += "; 伴鳞屑，亦可能为鳞屑 (may be scale)"
        else:
            evidence += f"; 白色点状物 {explained:.0%} 为疱顶而非鳞屑 (tops, not scale)"
    name = "pustule" if tops_b > PUSTULE_DB else "vesicle"
    return [_type(name, conf, evidence)]


def _crust(lab: np.ndarray, ref: SkinReference, domain: np.ndarray, lesion: np.ndarray) -> list[LesionType]:
    if lesion.sum() < 30:
        return []
    hue = np.degrees(np.arctan2(lab[..., 2], lab[..., 1]))
    yellow_brown = (hue >= CRUST_MIN_HUE) & (hue <= 100.0)
    crust = lesion & yellow_brown & (lab[..., 2] - ref.local_b > 8.0) & (lab[..., 0] - ref.local_L < -3.0)
    share = float(crust.sum() / lesion.sum())
    if share <= 0.08:
        return []
    skin = domain & ~dilate(lesion, 3)
    texture = local_std(lab[..., 0], 2)
    rough = float(np.median(texture[crust]) / max(float(np.median(texture[skin])) if skin.any() else 0.3, 0.3))
    if rough < CRUST_TEXTURE_RATIO:
        return []  # a smooth yellowish stain, not a dried crust
    return [_type("crust", 0.35 + 0.6 * min(share / 0.4, 1.0), f"黄褐色 {share:.0%}, 表面粗糙 ×{rough:.1f}")]


def _lichenification(lab: np.ndarray, domain: np.ndarray, lesion: np.ndarray) -> list[LesionType]:
    skin = domain & ~dilate(lesion, 3)
    if lesion.sum() < 30 or skin.sum() < 50:
        return []
    texture = local_std(lab[..., 0], 2)
    ratio = float(np.median(texture[lesion]) / max(float(np.median(texture[skin])), 0.3))
    if ratio <= LICHEN_TEXTURE_RATIO:
        return []
    conf = 0.3 + 0.4 * min((ratio - LICHEN_TEXTURE_RATIO) / 2.0, 1.0)
    return [_type("lichenification", conf, f"纹理粗糙 ×{ratio:.1f}")]


def detect_lesion_types(
    lab: np.ndarray,
    lab_fine: np.ndarray,
    ref: SkinReference,
    domain: np.ndarray,
    red_lesion: np.ndarray,
    scale_px: np.ndarray | None = None,
    lines: np.ndarray | None = None,
) -> list[LesionType]:
    """Every lesion type seen, most confident first.

    Args:
        lab: smoothed CIELAB of the analysed image (colour of patches).
        lab_fine: lightly smoothed CIELAB (small domes survive it).
        ref: the surrounding-skin reference.
        domain: skin pixels and what they enclose.
        red_lesion: the erythematous lesion mask (may be empty).
        scale_px: pixels the plaque analysis read as scale (None: no scale). Its texture is then
            scale, not wheal or lichenification; bright round spots on it are vesicle tops only when
            they account for most of that "scale", otherwise they are reported as uncertain.
        lines: thin dark lines on the skin (black marker, dark hair; see ink.dark_line_mask), left
            out of the pigmentary patches: a line is no 色素沉着.

    Returns:
        Lesion types with confidences; ``uncertain`` below UNCERTAIN_BELOW.
    """
    n_pix = lab.shape[0] * lab.shape[1]
    found = _pigmentary(lab, ref, domain if lines is None else domain & ~lines, red_lesion, n_pix)
    found += _crust(lab, ref, domain, red_lesion)
    found += _domes(lab_fine, ref, domain, red_lesion, scale_px)
    found += detect_comedones(lab_fine, ref, domain, red_lesion)
    found += scale_colour(lab, ref, scale_px, red_lesion)
    if scale_px is not None:
        found += detect_erosion(lab, lab_fine, ref, domain, red_lesion, scale_px)
    if scale_px is None:
        found += detect_erosion(lab, lab_fine, ref, domain, red_lesion)
        found += _wheal(lab, ref, red_lesion, n_pix)
        lichen = _lichenification(lab, domain, red_lesion)
        if lichen and not lichen[0].uncertain:
            # A coarse, cross-hatched surface throws up bright points of its own.
            found = [_type(t.name, min(t.confidence, SCALY_DOME_CAP), t.evidence + "; 苔藓样变表面亦可致亮点")
                     if t.name in ("vesicle", "pustule") else t for t in found]
        found += lichen
    return sorted(found, key=lambda t: -t.confidence)

"""Surface findings read against the patient's own skin: 粉刺, 糜烂/渗出 and the colour of scale.

Morphology (《中医外科学》皮肤病总论 and the disease chapters):

- 粉刺 (comedones, 《中医外科学》粉刺): many small follicular points scattered over the skin —
  open comedones are black points at the follicle openings (黑头), closed ones skin-coloured or whitish
  points (白头); they are not domes on an inflamed base (those are 水疱/脓疱).
- 糜烂/渗出 (erosion, oozing; 继发性皮损): a superficial loss of the epidermis that exposes a red, moist
  surface — so a bright red lesion without scale whose wet surface throws streaky specular glints
  (near-white whatever the skin tone, because they reflect the light, not the skin).
- 鳞屑 colour: psoriatic scale is 银白色 (《中医外科学》白疕: 红斑上覆以多层银白色鳞屑) — bright and
  achromatic, whiter (lower b*) than the skin. Yellowish greasy scale (面游风: 油腻性鳞屑) is not read:
  the plaque analysis only finds whitish, less-chromatic-than-skin scale.

Thresholds are project choices checked on painted photos (derm3r.testing.synthetic_lesion_types), not
fitted on labelled clinical photographs (none with these findings and a usable licence, see
data/photos/SOURCES.md). Each finding carries a confidence; below 0.5 it is reported as uncertain.
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.filters import box_mean, local_std
from derm3r.vision.lesion_reference import SkinReference
from derm3r.vision.models import LesionType
from derm3r.vision.morphology import dilate, label
from derm3r.vision.skin_model import lightness_damping

SURFACE_LABELS = {
    "comedone": "粉刺",
    "erosion": "糜烂渗出",
    "silvery_scale": "银白色鳞屑",
}
#: A black point is this much darker (L*, light-skin units) than its 9x9 neighbourhood.
COMEDO_DROP_L = 12.0
#: A closed comedo (whitish point) this much lighter.
COMEDO_RISE_L = 6.0
MAX_POINT_PIXELS = 30
MIN_COMEDONES = 8
#: Without at least MIN_COMEDONES black points (whiteheads alone look like milia or sebaceous points):
#: never more than uncertain.
WHITE_ONLY_CAP = 0.45
#: A specular glint: this much above its 11x11 neighbourhood, and near-white (C* below GLINT_MAX_CHROMA).
GLINT_RISE_L = 8.0
GLINT_MAX_CHROMA = 14.0
MIN_STREAKS = 3
#: Share of the "scale" pixels the glints must account for to be read as a wet surface instead.
GLINTS_EXPLAIN_SCALE = 0.64
#: An eroded surface is bright red: a* this far above the skin (light-skin units).
EROSION_MIN_DA = 10.0
#: Silvery scale: near-achromatic and whiter than the skin.
SILVERY_MAX_CHROMA = 12.0
SILVERY_MAX_DB = -3.0
#: Silvery flakes are less chromatic than the skin itself: C* at most this share of the skin's plus a
#: slack (painted psoriatic flakes 0.49-0.84 of it; the PAD-UFES-20 calibration half's confident
#: 银白色鳞屑 on tumours in white-balanced, near-neutral skin 1.2-2.8 — white keratin and glints).
SILVERY_SKIN_CHROMA_RATIO = 0.9
SILVERY_CHROMA_SLACK = 1.5
#: 白疕's scale covers the plaque (《中医外科学》: 红斑上覆以多层银白色鳞屑): confident only when the flakes
#: cover at least this share of the lesion (painted psoriatic plaques: thin 0.16-0.20, thick 0.45-0.52;
#: the PAD-UFES-20 calibration half's confident 银白色鳞屑 on BCCs — white keratin specks and glints —
#: 0.05-0.11, on actinic keratoses, which can be scaly, 0.06-0.26)...
SILVERY_MIN_COVER = 0.13
#: ...and the flakes are whiter than the skin around the plaque by this much L* (painted 3-38; the
#: calibration specks on tumours −2 to +1).
SILVERY_MIN_LIGHTER = 3.0


def _surface_type(name: str, confidence: float, evidence: str) -> LesionType:
    confidence = round(float(np.clip(confidence, 0.0, 1.0)), 3)
    return LesionType(
        name=name, label=SURFACE_LABELS[name], confidence=confidence, uncertain=confidence < 0.5, evidence=evidence
    )


def _points(mask: np.ndarray) -> int:
    """Small compact components (follicular points): not flakes, not hair, not patches."""
    labels, n = label(mask)
    if n == 0:
        return 0
    sizes = np.bincount(labels.ravel())[1:]
    compact, strands = [], []
    for k in range(1, n + 1):
        ys, xs = np.nonzero(labels == k)
        bh, bw = int(ys.max() - ys.min() + 1), int(xs.max() - xs.min() + 1)
        if sizes[k - 1] <= MAX_POINT_PIXELS and max(bh, bw) <= 2 * min(bh, bw):
            compact.append(k)
        else:
            strands.append(k)
    # Fragments beside a patch (its ragged edge) or along a hair (PAD-UFES-20 calibration half: broken
    # hair strands read as black points) are not follicular points.
    near_other = dilate(np.isin(labels, strands), 4)
    return sum(1 for k in compact if not near_other[labels == k].any())


def detect_comedones(lab_fine: np.ndarray, ref: SkinReference, domain: np.ndarray, red_lesion: np.ndarray) -> list[LesionType]:
    """粉刺: many small black (or whitish) points over the skin, away from any inflamed base."""
    lightness = lab_fine[..., 0]
    damping = lightness_damping(ref.L)
    neighbourhood = box_mean(lightness, 4)
    contrast = lightness - neighbourhood
    chroma = np.hypot(lab_fine[..., 1], lab_fine[..., 2])
    skin_chroma = float(np.hypot(ref.a, ref.b))
    drop, rise = max(COMEDO_DROP_L * damping, 4.0 * ref.sigma_L), max(COMEDO_RISE_L * damping, 4.0 * ref.sigma_L)
    # Points on ordinary skin (not inside a white or dark patch), darker than it as well as than their
    # neighbourhood: the skin beside a white patch is not a point.
    ordinary = np.abs(neighbourhood - ref.local_L) < max(rise, 3.0 * ref.sigma_L)
    skin = domain & ~dilate(red_lesion, 3) & ordinary
    below = lightness - ref.local_L
    black = skin & (contrast < -drop) & (below < -0.6 * drop) & (chroma <= skin_chroma + 2.0)
    # A whitehead keeps the skin's colour; a near-white point is a glint on shiny skin.
    white = skin & (contrast > rise) & (below > 0.6 * rise) & (chroma > 0.5 * skin_chroma)
    n_black, n_white = _points(black), _points(white)
    if n_black + n_white < MIN_COMEDONES:
        return []
    conf = 0.45 + 0.45 * min(n_black / 25.0, 1.0) + 0.05 * min(n_white / 10.0, 1.0)
    if n_black < MIN_COMEDONES:
        conf = min(conf, WHITE_ONLY_CAP)  # mostly whitish points: milia, glints, sebaceous papules look alike
    return [_surface_type("comedone", conf, f"黑头 {n_black} 个, 白头 {n_white} 个 (毛囊性小点)")]


def _streaks(mask: np.ndarray) -> tuple[int, int]:
    """(elongated, round) glint components of at least 3 pixels."""
    labels, n = label(mask)
    streak = roundish = 0
    for k in range(1, n + 1):
        ys, xs = np.nonzero(labels == k)
        if ys.size < 3:
            continue
        bh, bw = int(ys.max() - ys.min() + 1), int(xs.max() - xs.min() + 1)
        if max(bh, bw) >= 2 * min(bh, bw) or ys.size < 0.5 * bh * bw:
            streak += 1
        else:
            roundish += 1
    return streak, roundish


def detect_erosion(
    lab: np.ndarray,
    lab_fine: np.ndarray,
    ref: SkinReference,
    domain: np.ndarray,
    red_lesion: np.ndarray,
    scale_px: np.ndarray | None = None,
) -> list[LesionType]:
    """糜烂/渗出: a bright red lesion with streaky near-white wet glints on it.

    When the plaque analysis read "scale" (``scale_px``), it must be sparse and nearly all of it the
    glints themselves (a wet film shines like white flakes); otherwise it is scale, not a wet surface.
    """
    if red_lesion.sum() < 50:
        return []
    damped_a = (lab[..., 1] - ref.local_a)[red_lesion]
    if float(np.median(damped_a)) < EROSION_MIN_DA * (1.0 if ref.L >= 45 else 0.6):
        return []
    lightness = lab_fine[..., 0]
    chroma = np.hypot(lab_fine[..., 1], lab_fine[..., 2])
    # Near-white against the red surface: far less chromatic than the lesion around it.
    max_chroma = max(GLINT_MAX_CHROMA, 0.5 * float(np.median(chroma[red_lesion])))
    glint = dilate(red_lesion, 1) & (lightness - box_mean(lightness, 5) > GLINT_RISE_L) & (chroma < max_chroma)
    streak, roundish = _streaks(glint)
    if streak < MIN_STREAKS or streak < roundish:
        return []  # round bright tops are vesicles or pustules, not a wet surface
    share = float(glint.sum() / red_lesion.sum())
    if scale_px is not None and scale_px.any():
        explained = float((scale_px & dilate(glint, 2)).sum() / scale_px.sum())
        if explained < GLINTS_EXPLAIN_SCALE or scale_px.sum() > 0.10 * red_lesion.sum():
            return []
    skin = domain & ~dilate(red_lesion, 3)
    texture = local_std(lab[..., 0], 2)
    between = red_lesion & ~dilate(glint, 2)
    smooth = float(np.median(texture[between])) <= 2.5 * max(float(np.median(texture[skin])) if skin.any() else 0.3, 0.3)
    conf = 0.4 + 0.3 * min(streak / 8.0, 1.0) + (0.2 if smooth else 0.0)
    return [_surface_type("erosion", conf, f"鲜红湿润面, {streak} 处条状反光, 反光面积 {share:.1%}")]


def scale_colour(
    lab: np.ndarray, ref: SkinReference, scale_px: np.ndarray | None, lesion: np.ndarray | None = None
) -> list[LesionType]:
    """银白色鳞屑: the scale pixels are bright, achromatic and whiter (lower b*) than the skin.

    At most uncertain when the flakes cover little of the lesion (``lesion``: the erythematous mask) or
    are no lighter than the skin: white keratin specks and glints on a tumour, not a scale-covered plaque.
    """
    if scale_px is None or scale_px.sum() < 30:
        return []
    # The flakes' own colour: the brighter half of the scale pixels (the rest lets the red plaque through).
    lightness = lab[..., 0]
    flakes = scale_px & (lightness >= float(np.median(lightness[scale_px])))
    chroma = float(np.median(np.hypot(lab[..., 1], lab[..., 2])[flakes]))
    d_b = float(np.median((lab[..., 2] - ref.local_b)[flakes]))
    d_l = float(np.median((lightness - ref.local_L)[flakes]))
    # Flakes over a red plaque still mix with it, so "achromatic" is judged against the skin's chroma too.
    skin_chroma = float(np.hypot(ref.a, ref.b))
    max_chroma = max(SILVERY_MAX_CHROMA, skin_chroma - 3.0)
    if chroma > max_chroma or d_b > SILVERY_MAX_DB or d_l <= 0:
        return []
    conf = 0.55 + 0.35 * min((max_chroma - chroma) / 6.0, 1.0)
    evidence = f"鳞屑 C*={chroma:.1f} (皮肤 {skin_chroma:.1f}), Δb*={d_b:+.1f}"
    if chroma > SILVERY_SKIN_CHROMA_RATIO * skin_chroma + SILVERY_CHROMA_SLACK:
        # Not whiter than the skin (the skin itself near-neutral): keratin or a glint as likely as scale.
        conf = min(conf, 0.45)
        evidence += "; 不比皮肤更白，可能为角质或反光 (no whiter than the skin: keratin or a glint?)"
    cover = float(scale_px.sum() / max(int(lesion.sum()), 1)) if lesion is not None else 1.0
    lighter = float(np.median(lightness[flakes])) - ref.L
    if cover < SILVERY_MIN_COVER or lighter < SILVERY_MIN_LIGHTER:
        conf = min(conf, 0.45)
        evidence += f"; 鳞屑覆盖 {cover:.0%}、较皮肤亮 {lighter:+.0f}: 散在白点，可能为角质或反光 (specks, not a scaly plaque)"
    return [_surface_type("silvery_scale", conf, evidence)]

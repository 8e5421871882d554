"""Painted photos of the lesion types beyond red plaques, for tests (白斑, 色素沉着, 风团, 水疱, 脓疱, 结痂 …).

Kinds: 白斑, 色素沉着, 风团, 水疱, 脓疱, 结痂, 苔藓样变, 粉刺, 糜烂渗出.

Each look is painted the way the detector in :mod:`derm3r.vision.lesion_types` expects it, from
textbook descriptions (《中医外科学》皮肤病总论: 原发性/继发性皮损), on skin of any tone; they check the
mechanics (tone handling, skin reference, thresholds), not agreement with clinical photographs.
"""

from __future__ import annotations

from typing import Literal

import numpy as np

from derm3r.testing.synthetic_images import SKIN_TONES, Nuisance, render_photo, skin_field, smooth_noise
from derm3r.vision.skin_model import chroma_damping, lightness_damping

LesionKind = Literal[
    "depigmentation", "hyperpigmentation", "wheal", "vesicle", "pustule", "crust", "lichenification",
    "comedone", "erosion", "normal",
]
LESION_KINDS: tuple[LesionKind, ...] = (
    "depigmentation", "hyperpigmentation", "wheal", "vesicle", "pustule", "crust", "lichenification",
    "comedone", "erosion", "normal",
)


def _blob(rng: np.random.Generator, h: int, w: int, radius: float, wavy: float = 0.15) -> np.ndarray:
    """Soft-edged (1-2 px) irregular disc at a random place, as a 0-1 weight."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = rng.uniform(0.35, 0.65) * h, rng.uniform(0.35, 0.65) * w
    ang = np.arctan2(yy - cy, xx - cx)
    r = radius * (1.0 + wavy * np.sin(3 * ang + rng.uniform(0, 6)) + 0.5 * wavy * np.sin(5 * ang))
    dist = np.hypot(yy - cy, xx - cx)
    return np.clip((r - dist) / 1.5, 0.0, 1.0)


def _ring(rng: np.random.Generator, h: int, w: int, radius: float, x: float) -> tuple[np.ndarray, np.ndarray]:
    """A disc centred near ``x`` (share of the width) and its centre (inner 55 %), as 0-1 weights."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    cy, cx = rng.uniform(0.35, 0.65) * h, (x + rng.uniform(-0.04, 0.04)) * w
    dist = np.hypot(yy - cy, xx - cx)
    return np.clip((radius - dist) / 1.5, 0.0, 1.0), np.clip((0.55 * radius - dist) / 4.0, 0.0, 1.0)


def _shift(lab: np.ndarray, weight: np.ndarray, delta: tuple[float, float, float], tone_l: float) -> None:
    """Add a lesion offset (light-skin units) damped for the skin tone, where weight > 0."""
    k_c, k_l = chroma_damping(tone_l), lightness_damping(tone_l)
    lab[..., 0] += weight * delta[0] * k_l
    lab[..., 1] += weight * delta[1] * k_c
    lab[..., 2] += weight * delta[2] * k_c


def _domes(
    rng: np.random.Generator, lab: np.ndarray, base: np.ndarray, count: int, top: tuple[float, float, float]
) -> None:
    """Clustered round domes with bright tops over a red base."""
    h, w = base.shape
    ys, xs = np.nonzero(base > 0.9)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    for k in rng.choice(ys.size, size=min(count, ys.size), replace=False):
        r = rng.uniform(3.0, 5.5)
        dome = np.clip(1.0 - np.hypot(yy - ys[k], xx - xs[k]) / r, 0.0, 1.0) ** 0.7
        lab[..., 0] += dome * (top[0] - lab[..., 0]) * 0.85
        lab[..., 1] += dome * (top[1] - lab[..., 1]) * 0.85
        lab[..., 2] += dome * (top[2] - lab[..., 2]) * 0.85


def paint_lesion_type(
    seed: int, kind: LesionKind, *, tone: int = 3, nuisance: Nuisance | None = None, width: int = 480, height: int = 360
) -> np.ndarray:
    """Paint one lesion type on skin of Fitzpatrick-like type ``tone`` (1-6).

    Args:
        seed: random seed.
        kind: the look to paint, or "normal" for clear skin.
        tone: skin type 1 (lightest) to 6 (darkest).
        nuisance: optional camera nuisances.
        width: image width.
        height: image height.

    Returns:
        HxWx3 uint8 photo.
    """
    rng = np.random.default_rng(seed)
    base_tone = SKIN_TONES[tone]
    lab = skin_field(rng, height, width, base_tone, nuisance.shading if nuisance else 1.0)
    radius = rng.uniform(0.12, 0.18) * min(height, width)
    if kind == "depigmentation":
        # Milky white, chalk-like: much lighter and less saturated, sharply bordered (白驳风).
        weight = _blob(rng, height, width, radius, wavy=0.25)
        target_l = min(base_tone[0] + 25.0, 88.0)
        lab[..., 0] += weight * (target_l - base_tone[0])
        lab[..., 1] += weight * (5.0 - base_tone[1]) * 0.7
        lab[..., 2] += weight * (9.0 - base_tone[2]) * 0.6
    elif kind == "hyperpigmentation":
        _shift(lab, _blob(rng, height, width, radius), (-18.0, 0.5, 2.0), base_tone[0])
    elif kind == "wheal":
        # Pale-pink oedematous ring with a paler centre (风团), two of them.
        for side in (0.3, 0.7):
            outer, inner = _ring(rng, height, width, radius * 0.8, side)
            _shift(lab, outer, (2.0, 9.0, 0.0), base_tone[0])
            _shift(lab, inner, (2.0, -6.0, 0.0), base_tone[0])
    elif kind in ("vesicle", "pustule"):
        base = _blob(rng, height, width, radius, wavy=0.3)
        _shift(lab, base, (-5.0, 16.0, 3.0), base_tone[0])
        # Vesicles: clear, bright tops; pustules: yellow-white tops.
        vesicle_top = (min(base_tone[0] + 20.0, 92.0), 4.0, 6.0)
        top = vesicle_top if kind == "vesicle" else (min(base_tone[0] + 18.0, 88.0), 5.0, 34.0)
        _domes(rng, lab, base, int(rng.integers(9, 16)), top)
    elif kind == "crust":
        base = _blob(rng, height, width, radius)
        _shift(lab, base, (-6.0, 14.0, 2.0), base_tone[0])
        crust = base * (smooth_noise(rng, height, width, 18.0) > 0.2)
        lab[..., 0] += crust * -8.0
        lab[..., 2] += crust * 22.0
        lab[..., 1] += crust * -4.0
    elif kind == "lichenification":
        base = _blob(rng, height, width, radius * 1.2, wavy=0.1)
        _shift(lab, base, (-8.0, 7.0, 3.0), base_tone[0])
        yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
        grid = np.sin((xx + yy) / 2.2) * np.sin((xx - yy) / 2.6) + 0.3 * smooth_noise(rng, height, width, 2.0)
        lab[..., 0] += base * 6.0 * grid
    else:
        _paint_surface(rng, lab, kind, radius, base_tone[0])
    return render_photo(rng, lab, None, base_tone[0], nuisance)


def _paint_surface(rng: np.random.Generator, lab: np.ndarray, kind: LesionKind, radius: float, tone_l: float) -> None:
    """粉刺 and 糜烂渗出 (in place); "normal" paints nothing."""
    height, width = lab.shape[:2]
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    if kind == "comedone":
        # Open comedones: black points at follicle openings, scattered (粉刺: 黑头), a few whiteheads.
        for k in range(int(rng.integers(18, 30))):
            cy, cx = rng.uniform(0.1, 0.9) * height, rng.uniform(0.1, 0.9) * width
            point = np.clip(1.6 - np.hypot(yy - cy, xx - cx), 0.0, 1.0)
            if k % 4 == 3:
                _shift(lab, point, (12.0, -2.0, 2.0), tone_l)
            else:
                lab[..., 0] += point * (max(tone_l * 0.35, 8.0) - lab[..., 0])
                lab[..., 1] += point * (2.0 - lab[..., 1]) * 0.8
                lab[..., 2] += point * (3.0 - lab[..., 2]) * 0.8
    elif kind == "erosion":
        # A bright red, moist eroded surface with streaky glints from the wet film (糜烂: 红色湿润面).
        base = _blob(rng, height, width, radius, wavy=0.2)
        _shift(lab, base, (-4.0, 24.0, 6.0), tone_l)
        ys, xs = np.nonzero(base > 0.9)
        for k in rng.choice(ys.size, size=min(10, ys.size), replace=False):
            ang = rng.uniform(0, np.pi)
            along = (xx - xs[k]) * np.cos(ang) + (yy - ys[k]) * np.sin(ang)
            across = -(xx - xs[k]) * np.sin(ang) + (yy - ys[k]) * np.cos(ang)
            streak = np.clip(1.5 - np.hypot(along / 7.0, across / 1.6), 0.0, 1.0) * base
            lab[..., 0] += streak * (92.0 - lab[..., 0])
            lab[..., 1] += streak * (2.0 - lab[..., 1])
            lab[..., 2] += streak * (4.0 - lab[..., 2])

"""Seeded painters of synthetic skin photographs with their ground truth (tongues: :mod:`.synthetic_tongue`).

These exist to test and benchmark the classical analysis; they are not clinical images. The colour
model is deliberately simple: skin tones are CIELAB points from light (I) to dark (VI), and lesions
are offsets from the local skin colour. Melanin masks erythema, so on darker skin the chroma offsets
are damped and lightness offsets shrink with the skin's own lightness; the analysis is expected to
cope with that. Faults are defined by their visible effect (e.g. over-exposure means skin highlights
actually clip), because an exposure change that leaves a plausible skin colour cannot be told from a
different skin tone without a reference target.

The analysis shares this colour model (:mod:`derm3r.vision.skin_model` and the tongue prototypes),
so scores on these images measure consistency and robustness to camera nuisances, not calibration
against real photographs.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from PIL import Image, ImageFilter

from derm3r.vision.color import lab_to_srgb, srgb_to_linear
from derm3r.vision.models import ColorClass, ScaleBand
from derm3r.vision.skin_model import chroma_damping, lightness_damping

Fault = Literal["blur", "noise", "over", "under"]
PlaqueSize = Literal["small", "medium", "large"]

# CIELAB of unaffected skin, Fitzpatrick-like types I (lightest) to VI (darkest).
SKIN_TONES: dict[int, tuple[float, float, float]] = {
    1: (74.0, 8.0, 14.0),
    2: (66.0, 10.0, 16.0),
    3: (58.0, 12.0, 18.0),
    4: (49.0, 13.0, 19.0),
    5: (39.0, 13.0, 17.0),
    6: (29.0, 11.0, 13.0),
}
# Lesion offsets (dL, da, db) ranges relative to the skin, as seen on type I skin.
LESION_DELTAS: dict[str, tuple[tuple[float, float], tuple[float, float], tuple[float, float]]] = {
    "淡红": ((-4.0, -1.0), (6.0, 9.0), (-2.0, 1.0)),
    "鲜红": ((-9.0, -4.0), (18.0, 26.0), (2.0, 7.0)),
    "暗红": ((-24.0, -16.0), (14.0, 20.0), (-1.0, 4.0)),
    "紫暗": ((-24.0, -16.0), (7.0, 12.0), (-16.0, -10.0)),
}
COLOR_CLASSES: tuple[ColorClass, ...] = ("鲜红", "淡红", "暗红", "紫暗")
SCALE_BANDS: tuple[ScaleBand, ...] = ("none", "thin", "thick")
PLAQUE_RADIUS: dict[str, tuple[float, float]] = {
    "small": (0.05, 0.08),
    "medium": (0.09, 0.13),
    "large": (0.14, 0.19),
}


@dataclass(frozen=True)
class Nuisance:
    """Nuisances a real camera adds that the analysis does not model, for robustness tests.

    Attributes:
        white_balance: each linear RGB channel gain is drawn from 1 +/- this.
        shading: multiplier on the lighting gradient across the frame (1 = gentle).
        jpeg_quality: re-encode as JPEG at this quality (None = no compression).
        delta_spread: widen each colour class's offset ranges by this fraction of their width
            on both sides, so lesions come closer to the neighbouring class.
    """

    white_balance: float = 0.0
    shading: float = 1.0
    jpeg_quality: int | None = None
    delta_spread: float = 0.0


@dataclass(frozen=True)
class SkinTruth:
    """What :func:`paint_skin` painted."""

    tone: int
    color_class: ColorClass | None
    scale: ScaleBand
    count: int
    area_fraction: float
    size: PlaqueSize
    fault: Fault | None
    skin_lab: tuple[float, float, float]
    mask: np.ndarray = field(repr=False, compare=False)


def smooth_noise(rng: np.random.Generator, height: int, width: int, cell: float) -> np.ndarray:
    """Zero-mean, unit-ish-variance noise varying over about ``cell`` pixels."""
    gh = max(2, int(np.ceil(height / cell)) + 1)
    gw = max(2, int(np.ceil(width / cell)) + 1)
    small = rng.standard_normal((gh, gw)).astype(np.float32)
    big = np.asarray(Image.fromarray(small, mode="F").resize((width, height), Image.Resampling.BICUBIC))
    s = float(big.std()) or 1.0
    return (big - float(big.mean())) / s


def skin_field(
    rng: np.random.Generator,
    height: int,
    width: int,
    base: tuple[float, float, float],
    shading: float = 1.0,
) -> np.ndarray:
    """Skin in Lab with lighting gradient, mottling and fine texture."""
    lab = np.empty((height, width, 3), dtype=np.float32)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    gx, gy = rng.uniform(-1, 1, 2)
    ramp = (gx * (xx / width - 0.5) + gy * (yy / height - 0.5)) * 5.0 * shading
    fine = smooth_noise(rng, height, width, 1.6)
    lab[..., 0] = base[0] + ramp + 1.3 * smooth_noise(rng, height, width, 24) + 1.2 * fine
    lab[..., 1] = base[1] + 0.8 * smooth_noise(rng, height, width, 30) + 0.3 * fine
    lab[..., 2] = base[2] + 1.0 * smooth_noise(rng, height, width, 30) + 0.3 * fine
    return lab


def _plaque_masks(
    rng: np.random.Generator,
    height: int,
    width: int,
    count: int,
    size: PlaqueSize,
    irregularity: float,
    feather: float = 2.5,
) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Non-overlapping irregular ellipses: list of (soft 0-1 mask, hard truth mask, inner 0-1 mask).

    The inner mask leaves a red rim (about 15% of the radius) free of scale, as on real plaques.
    """
    lo, hi = PLAQUE_RADIUS[size]
    short = min(height, width)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    placed: list[tuple[float, float, float]] = []
    out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    for _ in range(count):
        for _attempt in range(200):
            r0 = rng.uniform(lo, hi) * short
            q = rng.uniform(1.0, 1.6)
            reach = r0 * np.sqrt(q) * (1.0 + 0.3 * irregularity) + feather + 4
            cx = rng.uniform(reach, width - reach)
            cy = rng.uniform(reach, height - reach)
            if reach * 2 >= short:
                continue
            if all(np.hypot(cx - px, cy - py) > reach + pr + 6 for px, py, pr in placed):
                break
        else:
            break  # the canvas is full; paint fewer plaques and report the true count
        placed.append((cx, cy, reach))
        rot = rng.uniform(0, np.pi)
        theta = np.arctan2(yy - cy, xx - cx)
        dist = np.hypot(yy - cy, xx - cx)
        ax, ay = np.sqrt(q), 1.0 / np.sqrt(q)
        t = theta - rot
        radius = r0 / np.sqrt((np.cos(t) / ax) ** 2 + (np.sin(t) / ay) ** 2)
        wobble = np.ones_like(theta)
        amp = 0.04 + 0.22 * irregularity
        for k in range(2, 7):
            wobble += rng.uniform(0, amp / k * 2) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
        radius = radius * wobble
        soft = np.clip((radius - dist) / feather + 0.5, 0.0, 1.0)
        rim = max(3.0, 0.15 * r0)
        inner = np.clip((radius - dist - rim) / 2.0, 0.0, 1.0)
        out.append((soft.astype(np.float32), dist <= radius, inner.astype(np.float32)))
    return out


def _exposure_gain(rng: np.random.Generator, fault: Fault, skin_y: float) -> float:
    if fault == "over":
        # Skin luminance lands at 0.9-1.4 of full scale: most skin channels saturate.
        return rng.uniform(0.9, 1.4) / max(skin_y, 1e-3)
    # Skin lands at L* 4-15: detail in the shadows is lost.
    target_l = rng.uniform(4.0, 15.0)
    target_y = ((target_l + 16.0) / 116.0) ** 3 if target_l > 8 else target_l / 903.3
    return target_y / max(skin_y, 1e-3)


def render_photo(
    rng: np.random.Generator,
    lab: np.ndarray,
    fault: Fault | None,
    skin_y: float,
    nuisance: Nuisance | None = None,
) -> np.ndarray:
    """Render a Lab scene to an 8-bit photo in camera order.

    The order is white balance, lens blur, exposure, sensor noise, then JPEG compression.
    """
    rgb = lab_to_srgb(lab)
    if nuisance is not None and nuisance.white_balance > 0:
        gains = 1.0 + rng.uniform(-nuisance.white_balance, nuisance.white_balance, 3)
        lin = np.clip(srgb_to_linear(rgb) * gains.astype(np.float32), 0.0, 1.0)
        enc = np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * np.power(lin, 1 / 2.4) - 0.055)
        rgb = np.clip(np.round(enc * 255.0), 0, 255).astype(np.uint8)
    if fault == "blur":
        rgb = np.asarray(Image.fromarray(rgb).filter(ImageFilter.GaussianBlur(rng.uniform(2.5, 5.0))))
    if fault in ("over", "under"):
        lin = np.clip(srgb_to_linear(rgb) * _exposure_gain(rng, fault, skin_y), 0.0, 1.0)
        rgb = np.where(lin <= 0.0031308, 12.92 * lin, 1.055 * np.power(lin, 1 / 2.4) - 0.055) * 255.0
    sigma = rng.uniform(14.0, 24.0) if fault == "noise" else 1.5
    out = np.asarray(rgb, dtype=np.float32) + rng.normal(0.0, sigma, rgb.shape).astype(np.float32)
    photo = np.clip(np.round(out), 0, 255).astype(np.uint8)
    if nuisance is not None and nuisance.jpeg_quality is not None:
        buf = io.BytesIO()
        Image.fromarray(photo).save(buf, format="JPEG", quality=nuisance.jpeg_quality)
        buf.seek(0)
        with Image.open(buf) as im:
            photo = np.array(im.convert("RGB"))
    return photo


def paint_skin(
    seed: int,
    *,
    tone: int = 3,
    color_class: ColorClass = "鲜红",
    scale: ScaleBand = "thin",
    count: int = 2,
    size: PlaqueSize = "medium",
    irregularity: float = 0.3,
    fault: Fault | None = None,
    nuisance: Nuisance | None = None,
    width: int = 480,
    height: int = 360,
) -> tuple[np.ndarray, SkinTruth]:
    """Paint a close-up of skin with plaques.

    Args:
        seed: random seed; the same arguments and seed give the same image.
        tone: skin type 1 (lightest) to 6 (darkest).
        color_class: lesion colour class 鲜红 / 淡红 / 暗红 / 紫暗.
        scale: "none", "thin" (sparse, translucent flakes) or "thick" (dense, opaque flakes).
        count: number of plaques wanted (fewer are painted if they do not fit; 0 = clear skin).
        size: plaque radius band "small", "medium" or "large".
        irregularity: 0 smooth ellipses to 1 strongly wavy borders.
        fault: optional "blur", "noise", "over" or "under" exposure fault.
        nuisance: optional camera nuisances (white balance, shading, JPEG, ambiguous colours).
        width: image width in pixels.
        height: image height in pixels.

    Returns:
        (rgb, truth): HxWx3 uint8 image and the painted ground truth.
    """
    if tone not in SKIN_TONES:
        raise ValueError(f"tone must be 1-6, got {tone}")
    rng = np.random.default_rng(seed)
    base_l, base_a, base_b = SKIN_TONES[tone]
    base = (base_l + rng.uniform(-2, 2), base_a + rng.uniform(-1.5, 1.5), base_b + rng.uniform(-2, 2))
    lab = skin_field(rng, height, width, base, nuisance.shading if nuisance else 1.0)
    plaques = _plaque_masks(rng, height, width, count, size, irregularity)
    truth_mask = np.zeros((height, width), dtype=bool)
    k_c = chroma_damping(base[0])
    k_l = lightness_damping(base[0])
    spread = nuisance.delta_spread if nuisance else 0.0
    ranges = [(lo - spread * (hi - lo), hi + spread * (hi - lo)) for lo, hi in LESION_DELTAS[color_class]]
    for soft, hard, inner in plaques:
        truth_mask |= hard
        delta = np.array(
            [rng.uniform(*ranges[0]) * k_l, rng.uniform(*ranges[1]) * k_c, rng.uniform(*ranges[2]) * k_c],
            dtype=np.float32,
        )
        # Slightly uneven inflammation inside the plaque.
        vary = 1.0 + 0.08 * smooth_noise(rng, height, width, 12)
        lab += (soft * vary)[..., None] * delta
        if scale != "none":
            _paint_scale(rng, lab, inner, scale, base[0])
    rgb = render_photo(rng, lab, fault, ((base[0] + 16.0) / 116.0) ** 3, nuisance)
    truth = SkinTruth(
        tone=tone,
        color_class=color_class if plaques else None,
        scale=scale if plaques else "none",
        count=len(plaques),
        area_fraction=float(truth_mask.mean()),
        size=size,
        fault=fault,
        skin_lab=(float(base[0]), float(base[1]), float(base[2])),
        mask=truth_mask,
    )
    return rgb, truth


def _paint_scale(
    rng: np.random.Generator, lab: np.ndarray, inner: np.ndarray, band: ScaleBand, skin_l: float
) -> None:
    """Overlay whitish flakes on the inner part of one plaque (in place)."""
    h, w = inner.shape
    flakes = 0.7 * smooth_noise(rng, h, w, 4.0) + 0.3 * smooth_noise(rng, h, w, 1.5)
    if band == "thin":
        coverage = rng.uniform(0.18, 0.32)
        opacity = rng.uniform(0.5, 0.7)
    else:
        coverage = rng.uniform(0.6, 0.8)
        opacity = rng.uniform(0.85, 0.95)
    cut = np.quantile(flakes[inner > 0.5], 1.0 - coverage) if np.any(inner > 0.5) else 0.0
    alpha = np.clip((flakes - cut) * 3.0 + 0.5, 0.0, 1.0) * inner * opacity
    scale_l = skin_l + (92.0 - skin_l) * 0.72
    texture = 3.0 * smooth_noise(rng, h, w, 1.2)
    target = np.stack(
        [np.full_like(inner, scale_l) + texture, np.full_like(inner, 2.0), np.full_like(inner, 6.0)], axis=-1
    )
    lab += alpha[..., None] * (target - lab)

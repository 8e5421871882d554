"""Seeded painter of synthetic tongue photographs with their ground truth (see :mod:`.synthetic_images`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from derm3r.testing.synthetic_images import SKIN_TONES, Nuisance, render_photo, skin_field, smooth_noise
from derm3r.vision.models import CoatColor, CoatThickness, TongueBody
from derm3r.vision.tongue import BODY_PROTOTYPES, COAT_PROTOTYPES

TONGUE_BODIES = BODY_PROTOTYPES
#: Per-image body colour jitter (CIELAB units, uniform ±).
BODY_JITTER = 0.5
COATS = COAT_PROTOTYPES
TONGUE_BODY_NAMES: tuple[TongueBody, ...] = ("淡白", "淡红", "红", "绛", "紫暗")


@dataclass(frozen=True)
class TongueTruth:
    """What :func:`paint_tongue` painted."""

    body: TongueBody
    coat_color: CoatColor
    coat_thickness: CoatThickness
    greasy: bool


def paint_tongue(
    seed: int,
    *,
    body: TongueBody = "淡红",
    coat_color: CoatColor = "白",
    coat_thickness: CoatThickness = "薄",
    greasy: bool = False,
    nuisance: Nuisance | None = None,
    width: int = 400,
    height: int = 400,
) -> tuple[np.ndarray, TongueTruth]:
    """Paint a protruded tongue, centred, with lips and face around it.

    Args:
        seed: random seed.
        body: tongue body colour 淡白 / 淡红 / 红 / 绛 / 紫暗.
        coat_color: coating colour 白 or 黄.
        coat_thickness: 薄 (translucent, body shows through) or 厚 (opaque).
        greasy: for a thick coat, fine-grained and even (腻) rather than coarse and patchy.
        nuisance: optional camera nuisances (white balance, shading, JPEG); delta_spread is unused.
        width: image width in pixels.
        height: image height in pixels.

    Returns:
        (rgb, truth).
    """
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[0:height, 0:width].astype(np.float32)
    tone = SKIN_TONES[int(rng.integers(1, 7))]
    lab = skin_field(rng, height, width, tone, nuisance.shading if nuisance else 1.0)
    cx = width * (0.5 + rng.uniform(-0.03, 0.03))
    # Mouth opening (dark) and lips around the upper part of the tongue.
    mouth_cy = height * 0.18
    mouth = ((xx - cx) / (width * 0.36)) ** 2 + ((yy - mouth_cy) / (height * 0.12)) ** 2
    lips = np.clip((1.25 - mouth) * 4.0, 0.0, 1.0)
    lab += lips[..., None] * (np.array([45.0, 30.0, 15.0], dtype=np.float32) - lab)
    cavity = np.clip((1.0 - mouth) * 6.0, 0.0, 1.0)
    lab += cavity[..., None] * (np.array([12.0, 8.0, 4.0], dtype=np.float32) - lab)
    # Tongue: a U shape, wide near the mouth and rounded at the tip.
    top, tip = height * 0.16, height * (0.9 + rng.uniform(-0.03, 0.03))
    half_w = width * (0.33 + rng.uniform(-0.02, 0.03))
    v = np.clip((yy - top) / (tip - top), 0.0, 1.5)
    local_half = half_w * np.sqrt(np.clip(1.0 - np.clip((v - 0.45) / 0.55, 0.0, None) ** 2, 0.0, 1.0))
    inside = (np.abs(xx - cx) <= local_half) & (yy >= top) & (v <= 1.0)
    edge = np.clip((local_half - np.abs(xx - cx)) / 3.0, 0.0, 1.0) * inside
    b_l, b_a, b_b = TONGUE_BODIES[body]
    # The calibrated body classes of real tongues lie only a few CIELAB units apart (淡白 and 淡红
    # differ by ~3 in a*), so a painted body is jittered by a fraction of a unit: these images test
    # segmentation and coat unmixing; colour separability is measured on the labelled photographs.
    jitter = BODY_JITTER
    body_lab = np.stack(
        [
            b_l
            + rng.uniform(-jitter, jitter)
            + 0.6 * smooth_noise(rng, height, width, 20)
            + 2.0 * smooth_noise(rng, height, width, 1.5),
            b_a + rng.uniform(-jitter, jitter) + 0.4 * smooth_noise(rng, height, width, 20),
            b_b + rng.uniform(-jitter, jitter) + 0.4 * smooth_noise(rng, height, width, 20),
        ],
        axis=-1,
    ).astype(np.float32)
    # Median groove, slightly darker.
    groove = np.exp(-(((xx - cx) / 4.0) ** 2)) * np.clip(1.0 - v / 0.7, 0.0, 1.0)
    body_lab[..., 0] -= 5.0 * groove
    lab += edge[..., None] * (body_lab - lab)
    # Coating: over the middle and root, thinning towards the tip and the edges.
    coat_cy = top + (tip - top) * rng.uniform(0.38, 0.45)
    region = ((xx - cx) / (half_w * 0.7)) ** 2 + ((yy - coat_cy) / ((tip - top) * 0.36)) ** 2
    alpha = _coat_alpha(rng, np.clip((1.0 - region) * 3.0, 0.0, 1.0) * inside, coat_thickness, greasy)
    lab += alpha[..., None] * (_coat_lab(rng, coat_color, height, width) - lab)
    rgb = render_photo(rng, lab, None, 1.0, nuisance)
    return rgb, TongueTruth(body=body, coat_color=coat_color, coat_thickness=coat_thickness, greasy=greasy)


def _coat_alpha(rng: np.random.Generator, region_w: np.ndarray, thickness: CoatThickness, greasy: bool) -> np.ndarray:
    """How much of the coat covers each pixel: translucent and grainy, even (腻), or in coarse clumps."""
    height, width = region_w.shape
    if thickness == "薄":
        grain = np.clip(0.5 + 0.5 * smooth_noise(rng, height, width, 2.0), 0.0, 1.0)
        return region_w * rng.uniform(0.25, 0.4) * (0.5 + 0.5 * grain)
    if greasy:
        grain = 0.04 * smooth_noise(rng, height, width, 1.5)
        return region_w * np.clip(rng.uniform(0.88, 0.96) + grain, 0.0, 1.0)
    clumps = 0.8 * smooth_noise(rng, height, width, 9.0) + 0.4 * smooth_noise(rng, height, width, 3.0)
    return region_w * np.clip(0.72 + 0.3 * clumps, 0.25, 1.0)


def _coat_lab(rng: np.random.Generator, color: CoatColor, height: int, width: int) -> np.ndarray:
    """The coat's own CIELAB colour field."""
    c_l, c_a, c_b = COATS[color]
    return np.stack(
        [
            np.full((height, width), c_l + rng.uniform(-2, 2)) + 1.5 * smooth_noise(rng, height, width, 2.0),
            np.full((height, width), c_a + rng.uniform(-1, 1)),
            np.full((height, width), c_b + rng.uniform(-3, 3)) + smooth_noise(rng, height, width, 6.0),
        ],
        axis=-1,
    ).astype(np.float32)

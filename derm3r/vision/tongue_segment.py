"""Tongue segmentation and illuminant normalisation for tongue photographs.

The tongue body is redder and less yellow than the face and lips around it (higher a* − 1.3·b*),
so an Otsu cut on that score, the component under the centre of the frame and a fill across rows
and columns give its outline. A whitish or yellow coat is not red, so the coat part of the tongue
is added back from the central region a protruded, centred tongue always occupies. On the
TonguExpert calibration half this outline overlaps the manual masks with a mean IoU of about 0.81
(see docs/vision.md).
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.filters import otsu_threshold
from derm3r.vision.morphology import closing, fill_holes, label, opening

#: Weight of b* in the tongue score a* − w·b*: face skin is yellower than the tongue body.
YELLOW_WEIGHT = 1.3
#: Darker than this (L*) is the mouth cavity or shadow.
MIN_TONGUE_L = 18.0
#: Gains of the illuminant correction are limited to this range: a strong cast is flagged, not undone.
MAX_GAIN_CHANGE = 0.15
#: Only a clear cast is corrected: on the TonguExpert calibration half (fixed studio light) always
#: correcting lowered agreement (body 0.84 -> 0.77, coat 0.91 -> 0.80; correcting casts above 10 %:
#: 0.81 / 0.87), because yellowish teeth read as a warm cast and the correction bleached yellow coats;
#: at 30 % no calibration photo is touched.
MIN_CAST = 0.30


def central_region(h: int, w: int) -> np.ndarray:
    """Central ellipse that lies inside a centred, protruded tongue."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return ((xx - 0.5 * w) / (0.24 * w)) ** 2 + ((yy - 0.55 * h) / (0.3 * h)) ** 2 <= 1.0


def _span_fill(mask: np.ndarray) -> np.ndarray:
    """Fill every row between its first and last set pixel."""
    has = mask.any(axis=1)
    first = np.where(has, mask.argmax(axis=1), 0)
    last = np.where(has, mask.shape[1] - 1 - mask[:, ::-1].argmax(axis=1), -1)
    cols = np.arange(mask.shape[1])[None, :]
    return (cols >= first[:, None]) & (cols <= last[:, None])


def segment_tongue(lab: np.ndarray) -> np.ndarray:
    """Mask of the tongue in a (lightly smoothed) CIELAB image of a centred tongue photograph.

    Args:
        lab: HxWx3 CIELAB.

    Returns:
        Boolean HxW mask; the central region alone when no red body is found.
    """
    h, w = lab.shape[:2]
    lightness = lab[..., 0]
    valid = lightness > MIN_TONGUE_L
    centre = central_region(h, w) & valid
    if valid.sum() < 50:
        return central_region(h, w)
    score = lab[..., 1] - YELLOW_WEIGHT * lab[..., 2]
    red = opening(valid & (score > otsu_threshold(score[valid])), 4)
    labels, n = label(red)
    counts = np.bincount(labels[centre], minlength=n + 1)
    counts[0] = 0
    if n == 0 or counts.max() == 0:
        return centre
    body = labels == int(counts.argmax())
    filled = _span_fill(body) & _span_fill(body.T).T
    return fill_holes(closing(opening(filled, 2) | centre, 2))


def normalise_illuminant(rgb: np.ndarray, tongue: np.ndarray) -> tuple[np.ndarray, tuple[float, float, float]]:
    """Correct a clear colour cast from the brightest near-neutral pixels outside the tongue.

    Teeth, the sclera of a lip highlight and specular glints are close to neutral; their mean is
    scaled towards grey (white-patch assumption). Gains are clipped to ±15 %, so the face's own
    colour cannot be mistaken for the light's.

    Args:
        rgb: HxWx3 uint8.
        tongue: mask of the tongue (excluded from the estimate: a red body is not a grey reference).

    Returns:
        (corrected uint8 image, per-channel gains); gains are 1 when no reference was found.
    """
    px = rgb[~tongue].astype(np.float32)
    if px.shape[0] < 50:
        return rgb, (1.0, 1.0, 1.0)
    lum = px.mean(axis=1)
    spread = px.max(axis=1) - px.min(axis=1)
    bright = (lum >= np.percentile(lum, 97)) & (spread < 0.45 * np.maximum(lum, 1.0)) & (px.max(axis=1) < 250)
    if bright.sum() < 20:
        return rgb, (1.0, 1.0, 1.0)
    ref = px[bright].mean(axis=0)
    raw_gains = ref.mean() / np.maximum(ref, 1.0)
    if float(np.abs(raw_gains - 1.0).max()) < MIN_CAST:
        return rgb, (1.0, 1.0, 1.0)
    gains = np.clip(raw_gains, 1.0 - MAX_GAIN_CHANGE, 1.0 + MAX_GAIN_CHANGE)
    out = np.clip(rgb.astype(np.float32) * gains, 0, 255).astype(np.uint8)
    return out, (float(gains[0]), float(gains[1]), float(gains[2]))

"""Technical image quality: sharpness, exposure, resolution, colour cast, noise and skin presence."""

from __future__ import annotations

import numpy as np

from derm3r.vision.color import luma, srgb_to_lab
from derm3r.vision.filters import laplacian, noise_sigma, resize_rgb_to_max_side
from derm3r.vision.models import ImageQuality
from derm3r.vision.skin_domain import skin_fraction as _skin_fraction
from derm3r.vision.skin_domain import skin_mask

__all__ = ["assess_quality", "skin_mask"]

# Sharpness is measured at this long side so the figure does not depend on the camera's pixel count.
STANDARD_SIDE = 512
# A 4-neighbour Laplacian turns white noise of variance s^2 into variance 20 s^2.
_LAPLACIAN_NOISE_GAIN = 20.0

BLUR_THRESHOLD = 8.0
SHARP_ENOUGH = 40.0
MIN_SIDE_UNUSABLE = 128
MIN_SIDE_GOOD = 300
OVER_CLIP_FRACTION = 0.25
OVER_MEAN_LUMA = 235.0
UNDER_MEAN_LUMA = 42.0
UNDER_CLIP_FRACTION = 0.5
CAST_CHROMA = 40.0
CAST_NEGATIVE = -3.0
NOISY_SIGMA = 8.0
UNUSABLE_NOISE_SIGMA = 30.0
MIN_SKIN_FRACTION = 0.15

REASONS: dict[str, str] = {
    "blurred": "图像模糊 (blurred)",
    "overexposed": "曝光过度 (over-exposed)",
    "underexposed": "曝光不足 (under-exposed)",
    "low_resolution": "分辨率过低 (low resolution)",
    "tiny": "分辨率过低，无法分析 (resolution too low to analyse)",
    "color_cast": "色偏明显 (colour cast)",
    "noisy": "噪点明显 (noisy)",
    "very_noisy": "噪点过多，无法分析 (too noisy to analyse)",
    "little_skin": "画面中皮肤过少 (little skin in view)",
}


def _sharpness(gray: np.ndarray, sigma_noise: float) -> float:
    lap_var = float(laplacian(gray).var()) if min(gray.shape) >= 3 else 0.0
    return max(lap_var - _LAPLACIAN_NOISE_GAIN * sigma_noise**2, 0.0)


def assess_quality(rgb: np.ndarray, *, require_skin: bool = True) -> ImageQuality:
    """Judge whether an image is technically fit for colour and lesion analysis.

    Args:
        rgb: HxWx3 uint8 sRGB image (as returned by intake).
        require_skin: count "little skin in view" as disqualifying (off for tongue photos).

    Returns:
        The measurements, flags, an overall score 0-1, ``usable`` and bilingual reasons.
    """
    height, width = rgb.shape[:2]
    small = resize_rgb_to_max_side(rgb, STANDARD_SIDE)
    gray = luma(small)
    sigma = noise_sigma(gray)
    sharpness = _sharpness(gray, sigma)
    mean_luma = float(gray.mean())
    highlight = float((small.max(axis=-1) >= 250).mean())
    shadow = float((gray <= 8).mean())
    # Colour statistics on a coarse grid are plenty and keep this cheap.
    step = max(1, int(np.sqrt(small.shape[0] * small.shape[1] / 40_000)))
    sample = small[::step, ::step]
    lab = srgb_to_lab(sample)
    mean_a = float(lab[..., 1].mean())
    mean_b = float(lab[..., 2].mean())
    skin_fraction = _skin_fraction(sample, lab)

    flags = {
        # Under heavy noise the noise correction dominates the figure, so only a near-flat
        # result still counts as blur there; the noise itself is reported separately.
        "blurred": sharpness < (BLUR_THRESHOLD if sigma <= NOISY_SIGMA else BLUR_THRESHOLD / 4),
        "overexposed": highlight > OVER_CLIP_FRACTION or mean_luma > OVER_MEAN_LUMA,
        "underexposed": mean_luma < UNDER_MEAN_LUMA or shadow > UNDER_CLIP_FRACTION,
        "tiny": min(height, width) < MIN_SIDE_UNUSABLE,
        "low_resolution": MIN_SIDE_UNUSABLE <= min(height, width) < MIN_SIDE_GOOD,
        "color_cast": bool(np.hypot(mean_a, mean_b) > CAST_CHROMA or min(mean_a, mean_b) < CAST_NEGATIVE),
        "very_noisy": sigma > UNUSABLE_NOISE_SIGMA,
        "noisy": NOISY_SIGMA < sigma <= UNUSABLE_NOISE_SIGMA,
        "little_skin": skin_fraction < MIN_SKIN_FRACTION,
    }
    blocking = ["blurred", "overexposed", "underexposed", "tiny", "very_noisy"]
    if require_skin:
        blocking.append("little_skin")
    usable = not any(flags[k] for k in blocking)

    sharp_s = float(np.clip((sharpness - BLUR_THRESHOLD / 2) / (SHARP_ENOUGH - BLUR_THRESHOLD / 2), 0, 1))
    over_s = 1.0 - float(np.clip((highlight - 0.02) / (OVER_CLIP_FRACTION - 0.02), 0, 1))
    under_s = float(np.clip((mean_luma - UNDER_MEAN_LUMA * 0.75) / (UNDER_MEAN_LUMA * 0.75), 0, 1))
    res_s = float(
        np.clip((min(height, width) - MIN_SIDE_UNUSABLE / 2) / (MIN_SIDE_GOOD - MIN_SIDE_UNUSABLE / 2), 0, 1)
    )
    noise_s = 1.0 - float(np.clip((sigma - NOISY_SIGMA / 2) / (UNUSABLE_NOISE_SIGMA - NOISY_SIGMA / 2), 0, 1))
    cast_s = 0.0 if flags["color_cast"] else 1.0
    skin_s = float(np.clip(skin_fraction / (2 * MIN_SKIN_FRACTION), 0, 1)) if require_skin else 1.0
    score = min(sharp_s, over_s, under_s, res_s, noise_s) * (0.85 + 0.15 * cast_s) * (0.8 + 0.2 * skin_s)
    if not usable:
        score = min(score, 0.3)

    reason_keys = [k for k in REASONS if flags[k] and (k != "little_skin" or require_skin)]
    return ImageQuality(
        score=round(float(np.clip(score, 0.0, 1.0)), 3),
        usable=usable,
        reasons=[REASONS[k] for k in reason_keys],
        width=width,
        height=height,
        sharpness=round(sharpness, 2),
        noise_sigma=round(sigma, 2),
        mean_luminance=round(mean_luma, 1),
        highlight_clipped=round(highlight, 4),
        shadow_clipped=round(shadow, 4),
        mean_a=round(mean_a, 2),
        mean_b=round(mean_b, 2),
        skin_fraction=round(skin_fraction, 3),
        blurred=flags["blurred"],
        overexposed=flags["overexposed"],
        underexposed=flags["underexposed"],
        low_resolution=flags["low_resolution"] or flags["tiny"],
        color_cast=flags["color_cast"],
        noisy=flags["noisy"] or flags["very_noisy"],
        little_skin=flags["little_skin"],
    )

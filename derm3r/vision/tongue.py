"""Tongue photograph analysis: body colour, coating colour, thickness and greasiness.

The tongue is assumed centred and filling the middle of the frame, as tongue photographs are
normally taken. Inside a central region each pixel is read as a mix of the bare tongue body and a
pale coating: coatings have little redness (a* near 0-5) whatever their colour, so the drop in a*
from the body's own value gives the coating's opacity per pixel. Thin coating lets the body show
through (low opacity, 见底); thick coating hides it (不见底).
"""

from __future__ import annotations

import numpy as np

from derm3r.vision.color import srgb_to_lab
from derm3r.vision.filters import box_mean, gaussian_blur, resize_rgb_to_max_side
from derm3r.vision.models import CoatColor, CoatThickness, LabColor, TongueBody, TongueImageFindings

ANALYSIS_SIDE = 400
# Typical CIELAB of each tongue body colour under neutral light (project reference points).
BODY_PROTOTYPES: dict[TongueBody, tuple[float, float, float]] = {
    "淡白": (70.0, 16.0, 9.0),
    "淡红": (60.0, 29.0, 13.0),
    "红": (52.0, 42.0, 22.0),
    "绛": (38.0, 40.0, 12.0),
    "紫暗": (40.0, 22.0, -6.0),
}
COAT_PROTOTYPES: dict[CoatColor, tuple[float, float, float]] = {
    "白": (86.0, 1.0, 6.0),
    "黄": (80.0, 4.0, 34.0),
}
# b* weighs more: the purple/red and white/yellow distinctions live on that axis.
_WEIGHTS = np.array([1.0, 1.0, 1.5])
COAT_A = 3.0
YELLOW_B = 18.0
COATED_ALPHA = 0.12
THICK_ALPHA = 0.55
GREASY_STD = 0.1
MIN_COAT_SHARE = 0.05


def _roi(h: int, w: int) -> np.ndarray:
    """Central ellipse that lies inside a centred, protruded tongue."""
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    return ((xx - 0.5 * w) / (0.24 * w)) ** 2 + ((yy - 0.55 * h) / (0.3 * h)) ** 2 <= 1.0


def _nearest_body(lab: np.ndarray) -> tuple[TongueBody, float]:
    """Nearest body prototype and a 0-1 confidence from the distance margin to the runner-up."""
    names = list(BODY_PROTOTYPES)
    protos = np.array([BODY_PROTOTYPES[n] for n in names])
    dist = np.sqrt((((protos - lab) * _WEIGHTS) ** 2).sum(axis=1))
    order = np.argsort(dist)
    margin = float(dist[order[1]] - dist[order[0]])
    return names[int(order[0])], float(np.clip(margin / 8.0, 0.0, 1.0))


def _summary(body: TongueBody, coat: CoatColor | None, thickness: CoatThickness | None, greasy: bool) -> str:
    tongue = f"舌{body}"
    if coat is None:
        return f"{tongue}，少苔"
    if thickness == "厚":
        return f"{tongue}，苔{coat}厚{'腻' if greasy else ''}"
    return f"{tongue}，苔薄{coat}"


def analyze_tongue(rgb: np.ndarray) -> TongueImageFindings:
    """Read tongue body colour and coating from a centred tongue photograph.

    Args:
        rgb: HxWx3 uint8 sRGB image.

    Returns:
        Body colour (淡白/淡红/红/绛/紫暗), coating colour (白/黄), thickness (薄/厚), greasiness
        (腻: thick and evenly spread), the measured colours and a Chinese summary such as 舌红，苔薄黄.
    """
    small = resize_rgb_to_max_side(rgb, ANALYSIS_SIDE)
    h, w = small.shape[:2]
    lab = srgb_to_lab(small)
    lab_s = np.stack([gaussian_blur(lab[..., c], 1.0) for c in range(3)], axis=-1)
    # Shadows in the mouth and at the tongue's edge carry no colour worth reading.
    roi = _roi(h, w) & (lab_s[..., 0] > 18.0)
    notes: list[str] = []
    if roi.sum() < 50:
        roi = _roi(h, w)
        notes.append("舌体区域过暗 (tongue region very dark)")
    if roi.sum() < 50:
        roi = np.ones((h, w), dtype=bool)  # tiny image: read what there is
    px = lab_s[roi]
    a = px[:, 1]

    # Body: start from the reddest quarter, then keep the pixels the coat barely touches.
    body = np.median(px[a >= np.percentile(a, 75)], axis=0)
    for _ in range(2):
        alpha = np.clip((body[1] - a) / max(body[1] - COAT_A, 4.0), 0.0, 1.0)
        bare = alpha < 0.1
        if bare.sum() >= 20:
            body = np.median(px[bare], axis=0)
    alpha = np.clip((body[1] - a) / max(body[1] - COAT_A, 4.0), 0.0, 1.0)
    body_name, body_conf = _nearest_body(body)
    if body[1] - COAT_A < 8.0:
        notes.append("舌体颜色偏淡，舌苔判断可靠性较低 (pale body: coating less certain)")

    coated = alpha > COATED_ALPHA
    share = float(coated.mean())
    if share < MIN_COAT_SHARE:
        return TongueImageFindings(
            body_color=body_name,
            body_lab=_lab(body),
            coat_color=None,
            coat_coverage=round(float(alpha.mean()), 3),
            confidence=round(body_conf, 3),
            summary_zh=_summary(body_name, None, None, False),
            notes=notes,
        )
    # Coat colour by unmixing the body out of clearly coated pixels.
    strong = alpha > max(0.3, float(np.percentile(alpha[coated], 50)))
    if strong.sum() < 10:
        strong = coated
    al = alpha[strong][:, None]
    coat = np.median((px[strong] - (1.0 - al) * body) / al, axis=0)
    coat_name: CoatColor = "黄" if coat[2] >= YELLOW_B else "白"
    level = float(np.median(alpha[coated]))
    thickness: CoatThickness = "厚" if level >= THICK_ALPHA else "薄"

    # Evenness of a thick coat, judged on its core at a scale above single papillae.
    alpha_img = np.zeros((h, w), dtype=np.float32)
    alpha_img[roi] = alpha
    alpha_smooth = box_mean(alpha_img, 2)
    core = roi & (box_mean(alpha_img > COATED_ALPHA, 6) > 0.95)
    # A robust spread: the rim where the coat thins out is a minority and must not count as patchiness.
    if core.sum() >= 30:
        vals = alpha_smooth[core]
        spread = float(1.4826 * np.median(np.abs(vals - np.median(vals))))
    else:
        spread = 1.0
    uniformity = float(np.clip(1.0 - spread / 0.25, 0.0, 1.0))
    greasy = thickness == "厚" and spread < GREASY_STD
    coat_conf = float(np.clip(abs(coat[2] - YELLOW_B) / 10.0, 0.0, 1.0))
    thick_conf = float(np.clip(abs(level - THICK_ALPHA) / 0.2, 0.0, 1.0))
    confidence = (body_conf + coat_conf + thick_conf) / 3.0
    return TongueImageFindings(
        body_color=body_name,
        body_lab=_lab(body),
        coat_color=coat_name,
        coat_lab=_lab(coat),
        coat_thickness=thickness,
        coat_greasy=greasy,
        coat_coverage=round(float(alpha.mean()), 3),
        coat_uniformity=round(uniformity, 3),
        confidence=round(float(np.clip(confidence, 0.0, 1.0)), 3),
        summary_zh=_summary(body_name, coat_name, thickness, greasy),
        notes=notes,
    )


def _lab(v: np.ndarray) -> LabColor:
    return LabColor(L=round(float(v[0]), 2), a=round(float(v[1]), 2), b=round(float(v[2]), 2))

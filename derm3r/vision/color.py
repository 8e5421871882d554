"""Colour-space conversions in numpy: sRGB <-> CIELAB (D65) and sRGB -> YCbCr.

All functions are vectorised over any leading shape; the last axis holds the three channels.
"""

from __future__ import annotations

import numpy as np

# IEC 61966-2-1 sRGB primaries with the D65 white point (linear RGB -> XYZ, Y of white = 1).
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ],
    dtype=np.float64,
)
_XYZ_TO_RGB = np.linalg.inv(_RGB_TO_XYZ)
# D65 reference white, 2 degree observer.
D65_WHITE = np.array([0.95047, 1.0, 1.08883], dtype=np.float64)

_EPS = (6.0 / 29.0) ** 3
_KAPPA = 1.0 / (3.0 * (6.0 / 29.0) ** 2)


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.power(c, 1.0 / 2.4) - 0.055)


# 8-bit input is by far the common case; a 256-entry table avoids the per-pixel power function.
_LINEAR_LUT = _srgb_to_linear(np.arange(256, dtype=np.float64) / 255.0).astype(np.float32)


def srgb_to_linear(rgb: np.ndarray) -> np.ndarray:
    """Undo the sRGB transfer curve.

    Args:
        rgb: uint8 values 0-255 or floats 0-1, last axis RGB.

    Returns:
        float32 linear-light RGB in 0-1.
    """
    if rgb.dtype == np.uint8:
        return _LINEAR_LUT[rgb]
    return _srgb_to_linear(np.asarray(rgb, dtype=np.float64)).astype(np.float32)


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """Convert sRGB to CIELAB under D65.

    Args:
        rgb: uint8 values 0-255 or floats 0-1, last axis RGB.

    Returns:
        float32 array of the same shape holding L* (0-100), a*, b*.
    """
    lin = srgb_to_linear(rgb)
    xyz = lin @ (_RGB_TO_XYZ / D65_WHITE[:, None]).T.astype(np.float32)
    f = np.where(xyz > _EPS, np.cbrt(xyz), xyz * _KAPPA + 4.0 / 29.0)
    lab = np.empty_like(f)
    lab[..., 0] = 116.0 * f[..., 1] - 16.0
    lab[..., 1] = 500.0 * (f[..., 0] - f[..., 1])
    lab[..., 2] = 200.0 * (f[..., 1] - f[..., 2])
    return lab


def lab_to_srgb(lab: np.ndarray) -> np.ndarray:
    """Convert CIELAB (D65) to 8-bit sRGB, clipping colours outside the gamut.

    Args:
        lab: array whose last axis holds L*, a*, b*.

    Returns:
        uint8 sRGB array of the same leading shape.
    """
    lab = np.asarray(lab, dtype=np.float64)
    fy = (lab[..., 0] + 16.0) / 116.0
    fx = fy + lab[..., 1] / 500.0
    fz = fy - lab[..., 2] / 200.0
    f = np.stack([fx, fy, fz], axis=-1)
    xyz = np.where(f > 6.0 / 29.0, f**3, (f - 4.0 / 29.0) / _KAPPA) * D65_WHITE
    lin = xyz @ _XYZ_TO_RGB.T
    return np.round(_linear_to_srgb(lin) * 255.0).astype(np.uint8)


def lab_chroma_hue(lab: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Chroma C*ab and hue angle h (degrees, -180..180; 0 = red, +90 = yellow, -90 = blue).

    Args:
        lab: array whose last axis holds L*, a*, b*.

    Returns:
        (chroma, hue_degrees) arrays of the leading shape.
    """
    a = lab[..., 1]
    b = lab[..., 2]
    return np.hypot(a, b), np.degrees(np.arctan2(b, a))


def srgb_to_ycbcr(rgb: np.ndarray) -> np.ndarray:
    """Full-range ITU-R BT.601 YCbCr (the JPEG convention), values 0-255 as float32.

    Args:
        rgb: uint8 sRGB, last axis RGB.

    Returns:
        float32 array with Y, Cb, Cr on the last axis.
    """
    c = np.asarray(rgb, dtype=np.float32)
    r, g, b = c[..., 0], c[..., 1], c[..., 2]
    y = 0.299 * r + 0.587 * g + 0.114 * b
    cb = 128.0 - 0.168736 * r - 0.331264 * g + 0.5 * b
    cr = 128.0 + 0.5 * r - 0.418688 * g - 0.081312 * b
    return np.stack([y, cb, cr], axis=-1)


def luma(rgb: np.ndarray) -> np.ndarray:
    """BT.601 luma (0-255 float32) of 8-bit sRGB."""
    c = np.asarray(rgb, dtype=np.float32)
    return 0.299 * c[..., 0] + 0.587 * c[..., 1] + 0.114 * c[..., 2]

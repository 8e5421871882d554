"""Small numpy image filters (scipy is not a dependency): blurs, Laplacian, resizing."""

from __future__ import annotations

import numpy as np
from PIL import Image


def box_mean(img: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2r+1)x(2r+1) window with edge replication, via an integral image.

    Args:
        img: 2-D array.
        radius: half-width of the window in pixels (0 returns a float copy).

    Returns:
        float32 array of the same shape.
    """
    a = np.asarray(img, dtype=np.float64)
    if radius <= 0:
        return a.astype(np.float32)
    k = 2 * radius + 1
    p = np.pad(a, radius + 1, mode="edge")
    s = p.cumsum(0).cumsum(1)
    h, w = a.shape
    total = s[k : k + h, k : k + w] - s[0:h, k : k + w] - s[k : k + h, 0:w] + s[0:h, 0:w]
    return (total / (k * k)).astype(np.float32)


def _square_extreme(a: np.ndarray, radius: int, reduce: np.ufunc) -> np.ndarray:
    """Max or min over a (2r+1)x(2r+1) window (separable, edges replicated)."""
    h, w = a.shape
    # Shifted slices, one element-wise reduce each: far faster than reducing a strided window view.
    p = np.pad(a, ((radius, radius), (0, 0)), mode="edge")
    rows = p[0:h].copy()
    for i in range(1, 2 * radius + 1):
        reduce(rows, p[i : i + h], out=rows)
    p = np.pad(rows, ((0, 0), (radius, radius)), mode="edge")
    out = p[:, 0:w].copy()
    for i in range(1, 2 * radius + 1):
        reduce(out, p[:, i : i + w], out=out)
    return out


def grey_closing(img: np.ndarray, radius: int) -> np.ndarray:
    """Grey-level closing with a (2r+1) square: dips (valleys) narrower than the square are filled.

    ``grey_closing(x, r) - x`` is the depth of thin dark lines (a black top-hat); a step edge or a
    broad patch gives ~0.

    Args:
        img: 2-D array.
        radius: half-width of the square in pixels.

    Returns:
        float32 array of the same shape.
    """
    a = np.asarray(img, dtype=np.float32)
    if radius <= 0:
        return a.copy()
    return _square_extreme(_square_extreme(a, radius, np.maximum), radius, np.minimum)


def local_std(img: np.ndarray, radius: int) -> np.ndarray:
    """Standard deviation over a square window (texture measure)."""
    a = np.asarray(img, dtype=np.float32)
    m = box_mean(a, radius)
    m2 = box_mean(a * a, radius)
    return np.sqrt(np.maximum(m2 - m * m, 0.0))


def gaussian_blur(img: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of a 2-D float array, edges replicated.

    Args:
        img: 2-D array.
        sigma: standard deviation in pixels; values below 0.3 return the input as float32.

    Returns:
        float32 blurred array.
    """
    a = np.asarray(img, dtype=np.float32)
    if sigma < 0.3:
        return a.copy()
    r = max(1, round(3.0 * sigma))
    x = np.arange(-r, r + 1, dtype=np.float32)
    k = np.exp(-0.5 * (x / sigma) ** 2)
    k /= k.sum()
    out = np.pad(a, ((r, r), (0, 0)), mode="edge")
    acc = np.zeros_like(a)
    for i, kv in enumerate(k):
        acc += kv * out[i : i + a.shape[0], :]
    out = np.pad(acc, ((0, 0), (r, r)), mode="edge")
    acc = np.zeros_like(a)
    for i, kv in enumerate(k):
        acc += kv * out[:, i : i + a.shape[1]]
    return acc


def laplacian(img: np.ndarray) -> np.ndarray:
    """4-neighbour Laplacian of the interior pixels (output is 2 pixels smaller per axis)."""
    a = np.asarray(img, dtype=np.float32)
    return a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:] - 4.0 * a[1:-1, 1:-1]


def noise_sigma(gray: np.ndarray) -> float:
    """Estimate additive noise standard deviation (Immerkaer 1996, fast noise variance estimation).

    The kernel is orthogonal to planes and edges to first order, so what remains is mostly noise;
    strong texture still inflates the figure somewhat.

    Args:
        gray: 2-D grey image in 0-255.

    Returns:
        Estimated sigma in grey levels.
    """
    a = np.asarray(gray, dtype=np.float32)
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    conv = (
        a[:-2, :-2]
        - 2 * a[:-2, 1:-1]
        + a[:-2, 2:]
        - 2 * a[1:-1, :-2]
        + 4 * a[1:-1, 1:-1]
        - 2 * a[1:-1, 2:]
        + a[2:, :-2]
        - 2 * a[2:, 1:-1]
        + a[2:, 2:]
    )
    h, w = a.shape
    return float(np.sqrt(np.pi / 2.0) * np.abs(conv).sum() / (6.0 * (w - 2) * (h - 2)))


def resize_rgb_to_max_side(rgb: np.ndarray, max_side: int) -> np.ndarray:
    """Downscale an RGB uint8 array so its longer side is at most ``max_side`` (never upscales).

    Args:
        rgb: HxWx3 uint8 array.
        max_side: target length of the longer side in pixels.

    Returns:
        The input itself when already small enough, else a resized copy.
    """
    h, w = rgb.shape[:2]
    long_side = max(h, w)
    if long_side <= max_side:
        return rgb
    scale = max_side / long_side
    size = (max(1, round(w * scale)), max(1, round(h * scale)))
    # BOX averages every source pixel, the right anti-aliasing for integer-ish reductions.
    return np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BOX))


def otsu_threshold(values: np.ndarray, bins: int = 128) -> float:
    """Otsu's threshold of a 1-D sample (between-class variance maximum)."""
    hist, edges = np.histogram(values, bins=bins)
    centres = 0.5 * (edges[:-1] + edges[1:])
    w0 = np.cumsum(hist)
    w1 = w0[-1] - w0
    m0 = np.cumsum(hist * centres)
    mu0 = m0 / np.maximum(w0, 1)
    mu1 = (m0[-1] - m0) / np.maximum(w1, 1)
    return float(centres[int(np.argmax(w0 * w1 * (mu0 - mu1) ** 2))])

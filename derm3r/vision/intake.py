"""Safe image intake: path checks, size guards, decoding and normalisation to 8-bit RGB."""

from __future__ import annotations

import math
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from derm3r.vision.errors import ImageInputError
from derm3r.vision.models import LoadedImage

ALLOWED_FORMATS: frozenset[str] = frozenset({"JPEG", "PNG", "WEBP", "TIFF"})
# Declared sizes beyond this multiple of max_pixels are refused before any pixel is decoded.
BOMB_FACTOR = 20
_EXIF_ORIENTATION = 0x0112
_WHITE = (255, 255, 255)


def _resolve(path: Path, base_dir: Path | None, allow_outside: bool) -> Path:
    """Resolve ``path`` against ``base_dir`` and refuse escapes unless allowed."""
    if base_dir is None:
        return path
    base = Path(base_dir).resolve()
    candidate = path if path.is_absolute() else base / path
    # resolve() follows symlinks, so a link inside base_dir pointing elsewhere is caught too.
    resolved = candidate.resolve()
    if not allow_outside and not resolved.is_relative_to(base):
        raise ImageInputError(path, f"the path leads outside the allowed folder '{base}'")
    return resolved


def _check_file(shown: Path, real: Path, max_file_bytes: int) -> int:
    if not real.exists():
        raise ImageInputError(shown, "the file does not exist")
    if not real.is_file():
        raise ImageInputError(shown, "the path is not a regular file")
    size = real.stat().st_size
    if size == 0:
        raise ImageInputError(shown, "the file is empty")
    if size > max_file_bytes:
        raise ImageInputError(
            shown, f"the file is too large ({size:,} bytes; the limit is {max_file_bytes:,} bytes)"
        )
    return size


def _bomb_reason(cap: int, width: int | None = None, height: int | None = None) -> str:
    dims = f"{width}x{height} " if width is not None and height is not None else ""
    return (
        f"the declared image size {dims}is over the limit of {cap:,} pixels "
        "and was not decoded (possible decompression bomb)"
    )


def _sixteen_bit_to_rgb(img: Image.Image) -> Image.Image:
    """Scale single-channel 16/32-bit integer or float images to 8 bits, then to RGB."""
    arr = np.asarray(img)
    if img.mode.startswith("I;16"):
        top = 65535.0
    else:
        hi = float(arr.max()) if arr.size else 0.0
        # 16-bit PNGs arrive as mode I; anything that fits in 8 bits is left as it is.
        top = 255.0 if hi <= 255 else (65535.0 if hi <= 65535 else hi)
    arr8 = np.clip(np.round(arr.astype(np.float64) * (255.0 / top)), 0, 255).astype(np.uint8)
    return Image.fromarray(arr8, mode="L").convert("RGB")


def _to_rgb(img: Image.Image) -> tuple[Image.Image, bool, str | None]:
    """Convert any decoded mode to RGB, compositing transparency on white.

    Returns:
        (rgb_image, had_alpha, original_mode_if_converted)
    """
    mode = img.mode
    if mode == "RGB":
        return img, False, None
    has_alpha = mode in ("RGBA", "LA", "PA", "RGBa", "La") or (
        mode in ("P", "L", "RGB") and "transparency" in img.info
    )
    if has_alpha:
        rgba = img.convert("RGBA")
        background = Image.new("RGB", rgba.size, _WHITE)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background, True, mode
    if mode.startswith("I") or mode == "F":
        return _sixteen_bit_to_rgb(img), False, mode
    return img.convert("RGB"), False, mode


def _fit(img: Image.Image, original_size: tuple[int, int], max_pixels: int) -> tuple[Image.Image, bool]:
    """Downscale to at most ``max_pixels`` keeping the aspect ratio; report whether size changed."""
    w, h = img.size
    if w * h > max_pixels:
        scale = math.sqrt(max_pixels / (w * h))
        new_size = (max(1, int(w * scale)), max(1, int(h * scale)))
        return img.resize(new_size, Image.Resampling.LANCZOS, reducing_gap=3.0), True
    # JPEG draft decoding may already have reduced the size.
    return img, (w, h) != original_size


def load_image(
    path: Path | str,
    *,
    base_dir: Path | None = None,
    allow_outside: bool = False,
    max_pixels: int = 4_000_000,
    max_file_bytes: int = 30_000_000,
) -> LoadedImage:
    """Open an image file safely and return upright 8-bit RGB pixels ready for analysis.

    JPEG, PNG, WebP and TIFF are accepted. EXIF orientation is applied, transparency is
    composited on white, CMYK / grey / palette / 16-bit images become 8-bit RGB, and images over
    ``max_pixels`` are downscaled with their aspect ratio kept.

    Args:
        path: the image file; relative paths are taken against ``base_dir`` when it is given.
        base_dir: folder the image must live in (usually the case file's folder).
        allow_outside: accept paths that resolve outside ``base_dir``.
        max_pixels: working size cap; larger images are downscaled to about this many pixels.
        max_file_bytes: files larger than this are refused unread.

    Returns:
        The decoded image with its intake facts.

    Raises:
        ImageInputError: the file is missing, outside ``base_dir``, too large, not an image, of an
            unsupported format, truncated or corrupt, or declares a decompression-bomb size.
    """
    shown = Path(path)
    real = _resolve(shown, base_dir, allow_outside)
    file_bytes = _check_file(shown, real, max_file_bytes)
    cap = BOMB_FACTOR * max_pixels
    with warnings.catch_warnings():
        # Our own cap, checked against the declared size right after the header is parsed, is the
        # guard; PIL's warning would only duplicate it. PIL's hard error is still caught below.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        with _open(shown, real, cap) as img:
            fmt = _check_header(shown, img, cap)
            decoded = _decode(shown, img, fmt, max_pixels, cap)
    rgb = decoded.rgb
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ImageInputError(shown, "the image could not be converted to RGB")
    return LoadedImage(
        path=str(shown),
        format=fmt,
        original_size=decoded.original_size,
        working_size=(rgb.shape[1], rgb.shape[0]),
        file_bytes=file_bytes,
        exif_rotated=decoded.rotated,
        downscaled=decoded.downscaled,
        had_alpha=decoded.had_alpha,
        mode_converted_from=decoded.converted_from,
        rgb=rgb,
    )


def _open(shown: Path, real: Path, cap: int) -> Image.Image:
    """Parse the header, translating PIL's failures into input errors."""
    try:
        return Image.open(real)
    except Image.DecompressionBombError:
        raise ImageInputError(shown, _bomb_reason(cap)) from None
    except UnidentifiedImageError:
        raise ImageInputError(shown, "the file is not a recognised image (JPEG, PNG, WebP or TIFF)") from None
    except OSError as exc:
        raise ImageInputError(shown, f"the file could not be read ({exc.__class__.__name__})") from None


def _check_header(shown: Path, img: Image.Image, cap: int) -> str:
    """Format and declared size checks before any pixel is decoded; returns the format name."""
    fmt = (img.format or "").upper()
    if fmt not in ALLOWED_FORMATS:
        raise ImageInputError(
            shown, f"the image format {fmt or 'unknown'} is not supported (use JPEG, PNG, WebP or TIFF)"
        )
    width, height = img.size
    if width <= 0 or height <= 0:
        raise ImageInputError(shown, "the image declares an empty size")
    if width * height > cap:
        raise ImageInputError(shown, _bomb_reason(cap, width, height))
    return fmt


@dataclass(frozen=True)
class _Decoded:
    rgb: np.ndarray
    original_size: tuple[int, int]
    rotated: bool
    downscaled: bool
    had_alpha: bool
    converted_from: str | None


def _decode(shown: Path, img: Image.Image, fmt: str, max_pixels: int, cap: int) -> _Decoded:
    """Decode (reduced for huge JPEGs), turn upright, convert to 8-bit RGB and fit the pixel cap."""
    width, height = img.size
    try:
        orientation = int(img.getexif().get(_EXIF_ORIENTATION, 1))
    except Exception:
        orientation = 1
    if fmt == "JPEG" and width * height > max_pixels and img.mode in ("RGB", "L", "CMYK"):
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale: far less memory for huge photos.
        scale = math.sqrt(max_pixels / (width * height))
        img.draft(img.mode, (max(1, int(width * scale)), max(1, int(height * scale))))
    try:
        img.load()
    except Image.DecompressionBombError:
        raise ImageInputError(shown, _bomb_reason(cap, width, height)) from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error):
        raise ImageInputError(shown, "the image data is truncated or corrupt and cannot be decoded") from None
    rotated = orientation in (2, 3, 4, 5, 6, 7, 8)
    try:
        upright = ImageOps.exif_transpose(img) if rotated else img
    except Exception:
        upright, rotated = img, False
    rgb_img, had_alpha, converted_from = _to_rgb(upright)
    original_size = (height, width) if rotated and orientation >= 5 else (width, height)
    rgb_img, downscaled = _fit(rgb_img, original_size, max_pixels)
    # Copy out before the file closes: a closed PIL image no longer holds its pixels.
    rgb = np.array(rgb_img, dtype=np.uint8)
    return _Decoded(rgb, original_size, rotated, downscaled, had_alpha, converted_from)

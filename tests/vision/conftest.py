"""Fixtures for the image-side tests: small photos written to disk in every format intake accepts."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image


@pytest.fixture(scope="session")
def photo() -> np.ndarray:
    """A 60x80 RGB image whose four quadrants differ, so rotations are detectable."""
    img = np.zeros((60, 80, 3), dtype=np.uint8)
    img[:30, :40] = (200, 40, 40)
    img[:30, 40:] = (40, 200, 40)
    img[30:, :40] = (40, 40, 200)
    img[30:, 40:] = (230, 230, 230)
    return img


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@pytest.fixture(scope="session")
def png_header() -> Callable[[int, int], bytes]:
    """Build a tiny PNG that declares any width and height (no real pixel data)."""

    def build(width: int, height: int) -> bytes:
        ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", ihdr)
            + _chunk(b"IDAT", zlib.compress(b""))
            + _chunk(b"IEND", b"")
        )

    return build


@pytest.fixture
def save(tmp_path: Path) -> Callable[..., Path]:
    """Save a numpy array or PIL image under tmp_path with PIL keyword options."""

    def write(name: str, image: np.ndarray | Image.Image, **options: Any) -> Path:
        path = tmp_path / name
        img = Image.fromarray(image) if isinstance(image, np.ndarray) else image
        img.save(path, **options)
        return path

    return write

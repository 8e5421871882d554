"""Typed errors of the image side."""

from __future__ import annotations

from pathlib import Path

from derm3r.errors import InputError


class ImageInputError(InputError):
    """An image file that cannot be used.

    Raised when the file is missing, outside the case folder, not an image, corrupt, too large,
    of an unsupported format or declares a decompression-bomb size.

    Attributes:
        path: the path as the caller gave it.
        reason: the reason in plain words, without the file name.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(f"cannot use image '{self.path}': {reason}")

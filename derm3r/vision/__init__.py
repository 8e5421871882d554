"""Offline image side of DERM-Rec: safe intake, quality, lesion and tongue analysis (numpy + Pillow).

Public names are loaded on first use so that ``import derm3r.vision`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from derm3r.vision.analyze import analyze_image as analyze_image
    from derm3r.vision.errors import ImageInputError as ImageInputError
    from derm3r.vision.intake import load_image as load_image
    from derm3r.vision.lesion import analyze_lesions as analyze_lesions
    from derm3r.vision.models import ImageAnalysis as ImageAnalysis
    from derm3r.vision.models import ImageInfo as ImageInfo
    from derm3r.vision.models import ImageQuality as ImageQuality
    from derm3r.vision.models import LesionImageFindings as LesionImageFindings
    from derm3r.vision.models import LoadedImage as LoadedImage
    from derm3r.vision.models import TongueImageFindings as TongueImageFindings
    from derm3r.vision.quality import assess_quality as assess_quality
    from derm3r.vision.tongue import analyze_tongue as analyze_tongue

_EXPORTS: dict[str, str] = {
    "analyze_image": "derm3r.vision.analyze",
    "ImageInputError": "derm3r.vision.errors",
    "load_image": "derm3r.vision.intake",
    "analyze_lesions": "derm3r.vision.lesion",
    "ImageAnalysis": "derm3r.vision.models",
    "ImageInfo": "derm3r.vision.models",
    "ImageQuality": "derm3r.vision.models",
    "LesionImageFindings": "derm3r.vision.models",
    "LoadedImage": "derm3r.vision.models",
    "TongueImageFindings": "derm3r.vision.models",
    "assess_quality": "derm3r.vision.quality",
    "analyze_tongue": "derm3r.vision.tongue",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first access."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'derm3r.vision' has no attribute '{name}'")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value

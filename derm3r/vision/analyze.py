"""One call per image: safe intake, quality gate, then tongue or lesion analysis."""

from __future__ import annotations

from pathlib import Path

from derm3r.vision.intake import load_image
from derm3r.vision.lesion import analyze_lesions
from derm3r.vision.models import VIEWS, ImageAnalysis, View
from derm3r.vision.quality import assess_quality
from derm3r.vision.tongue import analyze_tongue


def analyze_image(
    path: Path | str, view: View | str, *, base_dir: Path | None = None, allow_outside: bool = False
) -> ImageAnalysis:
    """Load one image safely, judge its quality and, when usable, analyse it for its view.

    Tongue photographs get tongue body and coating analysis; every other view gets lesion
    analysis (PASI sub-scores only for close-ups). Unusable images are not analysed and the
    result says why.

    Args:
        path: the image file, relative to ``base_dir`` when that is given.
        view: closeup, regional, overview, tongue or dermoscopy.
        base_dir: the case folder the image must live in.
        allow_outside: accept a path that resolves outside ``base_dir``.

    Returns:
        The analysis; ``analyzed`` is False with ``skipped_reason`` when the image was not usable.

    Raises:
        ValueError: ``view`` is not one of the known views.
        ImageInputError: the file is missing, outside the folder, unreadable, not an image,
            truncated, too large or a decompression bomb.
    """
    if view not in VIEWS:
        raise ValueError(f"unknown image view '{view}' (expected one of: {', '.join(VIEWS)})")
    loaded = load_image(path, base_dir=base_dir, allow_outside=allow_outside)
    info = loaded.info()
    is_tongue = view == "tongue"
    quality = assess_quality(loaded.rgb, require_skin=not is_tongue)
    common = {"path": str(path), "view": view, "image": info, "quality": quality}
    if not quality.usable:
        why = "; ".join(quality.reasons) or "质量评分过低 (quality too low)"
        return ImageAnalysis(
            **common,
            analyzed=False,
            skipped_reason=f"图像质量不足，未作分析 (image not usable, not analysed): {why}",
        )
    if is_tongue:
        return ImageAnalysis(**common, analyzed=True, tongue=analyze_tongue(loaded.rgb))
    return ImageAnalysis(**common, analyzed=True, lesions=analyze_lesions(loaded.rgb, quality, view=view))

"""One call per image: intake, quality gate, then lesion analysis."""

from __future__ import annotations

from pathlib import Path

from derm3r.vision.intake import load_image
from derm3r.vision.lesion import analyze_lesions
from derm3r.vision.models import ImageAnalysis, ImageInfo
from derm3r.vision.quality import assess_quality


def analyze_image(
    path: Path | str, view: str, *, base_dir: Path | None = None, allow_outside: bool = False
) -> ImageAnalysis:
    """Load one image safely, judge its quality and, when usable, describe its lesions.

    Args:
        path: The image file, relative to ``base_dir`` when given.
        view: closeup, regional, overview, tongue or dermoscopy.
        base_dir: The case folder the image must live in.
        allow_outside: Accept a path that leaves ``base_dir``.

    Returns:
        The analysis; ``analyzed`` is False with the reason when the image was not analysed.

    Raises:
        ImageInputError: When the file is missing, unreadable, not an image, too large or outside the folder.
    """
    loaded = load_image(path, base_dir=base_dir, allow_outside=allow_outside)
    info = ImageInfo.model_validate(loaded.model_dump(exclude={"rgb"}))
    quality = assess_quality(loaded.rgb, require_skin=view != "tongue")
    if not quality.usable:
        return ImageAnalysis(
            path=str(path), view=view, image=info, quality=quality, analyzed=False, skipped_reason="图像质量不足，未分析"
        )
    if view == "tongue":
        return ImageAnalysis(
            path=str(path),
            view=view,
            image=info,
            quality=quality,
            analyzed=False,
            skipped_reason="舌象图像分析尚未提供，请以文字描述舌象 (tongue image analysis not available)",
        )
    lesions = analyze_lesions(loaded.rgb, quality, view=view)
    return ImageAnalysis(path=str(path), view=view, image=info, quality=quality, analyzed=True, lesions=lesions)

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import derm3r.vision as vision
from derm3r.testing.synthetic_images import paint_skin
from derm3r.testing.synthetic_tongue import paint_tongue
from derm3r.vision.analyze import analyze_image
from derm3r.vision.errors import ImageInputError


def test_closeup_is_analysed(save: Callable[..., Path], tmp_path: Path) -> None:
    rgb, truth = paint_skin(61, tone=3, color_class="鲜红", scale="thick", count=2)
    (tmp_path / "img").mkdir()
    save("img/c.jpg", rgb, quality=92)
    result = analyze_image("img/c.jpg", "closeup", base_dir=tmp_path)
    assert result.analyzed and result.skipped_reason is None and result.tongue is None
    assert result.image.format == "JPEG" and result.quality.usable
    assert result.lesions is not None and result.lesions.color_class == "鲜红"
    assert result.lesions.scale_thickness == "thick" and result.lesions.lesion_count == truth.count
    assert result.lesions.pasi_erythema is not None
    assert result.model_dump_json()  # serialisable without the pixels


def test_blurred_image_is_skipped_with_reason(save: Callable[..., Path]) -> None:
    rgb, _ = paint_skin(62, tone=2, count=2, fault="blur")
    result = analyze_image(save("b.png", rgb), "regional")
    assert not result.analyzed and result.lesions is None
    assert result.skipped_reason is not None and "图像模糊 (blurred)" in result.skipped_reason
    assert result.skipped_reason.startswith("图像质量不足，未作分析 (image not usable, not analysed)")


def test_tongue_view_gets_tongue_analysis(save: Callable[..., Path]) -> None:
    rgb, _ = paint_tongue(63, body="红", coat_color="黄", coat_thickness="薄")
    result = analyze_image(save("t.png", rgb), "tongue")
    assert result.analyzed and result.lesions is None and result.tongue is not None
    assert result.tongue.summary_zh == "舌红，苔薄黄"


def test_unknown_view_and_escaping_path(save: Callable[..., Path], tmp_path: Path) -> None:
    rgb, _ = paint_skin(64, count=1)
    path = save("x.png", rgb)
    with pytest.raises(ValueError, match="unknown image view 'selfie'"):
        analyze_image(path, "selfie")
    sub = tmp_path / "case"
    sub.mkdir()
    with pytest.raises(ImageInputError, match="outside the allowed folder"):
        analyze_image("../x.png", "closeup", base_dir=sub)


def test_package_exports_lazily() -> None:
    assert vision.analyze_image is analyze_image
    assert "load_image" in vision.__all__
    with pytest.raises(AttributeError):
        _ = vision.no_such_name  # type: ignore[attr-defined]

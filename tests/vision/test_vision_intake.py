from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from derm3r.vision.errors import ImageInputError
from derm3r.vision.intake import load_image


def test_exif_rotated_jpeg_is_turned_upright(save: Callable[..., Path], photo: np.ndarray) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored rotated: display needs a 90 degree clockwise turn
    path = save("rot.jpg", photo, exif=exif, quality=95)
    img = load_image(path)
    assert img.exif_rotated
    assert img.original_size == (60, 80)  # upright width x height
    assert img.rgb.shape == (80, 60, 3)
    expected = np.rot90(photo, k=-1)
    assert np.abs(img.rgb.astype(int) - expected.astype(int)).mean() < 6


def test_rgba_png_is_composited_on_white(save: Callable[..., Path]) -> None:
    rgba = np.zeros((20, 30, 4), dtype=np.uint8)
    rgba[..., 0] = 255
    rgba[:, :15, 3] = 0  # left half fully transparent
    rgba[:, 15:, 3] = 255
    img = load_image(save("a.png", rgba))
    assert img.had_alpha and img.mode_converted_from == "RGBA"
    assert (img.rgb[:, :15] == 255).all()
    assert (img.rgb[:, 15:] == (255, 0, 0)).all()


def test_cmyk_jpeg_becomes_rgb(save: Callable[..., Path], photo: np.ndarray) -> None:
    path = save("cmyk.jpg", Image.fromarray(photo).convert("CMYK"), quality=95)
    img = load_image(path)
    assert img.mode_converted_from == "CMYK"
    assert img.rgb.dtype == np.uint8 and img.rgb.shape == (60, 80, 3)
    assert img.rgb[10, 10, 0] > img.rgb[10, 10, 2] + 80  # red quadrant stays red


def test_sixteen_bit_png_is_scaled_to_eight_bits(save: Callable[..., Path]) -> None:
    ramp = np.tile(np.linspace(0, 65535, 64).astype(np.uint16), (16, 1))
    img = load_image(save("g16.png", Image.fromarray(ramp)))
    assert img.mode_converted_from in ("I;16", "I")
    assert img.rgb[0, 0].tolist() == [0, 0, 0]
    assert img.rgb[0, -1].tolist() == [255, 255, 255]
    assert abs(int(img.rgb[0, 32, 0]) - round(ramp[0, 32] / 257)) <= 1


def test_thirty_two_bit_integer_tiff(save: Callable[..., Path]) -> None:
    arr = np.tile(np.arange(0, 4096, 64, dtype=np.int32), (8, 1)) * 16
    img = load_image(save("i32.tif", Image.fromarray(arr, mode="I")))
    assert img.format == "TIFF" and img.mode_converted_from == "I"
    assert img.rgb[0, -1, 0] == round(arr[0, -1] * 255 / 65535)


def test_grayscale_palette_webp_and_tiff(save: Callable[..., Path], photo: np.ndarray) -> None:
    grey = load_image(save("g.png", Image.fromarray(photo).convert("L")))
    assert grey.mode_converted_from == "L" and grey.rgb.shape == (60, 80, 3)
    assert (grey.rgb[..., 0] == grey.rgb[..., 2]).all()
    pal = load_image(save("p.png", Image.fromarray(photo).convert("P")))
    assert pal.mode_converted_from == "P"
    webp = load_image(save("w.webp", photo, lossless=True))
    assert webp.format == "WEBP" and np.array_equal(webp.rgb, photo)
    tiff = load_image(save("t.tif", photo))
    assert tiff.format == "TIFF" and np.array_equal(tiff.rgb, photo) and tiff.mode_converted_from is None


def test_large_image_is_downscaled_keeping_aspect(save: Callable[..., Path]) -> None:
    big = np.full((900, 1200, 3), 128, dtype=np.uint8)
    img = load_image(save("big.png", big), max_pixels=100_000)
    assert img.downscaled and img.original_size == (1200, 900)
    w, h = img.working_size
    assert w * h <= 100_000 and abs(w / h - 4 / 3) < 0.02
    assert img.rgb.shape == (h, w, 3)


def test_truncated_jpeg_is_rejected(save: Callable[..., Path], tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    good = save("full.jpg", rng.integers(0, 255, (200, 200, 3), dtype=np.uint8), quality=90)
    bad = tmp_path / "cut.jpg"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(ImageInputError) as err:
        load_image(bad)
    assert (
        str(err.value)
        == f"cannot use image '{bad}': the image data is truncated or corrupt and cannot be decoded"
    )
    assert err.value.path == bad and isinstance(err.value, ValueError)


def test_text_file_named_jpg_is_rejected(tmp_path: Path) -> None:
    fake = tmp_path / "notes.jpg"
    fake.write_text("舌红苔黄 - not an image")
    with pytest.raises(ImageInputError) as err:
        load_image(fake)
    assert (
        str(err.value)
        == f"cannot use image '{fake}': the file is not a recognised image (JPEG, PNG, WebP or TIFF)"
    )


def test_bomb_header_is_refused_before_decoding(
    tmp_path: Path, png_header: Callable[[int, int], bytes]
) -> None:
    bomb = tmp_path / "bomb.png"
    bomb.write_bytes(png_header(10_000, 10_000))
    with pytest.raises(ImageInputError) as err:
        load_image(bomb)
    assert str(err.value) == (
        f"cannot use image '{bomb}': the declared image size 10000x10000 is over the limit of "
        "80,000,000 pixels and was not decoded (possible decompression bomb)"
    )


def test_header_beyond_pil_hard_limit_is_refused(
    tmp_path: Path, png_header: Callable[[int, int], bytes]
) -> None:
    bomb = tmp_path / "huge.png"
    bomb.write_bytes(png_header(100_000, 100_000))
    with pytest.raises(ImageInputError, match=r"possible decompression bomb"):
        load_image(bomb)


def test_small_cap_follows_max_pixels(tmp_path: Path, png_header: Callable[[int, int], bytes]) -> None:
    bomb = tmp_path / "wide.png"
    bomb.write_bytes(png_header(3000, 3000))
    with pytest.raises(ImageInputError, match=r"3000x3000 is over the limit of 2,000,000 pixels"):
        load_image(bomb, max_pixels=100_000)


def test_missing_empty_and_oversized_files(
    tmp_path: Path, save: Callable[..., Path], photo: np.ndarray
) -> None:
    missing = tmp_path / "nope.png"
    with pytest.raises(ImageInputError) as err:
        load_image(missing)
    assert str(err.value) == f"cannot use image '{missing}': the file does not exist"
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    with pytest.raises(ImageInputError, match="the file is empty"):
        load_image(empty)
    path = save("ok.png", photo)
    with pytest.raises(ImageInputError) as err:
        load_image(path, max_file_bytes=100)
    size = path.stat().st_size
    assert (
        str(err.value)
        == f"cannot use image '{path}': the file is too large ({size:,} bytes; the limit is 100 bytes)"
    )


def test_unsupported_format_is_refused(save: Callable[..., Path], photo: np.ndarray) -> None:
    path = save("x.bmp", photo)
    with pytest.raises(ImageInputError) as err:
        load_image(path)
    assert (
        str(err.value)
        == f"cannot use image '{path}': the image format BMP is not supported (use JPEG, PNG, WebP or TIFF)"
    )


def test_relative_path_resolves_against_base_dir(
    tmp_path: Path, save: Callable[..., Path], photo: np.ndarray
) -> None:
    (tmp_path / "img").mkdir()
    save("img/a.png", photo)
    img = load_image(Path("img/a.png"), base_dir=tmp_path)
    assert img.rgb.shape == (60, 80, 3) and img.path == "img/a.png"


def test_path_escaping_base_dir_is_refused(
    tmp_path: Path, save: Callable[..., Path], photo: np.ndarray
) -> None:
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    outside = save("secret.png", photo)
    base = case_dir.resolve()
    expected = f"the path leads outside the allowed folder '{base}'"
    with pytest.raises(ImageInputError) as err:
        load_image(Path("../secret.png"), base_dir=case_dir)
    assert str(err.value) == f"cannot use image '../secret.png': {expected}"
    with pytest.raises(ImageInputError) as err:
        load_image(outside, base_dir=case_dir)
    assert err.value.reason == expected
    # The caller may explicitly allow it.
    assert load_image(Path("../secret.png"), base_dir=case_dir, allow_outside=True).rgb.shape == (60, 80, 3)


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symlinks on this platform")
def test_symlink_escaping_base_dir_is_refused(
    tmp_path: Path, save: Callable[..., Path], photo: np.ndarray
) -> None:
    case_dir = tmp_path / "case"
    case_dir.mkdir()
    target = save("elsewhere.png", photo)
    (case_dir / "link.png").symlink_to(target)
    with pytest.raises(ImageInputError, match="leads outside the allowed folder"):
        load_image(Path("link.png"), base_dir=case_dir)


def test_loaded_image_dump_leaves_out_pixels(save: Callable[..., Path], photo: np.ndarray) -> None:
    img = load_image(save("a.png", photo))
    dumped = img.model_dump()
    assert "rgb" not in dumped and dumped["format"] == "PNG"
    assert img.info().working_size == (80, 60)

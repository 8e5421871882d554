"""Marker ink, glints and white flakes on real photographs (PAD-UFES-20 calibration half, CC BY 4.0).

The files and their attribution are in tests/vision/data/SOURCES.md. What the right answer is:

- Surgeons circle a lesion or draw its margin with a skin marker before the photo; the ink is not
  part of the skin and no finding (《中医外科学》皮肤病总论: 皮损 are changes of the skin itself), so
  a violet or blue stroke on clear skin must report no lesion, on light and dark skin alike, and a
  circle round a lesion must leave the lesion alone.
- 色素脱失 (白驳风) is a patch of the skin lighter than the patient's own skin, milky and less
  coloured, with the skin's own smooth surface; the glints of white hairs are not.
- 银白色鳞屑 (白疕) is whiter than the skin; flakes more coloured than a near-neutral skin are not
  called silvery with confidence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter

from derm3r.vision.color import lab_to_srgb, srgb_to_lab
from derm3r.vision.lesion import NOTES, analyze_lesions
from derm3r.vision.models import LesionImageFindings
from derm3r.vision.quality import assess_quality

DATA = Path(__file__).parent / "data"
CLEAR_TILES = [
    "pad_clear_tile_light_PAT_1067_284_533.png",
    "pad_clear_tile_type4_PAT_244_374_726.png",
    "pad_clear_tile_type5_PAT_352_729_947.png",
]
#: Gentian violet, a darker violet and a blue surgical pen, as sRGB.
INKS = {"violet": (110, 60, 170), "dark violet": (90, 50, 140), "blue": (60, 60, 160)}


def _load(name: str) -> np.ndarray:
    return np.asarray(Image.open(DATA / name).convert("RGB"))


def _analyse(rgb: np.ndarray) -> LesionImageFindings:
    return analyze_lesions(rgb, assess_quality(rgb), view="regional")


def _certain(found: LesionImageFindings) -> set[str]:
    return {t.name for t in found.lesion_types if not t.uncertain}


def _draw_stroke(rgb: np.ndarray, colour: tuple[int, int, int], width: int = 3) -> np.ndarray:
    """A wavy marker line across the photo, its edge softened as a pen's is, 85 % opaque."""
    h, w = rgb.shape[:2]
    layer = Image.new("L", (w, h), 0)
    xs = np.linspace(-0.1 * w, 1.1 * w, 40)
    ys = h * (0.5 + 0.25 * np.sin(3 * xs / w))
    ImageDraw.Draw(layer).line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=255, width=width, joint="curve")
    alpha = np.asarray(layer.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.float32)[..., None] / 255 * 0.85
    return (rgb * (1 - alpha) + np.array(colour, np.float32) * alpha).round().astype(np.uint8)


def _disc(h: int, w: int, radius: float) -> np.ndarray:
    yy, xx = np.mgrid[0:h, 0:w]
    return np.clip((radius - np.hypot(yy - h / 2, xx - w / 2)) / 1.5, 0.0, 1.0)[..., None]


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("ink", sorted(INKS))
def test_a_marker_stroke_on_clear_real_skin_is_not_a_lesion(tile: str, ink: str) -> None:
    rgb = _load(tile)
    assert not _analyse(rgb).lesion_found  # the tile itself is clear skin
    found = _analyse(_draw_stroke(rgb, INKS[ink]))
    assert not found.lesion_found, found.lesion_types
    assert NOTES["ink"] in found.notes


def test_a_circle_drawn_round_a_real_lesion_leaves_the_lesion_alone() -> None:
    found = _analyse(_load("pad_circled_lesion_PAT_46_880_308.png"))
    assert found.lesion_found and NOTES["ink"] in found.notes
    assert found.lesion_count == 1  # the lesion, not arcs of the ink circle
    assert "hyperpigmentation" not in _certain(found)  # the ink line is not a darker patch


def test_the_dark_middle_of_a_broad_violet_stroke_is_not_a_darker_patch() -> None:
    # A real pen tile: the stroke's edges were found as ink, its darkest middle (too dark to pass as
    # blue) was left between them and read as a confident 色素沉着.
    found = _analyse(_load("pad_pen_tile_PAT_46_881_939.png"))
    assert NOTES["ink"] in found.notes
    assert "hyperpigmentation" not in {t.name for t in found.lesion_types}


def test_a_thick_dark_violet_ring_on_yellow_skin_does_not_grow_a_lesion() -> None:
    # A real photo: a broad dark-violet circle round a small red keratosis on yellow skin. The ring's
    # blur halo is darker than the skin, so it was not taken for ink and became a lesion over ~38 % of
    # the photo (3 components); the lesion is the red centre (about 3 % of the photo).
    found = _analyse(_load("pad_dark_ring_PAT_158_621_68.png"))
    assert NOTES["ink"] in found.notes
    assert found.lesion_count == 1
    assert found.area_fraction < 0.08


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_a_dark_hair_like_line_is_not_taken_for_ink(tile: str) -> None:
    # Guard for the thin-stroke (valley) rule: a brown-black hair darkens b* with L*, it is no ink.
    found = _analyse(_draw_stroke(_load(tile), (60, 40, 30), width=2))
    assert NOTES["ink"] not in found.notes


#: Brown-black and dark-brown hair, as sRGB: a little redder and yellower than light skin, far darker.
HAIRS = {"brown-black": (60, 40, 30), "dark brown": (80, 55, 40)}


@pytest.mark.parametrize("tile", CLEAR_TILES[:2])
@pytest.mark.parametrize("hair", sorted(HAIRS))
@pytest.mark.parametrize("width", [2, 3])
def test_a_brown_hair_across_clear_real_skin_is_no_darker_patch(tile: str, hair: str, width: int) -> None:
    # 色素沉着 is a patch of the skin darker than the patient's own skin; a hair lying on the skin is not
    # part of it. A brown hair is slightly warmer than light skin, so the "not redder" dark-line rule
    # missed it and it was read as a confident 色素沉着 (light tile: brown-black 2 and 3 px, dark brown
    # 3 px; type IV tile: brown-black 3 px).
    found = _analyse(_draw_stroke(_load(tile), HAIRS[hair], width=width))
    assert not found.lesion_found, found.lesion_types
    assert "hyperpigmentation" not in {t.name for t in found.lesion_types}


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_a_compact_blue_patch_is_a_lesion_not_ink(tile: str) -> None:
    # A blue naevus or a bruise is a round patch, not a stroke: it stays a finding.
    rgb = _load(tile)
    lab = srgb_to_lab(rgb).astype(np.float64)
    weight = _disc(*rgb.shape[:2], 0.12 * rgb.shape[0])
    patched = lab * (1 - weight) + weight * np.array([35.0, 20.0, -30.0])
    assert _analyse(lab_to_srgb(patched)).lesion_found


#: A light-blue marker, as sRGB (L* ~48): lighter than type V-VI skin, as the violet and blue ones are on type VI.
LIGHT_BLUE = (80, 110, 200)


def _darkened_to_type_vi(tile: str) -> np.ndarray:
    """A clear real tile's skin taken down to type VI (median L* 29, chroma x 0.8), its texture kept."""
    lab = srgb_to_lab(_load(tile)).astype(np.float64)
    median_l = float(np.median(lab[..., 0]))
    lab[..., 0] = 29.0 + (lab[..., 0] - median_l) * 29.0 / median_l
    lab[..., 1:] *= 0.8
    return lab_to_srgb(lab)


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("ink", ["violet", "blue", "light blue"])
def test_a_marker_stroke_lighter_than_type_vi_skin_is_not_a_lesion(tile: str, ink: str) -> None:
    # On type VI skin (L* 29) violet and blue markers (L* 31-37) are lighter than the skin: every ink rule
    # wanted the stroke darker, and its a* rise became a red lesion (tiles 2 and 3; no ink note on any).
    skin = _darkened_to_type_vi(tile)
    assert not _analyse(skin).lesion_found
    found = _analyse(_draw_stroke(skin, LIGHT_BLUE if ink == "light blue" else INKS[ink]))
    assert not found.lesion_found, found.lesion_types
    assert NOTES["ink"] in found.notes


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_a_compact_blue_patch_lighter_than_type_vi_skin_is_still_a_lesion(tile: str) -> None:
    # Guard: ink may now be lighter than dark skin, but a round bluish patch is no stroke.
    skin = _darkened_to_type_vi(tile)
    lab = srgb_to_lab(skin).astype(np.float64)
    weight = _disc(*skin.shape[:2], 0.12 * skin.shape[0])
    found = _analyse(lab_to_srgb(lab * (1 - weight) + weight * np.array([35.0, 20.0, -30.0])))
    assert found.lesion_found and NOTES["ink"] not in found.notes


def test_glints_of_white_hairs_are_not_confident_depigmentation() -> None:
    found = _analyse(_load("pad_glint_tile_PAT_354_1814_153.png"))
    assert "depigmentation" not in _certain(found)
    assert not found.lesion_found


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_a_milky_patch_on_real_skin_is_confident_depigmentation(tile: str) -> None:
    # 白驳风: lighter than the patient's skin and less coloured, the skin's own surface kept.
    rgb = _load(tile)
    lab = srgb_to_lab(rgb).astype(np.float64)
    skin = np.median(lab.reshape(-1, 3), axis=0)
    target = np.array([min(skin[0] + 20.0, 90.0), 0.35 * skin[1], 0.4 * skin[2]])
    patched = lab + _disc(*rgb.shape[:2], 0.22 * rgb.shape[0]) * (target - skin)
    found = _analyse(lab_to_srgb(patched))
    assert "depigmentation" in _certain(found)
    assert found.lesion_count == 0  # no erythema claimed


def test_flakes_more_coloured_than_neutral_skin_are_not_confidently_silvery() -> None:
    found = _analyse(_load("pad_bcc_white_flakes_PAT_117_179_983.png"))
    assert found.lesion_found
    assert "silvery_scale" not in _certain(found)
    assert any(t.name == "silvery_scale" and t.uncertain for t in found.lesion_types)


def _tint_at_edge(rgb: np.ndarray, delta_a: float) -> np.ndarray:
    """A red rise of ``delta_a`` (a*) over a patch cut by the photo's left edge."""
    lab = srgb_to_lab(rgb).astype(np.float64)
    h, w = rgb.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w]
    weight = np.clip((0.18 * h - np.hypot(yy - h / 2, xx)) / 3.0, 0.0, 1.0)
    lab[..., 1] += delta_a * weight
    return lab_to_srgb(lab)


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_a_faint_red_tint_along_the_frame_edge_is_not_a_lesion(tile: str) -> None:
    # Phone lenses tint the frame's edges (colour shading); a faint red rise along the edge is that.
    assert not _analyse(_tint_at_edge(_load(tile), 6.0)).lesion_found


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_a_clearly_red_lesion_cut_by_the_frame_is_still_found(tile: str) -> None:
    assert _analyse(_tint_at_edge(_load(tile), 16.0)).lesion_found


#: A black surgical skin marker and a dark blue-black one, as sRGB: no blue turn, only dark.
DARK_INKS = {"black": (30, 30, 35), "blue-black": (35, 40, 70)}


def _skin_canvas(tile: str) -> np.ndarray:
    """A clear real tile mirrored 3 × 3: a larger patch of the same patient's skin, its texture kept."""
    rgb = _load(tile)
    row = np.concatenate([rgb, rgb[:, ::-1], rgb], axis=1)
    return np.ascontiguousarray(np.concatenate([row, row[::-1], row], axis=0))


def _with_red_plaque(rgb: np.ndarray, radius: float) -> np.ndarray:
    """A round red plaque (a* +18, L* -8 against the skin) in the middle of the photo."""
    lab = srgb_to_lab(rgb).astype(np.float64)
    return lab_to_srgb(lab + _disc(*rgb.shape[:2], radius) * np.array([-8.0, 18.0, 2.0]))


def _draw_ring(rgb: np.ndarray, colour: tuple[int, int, int], radius: float, faded: bool, width: int = 3) -> np.ndarray:
    """A marker circle round the photo's middle; ``faded``: every other arc at 30 % opacity (a dry pen)."""
    h, w = rgb.shape[:2]
    strong, faint = Image.new("L", (w, h), 0), Image.new("L", (w, h), 0)
    box = [w / 2 - radius, h / 2 - radius, w / 2 + radius, h / 2 + radius]
    for start in range(0, 360, 60):
        ImageDraw.Draw(faint if faded and start % 120 else strong).arc(box, start, start + 60, fill=255, width=width)
    alpha = (
        (
            np.asarray(strong.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.float32)
            + 0.3 * np.asarray(faint.filter(ImageFilter.GaussianBlur(0.7)), dtype=np.float32)
        )[..., None]
        / 255
        * 0.85
    )
    return (rgb * (1 - alpha) + np.array(colour, np.float32) * alpha).round().astype(np.uint8)


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("ink", sorted(DARK_INKS))
@pytest.mark.parametrize("width", [2, 3, 5])
def test_a_black_marker_stroke_on_clear_real_skin_is_no_finding(tile: str, ink: str, width: int) -> None:
    # A black marker line is darker than the skin and thin: no lesion and no darker patch (色素沉着).
    found = _analyse(_draw_stroke(_load(tile), DARK_INKS[ink], width=width))
    assert not found.lesion_found, found.lesion_types
    assert "hyperpigmentation" not in {t.name for t in found.lesion_types}


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_the_painted_plaque_alone_is_one_lesion(tile: str) -> None:
    # The baseline the ring tests compare with: the canvas is clear, the plaque is one lesion.
    canvas = _skin_canvas(tile)
    assert not _analyse(canvas).lesion_found
    found = _analyse(_with_red_plaque(canvas, 0.12 * canvas.shape[0]))
    assert found.lesion_found and found.lesion_count == 1


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("ink", ["violet", "blue"])
def test_a_marker_circle_with_faded_arcs_neither_becomes_nor_joins_the_lesion(tile: str, ink: str) -> None:
    # A circle drawn round a plaque, its pen dry on every other arc: the faint arcs are ink too, so the
    # plaque is still found, once, and its area is the plaque's, not the circle's.
    canvas = _skin_canvas(tile)
    plaque = _with_red_plaque(canvas, 0.12 * canvas.shape[0])
    alone = _analyse(plaque)
    found = _analyse(_draw_ring(plaque, INKS[ink], 0.2 * canvas.shape[0], faded=True))
    assert found.lesion_found and found.lesion_count == 1
    assert NOTES["ink"] in found.notes
    assert found.area_fraction < 1.3 * alone.area_fraction


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("ink", sorted(DARK_INKS))
def test_a_black_marker_circle_round_a_plaque_leaves_one_lesion_and_no_darker_patch(tile: str, ink: str) -> None:
    canvas = _skin_canvas(tile)
    plaque = _with_red_plaque(canvas, 0.12 * canvas.shape[0])
    alone = _analyse(plaque)
    found = _analyse(_draw_ring(plaque, DARK_INKS[ink], 0.2 * canvas.shape[0], faded=False))
    assert found.lesion_found and found.lesion_count == 1
    assert "hyperpigmentation" not in {t.name for t in found.lesion_types}
    assert found.area_fraction < 1.3 * alone.area_fraction


def test_a_faint_arc_of_a_marker_circle_on_clear_skin_is_no_darker_patch() -> None:
    # A real pen tile: the arc fades from violet to grey; its faint part was left beside the found
    # part and read as a confident 色素沉着. Followed along the stroke it is ink, and the tile is clear.
    found = _analyse(_load("pad_pen_arc_tile_PAT_1937_3897_131.png"))
    assert NOTES["ink"] in found.notes
    assert not found.lesion_found, found.lesion_types


#: The last: a faint ring of a fine pen whose every part is faint (core share 0.23), found by its length.
RINGED = ["PAT_1350_1230_925", "PAT_439_2887_834", "PAT_621_1182_456", "PAT_621_3592_955"]


@pytest.mark.parametrize("photo", [f"pad_ringed_lesion_{name}.png" for name in RINGED])
def test_the_faint_arcs_of_a_real_marker_circle_are_not_a_second_lesion(photo: str) -> None:
    # One naevus inside a drawn circle: the lesion is found once; the circle's arcs are ink, not lesions.
    found = _analyse(_load(photo))
    assert found.lesion_found and NOTES["ink"] in found.notes
    assert found.lesion_count == 1


def _with_brown_patch(rgb: np.ndarray, radius: float) -> np.ndarray:
    """A round brown patch (L* -18, a* +4, b* +4 against the skin: a lentigo or flat naevus) in the middle."""
    lab = srgb_to_lab(rgb).astype(np.float64)
    return lab_to_srgb(lab + _disc(*rgb.shape[:2], radius) * np.array([-18.0, 4.0, 4.0]))


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("ink", ["violet", "blue"])
def test_a_broad_marker_stroke_across_a_brown_lesion_does_not_cut_it_in_two(tile: str, ink: str) -> None:
    # The stroke is no part of the skin; the lesion runs on under it. Left out of the lesion, a 5 px
    # stroke cut the patch (a lesion on the type IV and V tiles) into two lesions.
    canvas = _skin_canvas(tile)
    patch = _with_brown_patch(canvas, 0.3 * canvas.shape[0])
    alone = _analyse(patch)
    found = _analyse(_draw_stroke(patch, INKS[ink], width=5))
    assert alone.lesion_count == 1
    assert NOTES["ink"] in found.notes
    assert found.lesion_count == 1


def test_a_marker_stroke_drawn_over_a_pigmented_lesion_is_ink() -> None:
    # A real photo: a broad blue stroke drawn over a lentigo-like melanoma, most of it on the lesion. With
    # the dark lesion beside it, the stroke failed the "skin beside it" test and was no ink (two lesions, one
    # at the stroke's end); it is far bluer than the brown lesion beside it.
    found = _analyse(_load("pad_inked_lesion_PAT_717_1347_899.png"))
    assert NOTES["ink"] in found.notes
    assert found.lesion_count == 1
    assert "hyperpigmentation" in _certain(found)  # the lesion is still found


#: Auburn, dark auburn, copper and light-brown hair, as sRGB: warm as well as dark (Δa* 0.5-1.7 × the darkening).
WARM_HAIRS = {
    "auburn": (145, 70, 40),
    "dark auburn": (110, 50, 30),
    "copper": (170, 90, 50),
    "light brown": (140, 100, 70),
}


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize("hair", sorted(WARM_HAIRS))
@pytest.mark.parametrize("width", [3, 4])
def test_an_auburn_or_light_brown_hair_across_clear_real_skin_is_no_lesion(tile: str, hair: str, width: int) -> None:
    # 皮损 are changes of the skin itself; a hair lying on it is none. A warm hair gains a* with its darkening,
    # so it seeded a red lesion (暗红 or 鲜红, with 结痂 and 苔藓样变) on all three tiles.
    found = _analyse(_draw_stroke(_load(tile), WARM_HAIRS[hair], width=width))
    assert not found.lesion_found, found.lesion_types


@pytest.mark.parametrize("tile", CLEAR_TILES)
def test_an_auburn_hair_across_a_red_plaque_leaves_the_plaque_alone(tile: str) -> None:
    # The hair's parts on the skin had become a second lesion; the part across the plaque stays in it.
    canvas = _skin_canvas(tile)
    plaque = _with_red_plaque(canvas, 0.12 * canvas.shape[0])
    alone = _analyse(plaque)
    found = _analyse(_draw_stroke(plaque, WARM_HAIRS["auburn"]))
    assert found.lesion_count == 1
    assert abs(found.area_fraction - alone.area_fraction) < 0.1 * alone.area_fraction


@pytest.mark.parametrize("tile", CLEAR_TILES)
@pytest.mark.parametrize(("delta", "width"), [((-5.0, 20.0, 2.0), 3), ((-16.0, 16.0, 2.0), 4)])
def test_a_thin_red_or_dark_red_line_on_clear_real_skin_is_still_a_lesion(
    tile: str, delta: tuple[float, float, float], width: int
) -> None:
    # Guard: a red line (vessels, an excoriation) reddens far more than it yellows: not a hair.
    rgb = _load(tile)
    skin = np.median(srgb_to_lab(rgb).astype(np.float64).reshape(-1, 3), axis=0)
    colour = lab_to_srgb((skin + np.array(delta))[None, None])[0, 0]
    found = _analyse(_draw_stroke(rgb, (int(colour[0]), int(colour[1]), int(colour[2])), width=width))
    assert found.lesion_found and found.lesion_count == 1

"""Paint the synthetic lesion photos used by the example cases.

The pictures are stand-ins, not clinical photographs: a skin-toned background with a few
irregular plaques whose colour and scale follow the syndrome the case was written for (bright red
for blood heat, pale red with thin scale for blood dryness, dark red with thick scale for stasis,
moist red with crusts for damp toxin, diffuse redness for erythroderma). They exist so the image
path of the pipeline has something deterministic to look at.

Usage (from the repository root)::

    .venv/bin/python examples/make_images.py            # writes examples/cases/img/*.jpg
    .venv/bin/python examples/make_images.py --out /tmp/img

Only numpy and Pillow are needed; every image has its own fixed seed, so reruns give the same
pixels for a given Pillow/libjpeg build.
"""

from __future__ import annotations

import argparse
import io
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 640, 480
MAX_BYTES = 80_000
DEFAULT_OUT = Path(__file__).resolve().parent / "cases" / "img"

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Style:
    """How one picture looks: the plaques, their scale and the skin around them."""

    plaque_rgb: RGB
    n_plaques: int
    radius: tuple[int, int]
    scale_amount: float  # share of the plaque surface covered by scale, 0..1
    scale_rgb: RGB = (236, 233, 228)
    scale_grain: int = 4  # pixel size of the flake pattern; larger reads as thicker, coarser scale
    skin_rgb: RGB = (224, 184, 160)
    pigment_rim: bool = False
    crust: float = 0.0  # yellow crust and wet shine, for the damp-toxin picture
    diffuse: bool = False  # erythroderma: the whole field is red, with a few islands of normal skin
    fissures: int = 0  # fine dry cracks in the surrounding skin


STYLES: dict[str, Style] = {
    "ps-blood-heat-1-elbow": Style((214, 48, 52), 4, (45, 85), 0.55, scale_grain=4),
    "ps-blood-heat-1-trunk": Style((220, 58, 60), 38, (7, 16), 0.45, scale_grain=3),
    "ps-blood-dryness-1-shin": Style(
        (228, 168, 160), 3, (55, 95), 0.35, scale_rgb=(242, 238, 232), scale_grain=2, fissures=14
    ),
    "ps-blood-stasis-1-shin": Style(
        (122, 36, 44), 2, (90, 130), 0.62, scale_rgb=(214, 210, 204), scale_grain=7, pigment_rim=True
    ),
    "ps-blood-stasis-1-lower-back": Style(
        (130, 40, 50), 3, (60, 100), 0.58, scale_rgb=(216, 212, 206), scale_grain=6, pigment_rim=True
    ),
    "ps-damp-toxin-1-axilla": Style((196, 62, 58), 2, (90, 140), 0.12, scale_grain=3, crust=0.6),
    "ps-fire-toxin-1-trunk": Style((206, 56, 50), 0, (0, 0), 0.3, scale_grain=8, diffuse=True),
    "ps-wind-damp-1-knee": Style((176, 70, 70), 2, (70, 110), 0.6, scale_grain=4),
}


def smooth_noise(rng: np.random.Generator, cell: int) -> np.ndarray:
    """Return a (HEIGHT, WIDTH) field in [0, 1] that varies over about `cell` pixels."""
    small = rng.random((max(2, HEIGHT // cell), max(2, WIDTH // cell))).astype(np.float32)
    field = np.asarray(Image.fromarray(small, mode="F").resize((WIDTH, HEIGHT), Image.Resampling.BICUBIC))
    lo, hi = float(field.min()), float(field.max())
    return (field - lo) / (hi - lo + 1e-6)


def plaque_mask(rng: np.random.Generator, centre: tuple[float, float], radius: float) -> np.ndarray:
    """Return a soft mask of one irregular, roughly round plaque."""
    yy, xx = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    dx, dy = xx - centre[0], yy - centre[1]
    dist = np.hypot(dx, dy)
    theta = np.arctan2(dy, dx)
    # A few low harmonics bend the outline so plaques are not perfect discs.
    outline = np.ones_like(theta)
    for k in range(2, 6):
        outline += rng.uniform(0.03, 0.11) * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    edge = max(2.0, radius * 0.08)
    mask: np.ndarray = np.clip((radius * outline - dist) / edge, 0.0, 1.0)
    return mask


def place_plaques(rng: np.random.Generator, style: Style) -> tuple[np.ndarray, np.ndarray]:
    """Return the union of all plaque masks and a slightly larger halo mask around them."""
    mask = np.zeros((HEIGHT, WIDTH), np.float32)
    halo = np.zeros_like(mask)
    if style.diffuse:
        # Erythroderma: almost everything is involved; leave a few irregular islands of skin.
        islands = np.zeros_like(mask)
        for _ in range(4):
            c = (rng.uniform(60, WIDTH - 60), rng.uniform(60, HEIGHT - 60))
            islands = np.maximum(islands, plaque_mask(rng, c, rng.uniform(14, 30)))
        mask = 1.0 - islands
        return mask, mask
    for _ in range(style.n_plaques):
        r = rng.uniform(*style.radius)
        c = (rng.uniform(r * 0.6, WIDTH - r * 0.6), rng.uniform(r * 0.6, HEIGHT - r * 0.6))
        mask = np.maximum(mask, plaque_mask(rng, c, r))
    if style.pigment_rim:
        # A blurred copy of the plaques spreads past their edges evenly, giving a brown rim.
        spread = Image.fromarray((mask * 255).astype(np.uint8), mode="L")
        spread = spread.filter(ImageFilter.GaussianBlur(style.radius[0] * 0.22))
        halo = np.clip(np.asarray(spread, np.float32) / 255.0 * 2.0, 0.0, 1.0)
    return mask, halo


def draw_fissures(rng: np.random.Generator, count: int) -> np.ndarray:
    """Return a mask of thin wandering cracks, as seen on dry shins."""
    canvas = Image.new("L", (WIDTH, HEIGHT), 0)
    draw = ImageDraw.Draw(canvas)
    for _ in range(count):
        x, y = rng.uniform(0, WIDTH), rng.uniform(0, HEIGHT)
        angle = rng.uniform(0, np.pi)
        points = [(x, y)]
        for _ in range(int(rng.integers(4, 9))):
            angle += rng.normal(0, 0.35)
            x, y = x + 9 * np.cos(angle), y + 9 * np.sin(angle)
            points.append((x, y))
        draw.line(points, fill=int(rng.integers(120, 200)), width=1)
    return np.asarray(canvas.filter(ImageFilter.GaussianBlur(0.6)), np.float32) / 255.0


def blend(base: np.ndarray, colour: np.ndarray | RGB, alpha: np.ndarray) -> np.ndarray:
    """Alpha-blend `colour` over `base` with a per-pixel alpha."""
    a = alpha[..., None]
    mixed: np.ndarray = base * (1.0 - a) + np.asarray(colour, np.float32) * a
    return mixed


def paint(name: str, style: Style) -> Image.Image:
    """Paint one picture; the seed comes from its name, so each file is reproducible alone."""
    rng = np.random.default_rng(zlib.crc32(name.encode()))
    skin = np.asarray(style.skin_rgb, np.float32)
    img = np.broadcast_to(skin, (HEIGHT, WIDTH, 3)).copy()
    img *= (0.94 + 0.12 * smooth_noise(rng, 90))[..., None]

    if style.fissures:
        img = blend(img, (150, 110, 96), 0.45 * draw_fissures(rng, style.fissures))

    mask, halo = place_plaques(rng, style)
    if style.pigment_rim:
        img = blend(img, (150, 104, 84), 0.55 * np.clip(halo - mask, 0.0, 1.0))

    # Redness varies across a plaque; darker patches read as infiltration.
    tint = (0.88 + 0.2 * smooth_noise(rng, 24))[..., None] * np.asarray(style.plaque_rgb, np.float32)
    img = blend(img, tint, mask)

    core = np.clip((mask - 0.35) / 0.65, 0.0, 1.0) ** 1.5
    flakes = smooth_noise(rng, style.scale_grain)
    patches = smooth_noise(rng, style.scale_grain * 6)
    cover = np.clip((0.55 * flakes + 0.45 * patches - (1.0 - style.scale_amount)) / 0.12, 0.0, 1.0)
    shade = (0.9 + 0.1 * flakes)[..., None] * np.asarray(style.scale_rgb, np.float32)
    img = blend(img, shade, 0.88 * core * cover)
    if style.scale_grain >= 6:
        # Thick scale cracks into plates; the cracks show the red plaque underneath.
        cracks = np.abs(smooth_noise(rng, style.scale_grain * 3) - 0.5) < 0.025
        img = blend(img, np.asarray(style.plaque_rgb) * 0.8, 0.6 * core * cover * cracks)

    if style.crust:
        crust = np.clip((smooth_noise(rng, 14) - 0.7) / 0.1, 0.0, 1.0) * core
        img = blend(img, (214, 170, 84), style.crust * crust)
        shine = np.clip((smooth_noise(rng, 8) - 0.85) / 0.08, 0.0, 1.0) * core
        img = blend(img, (250, 236, 232), 0.5 * shine)

    # Gentle lighting fall-off and sensor noise so the picture is not flat.
    light = np.linspace(1.04, 0.92, WIDTH, dtype=np.float32)[None, :, None]
    img = img * light + rng.normal(0.0, 1.6, img.shape).astype(np.float32)
    out = Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), mode="RGB")
    return out.filter(ImageFilter.GaussianBlur(0.5))


def encode(image: Image.Image) -> bytes:
    """Encode as JPEG at the best quality that stays under MAX_BYTES."""
    for quality in range(88, 40, -4):
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=quality, optimize=True)
        if buffer.tell() < MAX_BYTES:
            return buffer.getvalue()
    raise ValueError("image does not fit under the size limit even at low quality")


def main(argv: list[str] | None = None) -> None:
    """Write every picture in STYLES to the output folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="folder for the JPEGs")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, style in STYLES.items():
        data = encode(paint(name, style))
        path = args.out / f"{name}.jpg"
        path.write_bytes(data)
        print(f"{path} {len(data) // 1024} KB")


if __name__ == "__main__":
    main()

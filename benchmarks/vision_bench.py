"""Benchmark of the offline image analysis on seeded synthetic photographs.

Prints colour-class, scale and extent accuracy (overall and per skin tone), fault detection,
tongue reading accuracy and throughput. The images come from ``derm3r.testing.synthetic_images``, so the
figures measure agreement with that generator's colour model, not clinical accuracy.

Run: python benchmarks/vision_bench.py [--n 240] [--seed 2026]
"""

from __future__ import annotations

import argparse
import time
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np

from derm3r.testing.synthetic_images import (
    COLOR_CLASSES,
    SCALE_BANDS,
    Nuisance,
    PlaqueSize,
    paint_skin,
)
from derm3r.testing.synthetic_tongue import TONGUE_BODY_NAMES, paint_tongue
from derm3r.vision.lesion import analyze_lesions
from derm3r.vision.models import CoatColor, CoatThickness
from derm3r.vision.quality import assess_quality
from derm3r.vision.tongue import analyze_tongue

SIZES: tuple[PlaqueSize, ...] = ("small", "medium", "large")
NUISANCE = Nuisance(white_balance=0.08, shading=3.0, jpeg_quality=85, delta_spread=0.3)
FAULT_FLAGS = {"blur": "blurred", "over": "overexposed", "under": "underexposed", "noise": "noisy"}


@dataclass
class LesionScores:
    """Running tallies for one lesion set."""

    color: list[bool] = field(default_factory=list)
    scale_present: list[bool] = field(default_factory=list)
    scale_band: list[bool] = field(default_factory=list)
    count: list[bool] = field(default_factory=list)
    area_err: list[float] = field(default_factory=list)
    usable: list[bool] = field(default_factory=list)
    by_tone: dict[int, list[bool]] = field(default_factory=lambda: defaultdict(list))
    area_by_tone: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    scale_by_tone: dict[int, list[bool]] = field(default_factory=lambda: defaultdict(list))
    seconds: float = 0.0


def run_lesions(n: int, seed: int, nuisance: Nuisance | None) -> LesionScores:
    rng = np.random.default_rng(seed)
    s = LesionScores()
    for i in range(n):
        tone = 1 + i % 6
        color = COLOR_CLASSES[(i // 6) % 4]
        scale = SCALE_BANDS[(i // 24) % 3]
        rgb, truth = paint_skin(
            int(rng.integers(1 << 31)),
            tone=tone,
            color_class=color,
            scale=scale,
            count=int(rng.integers(1, 6)),
            size=SIZES[int(rng.integers(3))],
            irregularity=float(rng.uniform(0.0, 1.0)),
            nuisance=nuisance,
        )
        t0 = time.perf_counter()
        quality = assess_quality(rgb)
        f = analyze_lesions(rgb, quality)
        s.seconds += time.perf_counter() - t0
        ok = f.color_class == truth.color_class
        s.color.append(ok)
        s.by_tone[tone].append(ok)
        s.scale_present.append(f.scale_present == (truth.scale != "none"))
        s.scale_by_tone[tone].append(s.scale_present[-1])
        s.scale_band.append(f.scale_thickness == truth.scale)
        s.count.append(f.lesion_count == truth.count)
        s.area_err.append(abs(f.area_fraction - truth.area_fraction))
        s.area_by_tone[tone].append(s.area_err[-1])
        s.usable.append(quality.usable)
    return s


def run_faults(n_per: int, seed: int) -> tuple[dict[str, float], float]:
    rng = np.random.default_rng(seed)
    rates: dict[str, float] = {}
    seconds = 0.0
    total = 0
    for fault, flag in FAULT_FLAGS.items():
        hits = []
        for i in range(n_per):
            rgb, _ = paint_skin(
                int(rng.integers(1 << 31)),
                tone=1 + i % 6,
                color_class=COLOR_CLASSES[i % 4],
                scale=SCALE_BANDS[i % 3],
                count=int(rng.integers(0, 5)),
                size=SIZES[i % 3],
                fault=fault,  # type: ignore[arg-type]
            )
            t0 = time.perf_counter()
            q = assess_quality(rgb)
            seconds += time.perf_counter() - t0
            total += 1
            hits.append(bool(getattr(q, flag)) and (fault == "noise" or not q.usable))
        rates[fault] = float(np.mean(hits))
    return rates, total / max(seconds, 1e-9)


def run_clear_skin(n: int, seed: int) -> dict[str, float]:
    """Lesion false-positive rate on lesion-free skin, plain and with a background strip."""
    rng = np.random.default_rng(seed)
    found: dict[str, list[bool]] = defaultdict(list)
    for i in range(n):
        nuisance = NUISANCE if i % 2 else None
        rgb, _ = paint_skin(int(rng.integers(1 << 31)), tone=1 + i % 6, count=0, nuisance=nuisance)
        name = "camera nuisances" if nuisance else "clean"
        found[name].append(analyze_lesions(rgb).lesion_found)
        with_bg = rgb.copy()
        width = int(rng.integers(60, 200))
        # A cloth or wall beside the skin: blue-grey or off-white.
        with_bg[:, :width] = (60, 80, 120) if i % 4 < 2 else (230, 230, 225)
        found[f"{name}, background strip"].append(analyze_lesions(with_bg).lesion_found)
    return {k: float(np.mean(v)) for k, v in found.items()}


def run_tongues(n: int, seed: int, nuisance: Nuisance | None) -> tuple[dict[str, float], float]:
    rng = np.random.default_rng(seed)
    tallies: dict[str, list[bool]] = defaultdict(list)
    seconds = 0.0
    for i in range(n):
        body = TONGUE_BODY_NAMES[i % 5]
        coat: CoatColor = "白" if (i // 5) % 2 == 0 else "黄"
        kind = (i // 10) % 3
        thickness: CoatThickness = "薄" if kind == 0 else "厚"
        greasy = kind == 2
        rgb, truth = paint_tongue(
            int(rng.integers(1 << 31)),
            body=body,
            coat_color=coat,
            coat_thickness=thickness,
            greasy=greasy,
            nuisance=nuisance,
        )
        t0 = time.perf_counter()
        f = analyze_tongue(rgb)
        seconds += time.perf_counter() - t0
        tallies["body"].append(f.body_color == truth.body)
        tallies["coat colour"].append(f.coat_color == truth.coat_color)
        tallies["coat thickness"].append(f.coat_thickness == truth.coat_thickness)
        tallies["greasy"].append(f.coat_greasy == truth.greasy)
    return {k: float(np.mean(v)) for k, v in tallies.items()}, n / max(seconds, 1e-9)


def pct(x: float) -> str:
    return f"{100.0 * x:5.1f}%"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT MET"


def report_lesions(name: str, s: LesionScores) -> None:
    n = len(s.color)
    color = float(np.mean(s.color))
    present = float(np.mean(s.scale_present))
    mean_err, max_err = float(np.mean(s.area_err)), float(np.max(s.area_err))
    tone_acc = {t: float(np.mean(v)) for t, v in sorted(s.by_tone.items())}
    gap = abs(tone_acc[min(tone_acc)] - tone_acc[max(tone_acc)])
    print(f"\n== lesions, {name}: {n} images ==")
    print(f"colour class accuracy      {pct(color)}   target >= 90%  {verdict(color >= 0.9)}")
    print(f"scale presence accuracy    {pct(present)}   target >= 90%  {verdict(present >= 0.9)}")
    print(f"scale band none/thin/thick {pct(float(np.mean(s.scale_band)))}")
    print(f"lesion count exact         {pct(float(np.mean(s.count)))}")
    print(
        f"area fraction error        mean {mean_err:.4f}  max {max_err:.4f}   target <= 0.05  "
        f"{verdict(max_err <= 0.05)} (max), {verdict(mean_err <= 0.05)} (mean)"
    )
    print(f"judged usable by quality   {pct(float(np.mean(s.usable)))}")
    print("colour accuracy per tone   " + "  ".join(f"{t}:{pct(a)}" for t, a in tone_acc.items()))
    scale_tone = {t: float(np.mean(v)) for t, v in sorted(s.scale_by_tone.items())}
    print("scale presence per tone    " + "  ".join(f"{t}:{pct(a)}" for t, a in scale_tone.items()))
    area_tone = {t: float(np.mean(v)) for t, v in sorted(s.area_by_tone.items())}
    print("mean area error per tone   " + "  ".join(f"{t}:{a:.4f}" for t, a in area_tone.items()))
    print(f"gap lightest-darkest tone  {100 * gap:4.1f} points   target <= 5  {verdict(gap <= 0.05)}")
    print(f"throughput (quality+lesion) {n / max(s.seconds, 1e-9):.1f} images/s")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--n", type=int, default=240, help="lesion images per set (two sets)")
    parser.add_argument("--faults", type=int, default=60, help="images per fault type (four types)")
    parser.add_argument("--tongues", type=int, default=60, help="tongue images per set (two sets)")
    parser.add_argument("--clear", type=int, default=60, help="lesion-free skin images")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    start = time.perf_counter()
    clean = run_lesions(args.n, args.seed, None)
    report_lesions("clean", clean)
    rough = run_lesions(args.n, args.seed + 1, NUISANCE)
    report_lesions(
        "camera nuisances (white balance +/-8%, 3x shading, JPEG q85, "
        "colours 30% nearer the neighbour class)",
        rough,
    )

    rates, qps = run_faults(args.faults, args.seed + 2)
    print(f"\n== quality faults: {args.faults} images per fault ==")
    for fault, rate in rates.items():
        target = "" if fault == "noise" else f"   target >= 95%  {verdict(rate >= 0.95)}"
        print(f"{fault:6s} detected           {pct(rate)}{target}")
    false_alarm = 1.0 - float(np.mean(clean.usable))
    print(f"clean images judged unusable {pct(false_alarm)}")
    print(f"throughput (quality only)  {qps:.1f} images/s")

    print(f"\n== lesion-free skin: {args.clear} images, each also with a background strip ==")
    for name, rate in run_clear_skin(args.clear, args.seed + 4).items():
        print(f"lesion reported ({name}){'':{max(0, 34 - len(name))}} {pct(rate)}")

    for name, nuisance in (("clean", None), ("camera nuisances", NUISANCE)):
        acc, tps = run_tongues(args.tongues, args.seed + 3, nuisance)
        print(f"\n== tongues, {name}: {args.tongues} images ==")
        for key, value in acc.items():
            print(f"{key:16s} {pct(value)}")
        print(f"throughput       {tps:.1f} images/s")
    print(f"\ntotal wall time {time.perf_counter() - start:.1f} s (includes painting the images)")


if __name__ == "__main__":
    main()

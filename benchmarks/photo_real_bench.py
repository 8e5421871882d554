"""Image analysis on real photographs: the done-when figures of issue 15, on the TEST half only.

Tongues: the TonguExpert manually labelled photos fetched by data/photos/fetch_tonguexpert.py
(test half of data/photos/tonguexpert_split.tsv; the calibration half fitted the classes).
Skin: a folder of photos with a ``labels.csv`` (columns: file, diagnosis, fitzpatrick, split) given with
--skin-dir (diagnosis ``normal`` means clear skin); by default the PAD-UFES-20 photos fetched by
data/photos/fetch_pad_ufes20.py (CC BY 4.0; six lesion types, no normal skin, no vitiligo, zoster or
urticaria, see data/photos/SOURCES.md). Without either the skin figures are reported as not measured.
The corner tiles of the same test photos stand in for normal skin as a labelled PROXY (see
corner_proxy_figures), never for the Done-when normal-skin figure.

Usage:
    PYTHONPATH=. python benchmarks/photo_real_bench.py [--skin-dir DIR] [--limit N]
    PYTHONPATH=. python benchmarks/photo_real_bench.py --half calibration --painted 0   # tuning figures

``--half calibration`` prints the same skin figures on the calibration half (the tuning set, with its
own eye-labelled tiles); the figures the issue asks for are the test half's (the default).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "data" / "photos"))

from fetch_pad_ufes20 import CACHE as PAD_CACHE  # noqa: E402
from fit_tongue import BODY, CACHE, COAT, read_labels, read_split  # noqa: E402

from derm3r.vision.lesion import NOTES, analyze_lesions  # noqa: E402
from derm3r.vision.quality import assess_quality  # noqa: E402
from derm3r.vision.tongue import analyze_tongue, measure_tongue_colours  # noqa: E402

TYPE_TARGETS = (("vitiligo", "depigmentation", 0.8), ("herpes_zoster", "vesicle", 0.7), ("urticaria", "wheal", 0.7))
#: Corner tiles for the normal-skin proxy: 30 % of each side (90 px on the 300 px PAD copies).
CORNER_SHARE = 0.3
#: Our five body classes read against TonguExpert's three (light / regular / dark).
BODY_GROUP = {"淡白": "淡白", "淡红": "淡红", "红": "红", "绛": "红", "紫暗": "红"}


def _mask_iou(sid: str, mask: np.ndarray) -> float:
    truth = Image.open(CACHE / "mask" / f"{sid}.jpg").convert("L").resize((mask.shape[1], mask.shape[0]))
    gt = np.asarray(truth) > 128
    return float((mask & gt).sum() / max((mask | gt).sum(), 1))


def tongue_figures(limit: int | None) -> None:
    """Body / coat agreement and segmentation IoU on the test half."""
    if not (CACHE / "labels.tsv").exists():
        print("tongues: not measured (run data/photos/fetch_tonguexpert.py to fetch the labelled photos)")
        return
    split = read_split()
    rows = [r for r in read_labels() if split.get(r["SID"]) == "test"][:limit]
    body_hits, coat_hits, ious, seconds = [], [], [], []
    confusion: Counter[tuple[str, str]] = Counter()
    for row in rows:
        rgb = np.asarray(Image.open(CACHE / "raw" / f"{row['SID']}.jpg").convert("RGB"))
        start = time.perf_counter()
        found = analyze_tongue(rgb)
        seconds.append(time.perf_counter() - start)
        ious.append(_mask_iou(row["SID"], measure_tongue_colours(rgb).mask))
        if row["body"] in BODY:
            body_hits.append(BODY_GROUP[found.body_color] == BODY[row["body"]])
            confusion[(BODY[row["body"]], found.body_color)] += 1
        if row["coat"] in COAT:
            coat_hits.append((found.coat_color or "白") == COAT[row["coat"]])
    print(f"== tongues (TonguExpert test half: {len(rows)} photos) ==")
    print(f"body colour agreement   {np.mean(body_hits):.3f}  (n={len(body_hits)}; target >= 0.75)")
    print(f"coat colour agreement   {np.mean(coat_hits):.3f}  (n={len(coat_hits)}; target >= 0.85)")
    print(f"tongue mask IoU         mean {np.mean(ious):.3f}, median {np.median(ious):.3f}")
    print(f"seconds per photo       {np.mean(seconds):.3f}")
    print("body confusion (label -> read): " + ", ".join(f"{k[0]}->{k[1]}:{v}" for k, v in sorted(confusion.items())))


def _tone_groups(rows: list[dict[str, str]]) -> dict[str, str]:
    """Light (Fitzpatrick I-II) / dark (IV-VI) / mid (III) / unknown, per file."""
    group = {"1": "light", "2": "light", "3": "mid", "4": "dark", "5": "dark", "6": "dark"}
    return {r["file"]: group.get(r.get("fitzpatrick", ""), "unknown") for r in rows}


def _print_rates(title: str, rates: dict[str, list[bool]]) -> None:
    print(title + ": " + ", ".join(f"{k} {np.mean(v):.3f} (n={len(v)})" for k, v in sorted(rates.items())))


def skin_figures(skin_dir: Path | None, half: str = "test") -> None:
    """Lesion found / false alarms / lesion types / skin-tone gap on a labelled skin folder."""
    if skin_dir is None and (PAD_CACHE / "labels.csv").exists():
        skin_dir = PAD_CACHE
    if skin_dir is None:
        print("== skin ==\nskin figures: not measured (run data/photos/fetch_pad_ufes20.py, or give --skin-dir)")
        return
    with (skin_dir / "labels.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("split", "test") == half]
    tone = _tone_groups(rows)
    found: dict[str, list[bool]] = {}
    types: dict[str, list[set[str]]] = {}
    by_tone: dict[str, list[bool]] = {}
    usable: list[bool] = []
    unsure: Counter[str] = Counter()
    inked = 0
    for row in rows:
        rgb = np.asarray(Image.open(skin_dir / row["file"]).convert("RGB"))
        quality = assess_quality(rgb)
        usable.append(quality.usable)
        result = analyze_lesions(rgb, quality, view="regional")
        kinds = {t.name for t in result.lesion_types if not t.uncertain}
        unsure.update(t.name for t in result.lesion_types if t.uncertain)
        inked += any(note == NOTES["ink"] for note in result.notes)
        found.setdefault(row["diagnosis"], []).append(result.lesion_found)
        types.setdefault(row["diagnosis"], []).append(kinds)
        if row["diagnosis"] != "normal":
            by_tone.setdefault(tone[row["file"]], []).append(result.lesion_found)
    lesion = [v for k, vs in found.items() if k != "normal" for v in vs]
    print(f"== skin ({skin_dir.name}: {len(rows)} {half} photos; quality gate passes {np.mean(usable):.3f}) ==")
    print(f"lesion found on lesion photos   {np.mean(lesion):.3f}  (n={len(lesion)}; target >= 0.90)")
    _print_rates("  by diagnosis", {k: v for k, v in found.items() if k != "normal"})
    if "normal" in found:
        print(f"lesion reported on normal skin  {np.mean(found['normal']):.3f}  (target <= 0.10)")
    else:
        print("lesion reported on normal skin  not measured (no normal-skin photos in this set)")
    for diagnosis, kind, target in TYPE_TARGETS:
        if diagnosis in types:
            share = np.mean([kind in k for k in types[diagnosis]])
            print(f"{kind} on {diagnosis} photos  {share:.3f}  (target >= {target})")
        else:
            print(f"{kind} on {diagnosis} photos  not measured (none in this set)")
    kinds_seen = Counter(k for per_photo in types.values() for kinds in per_photo for k in kinds)
    print("confident types named: " + (", ".join(f"{k} {v}" for k, v in kinds_seen.most_common()) or "none"))
    print("uncertain types named: " + (", ".join(f"{k} {v}" for k, v in unsure.most_common()) or "none"))
    for kind in ("depigmentation", "silvery_scale"):
        per = {d: sum(kind in k for k in per_photo) for d, per_photo in sorted(types.items())}
        print(f"  confident {kind} by diagnosis: " + ", ".join(f"{d} {n}" for d, n in per.items() if n))
    print(f"photos with marker-pen strokes left out: {inked}")
    _print_rates("  found by skin type", by_tone)
    if by_tone.get("light") and by_tone.get("dark"):
        gap = 100 * (np.mean(by_tone["light"]) - np.mean(by_tone["dark"]))
        print(f"skin-tone gap (found, Fitzpatrick I-II vs IV-VI)  {gap:+.1f} points  (target |gap| <= 10)")


def corner_tiles(rgb: np.ndarray, share: float = CORNER_SHARE) -> list[np.ndarray]:
    """The four corner tiles (``share`` of each side) of a photo, at its own pixel scale."""
    h, w = rgb.shape[:2]
    th, tw = int(share * h), int(share * w)
    return [np.ascontiguousarray(t) for t in (rgb[:th, :tw], rgb[:th, -tw:], rgb[-th:, :tw], rgb[-th:, -tw:])]


def corner_proxy_figures(skin_dir: Path | None, half: str = "test") -> None:
    """Lesion reported on the corner tiles of the test photos: a PROXY for the normal-skin rate.

    PAD-UFES-20 close-ups are centred on the lesion, so their corners are mostly the patient's skin
    around it. They are not checked one by one: some hold the lesion's edge, another lesion, pen
    marks or sun-damaged skin, so the figure over-states the false-alarm rate on truly normal skin.
    """
    skin_dir = skin_dir or (PAD_CACHE if (PAD_CACHE / "labels.csv").exists() else None)
    if skin_dir is None:
        return
    with (skin_dir / "labels.csv").open(encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r.get("split", "test") == half and r["diagnosis"] != "normal"]
    reported = []
    for row in rows:
        for tile in corner_tiles(np.asarray(Image.open(skin_dir / row["file"]).convert("RGB"))):
            reported.append(analyze_lesions(tile, assess_quality(tile), view="regional").lesion_found)
    print(
        f"lesion reported on corner tiles (PROXY for normal skin: 4 tiles of {CORNER_SHARE:.0%} side per test "
        f"photo, not checked to be lesion-free)  {np.mean(reported):.3f}  (n={len(reported)}; target <= 0.10)"
    )


CLEAR_TILES = {
    "test": ROOT / "data" / "photos" / "pad_ufes20_clear_tiles.tsv",
    "calibration": ROOT / "data" / "photos" / "pad_ufes20_clear_tiles_calibration.tsv",
}
CORNER_INDEX = {"top-left": 0, "top-right": 1, "bottom-left": 2, "bottom-right": 3}


def clear_tile_figures(half: str = "test") -> None:
    """Lesion reported on corner tiles labelled clear skin by eye: a better PROXY for normal skin.

    One corner tile per PAD-UFES-20 test photo, labelled from thumbnails before any analysis of them
    (``data/photos/pad_ufes20_clear_tiles.tsv``): clear skin, clear skin with pen marks, clothing or
    background, or not clear. Still a proxy: tiles of lesion photos, mostly sun-exposed skin of older
    patients, 90 px, one annotator — not the normal-skin photographs the Done-when figure needs.
    """
    if not (PAD_CACHE / "labels.csv").exists():
        print("clear-skin tiles: not measured (run data/photos/fetch_pad_ufes20.py)")
        return
    with CLEAR_TILES[half].open(encoding="utf-8") as fh:
        rows = list(csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"))
    reported: dict[str, list[bool]] = {}
    kinds: Counter[str] = Counter()
    for row in rows:
        rgb = np.asarray(Image.open(PAD_CACHE / "images" / row["file"]).convert("RGB"))
        tile = corner_tiles(rgb)[CORNER_INDEX[row["corner"]]]
        result = analyze_lesions(tile, assess_quality(tile), view="regional")
        reported.setdefault(row["label"], []).append(result.lesion_found)
        if row["label"] == "clear" and result.lesion_found:
            confident = [t.name for t in result.lesion_types if not t.uncertain]
            kinds.update(["red lesion"] if result.lesion_count else confident)
    print(f"lesion reported on eye-labelled corner tiles (PROXY for normal skin, one tile per {half} photo):")
    for label in ("clear", "pen", "other", "lesion"):
        if label in reported:
            print(f"  {label:6s} {np.mean(reported[label]):.3f}  (n={len(reported[label])})")
    print("  what was reported on clear tiles: " + (", ".join(f"{k} {v}" for k, v in kinds.most_common()) or "nothing"))


def painted_type_figures(per_tone: int) -> None:
    """The same figures on painted lesion-type photos (mechanics only: painted from the detectors' model)."""
    from derm3r.testing.synthetic_images import Nuisance
    from derm3r.testing.synthetic_lesion_types import LESION_KINDS, paint_lesion_type

    nuisance = Nuisance(white_balance=0.06, shading=1.5, jpeg_quality=80)
    print(f"== painted lesion types ({per_tone} per tone x 6 tones, white balance, shading, JPEG 80) ==")
    found_by_tone: dict[int, list[bool]] = {t: [] for t in range(1, 7)}
    for kind in LESION_KINDS:
        hits, found = [], []
        for tone in range(1, 7):
            for i in range(per_tone):
                rgb = paint_lesion_type(1000 * tone + 17 * i + len(kind), kind, tone=tone, nuisance=nuisance)
                result = analyze_lesions(rgb, assess_quality(rgb), view="regional")
                certain = {t.name for t in result.lesion_types if not t.uncertain}
                hits.append(kind in certain if kind != "normal" else not certain)
                found.append(result.lesion_found)
                if kind != "normal":
                    found_by_tone[tone].append(result.lesion_found)
        what = "nothing reported" if kind == "normal" else f"{kind} named"
        print(f"{kind:18s} lesion found {np.mean(found):.3f}   {what} {np.mean(hits):.3f}")
    gap = 100 * (np.mean(found_by_tone[1] + found_by_tone[2]) - np.mean(found_by_tone[5] + found_by_tone[6]))
    print(f"skin-tone gap (found, types I-II vs V-VI)  {gap:+.1f} points")


def main() -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--skin-dir", type=Path, default=None)
    parser.add_argument("--limit", type=int, default=None, help="first N test tongues only")
    parser.add_argument("--half", choices=("test", "calibration"), default="test", help="skin photos of this half")
    parser.add_argument("--no-tongues", action="store_true", help="skip the tongue figures")
    parser.add_argument("--painted", type=int, default=5, help="painted lesion-type photos per tone (0: skip)")
    args = parser.parse_args()
    if not args.no_tongues:
        tongue_figures(args.limit)
    skin_figures(args.skin_dir, args.half)
    corner_proxy_figures(args.skin_dir, args.half)
    clear_tile_figures(args.half)
    if args.painted:
        painted_type_figures(args.painted)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

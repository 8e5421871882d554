"""Fetch PAD-UFES-20 clinical skin photographs into data/photos/cache/pad_ufes20/ (never committed).

PAD-UFES-20 (Pacheco et al. 2020, Mendeley Data, doi:10.17632/zr7vgbcyr2.1; licence CC BY 4.0) holds
smartphone close-ups of six skin lesion types (BCC, SCC, ACK, SEK, MEL, NEV) with a ``metadata.csv``
that carries the diagnosis and, for about two thirds of them, the Fitzpatrick skin type.

Two ways to get it:

- ``--git-dir``: a clone of https://github.com/sanderengel/fyp2023 (a student project that committed
  686 of the PAD-UFES-20 images, resized by that project to 300x300 RGBA PNG, under ``images/img/`` at
  commit 775c537, and the
  dataset's own ``data/meta_data/raw/metadata.csv``). Only the PAD-UFES-20 images and metadata are
  read; the project's own masks and code are not.
- ``--images DIR --metadata FILE``: the official download from Mendeley Data (all 2,298 images).

Writes ``images/*.png`` and ``labels.csv`` (file, diagnosis, fitzpatrick, patient, split) for
``benchmarks/photo_real_bench.py``. The split is by patient (so one patient's photos never straddle
both halves): calibration when the first byte of sha1(patient_id) is even, else test.

Usage:
    python data/photos/fetch_pad_ufes20.py --git-dir /path/to/fyp2023/.git
    python data/photos/fetch_pad_ufes20.py --images imgs/ --metadata metadata.csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache" / "pad_ufes20"
#: The commit of sanderengel/fyp2023 whose tree holds the 686 PAD-UFES-20 images.
GIT_COMMIT = "775c5379b55fc541a4a6dbd519313a7179358bf4"
GIT_IMAGES = "images/img"
GIT_METADATA = "data/meta_data/raw/metadata.csv"


def patient_split(patient_id: str) -> str:
    """Calibration / test from the patient id (fixed rule, committed before any measurement)."""
    return "calibration" if hashlib.sha1(patient_id.encode()).digest()[0] % 2 == 0 else "test"


def _git(git_dir: Path, *args: str) -> bytes:
    return subprocess.run(["git", "--git-dir", str(git_dir), *args], check=True, capture_output=True).stdout


def _fitzpatrick(value: str) -> str:
    return str(int(float(value))) if value.strip() else ""


def write_labels(rows: list[dict[str, str]], out: Path) -> None:
    """labels.csv in the benchmark's format (file, diagnosis, fitzpatrick, patient, split)."""
    with (out / "labels.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["file", "diagnosis", "fitzpatrick", "patient", "split"])
        for r in sorted(rows, key=lambda r: r["img_id"]):
            writer.writerow(
                [f"images/{r['img_id']}", r["diagnostic"], _fitzpatrick(r["fitspatrick"]), r["patient_id"],
                 patient_split(r["patient_id"])]
            )


def fetch_from_git(git_dir: Path, out: Path) -> int:
    """Copy the PAD-UFES-20 images and metadata from a clone of sanderengel/fyp2023."""
    meta = {r["img_id"]: r for r in csv.DictReader(io.StringIO(_git(git_dir, "show", f"HEAD:{GIT_METADATA}").decode()))}
    names = _git(git_dir, "ls-tree", "--name-only", f"{GIT_COMMIT}:{GIT_IMAGES}").decode().split()
    (out / "images").mkdir(parents=True, exist_ok=True)
    kept = []
    for name in names:
        if name not in meta:
            continue
        target = out / "images" / name
        if not target.exists():
            target.write_bytes(_git(git_dir, "show", f"{GIT_COMMIT}:{GIT_IMAGES}/{name}"))
        kept.append(meta[name])
    write_labels(kept, out)
    return len(kept)


def fetch_from_folder(images: Path, metadata: Path, out: Path) -> int:
    """Copy the official download's images that the metadata lists."""
    with metadata.open(encoding="utf-8") as fh:
        meta = list(csv.DictReader(fh))
    (out / "images").mkdir(parents=True, exist_ok=True)
    kept = []
    for row in meta:
        source = images / row["img_id"]
        if source.is_file():
            (out / "images" / row["img_id"]).write_bytes(source.read_bytes())
            kept.append(row)
    write_labels(kept, out)
    return len(kept)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--git-dir", type=Path, help="git directory of a clone of sanderengel/fyp2023")
    parser.add_argument("--images", type=Path, help="folder of the official PAD-UFES-20 images")
    parser.add_argument("--metadata", type=Path, help="the official metadata.csv")
    parser.add_argument("--out", type=Path, default=CACHE)
    args = parser.parse_args(argv)
    if args.git_dir is not None:
        if not args.git_dir.is_dir():
            print(f"error: --git-dir {args.git_dir} is not a directory", file=sys.stderr)
            return 2
        count = fetch_from_git(args.git_dir, args.out)
    elif args.images is not None and args.metadata is not None:
        if not args.images.is_dir() or not args.metadata.is_file():
            print("error: --images must be a folder and --metadata a file", file=sys.stderr)
            return 2
        count = fetch_from_folder(args.images, args.metadata, args.out)
    else:
        print("error: give --git-dir, or --images and --metadata", file=sys.stderr)
        return 2
    print(f"wrote {count} PAD-UFES-20 photos and labels.csv to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

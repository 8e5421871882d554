"""Fetch the manually labelled TonguExpert tongue photographs into data/photos/cache/ (never committed).

Source: https://github.com/zxc1844/tongue_expert (a mirror of the TonguExpert database,
https://www.biosino.org/TonguExpert). The repository carries no licence file, so its images and
labels are NOT redistributed here: this script copies them from a local clone (or clones it), and
only the calibration/test split (tonguexpert_split.tsv) and derived statistics are committed.

Usage:
    python data/photos/fetch_tonguexpert.py --git-dir /path/to/tongue_expert/.git
    python data/photos/fetch_tonguexpert.py --clone      # needs network access to github.com
"""

from __future__ import annotations

import argparse
import csv
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache" / "tonguexpert"
REPO_URL = "https://github.com/zxc1844/tongue_expert.git"
DB = "data/TonguExpertDatabase"
LABELS = f"{DB}/Phenotypes/L1_Labels_Manual.txt"


def _show(git_dir: Path, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"HEAD:{path}"], check=True, capture_output=True
    ).stdout


def _labelled_rows(git_dir: Path) -> list[dict[str, str]]:
    text = _show(git_dir, LABELS).decode("utf-8")
    rows = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    return [r for r in rows if r["labels_zhi"] != "NA" or r["labels_tai"] != "NA"]


def fetch(git_dir: Path, out: Path) -> int:
    """Copy the labelled raw photos, their masks and the manual labels under ``out``.

    Returns:
        How many photos were written.
    """
    rows = _labelled_rows(git_dir)
    (out / "raw").mkdir(parents=True, exist_ok=True)
    (out / "mask").mkdir(parents=True, exist_ok=True)
    for row in rows:
        sid = row["SID"]
        for kind, folder in (("raw", "Raw"), ("mask", "Mask")):
            target = out / kind / f"{sid}.jpg"
            if not target.exists():
                target.write_bytes(_show(git_dir, f"{DB}/TongueImage/{folder}/{sid}.jpg"))
    with (out / "labels.tsv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter="\t")
        writer.writerow(["SID", "body", "coat", "fissure", "tooth_marks"])
        for r in rows:
            writer.writerow([r["SID"], r["labels_zhi"], r["labels_tai"], r["labels_fissure"], r["labels_tooth_mk"]])
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--git-dir", type=Path, help="git directory of a clone of zxc1844/tongue_expert")
    group.add_argument("--clone", action="store_true", help=f"clone {REPO_URL} into a temporary folder first")
    parser.add_argument("--out", type=Path, default=CACHE)
    args = parser.parse_args(argv)
    if args.clone:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["git", "clone", "--bare", "--depth", "1", REPO_URL, tmp], check=True)
            count = fetch(Path(tmp), args.out)
    else:
        if not args.git_dir.is_dir():
            print(f"error: --git-dir {args.git_dir} is not a directory", file=sys.stderr)
            return 2
        count = fetch(args.git_dir, args.out)
    print(f"wrote {count} labelled tongue photos to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

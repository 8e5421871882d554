"""Fit the tongue colour discriminants on the CALIBRATION half of TonguExpert and write them.

Reads the photos fetched by fetch_tonguexpert.py (data/photos/cache/tonguexpert/) and the split in
tonguexpert_split.tsv; the test half is never read here. Writes derm3r/vision/data/tongue_calibration.json
(class means and pooled inverse covariance of the colours measure_tongue_colours reads) and prints the
calibration-half statistics (per-class means, 5-fold cross-validated agreement).

Usage:
    PYTHONPATH=. python data/photos/fit_tongue.py
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / "data" / "photos" / "cache" / "tonguexpert"
SPLIT = ROOT / "data" / "photos" / "tonguexpert_split.tsv"
OUT = ROOT / "derm3r" / "vision" / "data" / "tongue_calibration.json"
BODY = {"light": "淡白", "regular": "淡红", "dark": "红"}
COAT = {"white": "白", "light_yellow": "黄", "yellow": "黄"}
REFERENCE_POINTS = {"绛": [38.0, 40.0, 12.0], "紫暗": [40.0, 22.0, -6.0]}


def read_split(path: Path = SPLIT) -> dict[str, str]:
    """SID -> calibration / test."""
    rows = [line.rstrip("\n").split("\t") for line in path.read_text("utf-8").splitlines() if line.startswith("TE")]
    return {sid: split for sid, split in rows}


def read_labels(cache: Path = CACHE) -> list[dict[str, str]]:
    """The manual labels written by the fetch script."""
    with (cache / "labels.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def fit_lda(x: np.ndarray, y: np.ndarray, classes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Class means and pooled inverse covariance (lightly regularised)."""
    means = np.array([x[y == c].mean(axis=0) for c in classes])
    scatter = sum(np.atleast_2d(np.cov(x[y == c].T)) * ((y == c).sum() - 1) for c in classes)
    cov = scatter / (len(y) - len(classes))
    cov = cov + np.eye(cov.shape[0]) * 1e-3 * np.trace(cov) / cov.shape[0]
    return means, np.linalg.inv(cov)


def predict(x: np.ndarray, means: np.ndarray, inv_cov: np.ndarray, classes: list[str]) -> np.ndarray:
    """Nearest class mean by Mahalanobis distance."""
    d2 = np.array([np.einsum("ij,jk,ik->i", x - m, inv_cov, x - m) for m in means])
    return np.array(classes)[d2.argmin(axis=0)]


def cross_validated(x: np.ndarray, y: np.ndarray, classes: list[str], folds: int = 5) -> float:
    """k-fold agreement on the calibration half (an estimate; the test half is untouched)."""
    idx = np.random.default_rng(0).permutation(len(y))
    hits = 0
    for part in np.array_split(idx, folds):
        train = np.setdiff1d(idx, part)
        means, inv_cov = fit_lda(x[train], y[train], classes)
        hits += int((predict(x[part], means, inv_cov, classes) == y[part]).sum())
    return hits / len(y)


def main() -> int:
    """Fit on the calibration half and write the calibration file."""
    from derm3r.vision.tongue import measure_tongue_colours

    if not (CACHE / "labels.tsv").exists():
        print(f"error: {CACHE} is empty: run data/photos/fetch_tonguexpert.py first", file=sys.stderr)
        return 2
    split = read_split()
    body_x, body_y, coat_x, coat_y = [], [], [], []
    for row in read_labels():
        if split.get(row["SID"]) != "calibration":
            continue
        colours = measure_tongue_colours(np.asarray(Image.open(CACHE / "raw" / f"{row['SID']}.jpg").convert("RGB")))
        if row["body"] in BODY:
            body_x.append(colours.body)
            body_y.append(BODY[row["body"]])
        if row["coat"] in COAT:
            coat_x.append(colours.coat)
            coat_y.append(COAT[row["coat"]])
    out: dict[str, object] = {
        "source": "TonguExpert manual labels (github.com/zxc1844/tongue_expert), calibration half of "
        "data/photos/tonguexpert_split.tsv; fitted by data/photos/fit_tongue.py",
    }
    for name, xs, ys, classes, features in (
        ("body", body_x, body_y, ["淡白", "淡红", "红"], [0, 1, 2]),
        ("coat", coat_x, coat_y, ["白", "黄"], [2]),
    ):
        x, y = np.array(xs)[:, features], np.array(ys)
        means, inv_cov = fit_lda(x, y, classes)
        block: dict[str, object] = {
            "classes": classes,
            "features": features,
            "counts": [int((y == c).sum()) for c in classes],
            "means": np.round(means, 3).tolist(),
            "inv_cov": np.round(inv_cov, 6).tolist(),
            "cv_agreement": round(cross_validated(x, y, classes), 3),
        }
        if name == "body":
            block["reference_points"] = REFERENCE_POINTS
        out[name] = block
        print(f"{name}: n={len(y)} counts={block['counts']} means={block['means']}")
        print(f"  5-fold agreement on the calibration half: {block['cv_agreement']}")
    OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""The committed real-photo split: fixed rule, disjoint halves, and the fit never reads the test half."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "data" / "photos"))

from fit_tongue import cross_validated, fit_lda, predict, read_split  # noqa: E402


def test_split_follows_its_stated_rule_and_halves_are_balanced() -> None:
    split = read_split()
    assert len(split) == 658
    for sid, half in split.items():
        expected = "calibration" if hashlib.sha1(sid.encode()).digest()[0] % 2 == 0 else "test"
        assert half == expected, sid
    share = sum(h == "test" for h in split.values()) / len(split)
    assert 0.4 < share < 0.6


def test_discriminant_separates_two_clouds_and_cross_validates() -> None:
    rng = np.random.default_rng(0)
    x = np.vstack([rng.normal([60, 29, 11], 2.0, (40, 3)), rng.normal([54, 40, 12], 2.0, (40, 3))])
    y = np.array(["淡红"] * 40 + ["红"] * 40)
    means, inv_cov = fit_lda(x, y, ["淡红", "红"])
    assert (predict(x, means, inv_cov, ["淡红", "红"]) == y).mean() > 0.95
    assert cross_validated(x, y, ["淡红", "红"]) > 0.9


def test_pad_ufes20_split_is_by_patient_and_follows_its_rule() -> None:
    from fetch_pad_ufes20 import patient_split

    lines = (REPO / "data" / "photos" / "pad_ufes20_split.tsv").read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")]
    assert len(rows) == 686
    halves: dict[str, set[str]] = {}
    for _img, patient, _diagnosis, _tone, half in rows:
        assert half == patient_split(patient)
        halves.setdefault(patient, set()).add(half)
    assert all(len(h) == 1 for h in halves.values())  # no patient in both halves
    share = sum(r[4] == "test" for r in rows) / len(rows)
    assert 0.4 < share < 0.6


def test_clear_skin_tiles_cover_each_test_photo_once_with_the_committed_corner_rule() -> None:
    import hashlib

    split_lines = (REPO / "data" / "photos" / "pad_ufes20_split.tsv").read_text("utf-8").splitlines()
    split = [line.split("\t") for line in split_lines if not line.startswith("#")]
    test_images = {row[0].removeprefix("images/") for row in split if row[4] == "test"}
    lines = (REPO / "data" / "photos" / "pad_ufes20_clear_tiles.tsv").read_text("utf-8").splitlines()
    rows = [line.split("\t") for line in lines if not line.startswith("#")][1:]
    corners = ["top-left", "top-right", "bottom-left", "bottom-right"]
    assert {r[0] for r in rows} == test_images and len(rows) == len(test_images)
    for image, corner, label in rows:
        assert corner == corners[hashlib.sha1(f"images/{image}".encode()).digest()[0] % 4]
        assert label in {"clear", "pen", "other", "lesion"}
    assert sum(r[2] == "clear" for r in rows) >= 200  # enough clear tiles for a rate

"""``derm3r kb export --review`` writes one readable table per kind with each entry's source and users."""

from __future__ import annotations

import csv
from pathlib import Path

from derm3r.cli.main import main


def test_review_sheet_has_one_table_per_kind_with_sources_and_users(tmp_path: Path) -> None:
    assert main(["kb", "export", "--review", "--format", "csv", "--out", str(tmp_path)]) == 0
    assert {path.stem for path in tmp_path.glob("*.csv")} >= {"herbs", "formulas", "syndromes", "terms", "red_flags"}
    with (tmp_path / "herbs.csv").open(encoding="utf-8-sig") as handle:
        herbs = {row["id"]: row for row in csv.DictReader(handle)}
    gan_cao = herbs["herb.gan_cao"]
    assert "药典" in gan_cao["source"] and gan_cao["file"].startswith("herbs/")
    # 甘草 is used by formulas and by the 十八反 rules (甘草反甘遂 …).
    assert "rule.shibafan.gancao_gansui" in gan_cao["used_by"] and "formula." in gan_cao["used_by"]


def test_review_sheet_as_html_escapes_and_names_the_kind(tmp_path: Path) -> None:
    assert main(["kb", "export", "--review", "--out", str(tmp_path)]) == 0
    page = (tmp_path / "formulas.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "桃红四物汤" in page and "<script" not in page

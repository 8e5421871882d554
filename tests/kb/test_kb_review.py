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


def _rows(directory: Path, kind: str) -> dict[str, dict[str, str]]:
    with (directory / f"{kind}.csv").open(encoding="utf-8-sig") as handle:
        return {row["id"]: row for row in csv.DictReader(handle)}


def test_review_sheet_names_the_variants_combinations_and_rules_that_build_on_an_entry(tmp_path: Path) -> None:
    assert main(["kb", "export", "--review", "--format", "csv", "--out", str(tmp_path)]) == 0
    formulas = _rows(tmp_path, "formulas")
    # 四物汤 is used by the 合方 that join it; 导赤散 by its variant 清心导赤散.
    assert "formula.xiaofeng_san_he_siwu_tang" in formulas["formula.siwu_tang"]["used_by"]
    assert "formula.qingxin_daochi_san" in formulas["formula.daochi_san"]["used_by"]
    # An omission from the source's list is shown with its reason for the reviewer.
    content = formulas["formula.zhihou_fang"]["content"]
    assert "穿山甲" in content and "source_omits" in content
    # Referred ids read as names for a pharmacist: the herbs, and the base a variant builds on.
    assert "herb=熟地黄 dose_g=15.0 role=君" in content and "herb.shu_di_huang" not in content
    assert "variant_of: 银翘散" in formulas["formula.yinqiao_jiedu_tang"]["content"]
    herbs = _rows(tmp_path, "herbs")
    assert any(user.startswith("allergen_class.") for user in herbs["herb.quan_xie"]["used_by"].split(", "))
    thresholds = _rows(tmp_path, "thresholds")
    assert "code" in thresholds["threshold.min_confidence"]["used_by"]

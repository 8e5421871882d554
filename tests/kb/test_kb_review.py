"""``derm3r kb export --review`` writes one readable table per kind with each entry's source and users."""

from __future__ import annotations

import csv
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from derm3r.cli.main import main

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"  # gitignored
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


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


class _Rows(HTMLParser):
    """Each table row's id and its cells' text; every id and href on the page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.rows: dict[str, list[str]] = {}
        self.items: dict[str, list[str]] = {}  # row id → the <li> texts of its content cell
        self.anchors: set[str] = set()
        self.links: list[str] = []
        self._row = ""
        self._cells = 0
        self._in_li = False
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.anchors.add(str(found["id"]))
        if tag == "a" and found.get("href"):
            self.links.append(str(found["href"]))
        if tag == "tr" and found.get("id"):
            self._row, self._cells = str(found["id"]), 0
            self.rows[self._row], self.items[self._row] = [], []
        elif tag == "td" and self._row:
            self._cells += 1
            self.rows[self._row].append("")
        elif tag == "li" and self._row and self._cells == 2:
            self._in_li = True
            self.items[self._row].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "li":
            self._in_li = False

    def handle_data(self, data: str) -> None:
        if self._row and self._cells:
            self.rows[self._row][-1] += data
            if self._in_li:
                self.items[self._row][-1] += data


@pytest.fixture(scope="module")
def html_sheet(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("review")
    assert main(["kb", "export", "--review", "--out", str(out)]) == 0
    return out


def test_html_sheet_lists_a_formula_one_herb_a_line_beside_its_sources_list(html_sheet: Path) -> None:
    page = _Rows((html_sheet / "formulas.html").read_text(encoding="utf-8"))
    # 八珍汤 (《正体类要》): ten herbs with 党参 for 人参; each on its own line with grams and role.
    herbs = [item for item in page.items["formula.bazhen_tang"] if not item.startswith("见 ")]  # 加减 lines start 见
    assert len(herbs) == 10 and herbs[0].startswith("党参 15 g　君　代人参")
    content = page.rows["formula.bazhen_tang"][1]
    assert "原书组成" in content and "人参、白术" in content and "herb." not in content
    # How a source list was checked is shown, and a list nobody could check says so.
    assert "原书核对" in page.rows["formula.huoxue_sanyu_tang"][1]
    assert "未能对照原书核对" in page.rows["formula.huoxue_sanyu_tang"][1]


def test_html_sheet_links_every_user_to_its_row_and_reads_rules_as_words(html_sheet: Path) -> None:
    pages = {path.name: _Rows(path.read_text(encoding="utf-8")) for path in html_sheet.glob("*.html")}
    anchors = {f"{name}#{anchor}" for name, page in pages.items() for anchor in page.anchors}
    herbs = _Rows((html_sheet / "herbs.html").read_text(encoding="utf-8"))
    links = [link for link in herbs.links if "#" in link]
    assert links and all(link in anchors for link in links)
    gan_cao = herbs.rows["herb.gan_cao"]
    assert "2–10 g" in gan_cao[1]  # ChP 2020 甘草 2–10 g, shown as one field
    assert "formulas.html#formula.bazhen_tang" in herbs.links  # used by 八珍汤, linked
    red_flags = _Rows((html_sheet / "red_flags.html").read_text(encoding="utf-8"))
    rule = red_flags.rows["red_flag_rule.severe_skin_with_fever"][1]
    assert " 且 " in rule and "red_flag_sign." not in rule and "发热" in rule  # groups of names, not ids
    index = (html_sheet / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{path.name}"' in index for path in html_sheet.glob("*.html") if path.name != "index.html")


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize("kind", ["formulas", "herbs"])
def test_html_sheet_renders_in_headless_chromium(html_sheet: Path, kind: str, tmp_path: Path) -> None:
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"kb-review-{kind}.png"
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1400,1600", (html_sheet / f"{kind}.html").as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 1600)
    assert len(image.resize((140, 160)).getcolors(140 * 160) or []) > 50  # text rendered, not a blank page

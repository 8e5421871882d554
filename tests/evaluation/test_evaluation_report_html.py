"""report.html and compare.html by structure (parsed, not pixels), and a headless-Chromium screenshot of each."""

from __future__ import annotations

import json
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from derm3r.cli.main import main
from derm3r.evaluation.calibration import reliability
from derm3r.evaluation.compare import paired_difference

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "examples" / "eval" / "psoriasis.jsonl"
CASES = REPO / "examples" / "cases"
ARTIFACTS = REPO / "test-artifacts"  # gitignored; CI keeps it
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


class Page(HTMLParser):
    """Every element's tag and attributes, and the text, of an HTML document."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {key: value or "" for key, value in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def find(self, tag: str | None = None, **wanted: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if (tag is None or name == tag)
                and all(attrs.get(key.replace("_", "-")) == value for key, value in wanted.items())]

    def ids(self) -> set[str]:
        return {attrs["id"] for _, attrs in self.elements if "id" in attrs}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("runs")
    base = ["evaluate", str(DATA), "--case-dir", str(CASES), "--no-retrieval", "--no-progress"]
    assert main([*base, "--out", str(root / "textbook")]) == 0
    assert main([*base, "--out", str(root / "beijing"), "--scheme", "beijing"]) == 0
    assert main(["compare", str(root / "textbook"), str(root / "beijing"), "--out", str(root / "cmp")]) == 0
    return {"textbook": root / "textbook", "beijing": root / "beijing", "compare": root / "cmp"}


def test_metrics_json_records_provenance_scheme_and_settings(runs: dict[str, Path]) -> None:
    textbook = json.loads((runs["textbook"] / "metrics.json").read_text(encoding="utf-8"))["run"]
    beijing = json.loads((runs["beijing"] / "metrics.json").read_text(encoding="utf-8"))["run"]
    for key in ("date", "derm3r_version", "knowledge_hash", "engine", "scheme", "settings", "data_sha256"):
        assert textbook[key] is not None, key
    assert "git_commit" in textbook
    assert (textbook["scheme"], beijing["scheme"]) == ("textbook", "beijing")  # runs differing only in scheme
    assert textbook["settings"]["retrieval"] is False and textbook["settings"]["concurrency"] == 1
    assert textbook["data_sha256"] == beijing["data_sha256"]


def test_report_has_contents_header_filters_and_linked_cells(runs: dict[str, Path]) -> None:
    page = Page((runs["textbook"] / "report.html").read_text(encoding="utf-8"))
    ids = page.ids()
    sections = ["run", "metrics", "counts", "calibration", "by-disease", "by-syndrome", "confusion", "cases"]
    assert set(sections) <= ids
    contents = [a["href"] for a in page.find("a") if a.get("href", "").startswith("#") and a["href"] != "#"]
    assert all(f"#{section}" in contents for section in sections)
    assert all(href[1:] in ids for href in contents)  # no dead contents link
    text = "".join(page.text)
    for header in ("derm3r version", "git commit", "knowledge-base hash", "formula scheme", "settings"):
        assert header in text
    for test in ("wrongDisease", "wrongSyndrome", "abstained", "referred", "herb_f1"):
        assert page.find("input", data_test=test), test
    assert page.find("input", id="f-herb-f1-value", type="number")
    assert not [a for _, a in page.elements if a.get("src", "").startswith("http") or "cdn" in a.get("href", "")]
    cases = page.find("section", **{"class": "case"})
    assert len(cases) == 18
    for attrs in cases:
        assert {"data-wrong-disease", "data-wrong-syndrome", "data-abstained", "data-referred", "data-herb-f1"} <= set(
            attrs)
    # Every confusion cell and breakdown row leads to at least one case with its value.
    jumps = page.find("a", **{"class": "jump"})
    assert jumps
    for jump in jumps:
        key, value = jump["data-key"], jump["data-value"]
        assert any(case.get(f"data-{key}") == value for case in cases), (key, value)
    assert {jump["data-key"] for jump in jumps} == {"disease", "syndrome", "pair"}


def test_report_shows_the_presentation_beside_expert_and_system(runs: dict[str, Path]) -> None:
    html = (runs["textbook"] / "report.html").read_text(encoding="utf-8")
    line = json.loads(DATA.read_text(encoding="utf-8").splitlines()[0])
    case = line["case"]
    block = html[html.index('id="case-1"'):html.index('id="case-2"')]
    for field in ("chief_complaint", "tongue", "pulse"):
        assert case[field] in block, field
    assert block.index("主诉") < block.index("专家") < block.index("系统")
    assert "<polygon" in block and "皮损面积占比" in block  # measurements and the outline on the photo


def test_counts_are_drawn_as_counts_and_calibration_has_ece(runs: dict[str, Path]) -> None:
    page = Page((runs["textbook"] / "report.html").read_text(encoding="utf-8"))
    assert not page.find("tr", id="metric-warnings")  # not among the 0–1 bars
    html = (runs["textbook"] / "report.html").read_text(encoding="utf-8")
    counts = html[html.index('id="counts"'):html.index('id="calibration"')]
    assert "合计" in counts and "平均每例" in counts  # Chinese by default
    assert page.find("b", id="ece") and page.find("rect", **{"class": "bin"})


def test_report_summary_parts_follow_the_language(runs: dict[str, Path]) -> None:
    from derm3r.evaluation.report import render_html
    from derm3r.evaluation.results import load_results

    metrics = json.loads((runs["textbook"] / "metrics.json").read_text(encoding="utf-8"))
    records = load_results(runs["textbook"] / "results.jsonl")
    english, chinese = render_html(metrics, records, "en"), render_html(metrics, records, "zh")
    for words, other in (("total", "合计"), ("per case", "平均每例"), ("answered cases", "已作答病例"),
                         ("Engine <b>", "引擎 <b>"), ("missed by the system", "系统遗漏"),
                         ("<th>metric</th>", "<th>指标</th>"),
                         ("expert \\ system", "专家 \\ 系统")):
        assert words in english and other not in english, words
        assert other in chinese and words not in chinese, other


def test_reliability_bins_and_ece() -> None:
    # Two bins: confidence 0.95 all right (gap 0.05), confidence 0.55 half right (gap 0.05) → ECE 0.05.
    table = reliability([(0.95, 1.0), (0.95, 1.0), (0.55, 1.0), (0.55, 0.0)])
    assert table["cases"] == 4 and abs(table["ece"] - 0.05) < 1e-9
    assert [b["count"] for b in table["bins"]] == [0, 0, 0, 0, 0, 2, 0, 0, 0, 2]
    assert reliability([(1.0, 1.0)])["bins"][-1]["count"] == 1  # confidence 1 falls in the last bin


def test_paired_bootstrap_of_a_constant_shift_and_of_noise() -> None:
    shifted = paired_difference([(x / 10, x / 10 + 0.2) for x in range(10)])
    assert abs(shifted["diff"] - 0.2) < 1e-9 and abs(shifted["ci_low"] - 0.2) < 1e-9  # pairing removes the spread
    mixed = paired_difference([(0.0, 1.0), (1.0, 0.0)] * 10)
    assert mixed["ci_low"] < 0 < mixed["ci_high"] and mixed["n"] == 20


def test_compare_page_has_differences_and_links_to_both_case_views(runs: dict[str, Path]) -> None:
    out = runs["compare"]
    page = Page((out / "compare.html").read_text(encoding="utf-8"))
    assert {"runs", "metrics", "changed-cases"} <= page.ids()
    text = "".join(page.text)
    assert "配对自助法 95% CI" in text and "beijing" in text and "textbook" in text  # Chinese by default
    assert page.find("td", **{"class": "diff"})
    summary = json.loads((out / "compare.json").read_text(encoding="utf-8"))
    formula = next(row for row in summary["metrics"] if row["metric"] == "formula_match")
    assert formula["differences"][1]["diff"] < 0 and formula["differences"][1]["n"] == 18
    changed = summary["changed"]
    assert changed and all("formula" in case["changed"] for case in changed)
    links = [attrs["href"] for attrs in page.find("a", **{"class": "case-link"})]
    assert len(links) == 2 * len(changed)
    for href in links:
        target, anchor = href.split("#")
        report = (out / target).resolve()
        assert report.is_file() and f'id="{anchor}"' in report.read_text(encoding="utf-8")
    assert {Path(href.split("#")[0]).parent.name for href in links} == {"textbook", "beijing"}


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
@pytest.mark.parametrize(("name", "page"), [("report", "textbook/report.html"), ("compare", "cmp/compare.html")])
def test_screenshot_in_headless_chromium(runs: dict[str, Path], name: str, page: str, tmp_path: Path) -> Any:
    from PIL import Image

    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{name}.png"
    source = runs["textbook"].parent / page
    result = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={tmp_path / 'profile'}",
         f"--screenshot={shot}", "--window-size=1400,2400", source.as_uri()],
        capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1400, 2400)
    colours = image.resize((140, 240)).getcolors(140 * 240) or []
    assert len(colours) > 50  # the page rendered (not a blank or an error page)


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_filters_and_cell_links_work_in_a_browser(runs: dict[str, Path]) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    from derm3r.evaluation.results import load_results

    records = load_results(runs["textbook"] / "results.jsonl")
    low_f1 = sum(1 for r in records if r["scores"].get("herb_f1", 1.0) < 0.5)
    wrong = sum(1 for r in records if r["scores"].get("syndrome_acc", 1.0) < 1)
    abstained = sum(1 for r in records if r["consultation"]["safety"]["abstained"])
    wrong_disease = sum(1 for r in records if r["scores"].get("disease_acc", 1.0) < 1)
    referred = sum(1 for r in records if r["consultation"]["safety"]["referral"]
                   or r["consultation"]["safety"]["red_flags"])
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((runs["textbook"] / "report.html").as_uri())

        def shown() -> int:
            return int(page.locator("#shown").inner_text().split("/")[0])

        assert shown() == len(records)
        page.check("#f-herb-f1")
        assert shown() == low_f1
        page.fill("#f-herb-f1-value", "1.01")
        assert shown() == sum(1 for r in records if "herb_f1" in r["scores"])
        page.uncheck("#f-herb-f1")
        page.check("#f-wrongSyndrome")
        assert shown() == wrong
        page.uncheck("#f-wrongSyndrome")
        for box, expected in (("#f-wrongDisease", wrong_disease), ("#f-referred", referred)):
            page.check(box)
            assert shown() == expected, box
            page.uncheck(box)
        page.check("#f-abstained")
        assert shown() == abstained
        cell = page.locator("#confusion a.jump").first
        count = int(cell.inner_text())
        cell.click()
        assert shown() == count and not page.locator("#f-abstained").is_checked()
        browser.close()


def test_english_case_view_names_syndrome_principle_formula_and_herbs_in_pinyin(runs: dict[str, Path]) -> None:
    from derm3r.evaluation.report_case import case_html
    from derm3r.i18n.clinical_names import romanize

    record = json.loads((runs["textbook"] / "results.jsonl").read_text(encoding="utf-8").splitlines()[0])
    english, chinese = case_html(record, lang="en"), case_html(record, lang="zh")
    syndrome = record["consultation"]["assessment"]["syndrome"]["name"]
    principle = record["consultation"]["assessment"]["treatment_principle"]
    herb = record["consultation"]["plan"]["herbs"][0]["name"]
    for name in (syndrome, principle, herb):
        assert f"{romanize(name)} ({name})" in english, name
        assert romanize(name) not in chinese


def test_compare_page_follows_the_language(runs: dict[str, Path], tmp_path: Path) -> None:
    assert main(["--lang", "en", "compare", str(runs["textbook"]), str(runs["beijing"]), "--out", str(tmp_path)]) == 0
    english = (tmp_path / "compare.html").read_text(encoding="utf-8")
    assert "<html lang=en>" in english and "paired bootstrap 95% CI" in english
    assert "cases scored by every run" in english
    chinese = (runs["compare"] / "compare.html").read_text(encoding="utf-8")
    assert "<html lang=zh>" in chinese and "每个运行都评分的病例" in chinese
    assert "cases scored by every run" not in chinese
    assert "<th>metric</th>" in english and "<th>case</th><th>changed</th>" in english
    assert "<th>指标</th>" in chinese and "<th>病例</th><th>变化</th>" in chinese and "<th>metric</th>" not in chinese


def test_case_view_folds_a_broader_sign_under_the_specific_one_it_was_read_as() -> None:
    from derm3r.evaluation.report_case import evidence_html

    evidence = [{"term": "tongue.coat_thin_yellow", "label": "苔薄黄", "weight": 2},
                {"term": "tongue.red", "label": "舌红", "weight": 3},
                {"term": "tongue.coat_yellow", "label": "苔黄", "weight": 1.5},
                {"term": "pulse.rapid", "label": "数", "weight": 1.5}]
    implied = {"tongue.coat_yellow": {"term": "tongue.coat_thin_yellow", "label": "苔薄黄"}}
    items = Page(f"<ul>{evidence_html(evidence, implied)}</ul>").find("li")
    assert len(items) == 3  # 苔薄黄, 舌红, 数: 苔黄 is not a line of its own
    html = evidence_html(evidence, implied)
    assert html.count("苔黄") == 1 and "同一描述所含：+1.5 苔黄" in html.split("</li>")[0]  # folded under 苔薄黄
    alone = evidence_html(evidence[1:], implied)  # 苔薄黄 itself not scored: 苔黄 stays, marked with its reading
    assert "+1.5 苔黄 <span class=muted>tongue.coat_yellow</span>（据苔薄黄）" in alone
    assert "implied" not in evidence_html(evidence, {})  # a record written before the fold shows every item


def _evidence_list(report: str, line: int) -> str:
    section = report[report.index(f'id="case-{line}"'):]
    section = section[: section.index("</section>")]
    return section[section.index("<details><summary>证据"):].split("</ul>")[0]


def test_every_case_view_lists_each_evidence_term_once(runs: dict[str, Path]) -> None:
    from derm3r.evaluation.results import load_results

    report = (runs["textbook"] / "report.html").read_text(encoding="utf-8")
    folds = 0
    for record in load_results(runs["textbook"] / "results.jsonl"):
        syndrome = ((record.get("consultation") or {}).get("assessment") or {}).get("syndrome")
        if not syndrome:
            continue
        listed = _evidence_list(report, record["line"])
        terms = [item["term"] for item in syndrome["evidence"]]
        for term in terms:
            assert listed.count(f">{term}<") == 1, (record["line"], term)
        for term, specific in record["implied"].items():
            if term in terms and specific["term"] in terms:
                folds += 1
                under = listed.split(f">{specific['term']}<")[1].split("</li>")[0]
                assert "class='implied muted'" in under and f">{term}<" in under, (record["line"], term)
    assert folds >= 1  # the example set has 高热 with the 发热 it implies, and scale kinds with 鳞屑


@pytest.mark.slow
@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed")
def test_a_folded_sign_sits_inside_its_specific_sign_in_a_browser(runs: dict[str, Path]) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto((runs["textbook"] / "report.html").as_uri())
        case = page.locator("section.case:has(div.implied)").first
        details = case.locator("details:has(div.implied)")
        details.evaluate("details => details.open = true")
        item, fold = details.locator("li:has(div.implied)").first, details.locator("div.implied").first
        assert fold.is_visible()
        outer, inner = item.bounding_box(), fold.bounding_box()
        assert outer is not None and inner is not None
        assert outer["y"] < inner["y"] and inner["y"] + inner["height"] <= outer["y"] + outer["height"]
        assert inner["x"] > outer["x"]  # indented under the sign it belongs to
        case.screenshot(path=str(ARTIFACTS / "report-evidence-fold.png"))
        browser.close()

"""A saved visit reopened read-only on the page (the course's "open"): what was found, measured, read and
prescribed, its photo with the lesion outlines, and what the clinician changed — in Chinese and English, at
desktop and phone widths."""

from __future__ import annotations

from typing import Any

import pytest
from browserkit import consult, fill_case, shot, upload_photo
from serverkit import load_case

pytestmark = pytest.mark.slow


def no_sideways_scroll(page: Any) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"))


def save_a_visit_with_a_photo_and_an_edit(page: Any) -> dict[str, Any]:
    page.locator("#new-patient-toggle").click()
    form = page.locator("#patient-form")
    form.locator("input[name=name]").fill("复诊查看患者")
    form.locator("select[name=sex]").select_option("M")
    form.locator("input[name=birth_year]").fill("2002")
    form.locator("button[type=submit]").click()
    page.wait_for_function("document.getElementById('patient-select').value !== ''")
    case = load_case("ps-blood-heat-1")
    fill_case(page, case)
    upload_photo(page, case["images"][0])
    consult(page)
    page.locator("[data-testid=save-plan]").wait_for()
    page.locator("[data-testid=editor]").fill("李医师")
    names = page.locator("#rx .herb-name")
    herbs = [names.nth(i).input_value() for i in range(names.count())]
    first = (herbs[0], page.locator("#rx .herb-grams").first.input_value())
    page.locator("#rx .herb-grams").first.fill("20")
    page.locator("#rx tbody tr").nth(herbs.index("大黄")).locator("button").click()
    page.locator("[data-testid=save-plan]").click()
    page.locator("[data-testid=save-plan]", has_text="2").wait_for()
    page.locator("#course-body tr[data-visit='1']").wait_for()
    return {"case": case, "first_herb": first}


def test_a_saved_visit_opens_read_only_with_findings_measurements_evidence_and_edits(page: Any, browser: Any,
                                                                                      live_server: str) -> None:
    saved = save_a_visit_with_a_photo_and_an_edit(page)
    page.locator("#r-formula").fill("未存之方")  # an unsaved edit of the live consultation: kept across the view
    page.locator("#course-body tr[data-visit='1'] [data-testid=open-visit]").click()
    view = page.locator("[data-testid=visit-view]")
    view.wait_for()
    assert page.locator("[data-testid=result]").is_hidden() and page.locator("#progress").is_hidden()
    text = view.inner_text()
    assert "第1诊" in text and "只读" in text
    assert saved["case"]["chief_complaint"] in text
    signs = view.locator("[data-testid=visit-signs] li").all_inner_texts()
    assert any("银白色鳞屑" in sign and "“" in sign for sign in signs)  # with the words it was read from
    # 苔薄黄 implies 苔薄 and 苔黄 (knowledge/lexicon/tongue.yaml): the words "苔薄黄" read as 苔薄黄 alone.
    tongue = [sign for sign in signs if sign.startswith("“苔薄黄”")]
    assert tongue and tongue[0].split("→ ")[1].split("、") == ["苔薄黄"], tongue
    evidence = view.locator("[data-testid=visit-evidence] li").first.inner_text()
    assert "白疕" in evidence and "+" in evidence
    measures = view.locator(".measures tr")
    names = {measures.nth(i).get_attribute("data-measure") for i in range(measures.count())}
    assert {"area_percent", "erythema_index", "pasi_erythema"} <= names
    assert "浸润" in view.locator(".measures tr[data-measure=pasi_induration]").inner_text()
    # The photo is kept with the visit: drawn (not the blank frame of an unkept one) with its outlines over it.
    view.locator("figure canvas[data-state=drawn]").first.wait_for()
    assert "未存档" not in view.locator("figure figcaption").first.inner_text()
    painted = view.locator("figure canvas[data-state=drawn]").first.evaluate("""(canvas) => {
        const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
        let cyan = 0, colours = new Set();
        for (let i = 0; i < data.length; i += 4) {
            if (data[i] < 60 && data[i + 1] > 200 && data[i + 2] > 230) cyan++;
            colours.add((data[i] >> 4) * 256 + (data[i + 1] >> 4) * 16 + (data[i + 2] >> 4));
        }
        return { cyan, colours: colours.size };
    }""")
    assert painted["cyan"] > 50 and painted["colours"] > 100, painted  # outline strokes over a real photo
    herb, grams = saved["first_herb"]
    edited = view.locator("[data-testid=visit-plan] tr.edited").first.inner_text()
    assert herb in edited and f"{float(grams):g} → 20" in edited
    assert "大黄" in view.locator("[data-testid=visit-plan] tr.removed").inner_text()
    assert "李医师" in view.locator("[data-testid=visit-edits]").inner_text()
    assert "处方（医师定稿）" in text
    assert page.locator("#course-body tr.open").get_attribute("data-visit") == "1"
    assert no_sideways_scroll(page)
    shot(page, "7-saved-visit-zh")
    page.locator("[data-testid=lang-switch]").click()
    english = view.inner_text()
    assert "Visit 1" in english and "read-only" in english and "Plan (the clinician's final)" in english
    assert "erythema index" in view.locator(".measures").first.inner_text()
    # The clinical names' English labels arrive after the switch, and the view is drawn again with them.
    view.locator("[data-testid=visit-plan] tr.removed", has_text="da huang (大黄)").wait_for()
    assert view.locator("[data-testid=visit-evidence] li").first.inner_text().startswith("psoriasis (白疕")
    assert "xue re nei yun zheng (血热内蕴证)" in view.inner_text()
    shot(page, "8-saved-visit-en")
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_sideways_scroll(page)
    shot(page, "9-saved-visit-en-narrow")
    page.locator("[data-testid=lang-switch]").click()
    assert no_sideways_scroll(page)
    shot(page, "10-saved-visit-zh-narrow")
    page.set_viewport_size({"width": 1360, "height": 1000})
    # Deleting the kept photo (after the clinician confirms) leaves its outlines on a blank frame.
    page.once("dialog", lambda dialog: dialog.accept())
    view.locator("[data-testid=delete-photo]").first.click()
    view.locator("figure canvas[data-state=blank]").first.wait_for()
    assert "未存档" in view.locator("figure figcaption").first.inner_text()
    assert view.locator("[data-testid=delete-photo]").count() == 0
    page.locator("[data-testid=close-visit]").click()
    assert view.is_hidden() and page.locator("[data-testid=result]").is_visible()
    assert page.locator("#r-formula").input_value() == "未存之方"
    # A link to the visit opens it in a new tab, with its patient's course.
    visit_id = page.locator("#course-body tr[data-visit='1']").get_attribute("data-visit-id")
    context = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="zh-CN")
    try:
        tab = context.new_page()
        tab.set_default_timeout(60_000)
        tab.goto(f"{live_server}/#visit={visit_id}")
        tab.locator("[data-testid=visit-view]").wait_for()
        assert "第1诊" in tab.locator("[data-testid=visit-view]").inner_text()
        assert tab.locator("#course-body tr.open").count() == 1
        tab.locator("[data-testid=patient-select]").select_option("")  # another patient: the view closes
        assert tab.locator("[data-testid=visit-view]").is_hidden() and "#visit" not in tab.url
    finally:
        context.close()

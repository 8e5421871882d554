"""The terminal report leads with what matters, shows every measurement and fits 80 columns without cutting."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image
from rich.console import Console

from derm3r.cli.report import render_consultation
from derm3r.clinic.represent import distinct_labels
from derm3r.schemas.consultation import Consultation

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
BOX = re.compile(r"[│╭╮╰╯─\s]")


@pytest.fixture(scope="module")
def fast(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from derm3r import Derm3R

    return Derm3R(retrieval=False)


def _render(consultation: Consultation, lang: str = "zh", width: int = 80) -> str:
    console = Console(width=width, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    render_consultation(consultation, console, lang)
    return console.export_text()


def _flat(text: str) -> str:
    return BOX.sub("", text)


def test_referral_banner_comes_first(fast: Any) -> None:
    text = _render(fast.consult(CASES / "hongpibing-refer-1.json"))
    banner = text.index("⚠ 转诊")
    assert banner < text.index("DERM-Reason") < text.index("DERM-Rec")
    assert text.index("危重征象") < text.index("DERM-Reason")


def test_abstention_banner_comes_first(fast: Any) -> None:
    consultation = fast.consult({"case_id": "thin", "history": "全身起红疹伴瘙痒一周"})
    assert consultation.safety.abstained
    text = _render(consultation)
    assert text.index("⚠ 未出具处方") < text.index("DERM-Reason")


def test_order_measurements_and_evidence_with_its_words(fast: Any) -> None:
    consultation = fast.consult(CASES / "ps-blood-stasis-1.json")
    text = _render(consultation)
    order = [text.index(x) for x in ("诊断", "证型", "治法", "方剂", "药物", "辨证依据", "图像测量")]
    assert order == sorted(order)
    assert "＋ 支持该证" in text and "－ 不支持该证" in text  # the legend
    flat = _flat(text)
    assert "「舌质紫暗」tongue" in flat  # the words the sign was read from, and the field
    assert "请触诊" in flat and "palpate" not in flat  # the unmeasured sub-score's reason in Chinese too
    for name in ("皮损面积占比", "皮损数目", "红斑指数", "PASI红斑", "PASI浸润：未测", "PASI鳞屑", "皮损轮廓"):
        assert name in flat, name


def test_nothing_is_cut_at_80_columns(fast: Any) -> None:
    consultation = fast.consult(CASES / "ps-blood-stasis-1.json")
    text = _render(consultation, width=80)
    assert "…" not in text
    from rich.cells import cell_len

    assert max(cell_len(line) for line in text.splitlines()) <= 80
    flat = _flat(text)
    for herb in consultation.plan.herbs:
        assert f"{herb.name}{herb.dose_g:g}g" in flat
    for finding in consultation.findings[1:]:
        assert finding.source in flat  # image paths whole
    assert _flat(consultation.representation.pathogenesis) in flat


def test_alternative_syndromes_never_show_zero_confidence(fast: Any) -> None:
    consultation = fast.consult(CASES / "ps-blood-stasis-1.json")
    assert any(call.confidence < 0.005 for call in consultation.assessment.differential)
    text = _render(consultation)
    assert "0.00" not in text and "证据不足" in text


def test_labels_are_not_repeated() -> None:
    assert distinct_labels(["红色", "鲜红"]) == ["鲜红"]
    assert distinct_labels(["银白色鳞屑", "鳞屑", "鳞屑厚积"]) == ["银白色鳞屑", "鳞屑厚积"]
    assert distinct_labels(["丘疹", "丘疹", "斑块"]) == ["丘疹", "斑块"]


def test_summary_does_not_say_red_twice(fast: Any) -> None:
    consultation = fast.consult({"case_id": "red", "history": "银屑病，皮损色红，色鲜红，覆银白色鳞屑，新发不断"})
    summary = consultation.representation.summary
    assert "鲜红" in summary and "红色、鲜红" not in summary and "色红色" not in summary


# Each pair from knowledge/lexicon: 黄水疮's honey crust is a crust, a bulla a large vesicle (lesions.yaml), and
# paroxysmal intense itch is severe itch.
@pytest.mark.parametrize(("lesions", "said", "implied"), [
    ("右侧面颊脓疱破溃后结蜜黄色脓痂，瘙痒", "蜜黄色脓痂", "结痂"),
    ("小腿出现大疱，疱壁紧张", "大疱", "水疱"),
    ("全身风团，阵发性剧痒，夜间尤甚", "阵发性剧痒", "瘙痒剧烈"),
])
def test_the_lesion_summary_names_a_sign_once_not_beside_the_broader_sign_it_implies(
    fast: Any, lesions: str, said: str, implied: str
) -> None:
    consultation = fast.consult({"case_id": "implied", "lesion_description": lesions})
    assert {said, implied} <= {sign.label for sign in consultation.representation.signs}  # both still scored
    summary = consultation.representation.summary
    assert said in summary and implied not in summary, summary
    assert implied not in consultation.findings[0].description


def test_the_lesion_summary_keeps_a_broader_sign_said_on_its_own(fast: Any) -> None:
    summary = fast.consult({"case_id": "vesicle", "lesion_description": "小腿出现水疱，瘙痒"}).representation.summary
    assert "水疱" in summary


def test_a_red_tongue_does_not_hide_the_lesions_red_and_the_summary_says_colour_once(fast: Any) -> None:
    consultation = fast.consult({"case_id": "red-tongue", "history": "银屑病两年，皮损色红，覆白色鳞屑，瘙痒",
                                 "tongue": "舌红，苔薄白"})
    text_finding = consultation.findings[0]
    assert {"红色", "舌红"} <= {sign.label for sign in text_finding.signs}
    flat = _flat(_render(consultation))
    rec = flat[flat.index("DERM-Rec"):flat.index("DERM-Rep")]
    assert "红色" in rec and "舌红" in rec  # each kind de-duplicated on its own, not 红 against 舌红
    summary = consultation.representation.summary
    assert "色红" in summary and "色红色" not in summary


def test_unusable_photo_reasons_print_once(fast: Any, tmp_path: Path) -> None:
    Image.fromarray(np.full((300, 400, 3), 5, np.uint8)).save(tmp_path / "dark.jpg")
    case = {"case_id": "dark", "history": "银屑病，皮损鲜红，新发不断，咽痛", "tongue": "舌红苔黄",
            "images": [{"path": "dark.jpg", "view": "closeup"}]}
    (tmp_path / "case.json").write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
    consultation = fast.consult(tmp_path / "case.json")
    text = _render(consultation, width=200)
    assert text.count("图像模糊") == 1 and text.count("曝光不足") == 1
    assert consultation.findings[1].quality is not None
    assert len(consultation.findings[1].quality.reasons) == len(set(consultation.findings[1].quality.reasons))


def test_english_report(fast: Any) -> None:
    text = _render(fast.consult(CASES / "ps-blood-stasis-1.json"), lang="en")
    for heading in ("treatment plan", "differential diagnosis", "DERM-Rec findings", "image measurements",
                    "erythema index", "safety check"):
        assert heading in text
    assert "治疗方案" not in text and "图像测量" not in text


def test_disease_differential_lists_evidence_for_and_against(fast: Any) -> None:
    # 《中医外科学》圆癣: annular plaque with a raised active border; layered silvery scale is 白疕's sign and
    # counts against it (knowledge/diseases contra_signs), so its line shows a － item.
    consultation = fast.consult({"case_id": "ring", "lesion_description": "环状红斑，边缘隆起，上覆银白色鳞屑"})
    flat = _flat(_render(consultation))
    assert "辨病鉴别" in flat
    tinea = next(c for c in consultation.assessment.disease_differential if c.disease_id == "disease.tinea_corporis")
    against = next(item.label for item in tinea.evidence if not item.supports)
    # The text after 圆癣's "（confidence）" up to the next candidate's "（": its signs.
    signs = flat[flat.index(f"{tinea.name}（"):].split("）", 1)[1].split("（")[0]
    assert f"－{against}" in signs and "＋" in signs


def test_english_report_names_disease_syndrome_principle_formula_and_herbs_readably(fast: Any) -> None:
    consultation = fast.consult(CASES / "ps-blood-heat-1.json")
    kb = fast.knowledge
    herb_pinyin = {herb.name: herb.pinyin for herb in kb.herbs.values()}
    disease_western = {disease.name: disease.western for disease in kb.diseases.values()}
    console = Console(width=200, record=True, color_system=None, file=open("/dev/null", "w"))  # noqa: SIM115
    render_consultation(consultation, console, "en", herb_pinyin, disease_western)
    text = console.export_text()
    # The disease by the English of its Western name in knowledge/diseases/psoriasis.yaml, the Chinese beside it.
    assert "disease: psoriasis (白疕 银屑病)" in text
    # Syndrome, principle and formula have no English name in the data: pinyin, then the Chinese.
    assert "xue re nei yun zheng (血热内蕴证)" in text
    assert "qing re liang xue, jie du xiao ban (清热凉血，解毒消斑)" in text
    assert "xi jiao di huang tang" in text
    # A herb takes the pinyin its knowledge entry gives (生地黄 → knowledge/herbs: pinyin "sheng di huang").
    assert f"{kb.herbs[kb.resolve_herb('生地黄')].pinyin} (生地黄) 15g(minister)" in text
    chinese = _render(consultation, "zh")
    assert "xue re" not in chinese and "生地黄15g(臣)" in chinese


def test_romanize_keeps_punctuation_readable_and_leaves_latin_text() -> None:
    from derm3r.i18n.clinical_names import ClinicalNames, english_of_western, romanize

    assert romanize("清热凉血，解毒消斑") == "qing re liang xue, jie du xiao ban"
    assert romanize("PASI 红斑") == "PASI hong ban"
    assert english_of_western("银屑病 (psoriasis)") == "psoriasis" and english_of_western("扁平疣") == ""
    names = ClinicalNames("en", {}, {"丹毒": "丹毒 (erysipelas)"})
    assert names.disease("丹毒") == "erysipelas (丹毒)"
    assert names.disease("某病") == "mou bing (某病)"  # no Western name in the data: pinyin
    assert ClinicalNames("zh").term("血热证") == "血热证"


def test_a_sign_that_got_better_is_shown_as_past_with_its_words(fast: Any) -> None:
    # Issue 18: the sore throat, not the rash, got better on the cephalosporin; the record keeps it as past.
    consultation = fast.consult({"case_id": "throat", "history": "发病前1周咽痛，自服头孢类抗生素3天后好转，"
                                                                 "随后躯干出现点滴状红斑，上覆鳞屑"})
    text_finding = consultation.findings[0]
    assert "symptom.sore_throat" not in {sign.term for sign in text_finding.signs}
    past = {sign.term: sign for sign in text_finding.past}
    assert set(past) == {"symptom.sore_throat"} and "咽痛" in past["symptom.sore_throat"].evidence
    assert "course.regressing" not in {sign.term for sign in [*text_finding.signs, *text_finding.past]}
    flat = _flat(_render(consultation))
    rec = flat[flat.index("DERM-Rec"):flat.index("DERM-Rep")]
    assert "既往/已好转（不计为现症）：咽痛" in rec and "皮损消退" not in flat
    english = _flat(_render(consultation, "en"))
    assert "pastorresolved(notcountednow):sorethroat" in english.lower() or "pastorresolved(notcountednow)" in english

"""The clinical blind sets (issue 13 step 6): every record valid, and the set shaped as the issue asks.

These tests check the data, not the engine's score (that is ``benchmarks/clinical_bench.py``). The alias
lists below are written here, from the textbook chapter titles and common Western/lay names, on purpose
not read from knowledge/: the "disease unnamed" check must not depend on what the engine knows.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from derm3r.evaluation.lines import EvalLine, iter_lines, parse_line

BLIND = Path(__file__).resolve().parents[1] / "data" / "blind"
TEST_SPLIT = BLIND / "clinical-test.jsonl"
DEV_SPLIT = BLIND / "clinical-dev.jsonl"
DEV2_SPLIT = BLIND / "clinical-dev2.jsonl"
DEV3_SPLIT = BLIND / "clinical-dev3.jsonl"
DEV4_SPLIT = BLIND / "clinical-dev4.jsonl"
DEV5_SPLIT = BLIND / "clinical-dev5.jsonl"
DEV6_SPLIT = BLIND / "clinical-dev6.jsonl"
DEV7_SPLIT = BLIND / "clinical-dev7.jsonl"
DEV8_SPLIT = BLIND / "clinical-dev8.jsonl"
DEV9_SPLIT = BLIND / "clinical-dev9.jsonl"

#: Names (TCM, Western, lay, traditional characters) that name each expert disease; a case whose text holds
#: none of its disease's names has the disease "unnamed". Source: 《中医外科学》 skin chapter headings and
#: their stated Western equivalents and 别名; lay names as patients say them.
DISEASE_NAMES: dict[str, tuple[str, ...]] = {
    "蛇串疮": ("蛇串疮", "带状疱疹", "帶狀皰疹", "缠腰火丹", "蛇丹", "蜘蛛疮", "火带疮", "生蛇", "缠腰龙",
             "疱疹", "皰疹", "zoster", "shingles", "Ramsay"),
    "热疮": ("热疮", "熱瘡", "单纯疱疹", "疱疹", "皰疹", "热气疮", "herpes"),
    "扁瘊": ("扁瘊", "扁平疣", "疣", "瘊"),
    "疣目": ("疣目", "千日疮", "寻常疣", "跖疣", "瘊子", "刺瘊", "疣", "瘊"),
    "鼠乳": ("鼠乳", "传染性软疣", "软疣", "水瘊子", "疣", "瘊"),
    "黄水疮": ("黄水疮", "黃水瘡", "脓疱疮", "膿皰瘡", "脓窠疮", "滴脓疮", "impetigo"),
    "鹅掌风": ("鹅掌风", "鵝掌風", "手癣", "癣", "癬", "tinea"),
    "脚湿气": ("脚湿气", "足癣", "脚气", "香港脚", "癣", "癬", "tinea"),
    "圆癣": ("圆癣", "体癣", "股癣", "阴癣", "金钱癣", "铜钱癣", "癣", "癬", "tinea"),
    "湿疮": ("湿疮", "濕瘡", "湿疹", "濕疹", "湿疡", "血风疮", "旋耳疮", "绣球风", "肾囊风", "eczema"),
    "四弯风": ("四弯风", "四彎風", "特应性皮炎", "特應性皮炎", "异位性皮炎", "遗传过敏性皮炎", "奶癣", "胎敛疮",
             "湿疹", "濕疹", "atopic", "eczema"),
    "接触性皮炎": ("接触性皮炎", "接觸性皮炎", "漆疮", "膏药风", "马桶癣", "皮炎", "dermatitis"),
    "药毒": ("药毒", "藥毒", "药疹", "藥疹", "药物性皮炎", "药物疹", "重症多形红斑", "Stevens", "表皮坏死",
           "DRESS", "超敏反应综合征", "SJS", "TEN"),
    "瘾疹": ("瘾疹", "癮疹", "荨麻疹", "蕁麻疹", "风疹块", "风疙瘩", "鬼饭疙瘩", "urticaria", "hives"),
    "牛皮癣": ("牛皮癣", "牛皮癬", "神经性皮炎", "神經性皮炎", "摄领疮", "顽癣", "慢性单纯性苔藓", "lichen simplex"),
    "风瘙痒": ("风瘙痒", "風瘙癢", "瘙痒症", "痒风", "pruritus"),
    "白疕": ("白疕", "银屑病", "銀屑病", "牛皮癣", "牛皮癬", "松皮癣", "干癣", "蛇虱", "psoriasis"),
    "风热疮": ("风热疮", "風熱瘡", "玫瑰糠疹", "风癣", "血疳", "pityriasis rosea"),
    "猫眼疮": ("猫眼疮", "貓眼瘡", "多形红斑", "多形性红斑", "多形紅斑", "雁疮", "寒疮", "erythema multiforme"),
    "瓜藤缠": ("瓜藤缠", "瓜藤纏", "结节性红斑", "結節性紅斑", "erythema nodosum"),
    "紫癜风": ("紫癜风", "紫癜風", "扁平苔藓", "扁平苔蘚", "lichen planus"),
    "粉刺": ("粉刺", "痤疮", "痤瘡", "青春痘", "暗疮", "酒刺", "痘痘", "acne"),
    "酒齄鼻": ("酒齄鼻", "酒渣鼻", "酒糟鼻", "酒皶鼻", "玫瑰痤疮", "赤鼻", "红鼻子", "rosacea"),
    "面游风": ("面游风", "面遊風", "脂溢性皮炎", "白屑风", "seborrh"),
    "白屑风": ("白屑风", "白屑風", "脂溢性皮炎", "面游风", "seborrh"),
    "油风": ("油风", "油風", "斑秃", "斑禿", "鬼剃头", "鬼舐头", "圆形脱发", "alopecia"),
    "白驳风": ("白驳风", "白駁風", "白癜风", "白癜風", "白驳", "vitiligo"),
    "黧黑斑": ("黧黑斑", "黄褐斑", "黃褐斑", "肝斑", "蝴蝶斑", "妊娠斑", "melasma"),
    "丹毒": ("丹毒", "流火", "抱头火丹", "赤游丹", "火丹", "erysipelas"),
    "臁疮": ("臁疮", "臁瘡", "老烂腿", "裤口毒", "下肢溃疡", "静脉性溃疡", "venous ulcer"),
    "冻疮": ("冻疮", "凍瘡", "冻伤", "chilblain", "pernio"),
    "日晒疮": ("日晒疮", "日曬瘡", "日光疮", "日光性皮炎", "多形性日光疹", "晒伤", "日晒伤", "sunburn"),
    "浸淫疮": ("浸淫疮", "浸淫瘡", "自身敏感性皮炎", "传染性湿疹样皮炎"),
    "红蝴蝶疮": ("红蝴蝶疮", "紅蝴蝶瘡", "红斑狼疮", "紅斑狼瘡", "狼疮", "SLE", "lupus"),
    "肌痹": ("肌痹", "皮肌炎", "dermatomyositis"),
    "皮痹": ("皮痹", "硬皮病", "系统性硬化", "硬斑病", "scleroderma"),
    "天疱疮": ("天疱疮", "天皰瘡", "类天疱疮", "火赤疮", "pemphig"),
    "红皮病": ("红皮病", "紅皮病", "剥脱性皮炎", "剝脫性皮炎", "erythroderma"),
    "泛发性脓疱性疾病": ("脓疱型银屑病", "脓疱性银屑病", "泛发性脓疱性", "发疹性脓疱病", "AGEP", "pustular psoriasis"),
    "疑似皮肤恶性肿瘤": ("黑色素瘤", "黑素瘤", "恶性黑色素瘤", "恶性肿瘤", "癌", "melanoma"),
    # Fever with a non-blanching rash (meningococcal disease, purpura fulminans): a referral label of dev4.
    "紫癜": ("紫癜", "葡萄疫", "脑膜炎", "脑膜炎球菌", "purpura", "meningococc"),
    # Necrotising soft-tissue infection (《中医外科学》疔疮·烂疔): a referral label of dev5.
    "烂疔": ("烂疔", "爛疔", "坏死性筋膜炎", "气性坏疽", "necrotising", "necrotizing", "gangrene"),
    # Referral labels of dev6 (session 8): 《中医外科学》 性传播疾病·梅毒, 麻风, 疔疮·颜面部疔疮, 疫疔; Western names.
    "杨梅疮": ("杨梅疮", "楊梅瘡", "梅毒", "硬下疳", "syphilis"),
    "麻风": ("麻风", "麻風", "大麻风", "疠风", "leprosy", "Hansen"),
    "川崎病": ("川崎病", "皮肤黏膜淋巴结综合征", "Kawasaki"),
    "中毒性休克综合征": ("中毒性休克", "toxic shock"),
    "疔疮": ("疔疮", "疔瘡", "疔", "走黄", "furuncle", "carbuncle"),
    "疫疔": ("疫疔", "炭疽", "anthrax"),
    "猴痘": ("猴痘", "mpox", "monkeypox"),
    # Referral labels of dev9 (session 11): 《金匮要略》狐惑病 (Behçet), 脉痹 (arteritis), 《传染病学》exanthems, and
    # a Western name where TCM has none in common use.
    "水痘": ("水痘", "水花", "chickenpox", "varicella"),
    "狐惑病": ("狐惑", "白塞", "貝赫切特", "白賽", "Behçet", "Behcet"),
    "脉痹": ("脉痹", "動脈炎", "动脉炎", "血管炎", "arteritis", "vasculitis"),
    "坏疽性脓皮病": ("坏疽性脓皮病", "壞疽性膿皮病", "pyoderma gangrenosum"),
    "手足口病": ("手足口病", "hand, foot and mouth", "hand-foot-mouth"),
    "麻疹": ("麻疹", "measles"),
}

#: Psoriasis and eczema may be at most this share of the test split together (the engine's home ground).
HOME_GROUND = ("白疕", "湿疮")
COMPOSITE_SYNDROMES = ("血热夹湿证", "湿热瘀阻证", "血热风燥证", "湿热毒蕴证", "阴虚血燥证", "肝郁化火兼血虚风燥证")


def load(path: Path) -> list[dict[str, Any]]:
    """The split's lines as decoded JSON objects."""
    return [json.loads(text) if isinstance(text, str) else text for _, text in iter_lines(path)]


def case_texts(case: dict[str, Any]) -> list[str]:
    """Every free text a consultation reads: the case's text fields and its previous visits' texts."""
    fields = ("chief_complaint", "history", "lesion_description", "symptoms", "tongue", "pulse")
    texts = [str(case.get(name, "")) for name in fields]
    for visit in case.get("previous_visits", []):
        texts += [str(visit.get("summary", "")), str(visit.get("response", ""))]
    return texts


def disease_named(line: dict[str, Any]) -> bool:
    """Whether any of the expert disease's names occurs in the case text (case-insensitive for Latin)."""
    text = "\n".join(case_texts(line["case"])).lower()
    return any(name.lower() in text for name in DISEASE_NAMES[line["expert"]["disease"]])


def is_referral(expert: dict[str, Any]) -> bool:
    """The dev set's convention (data/dev): a referral line has a 转诊 principle and no syndrome or herbs."""
    return "转诊" in expert.get("treatment_principle", "") and not expert.get("syndrome") and not expert.get("herbs")


@pytest.fixture(scope="module")
def test_lines() -> list[dict[str, Any]]:
    return load(TEST_SPLIT)


@pytest.fixture(scope="module")
def dev_lines() -> list[dict[str, Any]]:
    return load(DEV_SPLIT)


@pytest.fixture(scope="module")
def dev2_lines() -> list[dict[str, Any]]:
    return load(DEV2_SPLIT)


@pytest.fixture(scope="module")
def dev3_lines() -> list[dict[str, Any]]:
    return load(DEV3_SPLIT)


@pytest.fixture(scope="module")
def dev4_lines() -> list[dict[str, Any]]:
    return load(DEV4_SPLIT)


@pytest.fixture(scope="module")
def dev5_lines() -> list[dict[str, Any]]:
    return load(DEV5_SPLIT)


@pytest.fixture(scope="module")
def dev6_lines() -> list[dict[str, Any]]:
    return load(DEV6_SPLIT)


@pytest.fixture(scope="module")
def dev7_lines() -> list[dict[str, Any]]:
    return load(DEV7_SPLIT)


@pytest.fixture(scope="module")
def dev8_lines() -> list[dict[str, Any]]:
    return load(DEV8_SPLIT)


@pytest.fixture(scope="module")
def dev9_lines() -> list[dict[str, Any]]:
    return load(DEV9_SPLIT)


@pytest.mark.parametrize("path", [TEST_SPLIT, DEV_SPLIT, DEV2_SPLIT, DEV3_SPLIT, DEV4_SPLIT, DEV5_SPLIT, DEV6_SPLIT,
                                  DEV7_SPLIT, DEV8_SPLIT, DEV9_SPLIT],
                         ids=["test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9"])
def test_every_line_is_a_valid_evaluation_line_with_a_source(path: Path) -> None:
    for number, raw in iter_lines(path):
        parsed = parse_line(number, raw)
        assert parsed.error is None, parsed.error
        assert isinstance(parsed.line, EvalLine)
        assert parsed.line.source.strip(), f"line {number}: no source"
        assert parsed.line.case.case_id.startswith("blind-"), parsed.line.case.case_id


def test_split_sizes_and_ids_unique_across_the_splits(test_lines: list[dict[str, Any]],
                                                     dev_lines: list[dict[str, Any]],
                                                     dev2_lines: list[dict[str, Any]],
                                                     dev3_lines: list[dict[str, Any]],
                                                     dev4_lines: list[dict[str, Any]],
        dev5_lines: list[dict[str, Any]], dev6_lines: list[dict[str, Any]],
        dev7_lines: list[dict[str, Any]], dev8_lines: list[dict[str, Any]],
        dev9_lines: list[dict[str, Any]]) -> None:
    assert len(test_lines) >= 100 and len(dev_lines) >= 40 and len(dev2_lines) >= 60 and len(dev3_lines) >= 50
    assert len(dev4_lines) >= 45 and len(dev5_lines) >= 40 and len(dev6_lines) >= 30
    assert len(dev7_lines) >= 25 and len(dev8_lines) >= 35 and len(dev9_lines) >= 40
    every = (test_lines + dev_lines + dev2_lines + dev3_lines + dev4_lines + dev5_lines + dev6_lines + dev7_lines
             + dev8_lines + dev9_lines)
    ids = [line["case"]["case_id"] for line in every]
    assert [case_id for case_id, count in Counter(ids).items() if count > 1] == []


def test_no_two_splits_share_a_case_text(test_lines: list[dict[str, Any]], dev_lines: list[dict[str, Any]],
                                         dev2_lines: list[dict[str, Any]], dev3_lines: list[dict[str, Any]],
                                         dev4_lines: list[dict[str, Any]],
        dev5_lines: list[dict[str, Any]], dev6_lines: list[dict[str, Any]],
        dev7_lines: list[dict[str, Any]], dev8_lines: list[dict[str, Any]],
        dev9_lines: list[dict[str, Any]]) -> None:
    def descriptions(lines: list[dict[str, Any]]) -> set[str]:
        return {line["case"].get("lesion_description", "") for line in lines} - {""}

    splits = [descriptions(lines) for lines in (test_lines, dev_lines, dev2_lines, dev3_lines, dev4_lines, dev5_lines,
                                                 dev6_lines, dev7_lines, dev8_lines, dev9_lines)]
    shared = [a & b for number, a in enumerate(splits) for b in splits[number + 1:]]
    assert all(common == set() for common in shared)


@pytest.mark.parametrize("split", ["test_lines", "dev2_lines", "dev3_lines", "dev4_lines", "dev5_lines", "dev6_lines",
                                   "dev7_lines", "dev8_lines", "dev9_lines"])
def test_disease_is_unnamed_in_at_least_half_of_the_blind_splits(split: str, request: pytest.FixtureRequest) -> None:
    lines = request.getfixturevalue(split)
    unnamed = [line for line in lines if not disease_named(line)]
    assert len(unnamed) >= len(lines) / 2, f"{len(unnamed)}/{len(lines)} unnamed"


def test_the_unnamed_check_sees_a_named_disease_in_any_field() -> None:
    line = {"case": {"case_id": "x", "lesion_description": "右胸成簇水疱"}, "expert": {"disease": "蛇串疮"}}
    assert not disease_named(line)
    line["case"]["history"] = "外院诊断带状疱疹"
    assert disease_named(line)
    white = {"case": {"case_id": "y", "previous_visits": [{"response": "Vitiligo spread"}]},
             "expert": {"disease": "白驳风"}}
    assert disease_named(white)


def test_every_expert_disease_has_an_alias_list_and_25_diseases_are_covered(
        test_lines: list[dict[str, Any]], dev_lines: list[dict[str, Any]], dev2_lines: list[dict[str, Any]],
        dev3_lines: list[dict[str, Any]], dev4_lines: list[dict[str, Any]],
        dev5_lines: list[dict[str, Any]], dev6_lines: list[dict[str, Any]],
        dev7_lines: list[dict[str, Any]], dev8_lines: list[dict[str, Any]],
        dev9_lines: list[dict[str, Any]]) -> None:
    diseases = Counter(line["expert"]["disease"] for line in test_lines)
    dev_diseases = {line["expert"]["disease"] for line in dev_lines + dev2_lines + dev3_lines + dev4_lines + dev5_lines
                    + dev6_lines + dev7_lines + dev8_lines + dev9_lines}
    assert set(diseases) | dev_diseases <= set(DISEASE_NAMES)
    assert len({line["expert"]["disease"] for line in dev2_lines}) >= 25
    assert len({line["expert"]["disease"] for line in dev3_lines}) >= 25
    assert len(diseases) >= 25, sorted(diseases)
    home = sum(diseases[name] for name in HOME_GROUND)
    assert home <= 0.20 * len(test_lines), f"psoriasis + eczema {home}/{len(test_lines)}"


def test_referral_lines_are_encoded_as_in_the_dev_set_and_present(test_lines: list[dict[str, Any]],
                                                                   dev_lines: list[dict[str, Any]],
                                                                   dev2_lines: list[dict[str, Any]],
                                                                   dev3_lines: list[dict[str, Any]],
                                                                   dev4_lines: list[dict[str, Any]],
        dev5_lines: list[dict[str, Any]], dev6_lines: list[dict[str, Any]],
        dev7_lines: list[dict[str, Any]], dev8_lines: list[dict[str, Any]],
        dev9_lines: list[dict[str, Any]]) -> None:
    for lines, least in ((test_lines, 10), (dev_lines, 5), (dev2_lines, 8), (dev3_lines, 8)):
        referrals = [line for line in lines if is_referral(line["expert"])]
        assert least <= len(referrals) <= 0.25 * len(lines)
    for line in (test_lines + dev_lines + dev2_lines + dev3_lines + dev4_lines + dev5_lines + dev6_lines + dev7_lines
                 + dev8_lines + dev9_lines):
        expert = line["expert"]
        if "转诊" in expert.get("treatment_principle", "") and not expert.get("herbs"):
            assert is_referral(expert), line["case"]["case_id"]


def test_treated_lines_carry_syndrome_principle_formula_and_dosed_herbs(test_lines: list[dict[str, Any]],
                                                                        dev_lines: list[dict[str, Any]],
                                                                        dev2_lines: list[dict[str, Any]],
                                                                        dev3_lines: list[dict[str, Any]],
                                                                        dev4_lines: list[dict[str, Any]],
        dev5_lines: list[dict[str, Any]], dev6_lines: list[dict[str, Any]],
        dev7_lines: list[dict[str, Any]], dev8_lines: list[dict[str, Any]],
        dev9_lines: list[dict[str, Any]]) -> None:
    for line in (test_lines + dev_lines + dev2_lines + dev3_lines + dev4_lines + dev5_lines + dev6_lines + dev7_lines
                 + dev8_lines + dev9_lines):
        expert = line["expert"]
        if is_referral(expert):
            continue
        case_id = line["case"]["case_id"]
        assert expert["syndrome"].endswith("证"), case_id
        assert expert["treatment_principle"] and expert["formula"], case_id
        assert len(expert["herbs"]) >= 5 and all(herb.get("dose_g") for herb in expert["herbs"]), case_id


@pytest.mark.parametrize("split", ["test_lines", "dev2_lines", "dev3_lines"])
def test_blind_splits_have_traditional_characters_composites_and_extraneous_detail(
        split: str, request: pytest.FixtureRequest) -> None:
    lines = request.getfixturevalue(split)
    texts = ["\n".join(case_texts(line["case"])) for line in lines]
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 3
    syndromes = {line["expert"].get("syndrome", "") for line in lines}
    composites = set(COMPOSITE_SYNDROMES) if split != "dev2_lines" else set(COMPOSITE_SYNDROMES[:5])
    assert composites <= syndromes
    # Labs, Western drugs and diagnoses around the signs.
    extraneous = r"×10⁹/L|IU/ml|U/L|阿昔洛韦|二甲双胍|甲氨蝶呤|卡马西平|别嘌醇|阿莫西林|泼尼松|氯雷他定|西替利嗪"
    assert sum(bool(re.search(extraneous, text)) for text in texts) >= 8


def test_dev4_is_a_referral_set_with_look_alike_controls_in_varied_wording(dev4_lines: list[dict[str, Any]]) -> None:
    """dev4 (session 6) measures referral: ≥ 30 referral presentations, ≥ 15 in-scope look-alikes (over-referral),
    English and traditional-character notes, negated danger signs and a family history of a referral disease."""
    referrals = [line for line in dev4_lines if is_referral(line["expert"])]
    controls = [line for line in dev4_lines if not is_referral(line["expert"])]
    assert len(referrals) >= 30 and len(controls) >= 15
    assert len({line["expert"]["disease"] for line in referrals}) >= 10
    texts = ["\n".join(case_texts(line["case"])) for line in dev4_lines]
    assert sum(bool(re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text)) for text in texts) >= 5
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 3
    control_texts = ["\n".join(case_texts(line["case"])) for line in controls]
    assert sum(bool(re.search("无|無|没有|不发烧|No ", text)) for text in control_texts) >= 8
    assert any(re.search("父亲|母親|母亲|father|sister", text, re.IGNORECASE) for text in control_texts)


def test_dev5_carries_referral_reasons_in_other_sections_and_composite_syndromes(
        dev5_lines: list[dict[str, Any]], dev6_lines: list[dict[str, Any]],
        dev7_lines: list[dict[str, Any]], dev8_lines: list[dict[str, Any]]) -> None:
    """dev5 (session 7): referral reasons carried by age, pregnancy, immunosuppression and the examination
    findings of the history, as well as by the lesion; ≥ 15 in-scope look-alikes; the composite 肝郁化火兼血虚风燥证."""
    referrals = [line for line in dev5_lines if is_referral(line["expert"])]
    controls = [line for line in dev5_lines if not is_referral(line["expert"])]
    assert len(referrals) >= 25 and len(controls) >= 15
    ages = [line["case"].get("patient", {}).get("age") for line in referrals]
    assert sum(age is not None and age < 1 for age in ages) >= 3
    assert sum(bool(line["case"].get("patient", {}).get("pregnant")) for line in referrals) >= 3
    assert sum(bool(line["case"].get("patient", {}).get("pregnant")) for line in controls) >= 1
    assert sum("移植" in line["case"]["history"] or "化疗" in line["case"]["history"] for line in referrals) >= 2
    assert sum("查体" in line["case"]["history"] or "体格检查" in line["case"]["history"] for line in referrals) >= 2
    syndromes = Counter(line["expert"].get("syndrome", "") for line in controls)
    assert syndromes["肝郁化火兼血虚风燥证"] >= 3
    texts = ["\n".join(case_texts(line["case"])) for line in dev5_lines]
    assert sum(bool(re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text)) for text in texts) >= 5
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 3


def test_dev6_covers_referral_reasons_beyond_dev1_to_dev5_with_look_alikes(dev6_lines: list[dict[str, Any]]) -> None:
    """dev6 (session 8): ≥ 20 referral presentations of reasons the earlier splits lack (vasculitis, Kawasaki, syphilis,
    leprosy, Paget, lymphoma, pemphigoid variants, toxic shock, anthrax, mpox, zoster complications …) and ≥ 10
    in-scope look-alikes that must not be referred; English and traditional-character notes."""
    referrals = [line for line in dev6_lines if is_referral(line["expert"])]
    controls = [line for line in dev6_lines if not is_referral(line["expert"])]
    assert len(referrals) >= 20 and len(controls) >= 10
    assert len({line["expert"]["disease"] for line in referrals}) >= 15
    texts = ["\n".join(case_texts(line["case"])) for line in dev6_lines]
    assert sum(bool(re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text)) for text in texts) >= 3
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 3


def test_dev7_words_the_test_splits_referral_categories_anew_with_look_alikes(dev7_lines: list[dict[str, Any]]) -> None:
    """dev7 (session 9): ≥ 20 referral presentations of exactly the test split's referral categories (ocular zoster,
    SJS/TEN, DRESS, pustular psoriasis with fever, erythroderma, toxic 丹毒, 红蝴蝶疮, bullous disease, melanoma) in new
    wording, the reason in history, examination, labs or 家属诉; ≥ 6 in-scope look-alikes; English and traditional."""
    referrals = [line for line in dev7_lines if is_referral(line["expert"])]
    controls = [line for line in dev7_lines if not is_referral(line["expert"])]
    assert len(referrals) >= 20 and len(controls) >= 6
    categories = {"蛇串疮", "药毒", "泛发性脓疱性疾病", "红皮病", "丹毒", "红蝴蝶疮", "天疱疮", "疑似皮肤恶性肿瘤"}
    assert {line["expert"]["disease"] for line in referrals} == categories
    assert sum("家属诉" in line["case"]["history"] or "家屬訴" in line["case"]["history"] for line in referrals) >= 3
    texts = ["\n".join(case_texts(line["case"])) for line in dev7_lines]
    assert sum(bool(re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text)) for text in texts) >= 3
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 3



def test_dev8_words_the_referral_categories_a_third_way_with_look_alikes(dev8_lines: list[dict[str, Any]]) -> None:
    """dev8 (session 9, clin): ≥ 25 referral presentations of the test split's referral categories in wording dev7 lacks
    (Hutchinson sign, 尼氏征 in the 查体, eosinophils in the labs, 家属诉, classical, English, traditional);
    ≥ 10 look-alikes."""
    referrals = [line for line in dev8_lines if is_referral(line["expert"])]
    controls = [line for line in dev8_lines if not is_referral(line["expert"])]
    assert len(referrals) >= 25 and len(controls) >= 10
    categories = {"蛇串疮", "药毒", "泛发性脓疱性疾病", "红皮病", "丹毒", "红蝴蝶疮", "天疱疮", "疑似皮肤恶性肿瘤"}
    assert {line["expert"]["disease"] for line in referrals} == categories
    assert {line["expert"]["disease"] for line in controls} & categories >= {"蛇串疮", "药毒", "丹毒"}
    assert sum("家属诉" in line["case"]["history"] for line in referrals) >= 4
    texts = ["\n".join(case_texts(line["case"])) for line in dev8_lines]
    assert sum(bool(re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text)) for text in texts) >= 4
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 2

def test_dev9_covers_referral_kinds_dev4_to_dev8_lack_with_look_alikes(dev9_lines: list[dict[str, Any]]) -> None:
    """dev9 (session 11, clin2): ≥ 30 referral presentations of reasons dev4–dev8 lack or barely have — eye signs with
    no skin word near the eye, lupus known by labs or organ signs, young infants with fever, immunosuppression,
    non-melanoma malignancy, Behçet, arteritis, severe exanthems — and ≥ 10 in-scope look-alikes."""
    referrals = [line for line in dev9_lines if is_referral(line["expert"])]
    controls = [line for line in dev9_lines if not is_referral(line["expert"])]
    assert len(referrals) >= 30 and len(controls) >= 10
    assert len({line["expert"]["disease"] for line in referrals}) >= 15
    ages = [line["case"].get("patient", {}).get("age") for line in referrals]
    assert sum(age is not None and age < 0.25 for age in ages) >= 2
    texts = ["\n".join(case_texts(line["case"])) for line in dev9_lines]
    assert sum(bool(re.search("[A-Za-z]{4,} [a-z]{3,} [a-z]{3,}", text)) for text in texts) >= 4
    assert sum(bool(re.search("[濕銀膚燒癢瘡紅發療皰潰]", text)) for text in texts) >= 2
    control_texts = ["\n".join(case_texts(line["case"])) for line in controls]
    assert sum(bool(re.search("无|無|没有|不红|不干|正常|阴性|否认|从没", text)) for text in control_texts) >= 8


def _record(expert: dict[str, Any], *, disease_acc: float, abstained: bool = False, red_flags: list[str] | None = None,
            extra: dict[str, float] | None = None) -> dict[str, Any]:
    scores = {"disease_acc": disease_acc, "abstained": float(abstained), **(extra or {})}
    safety = {"abstained": abstained, "red_flags": red_flags or [], "referral": ""}
    return {"case_id": "x", "expert": expert, "scores": scores, "consultation": {"safety": safety}}


def test_clinical_bench_figures_count_referrals_abstention_and_new_syndrome_scores() -> None:
    import sys

    sys.path.insert(0, str(BLIND.parents[1] / "benchmarks"))
    from clinical_bench import compute

    refer = {"disease": "天疱疮", "treatment_principle": "疑天疱疮，转诊皮肤科"}
    treat = {"disease": "蛇串疮", "syndrome": "肝经郁热证", "herbs": [{"name": "龙胆草", "dose_g": 6}]}
    records = [
        _record(refer, disease_acc=0.0, red_flags=["blistering"]),
        _record(refer, disease_acc=0.0),
        _record(treat, disease_acc=1.0, extra={"syndrome_acc": 1.0, "syndrome_element_acc": 1.0}),
        _record(treat, disease_acc=0.0, abstained=True, extra={"syndrome_acc": 0.0, "syndrome_element_acc": 0.5}),
    ]
    figures = {figure.name: (figure.value, figure.n) for figure in compute(records)}
    assert figures["referral recall"] == (0.5, 2)
    assert figures["abstention on in-scope"] == (0.5, 2)
    assert figures["disease accuracy (in-scope)"] == (0.5, 2)
    assert figures["disease accuracy of answered in-scope"] == (1.0, 1)
    assert figures["syndrome_element_acc (in-scope)"] == (0.75, 2)
    assert figures["referral of in-scope cases"] == (0.0, 2)

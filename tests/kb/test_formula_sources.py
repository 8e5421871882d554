"""Formulas as their sources give them (issue 19): compositions pinned to 《方剂学》 and 《中医外科学》.

The base formula is the published one; a school's or a disease's variant is its own entry with its
own source; additions are modifications; substitutions are explicit (水牛角 for 犀角, 白芷 for 麝香).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from derm3r.kb.check import check_knowledge_base
from derm3r.kb.loader import load_knowledge_base

REPO = Path(__file__).resolve().parents[2]


def _herbs(kb, formula_id: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {kb.herbs[item.herb].name for item in kb.formulas[formula_id].herbs}


def _textbook_formula(kb, syndrome_id: str) -> str:  # type: ignore[no-untyped-def]
    return next(link.formula for link in kb.syndromes[syndrome_id].formulas if link.scheme == "textbook")


@pytest.mark.parametrize(
    ("formula_id", "herbs"),
    [
        # 《方剂学》 四物汤附方: 熟地黄、当归、白芍、川芎 + 桃仁、红花.
        ("formula.taohong_siwu_tang", {"熟地黄", "当归", "白芍", "川芎", "桃仁", "红花"}),
        # 《备急千金要方》 犀角地黄汤: 犀角 (水牛角代)、生地黄、芍药、牡丹皮 — four herbs.
        ("formula.xijiao_dihuang_tang", {"水牛角", "生地黄", "赤芍", "牡丹皮"}),
        # 《丹溪心法》 玉屏风散: 防风、黄芪、白术.
        ("formula.yupingfeng_san", {"黄芪", "白术", "防风"}),
        # 《中医外科学》 附方 马齿苋合剂: 马齿苋、败酱草、紫草、大青叶.
        ("formula.machixian_heji", {"马齿苋", "败酱草", "紫草", "大青叶"}),
        # 《伤寒论》 桂枝汤.
        ("formula.guizhi_tang", {"桂枝", "白芍", "生姜", "大枣", "甘草"}),
        ("formula.zhibai_dihuang_wan", {"熟地黄", "山茱萸", "山药", "泽泻", "牡丹皮", "茯苓", "知母", "黄柏"}),
        ("formula.chaihu_shugan_san", {"陈皮", "柴胡", "川芎", "香附", "枳壳", "白芍", "甘草"}),
        # 《辨证录》 五神汤: 茯苓、车前子、金银花、牛膝、紫花地丁.
        ("formula.wushen_tang_yuanfang", {"茯苓", "车前子", "金银花", "牛膝", "紫花地丁"}),
        # 《医林改错》 补阳还五汤: 黄芪、归尾、赤芍、地龙、川芎、红花、桃仁.
        ("formula.buyang_huanwu_tang_yuanfang", {"黄芪", "当归", "赤芍", "地龙", "川芎", "红花", "桃仁"}),
        # 《伤寒论》 当归四逆汤: 当归、桂枝、芍药、细辛、甘草、通草、大枣.
        ("formula.danggui_sini_tang_yuanfang", {"当归", "桂枝", "白芍", "细辛", "通草", "大枣", "甘草"}),
        # 《验方新编》 四妙勇安汤: 金银花、玄参、当归、甘草.
        ("formula.simiao_yongan_tang_yuanfang", {"金银花", "玄参", "当归", "甘草"}),
        # 《外科正宗》 辛夷清肺饮: ten herbs.
        ("formula.xinyi_qingfei_yin_yuanfang",
         {"辛夷", "黄芩", "栀子", "麦冬", "百合", "石膏", "知母", "甘草", "枇杷叶", "升麻"}),
        # 《温病条辨》 增液汤: 元参、麦冬、细生地; 清营汤: 犀角 (水牛角代) … 竹叶心 (竹叶, not 淡竹叶).
        ("formula.zengye_tang_yuanfang", {"玄参", "麦冬", "生地黄"}),
        ("formula.qingying_tang_yuanfang",
         {"水牛角", "生地黄", "玄参", "竹叶", "麦冬", "丹参", "黄连", "金银花", "连翘"}),
        # 《东垣试效方》 普济消毒饮: fourteen herbs.
        ("formula.puji_xiaodu_yin", {"黄芩", "黄连", "陈皮", "甘草", "玄参", "柴胡", "桔梗", "连翘", "板蓝根", "马勃",
                                     "牛蒡子", "薄荷", "僵蚕", "升麻"}),
        # 《赵炳南临床经验集》 养血解毒汤: 鸡血藤、当归、土茯苓、生地、山药、威灵仙、蜂房 (丹参、天冬、麦冬 are 加减).
        ("formula.yangxue_jiedu_tang", {"鸡血藤", "当归", "土茯苓", "生地黄", "山药", "威灵仙", "蜂房"}),
        # 《赵炳南临床经验集》 活血散瘀汤: 苏木、赤白芍、草红花、桃仁、鬼箭羽、三棱、莪术、木香、陈皮.
        ("formula.huoxue_sanyu_tang",
         {"苏木", "赤芍", "白芍", "红花", "桃仁", "鬼箭羽", "三棱", "莪术", "木香", "陈皮"}),
        # 《朱仁康临床经验集》 小儿化湿汤: 苍术、陈皮、茯苓、泽泻、炒麦芽、六一散 (滑石、甘草).
        ("formula.xiaoer_huashi_tang", {"苍术", "陈皮", "茯苓", "泽泻", "麦芽", "滑石", "甘草"}),
        # 《医宗金鉴·外科心法要诀》 地黄饮子 (何首乌 given as 制何首乌, marked replaces).
        ("formula.dihuang_yinzi_waike",
         {"生地黄", "熟地黄", "制何首乌", "当归", "牡丹皮", "玄参", "蒺藜", "僵蚕", "红花", "甘草"}),
        # 《医宗金鉴·外科心法要诀》 酒齄鼻 凉血四物汤: nine herbs, 姜三片, 调五灵脂末.
        ("formula.liangxue_siwu_tang",
         {"当归", "生地黄", "川芎", "赤芍", "黄芩", "赤茯苓", "陈皮", "红花", "甘草", "生姜", "五灵脂"}),
        # 《小儿药证直诀》 导赤散; 《温病条辨》 银翘散 (鲜苇根汤煎).
        ("formula.daochi_san", {"生地黄", "木通", "甘草", "竹叶"}),
        ("formula.yinqiao_san", {"连翘", "金银花", "桔梗", "薄荷", "竹叶", "甘草", "荆芥", "淡豆豉", "牛蒡子", "芦根"}),
        # 《朱仁康临床经验集》 治瘊方 less 穿山甲 (out of the Pharmacopoeia; the omission is recorded).
        ("formula.zhihou_fang", {"熟地黄", "何首乌", "杜仲", "赤芍", "白芍", "牛膝", "桃仁", "红花", "赤小豆", "白术"}),
        # 培土清心方 (陈达灿; Complement Ther Med 2015;23(5):644–651): nine herbs, 牡蛎 among them, no 生地黄.
        ("formula.peitu_qingxin_fang",
         {"太子参", "连翘", "钩藤", "灯心草", "淡竹叶", "薏苡仁", "山药", "牡蛎", "甘草"}),
        # 《赵炳南临床经验集》 白驳丸: 鸡血藤、首乌藤、当归、赤芍、红花、黑豆皮、防风、白蒺藜、陈皮、补骨脂.
        ("formula.baibo_wan", {"鸡血藤", "首乌藤", "当归", "赤芍", "红花", "黑豆衣", "防风", "蒺藜", "陈皮", "补骨脂"}),
        # 《朱仁康临床经验集》 止痒息风汤: 生地、玄参、当归、丹参、白蒺藜、煅龙骨、煅牡蛎、炙甘草.
        ("formula.zhiyang_xifeng_tang", {"生地黄", "玄参", "当归", "丹参", "蒺藜", "龙骨", "牡蛎", "甘草"}),
        # 《宣明论方》 防风通圣散: seventeen herbs, 入生姜三片.
        ("formula.fangfeng_tongsheng_san",
         {"防风", "川芎", "当归", "白芍", "大黄", "薄荷", "麻黄", "连翘", "芒硝", "石膏",
          "黄芩", "桔梗", "滑石", "甘草", "荆芥", "白术", "栀子", "生姜"}),
        # 《正体类要》 八珍汤: 四君子汤 (人参 → 党参) 合四物汤, 加生姜、大枣.
        ("formula.bazhen_tang", {"党参", "白术", "茯苓", "甘草", "当归", "川芎", "白芍", "熟地黄", "生姜", "大枣"}),
        # 《医林改错》 通窍活血汤: 赤芍、川芎、桃仁、红花、老葱、鲜姜、红枣、麝香 (白芷 stands in, marked).
        ("formula.tongqiao_huoxue_tang", {"赤芍", "川芎", "桃仁", "红花", "葱白", "生姜", "大枣", "白芷"}),
        # 《伤寒论》 麻黄连轺赤小豆汤: 麻黄、连轺、杏仁、赤小豆、大枣、生梓白皮 (桑白皮代)、生姜、炙甘草.
        ("formula.mahuang_lianqiao_chixiaodou_tang",
         {"麻黄", "连翘", "苦杏仁", "赤小豆", "大枣", "桑白皮", "生姜", "甘草"}),
        # 《赵炳南临床经验集》 凉血活血汤 (白疕一号): 生槐花、白茅根、生地、紫草根、赤芍、丹参、鸡血藤.
        ("formula.liangxue_huoxue_tang", {"槐花", "白茅根", "生地黄", "紫草", "赤芍", "丹参", "鸡血藤"}),
        # 《朱仁康临床经验集》 克银一方: 草河车 of the Beijing school is 拳参.
        ("formula.keyin_yifang", {"土茯苓", "忍冬藤", "拳参", "白鲜皮", "北豆根", "板蓝根", "威灵仙", "甘草"}),
    ],
)
def test_base_formulas_are_the_published_compositions(kb, formula_id: str, herbs: set[str]) -> None:
    assert _herbs(kb, formula_id) == herbs


def test_the_name_yupingfeng_san_is_the_three_herb_formula(kb) -> None:
    # The name once resolved to an 8-herb combination; 《丹溪心法》 玉屏风散 is 黄芪、白术、防风 and no other entry
    # may claim the name as an alias.
    assert kb.resolve_formula("玉屏风散") == "formula.yupingfeng_san"
    assert not [f.id for f in kb.formulas.values() if "玉屏风散" in f.aliases and f.id != "formula.yupingfeng_san"]


def test_completed_formulas_hold_the_herbs_they_missed(kb) -> None:
    assert "黑豆衣" in _herbs(kb, "formula.baibo_wan")  # 白驳丸: 黑豆皮
    assert "龙骨" in _herbs(kb, "formula.zhiyang_xifeng_tang")  # 止痒息风汤: 煅龙骨
    assert "生姜" in _herbs(kb, "formula.fangfeng_tongsheng_san")  # 防风通圣散: 煎加生姜
    assert {"生姜", "大枣"} <= _herbs(kb, "formula.bazhen_tang")  # 八珍汤: 加生姜三片、大枣五枚
    assert "郁金" in _herbs(kb, "formula.machixian_heji_bianhou")  # 扁瘊: 马齿苋合剂加木贼、郁金、浙贝母、板蓝根
    assert "桑白皮" in _herbs(kb, "formula.mahuang_lianqiao_chixiaodou_tang")


def test_substitutions_are_explicit(kb) -> None:
    replaced = {
        kb.herbs[item.herb].name: item.replaces
        for formula_id in ("formula.xijiao_dihuang_tang", "formula.tongqiao_huoxue_tang", "formula.bazhen_tang")
        for item in kb.formulas[formula_id].herbs
        if item.replaces
    }
    assert replaced == {"水牛角": "犀角", "白芷": "麝香", "党参": "人参"}
    assert "葱白" in _herbs(kb, "formula.tongqiao_huoxue_tang")  # 《医林改错》: 老葱


@pytest.mark.parametrize(
    "base_id",
    ["formula.wushen_tang_yuanfang", "formula.buyang_huanwu_tang_yuanfang", "formula.danggui_sini_tang_yuanfang",
     "formula.simiao_yongan_tang_yuanfang", "formula.xinyi_qingfei_yin_yuanfang", "formula.zengye_tang_yuanfang",
     "formula.qingying_tang_yuanfang"],
)
def test_the_textbooks_adapted_formula_is_a_variant_that_keeps_the_published_base(kb, base_id: str) -> None:
    variant = kb.formulas[base_id.removesuffix("_yuanfang")]
    assert variant.variant_of == base_id and variant.source != kb.formulas[base_id].source
    assert _herbs(kb, base_id) <= _herbs(kb, variant.id)


def test_beijing_caoheche_is_quanshen_and_no_herb_is_called_caoheche(kb) -> None:
    assert kb.resolve_herb("草河车") is None
    for formula_id in ("formula.keyin_yifang", "formula.keyin_erfang"):
        notes = {kb.herbs[item.herb].name: item.note for item in kb.formulas[formula_id].herbs}
        assert "拳参" in notes and "草河车" in notes["拳参"] and "重楼" not in notes


def test_check_warns_when_a_variant_drops_a_base_herb(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit_formula(directory, "formula.zengye_tang", lambda f: f.update(
        herbs=[h for h in f["herbs"] if h["herb"] != "herb.mai_dong"]))
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.zengye_tang: variant of formula.zengye_tang_yuanfang drops ['麦冬']" in w
               for w in report.warnings)


def test_variants_are_their_own_entries_with_their_own_sources(kb) -> None:
    base = kb.formulas["formula.taohong_siwu_tang"]
    for variant_id in ("formula.taohong_siwu_tang_baibi", "formula.taohong_siwu_tang_bianhou"):
        variant = kb.formulas[variant_id]
        assert variant.variant_of == base.id and variant.source != base.source
    assert _textbook_formula(kb, "syn.psoriasis.blood_stasis") == "formula.taohong_siwu_tang_baibi"
    # 《中医外科学》 扁瘊 热瘀互结证: 桃红四物汤加黄芪、板蓝根、紫草、马齿苋、浙贝母、薏苡仁.
    assert _herbs(kb, "formula.taohong_siwu_tang_bianhou") == _herbs(kb, base.id) | {
        "黄芪",
        "板蓝根",
        "紫草",
        "马齿苋",
        "浙贝母",
        "薏苡仁",
    }


@pytest.mark.parametrize(
    ("syndrome_id", "formula_id"),
    [
        # 《中医外科学》: the textbook's formula of each syndrome, combined where the textbook combines.
        ("syn.alopecia_areata.blood_heat", "formula.siwu_he_liuwei_dihuang_tang"),
        ("syn.seborrheic_dermatitis.stomach_intestine_damp_heat", "formula.shenling_baizhu_he_yinchenhao_tang"),
        ("syn.contact_dermatitis.damp_heat_toxin", "formula.longdan_xiegan_he_huaban_jiedu_tang"),
        ("syn.contact_dermatitis.blood_dryness", "formula.xiaofeng_san_he_danggui_yinzi"),
        ("syn.seborrheic_dermatitis.wind_heat_blood_dryness", "formula.xiaofeng_san_he_danggui_yinzi"),
        ("syn.pruritus.wind_heat_blood_heat", "formula.xiaofeng_san_he_siwu_tang"),
    ],
)
def test_textbook_scheme_gives_the_textbook_formula(kb, syndrome_id: str, formula_id: str) -> None:
    assert _textbook_formula(kb, syndrome_id) == formula_id


def test_zhu_renkang_formula_is_a_beijing_school_choice(kb) -> None:
    links = {link.formula: link.scheme for link in kb.syndromes["syn.alopecia_areata.blood_heat"].formulas}
    assert links["formula.liangxue_xiaofeng_san"] == "beijing"


def test_capped_beijing_formula_keeps_its_sovereign_herb_first(kb) -> None:
    # 凉血活血汤 (《赵炳南临床经验集》): 生槐花一两 is 君; no herb may outweigh it after capping.
    items = kb.formulas["formula.liangxue_huoxue_tang"].herbs
    sovereign = next(item for item in items if item.role == "君")
    assert kb.herbs[sovereign.herb].name == "槐花"
    assert all(item.dose_g <= sovereign.dose_g for item in items)


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", target)
    return target


def _edit_formula(directory: Path, formula_id: str, change) -> None:  # type: ignore[no-untyped-def]
    path = next(p for p in (directory / "formulas").glob("*.yaml") if f"id: {formula_id}\n" in p.read_text("utf-8"))
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(next(f for f in data["formulas"] if f["id"] == formula_id))
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def test_check_flags_base_herbs_that_differ_from_the_source(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit_formula(
        directory,
        "formula.taohong_siwu_tang",
        lambda f: f["herbs"].append({"herb": "herb.san_leng", "dose_g": 10, "role": "佐"}),
    )
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.taohong_siwu_tang: base herbs differ" in e and "三棱" in e for e in report.errors)


def test_check_flags_a_variant_without_its_own_source(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    base_source = load_knowledge_base(directory).formulas["formula.taohong_siwu_tang"].source
    _edit_formula(directory, "formula.taohong_siwu_tang_baibi", lambda f: f.update(source=base_source))
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any(
        "taohong_siwu_tang_baibi: variant of formula.taohong_siwu_tang without a source" in e for e in report.errors
    )


def test_check_flags_a_cap_that_puts_a_herb_above_the_sovereign(tmp_path: Path) -> None:
    directory = _copy(tmp_path)

    def raise_bai_mao_gen(formula: dict) -> None:  # type: ignore[type-arg]
        for item in formula["herbs"]:
            if item["herb"] == "herb.bai_mao_gen":
                item["dose_g"] = 30

    _edit_formula(directory, "formula.liangxue_huoxue_tang", raise_bai_mao_gen)
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("outweighs the 君药 槐花" in e for e in report.errors)


def test_a_combined_formula_takes_its_herbs_from_the_formulas_it_joins(kb) -> None:
    # 《中医外科学》 风瘙痒·风热血热证: 消风散合四物汤; 四物汤 (《方剂学》): 熟地黄、当归、白芍、川芎.
    assert _herbs(kb, "formula.siwu_tang") == {"熟地黄", "当归", "白芍", "川芎"}
    assert kb.formulas["formula.xiaofeng_san_he_siwu_tang"].combines == ["formula.xiaofeng_san", "formula.siwu_tang"]
    assert not [w for w in check_knowledge_base(kb).warnings if "formula.xiaofeng_san_he_danggui_yinzi" in w]


@pytest.mark.parametrize(
    ("formula_id", "added"),
    [
        # Herbs in neither joined formula are 加减 with a reason, not base herbs.
        ("formula.chaihu_shugan_he_taohong_siwu_tang", {"延胡索"}),
        ("formula.erchen_he_taohong_siwu_tang", {"浙贝母", "夏枯草"}),
        ("formula.sanmiao_he_wushen", {"赤芍", "丹参"}),
        # Additions the Beijing school made to 赵炳南's formulas.
        ("formula.yangxue_jiedu_tang", {"丹参", "天冬", "麦冬"}),
        ("formula.huoxue_sanyu_tang", {"鸡血藤", "丹参", "白花蛇舌草"}),
    ],
)
def test_additions_beyond_the_source_are_modifications(kb, formula_id: str, added: set[str]) -> None:
    formula = kb.formulas[formula_id]
    in_modifications = {kb.herbs[change.herb].name for rule in formula.modifications for change in rule.add}
    assert added <= in_modifications and not added & _herbs(kb, formula_id)


def test_every_formula_is_checked_against_a_source_list(kb) -> None:
    # No formula is left without its source's list, and no 合方 adds herbs beyond its parts.
    assert check_knowledge_base(kb).warnings == []


def test_rosacea_heat_toxin_gets_the_textbooks_combined_formula(kb) -> None:
    # 《中医外科学》 酒齄鼻·热毒蕴肤证: 黄连解毒汤合凉血四物汤加减.
    formula_id = _textbook_formula(kb, "syn.rosacea.heat_toxin")
    assert kb.formulas[formula_id].combines == ["formula.huanglian_jiedu_tang", "formula.liangxue_siwu_tang"]
    assert kb.resolve_formula("凉血四物汤合黄连解毒汤") == formula_id
    assert kb.resolve_formula("银翘散") == "formula.yinqiao_san"
    assert kb.formulas["formula.yinqiao_jiedu_tang"].variant_of == "formula.yinqiao_san"


def test_a_source_herb_left_out_must_be_declared(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit_formula(directory, "formula.zhihou_fang", lambda f: f.update(source_omits=[]))
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.zhihou_fang: base herbs differ" in e and "穿山甲" in e for e in report.errors)
    musk = [{"herb": "麝香", "reason": "不再药用"}]
    _edit_formula(directory, "formula.zhihou_fang", lambda f: f.update(source_omits=musk))
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.zhihou_fang: omits ['麝香'], not in its source's list" in e for e in report.errors)


def test_a_variant_keeps_a_base_herb_through_a_declared_stand_in(tmp_path: Path) -> None:
    # 清心导赤散 gives 通草 for 导赤散's 木通 (replaces: 木通); without the mark the check says 木通 was dropped.
    directory = _copy(tmp_path)
    assert not check_knowledge_base(load_knowledge_base(directory)).warnings

    def unmark(formula: dict) -> None:  # type: ignore[type-arg]
        for item in formula["herbs"]:
            if item["herb"] == "herb.tong_cao":
                item.pop("replaces")

    _edit_formula(directory, "formula.qingxin_daochi_san", unmark)
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.qingxin_daochi_san: variant of formula.daochi_san drops ['木通']" in w for w in report.warnings)


def test_check_names_an_herb_a_combined_formula_adds(tmp_path: Path) -> None:
    directory = _copy(tmp_path)
    _edit_formula(directory, "formula.xiaofeng_san_he_siwu_tang", lambda f: f["herbs"].append(
        {"herb": "herb.dan_shen", "dose_g": 10, "role": "佐"}))
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.xiaofeng_san_he_siwu_tang: adds ['丹参']" in w for w in report.warnings)


@pytest.mark.parametrize("formula_id", ["formula.piyan_tang", "formula.liangxue_xiaofeng_san"])
def test_zhu_renkang_formulas_keep_gypsum_below_the_capped_sovereign(kb, formula_id: str) -> None:
    # 《朱仁康临床经验集》 皮炎汤 and 凉血消风散: 生地 30 g (君) and 生石膏 30 g. 生地黄 is capped at ChP 15 g,
    # so 石膏 (ChP 15–60 g) may not stay at 30 g above it.
    doses = {kb.herbs[item.herb].name: item for item in kb.formulas[formula_id].herbs}
    assert doses["生地黄"].role == "君" and doses["生地黄"].source_dose_g == doses["石膏"].source_dose_g == 30
    assert doses["石膏"].dose_g <= doses["生地黄"].dose_g


def test_check_reports_source_grams_kept_only_in_a_note(tmp_path: Path) -> None:
    # Without source_dose_g the 君药 order cannot be compared: the check says so instead of passing.
    directory = _copy(tmp_path)

    def forget_grams(formula: dict) -> None:  # type: ignore[type-arg]
        for item in formula["herbs"]:
            if item["herb"] == "herb.sheng_di_huang":
                item.pop("source_dose_g")

    _edit_formula(directory, "formula.piyan_tang", forget_grams)
    warnings = check_knowledge_base(load_knowledge_base(directory)).warnings
    assert any("formula.piyan_tang: 生地黄 note gives the source's dose" in w for w in warnings)


def test_check_reports_a_herb_above_a_capped_sovereign_without_source_grams(tmp_path: Path) -> None:
    # The case: 槐花 capped 30 → 10 g, 白茅根 left at 30 g with no grams to compare.
    directory = _copy(tmp_path)

    def raise_without_grams(formula: dict) -> None:  # type: ignore[type-arg]
        for item in formula["herbs"]:
            if item["herb"] == "herb.bai_mao_gen":
                item.update(dose_g=30, note="")
                item.pop("source_dose_g")

    _edit_formula(directory, "formula.liangxue_huoxue_tang", raise_without_grams)
    warnings = check_knowledge_base(load_knowledge_base(directory)).warnings
    assert any("白茅根 30 g outweighs the 君药 槐花 10 g (source 30 g) and has no source_dose_g" in w for w in warnings)


def test_zhihou_fang_replaces_pangolin_scale_by_a_named_modification(kb) -> None:
    # 穿山甲 is not in the 2020 Pharmacopoeia (a protected animal): the source's list keeps it, the entry declares it
    # left out, and the usable plan gets 皂角刺 through a 加减 rule that says it stands in and is not the book's.
    formula = kb.formulas["formula.zhihou_fang"]
    assert "穿山甲" in formula.source_herbs and [o.herb for o in formula.source_omits] == ["穿山甲"]
    assert kb.resolve_herb("穿山甲") is None
    stand_in = [rule for rule in formula.modifications if "穿山甲" in rule.reason]
    assert [[kb.herbs[c.herb].name for c in rule.add] for rule in stand_in] == [["皂角刺"]]
    assert "非原书所载" in stand_in[0].reason and "morphology.verrucous" in stand_in[0].when_any


def test_sunburn_and_light_eruption_heat_toxin_give_the_same_formula_for_the_same_cited_section(kb) -> None:
    # Both 热毒侵袭证 entries take their syndrome from 《中医外科学》日晒疮·热毒侵袭证: they cannot give two formulas;
    # 凉血活血汤 is 赵炳南's 白疕 血热证 formula and no source gives it for 日晒疮.
    syndromes = [kb.syndromes["syn.sunburn.heat_toxin"], kb.syndromes["syn.light_eruption.heat_toxin"]]
    assert all("日晒疮·热毒侵袭证" in syndrome.source for syndrome in syndromes)
    assert {_textbook_formula(kb, syndrome.id) for syndrome in syndromes} == {"formula.piyan_tang"}
    users = {s.disease for s in kb.syndromes.values() for link in s.formulas
             if link.formula == "formula.liangxue_huoxue_tang"}
    assert users == {"disease.psoriasis"}


@pytest.mark.parametrize(
    "formula_id",
    ["formula.huoxue_sanyu_tang", "formula.yangxue_jiedu_tang", "formula.xiaoer_huashi_tang", "formula.zhihou_fang",
     "formula.piyan_tang"],
)
def test_a_source_list_written_without_the_book_says_so(kb, formula_id: str) -> None:
    # These lists come from accounts of 赵炳南's and 朱仁康's books, not from a copy: the entry says it was not checked.
    assert "未能对照原书核对" in kb.formulas[formula_id].source_note


def test_checked_source_lists_name_what_they_were_checked_against(kb) -> None:
    assert "Complement Ther Med 2015" in kb.formulas["formula.peitu_qingxin_fang"].source_note
    # 凉血四物汤's 五灵脂: 《格致余论》's recipe (the 金鉴 formula's origin) ends 调五灵脂末饮之.
    assert "格致余论" in kb.formulas["formula.liangxue_siwu_tang"].source_note


def test_check_warns_when_two_syndromes_citing_one_section_give_different_formulas(tmp_path: Path) -> None:
    # The state issue 19 found: 日晒疮·热毒侵袭证 cited by both heat-toxin syndromes, one giving 凉血活血汤.
    directory = _copy(tmp_path)
    path = directory / "syndromes" / "sunburn.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    heat_toxin = next(s for s in data["syndromes"] if s["id"] == "syn.sunburn.heat_toxin")
    heat_toxin["formulas"] = [{"formula": "formula.liangxue_huoxue_tang", "scheme": "textbook"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    warnings = check_knowledge_base(load_knowledge_base(directory)).warnings
    assert any("《中医外科学》日晒疮·热毒侵袭证 give different textbook formulas" in w and "liangxue_huoxue_tang" in w
               and "piyan_tang" in w for w in warnings)

"""Development lines for the diseases other than 白疕: ≥ 3 per treated disease, 1 per referral-only disease.

Each case text was written by hand from the textbook or guideline description of its syndrome, the one the
knowledge entry cites (the ``source`` of each line is that entry's own source), in varied registers: clinical
notes, a patient's or parent's own words, classical (文言) phrasing and partial records (lesions only). The expert
plans name the syndrome and formula the textbook gives, with a clinician's own herbs and doses (herbs added or
dropped, children's doses), not copies of the knowledge base, and no line was derived from the engine's output.
For the four referral-only conditions the expert plan is the referral: the disease and a principle that says
where to refer and why, with no syndrome, formula or herbs.
"""

from __future__ import annotations

import re
from typing import Any

# disease key → (TCM name, {syndrome key: (textbook syndrome name, the knowledge entry's source)}).
DISEASES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "eczema": ("湿疮", {
        "damp_heat": (
            "湿热蕴肤证", "《中医外科学》湿疮·湿热蕴肤证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 湿疮·湿热浸淫证"),
        "spleen_damp": (
            "脾虚湿蕴证", "《中医外科学》湿疮·脾虚湿蕴证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 湿疮·脾虚湿盛证"),
        "blood_dryness": ("血虚风燥证",
                          "《中医外科学》湿疮·血虚风燥证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 湿疮·血虚风燥证"),
    }),
    "atopic_dermatitis": ("四弯风", {
        "heart_spleen_heat": ("心脾积热证", "《特应性皮炎中医诊疗方案专家共识》心脾积热证; 《中医外科学》四弯风"),
        "heart_fire_spleen_deficiency": ("心火脾虚证",
                                         "《特应性皮炎中医诊疗方案专家共识》心火脾虚证; 《中医外科学》四弯风"),
        "spleen_damp": ("脾虚湿蕴证", "《特应性皮炎中医诊疗方案专家共识》脾虚湿蕴证; 《中医外科学》四弯风"),
        "blood_dryness": ("血虚风燥证", "《特应性皮炎中医诊疗方案专家共识》血虚风燥证; 《中医外科学》四弯风"),
    }),
    "urticaria": ("瘾疹", {
        "wind_cold": (
            "风寒束表证", "《中医外科学》瘾疹·风寒束表证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 瘾疹·风寒证"),
        "wind_heat": (
            "风热犯表证", "《中医外科学》瘾疹·风热犯表证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 瘾疹·风热证"),
        "stomach_intestine_damp_heat": (
            "胃肠湿热证", "《中医外科学》瘾疹·胃肠湿热证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 瘾疹·胃肠湿热证"),
        "blood_dryness": ("血虚风燥证",
                          "《中医外科学》瘾疹·血虚风燥证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 瘾疹·血虚风燥证"),
    }),
    "pruritus": ("风瘙痒", {
        "wind_heat_blood_heat": ("风热血热证",
                                 "《中医外科学》风瘙痒·风热血热证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 风瘙痒"),
        "damp_heat": (
            "湿热内蕴证", "《中医外科学》风瘙痒·湿热内蕴证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 风瘙痒"),
        "blood_deficiency": ("血虚肝旺证",
                             "《中医外科学》风瘙痒·血虚肝旺证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 风瘙痒"),
    }),
    "neurodermatitis": ("牛皮癣", {
        "liver_fire": (
            "肝郁化火证", "《中医外科学》牛皮癣·肝郁化火证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 牛皮癣"),
        "wind_damp": (
            "风湿蕴肤证", "《中医外科学》牛皮癣·风湿蕴肤证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 牛皮癣"),
        "blood_dryness": ("血虚风燥证",
                          "《中医外科学》牛皮癣·血虚风燥证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 牛皮癣"),
    }),
    "contact_dermatitis": ("接触性皮炎", {
        "wind_heat": (
            "风热蕴肤证", "《中医外科学》接触性皮炎·风热蕴肤证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 漆疮"),
        "damp_heat_toxin": ("湿热毒蕴证",
                            "《中医外科学》接触性皮炎·湿热毒蕴证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 漆疮"),
        "blood_dryness": ("血虚风燥证",
                          "《中医外科学》接触性皮炎·血虚风燥证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 漆疮"),
    }),
    "seborrheic_dermatitis": ("白屑风", {
        "wind_heat_blood_dryness": (
            "风热血燥证", "《中医外科学》面游风·风热血燥证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 面游风"),
        "stomach_intestine_damp_heat": (
            "肠胃湿热证", "《中医外科学》面游风·肠胃湿热证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 面游风"),
    }),
    "acne": ("粉刺", {
        "lung_wind_heat": (
            "肺经风热证", "《中医外科学》粉刺·肺经风热证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 粉刺"),
        "damp_heat": ("肠胃湿热证", "《中医外科学》粉刺·肠胃湿热证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 粉刺"),
        "phlegm_stasis": (
            "痰湿瘀滞证", "《中医外科学》粉刺·痰湿瘀滞证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 粉刺"),
        "chong_ren": ("冲任不调证", "《中医皮肤科常见病诊疗指南》粉刺·冲任不调证; 《中医外科学》粉刺"),
    }),
    "herpes_zoster": ("蛇串疮", {
        "liver_heat": (
            "肝经郁热证", "《中医外科学》蛇串疮·肝经郁热证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 蛇串疮"),
        "spleen_damp": (
            "脾虚湿蕴证", "《中医外科学》蛇串疮·脾虚湿蕴证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 蛇串疮"),
        "qi_blood_stasis": ("气滞血瘀证",
                            "《中医外科学》蛇串疮·气滞血瘀证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 蛇串疮"),
    }),
    "vitiligo": ("白驳风", {
        "liver_qi": (
            "肝郁气滞证", "《中医外科学》白驳风·肝郁气滞证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 白驳风"),
        "liver_kidney": (
            "肝肾不足证", "《中医外科学》白驳风·肝肾不足证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 白驳风"),
        "blood_stasis": (
            "气血瘀滞证", "《中医外科学》白驳风·气血瘀滞证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 白驳风"),
    }),
    "light_eruption": ("日光疮", {
        "damp_heat": ("湿热毒蕴证", "《中医外科学》日晒疮·湿毒搏结证; 《中医皮肤科常见病诊疗指南》多形性日光疹"),
        "heat_toxin": ("热毒侵袭证", "《中医外科学》日晒疮·热毒侵袭证; 《中医皮肤科常见病诊疗指南》多形性日光疹"),
    }),
    "melasma": ("黧黑斑", {
        "liver_qi": ("肝郁气滞证", "《中医外科学》黧黑斑·肝郁气滞证; 《黄褐斑中西医结合诊疗共识》(2019)"),
        "liver_kidney": ("肝肾不足证", "《中医外科学》黧黑斑·肝肾不足证; 《黄褐斑中西医结合诊疗共识》(2019)"),
        "spleen_damp": ("脾虚湿蕴证", "《中医外科学》黧黑斑·脾虚湿蕴证; 《黄褐斑中西医结合诊疗共识》(2019)"),
        "blood_stasis": ("气滞血瘀证", "《中医外科学》黧黑斑·气滞血瘀证; 《黄褐斑中西医结合诊疗共识》(2019)"),
    }),
    "alopecia_areata": ("油风", {
        "blood_heat": ("血热风燥证", "《中医外科学》油风·血热风燥证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 油风"),
        "blood_stasis": (
            "气滞血瘀证", "《中医外科学》油风·气滞血瘀证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 油风"),
        "qi_blood_deficiency": ("气血两虚证",
                                "《中医外科学》油风·气血两虚证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 油风"),
        "liver_kidney": (
            "肝肾不足证", "《中医外科学》油风·肝肾不足证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 油风"),
    }),
    "warts": ("扁瘊", {
        "wind_heat": (
            "风热蕴结证", "《中医外科学》疣·扁瘊·风热蕴结证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 扁瘊"),
        "heat_stasis": (
            "热瘀互结证", "《中医外科学》疣·扁瘊·热瘀互结证; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 扁瘊"),
    }),
}

# Referral-only conditions: key → (name, the knowledge entry's source).
REFERRALS: dict[str, tuple[str, str]] = {
    "lupus": (
        "红蝴蝶疮", "《中医外科学》(全国中医药行业高等教育规划教材) 红蝴蝶疮; 《中医皮肤科常见病诊疗指南》转诊指征"),
    "erythroderma": ("红皮病", "《中医皮肤科常见病诊疗指南》转诊指征; 《中医外科学》白疕·红皮病型"),
    "generalized_pustulosis": ("泛发性脓疱性疾病", "《中医皮肤科常见病诊疗指南》转诊指征; 《中医外科学》白疕·脓疱型"),
    "skin_malignancy": ("疑似皮肤恶性肿瘤", "《中医皮肤科常见病诊疗指南》转诊指征"),
}

LETTERS = "ABCD"


def herbs(text: str) -> list[dict[str, Any]]:
    """Parse "水牛角30 生地黄15 …" into expert herbs (grams after each name).

    Args:
        text: Herb names each followed by its dose in grams, separated by spaces.

    Returns:
        The expert herbs as ``{"name", "dose_g"}`` dicts.

    Raises:
        ValueError: When an item has no dose.
    """
    out = []
    for item in text.split():
        match = re.fullmatch(r"(\D+?)(\d+(?:\.\d+)?)", item)
        if match is None:
            raise ValueError(f"herb item without grams: {item}")
        out.append({"name": match.group(1), "dose_g": float(match.group(2))})
    return out


def options(disease: str, syndrome: str, number: int) -> tuple[dict[str, str], str]:
    """A–D options: the disease's syndromes (the answer and its distractors), rotated so the answer's letter varies."""
    names = [name for name, _ in DISEASES[disease][1].values()]
    shift = number % len(names)
    order = names[shift:] + names[:shift]
    answer = DISEASES[disease][1][syndrome][0]
    return dict(zip(LETTERS, order, strict=False)), LETTERS[order.index(answer)]


def treated(
    disease: str,
    syndrome: str,
    number: int,
    case: dict[str, Any],
    *,
    principle: str,
    pathogenesis: str,
    formula: str,
    prescription: str,
    name: str = "",
    note: str = "",
    with_options: bool = False,
) -> dict[str, Any]:
    """One line of a treated disease; ``name`` overrides the textbook syndrome name (an alias the expert used)."""
    disease_name, syndromes = DISEASES[disease]
    textbook_name, source = syndromes[syndrome]
    expert: dict[str, Any] = {
        "disease": disease_name,
        "syndrome": name or textbook_name,
        "treatment_principle": principle,
        "pathogenesis": pathogenesis,
        "formula": formula,
        "herbs": herbs(prescription),
    }
    if with_options:
        expert["syndrome_options"], expert["syndrome_answer"] = options(disease, syndrome, number)
    case_id = f"dev-{disease}-{syndrome}-{number:02d}"
    return {"case": {"case_id": case_id, **case}, "expert": expert, "source": source + note}


def referral(key: str, case: dict[str, Any], *, principle: str) -> dict[str, Any]:
    """One line of a referral-only condition: the expert names the disease and refers, prescribing nothing."""
    name, source = REFERRALS[key]
    expert = {"disease": name, "treatment_principle": principle}
    return {"case": {"case_id": f"dev-refer-{key}-01", **case}, "expert": expert, "source": source}


def eczema() -> list[dict[str, Any]]:
    """湿疮: one line per syndrome."""
    key = "eczema"
    return [
        treated(key, "damp_heat", 1, {
            "patient": {"sex": "M", "age": 32},
            "chief_complaint": "双小腿红斑、丘疱疹伴渗液、剧痒5天",
            "history": "1周前进食海鲜、饮酒后双小腿起红疹，搔抓后迅速增多，渗液不止。",
            "lesion_description": "双小腿伸侧对称分布片状潮红斑，其上密集粟粒大小丘疹、丘疱疹及小水疱，"
                                  "多处搔破糜烂，渗液淋漓，边界不清。",
            "symptoms": "瘙痒剧烈，局部灼热，心烦，口渴，大便干，小便短赤。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            principle="清热利湿，凉血止痒",
            pathogenesis="饮酒食腥，湿热内生，复感风湿热邪，内外相搏，浸淫肌肤，故潮红灼热、丘疱疹密集、糜烂渗液。",
            formula="龙胆泻肝汤合萆薢渗湿汤加减",
            prescription="龙胆6 黄芩10 栀子10 粉萆薢15 薏苡仁30 黄柏10 泽泻10 车前子15 滑石15 "
                         "牡丹皮10 生地黄15 白鲜皮15 甘草6",
            with_options=True),
        treated(key, "spleen_damp", 2, {
            "patient": {"sex": "F", "age": 46},
            "chief_complaint": "手上、腿上老起湿疹，反反复复两年多了",
            "history": "起的时候是一片小红疙瘩和小水泡，一抓就破，流清水，好一阵坏一阵，一直没断根。",
            "symptoms": "痒，但没以前那么红。平时吃饭不香，吃一点肚子就胀，大便稀，人老是没劲，腿发沉。",
            "tongue": "舌头胖，边上有牙印，舌苔白腻"},
            name="脾虚湿盛证", principle="健脾利湿止痒",
            pathogenesis="脾失健运，湿从内生，浸淫肌肤，故疹色不甚红而渗出清稀、缠绵反复，纳呆腹胀便溏。",
            formula="除湿胃苓汤加减",
            prescription="苍术10 厚朴6 陈皮10 白术12 猪苓10 泽泻10 茯苓15 滑石12 防风6 薏苡仁30 白鲜皮10 甘草3"),
        treated(key, "blood_dryness", 3, {
            "patient": {"sex": "M", "age": 58},
            "chief_complaint": "胫前肌肤粗厚，痒如虫行，入夜尤甚，历有数载",
            "history": "湿疮久治不愈，初时流滋，今已干涸。",
            "lesion_description": "两胫皮色暗红，肥厚粗糙，状若苔藓，干裂起屑，抓痕血痂累累。",
            "symptoms": "口干不欲多饮，夜寐不安。",
            "tongue": "舌淡，苔少", "pulse": "脉弦细"},
            principle="养血润肤，祛风止痒",
            pathogenesis="湿疮日久，耗伤阴血，血虚生风化燥，肌肤失养，故肥厚粗糙、干裂作痒而夜甚。",
            formula="当归饮子加减",
            prescription="当归12 生地黄15 白芍12 川芎6 制何首乌15 黄芪15 荆芥10 防风10 蒺藜12 丹参15 甘草6",
            note="（文言）"),
    ]


def atopic_dermatitis() -> list[dict[str, Any]]:
    """四弯风: one line per syndrome, from infancy to adulthood."""
    key = "atopic_dermatitis"
    return [
        treated(key, "heart_spleen_heat", 1, {
            "patient": {"sex": "M", "age": 0.5},
            "chief_complaint": "宝宝两边脸蛋红红的，起小疹子，流黄水结痂，快两个月了",
            "history": "满月后脸上开始起，老人说是奶癣。孩子爸爸有过敏性鼻炎。",
            "symptoms": "孩子老用脸蹭枕头，晚上哭闹睡不安稳，大便干，尿黄。",
            "tongue": "舌尖红，苔薄黄"},
            principle="清心导赤，护阴止痒",
            pathogenesis="胎中遗热，心脾积热，熏蒸于面，故两颊潮红、渗出结痂，心火扰神则烦躁哭闹。",
            formula="清心导赤散加减",
            prescription="生地黄6 淡竹叶3 连翘5 黄连1.5 灯心草1 通草2 蝉蜕3 白鲜皮5 甘草2",
            note="（小儿剂量）", with_options=True),
        treated(key, "heart_fire_spleen_deficiency", 2, {
            "patient": {"sex": "F", "age": 7},
            "chief_complaint": "肘窝、腘窝皮疹反复发作3年",
            "history": "婴儿期有奶癣史，父亲患过敏性鼻炎。每于季节交替加重。",
            "lesion_description": "双肘窝、腘窝淡红斑及丘疹，干燥脱屑，轻度苔藓样变，散在抓痕。",
            "symptoms": "瘙痒以夜间为甚，心烦急躁，入睡困难，纳差，大便偏稀。",
            "tongue": "舌尖红，苔薄白", "pulse": "脉细数"},
            principle="清心培土，止痒安神",
            pathogenesis="心火偏亢而脾土不足，脾虚失运，湿热蕴于四弯，心火扰神，故皮疹反复、烦躁少寐、纳差便溏。",
            formula="培土清心方加减",
            prescription="太子参10 山药10 薏苡仁15 连翘6 淡竹叶5 灯心草1 钩藤6 生地黄10 茯苓10 甘草3",
            note="（小儿剂量）", with_options=True),
        treated(key, "spleen_damp", 3, {
            "patient": {"sex": "M", "age": 3},
            "chief_complaint": "特应性皮炎2年，面部及四肢屈侧皮疹时轻时重",
            "lesion_description": "面颊、颈部及肘窝淡红斑、丘疹、丘疱疹，部分轻度渗液。",
            "symptoms": "食欲差，挑食，大便溏薄，面色萎黄。",
            "tongue": "舌淡胖，苔白腻", "pulse": "脉缓"},
            principle="健脾渗湿止痒",
            pathogenesis="小儿脾常不足，运化失司，水湿内停，泛于肌肤，故疹色淡红、渗液，纳差便溏。",
            formula="参苓白术散加减",
            prescription="党参6 白术6 茯苓10 山药10 白扁豆10 薏苡仁15 砂仁3 陈皮5 地肤子6 甘草3",
            note="（小儿剂量）"),
        treated(key, "blood_dryness", 4, {
            "patient": {"sex": "M", "age": 23},
            "chief_complaint": "自幼患四弯风，今肘膝屈侧肌肤甲错，痒无休时",
            "history": "襁褓中即面生湿疮，长而疹移肘膝之弯，缠绵至今，兼有鼻鼽。",
            "lesion_description": "肘窝、腘窝皮肤干燥肥厚，纹理加深，色暗，覆细屑，抓痕交错。",
            "symptoms": "入夜痒甚，口干，面色少华。",
            "tongue": "舌淡，苔薄少", "pulse": "脉细"},
            principle="养血祛风，润燥止痒",
            pathogenesis="病久伤阴耗血，血虚风燥，肌肤失于濡养，故干燥肥厚、甲错作痒。",
            formula="当归饮子加减",
            prescription="当归10 生地黄15 白芍10 川芎6 制何首乌10 黄芪15 荆芥10 防风10 蒺藜10 麦冬10 甘草6",
            note="（文言）", with_options=True),
    ]


def urticaria() -> list[dict[str, Any]]:
    """瘾疹: one line per syndrome; the chronic one is a follow-up visit."""
    key = "urticaria"
    return [
        treated(key, "wind_cold", 1, {
            "patient": {"sex": "F", "age": 30},
            "chief_complaint": "一吹冷风身上就起一块一块的白疙瘩，痒得受不了",
            "history": "入冬后骑电动车上班，脸上、手上、脖子上露在外面的地方就起，进屋暖和了半个小时就消了，"
                       "不留印子。",
            "symptoms": "怕冷，怕风，不怎么出汗。",
            "tongue": "舌淡，苔薄白", "pulse": "脉浮紧"},
            principle="疏风散寒，调和营卫",
            pathogenesis="卫外不固，风寒之邪客于肌表，营卫失和，故遇冷风则风团色白、得暖则消。",
            formula="麻黄桂枝各半汤加减",
            prescription="麻黄6 桂枝10 白芍10 苦杏仁6 生姜6 大枣10 防风10 荆芥10 甘草6",
            with_options=True),
        treated(key, "wind_heat", 2, {
            "patient": {"sex": "M", "age": 26},
            "chief_complaint": "全身反复起风团伴瘙痒3天",
            "history": "3天前咽痛后出现，此起彼伏，每次持续数小时。",
            "lesion_description": "躯干、四肢散在鲜红色风团，大小不等，部分融合成片，数小时内消退，不留痕迹。",
            "symptoms": "瘙痒剧烈，皮肤灼热，遇热加重，咽痛，口渴。",
            "tongue": "舌红，苔薄黄", "pulse": "脉浮数"},
            principle="疏风清热止痒",
            pathogenesis="风热之邪客于肌表，与气血相搏，郁于皮毛腠理之间，故风团鲜红灼热、遇热加剧。",
            formula="消风散加减",
            prescription="荆芥10 防风10 牛蒡子10 蝉蜕6 苦参6 石膏30 知母10 当归10 生地黄15 金银花15 甘草5"),
        treated(key, "stomach_intestine_damp_heat", 3, {
            "patient": {"sex": "M", "age": 40},
            "chief_complaint": "食鱼虾后周身瘾疹，脘腹作痛欲呕",
            "history": "昨夜宴饮，啖鱼虾甚多，夜半遍身发疹，成块成片。",
            "lesion_description": "风团色红，连接成片，瘙痒难忍。",
            "symptoms": "脘腹疼痛，恶心欲吐，大便秘结，溲黄。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            principle="疏风解表，通腑泄热",
            pathogenesis="饮食不节，腥发动风，湿热蕴于肠胃，不得疏泄，外郁皮毛，故疹块成片、腹痛欲呕、便秘。",
            formula="防风通圣散加减",
            prescription="防风10 荆芥10 麻黄5 薄荷5 大黄6 黄芩10 连翘10 栀子10 石膏20 滑石15 当归10 白芍10 甘草6",
            note="（文言）", with_options=True),
        treated(key, "blood_dryness", 4, {
            "patient": {"sex": "F", "age": 52},
            "visit": {"number": 2},
            "chief_complaint": "慢性荨麻疹1年余复诊",
            "history": "风团反复发作1年余，多在午后及夜间发作，劳累后加重，长期服抗组胺药，停药即发。"
                       "初诊予当归饮子加减2周。",
            "lesion_description": "风团淡红，散在，数量较初诊减少。",
            "symptoms": "仍觉夜间瘙痒，神疲乏力，面色少华，时有头晕，睡眠欠佳。",
            "tongue": "舌淡，苔薄白", "pulse": "脉细弱",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "风团反复1年，夜间发作，乏力头晕", "syndrome": "血虚风燥证",
                "plan": {"formula": "当归饮子加减",
                         "herbs": [{"name": "当归", "dose_g": 10}, {"name": "黄芪", "dose_g": 15},
                                   {"name": "制何首乌", "dose_g": 10}]},
                "response": "风团减少，夜痒仍作"}]},
            principle="养血祛风，润燥止痒",
            pathogenesis="病久气血耗伤，血虚生风，气虚卫外不固，故风团反复、夜间为甚、神疲面色少华。",
            formula="当归饮子加减",
            prescription="当归10 生地黄15 白芍12 川芎6 制何首乌10 黄芪20 荆芥10 防风10 蒺藜10 首乌藤15 甘草6",
            note="（复诊）"),
    ]


def pruritus() -> list[dict[str, Any]]:
    """风瘙痒: one line per syndrome."""
    key = "pruritus"
    return [
        treated(key, "wind_heat_blood_heat", 1, {
            "patient": {"sex": "M", "age": 22},
            "chief_complaint": "身上痒了一个多月，一热就痒得更厉害，可是看不出起什么疹子",
            "history": "夏天开始的，出汗、洗热水澡、喝酒以后都更痒，身上抓出一道一道的血印子。",
            "symptoms": "心烦，口渴，小便黄。",
            "tongue": "舌红，苔薄黄", "pulse": "脉浮数"},
            name="风热证", principle="疏风清热，凉血止痒",
            pathogenesis="血热内蕴，复感风热，风热相搏于肌肤，故遇热痒甚，无疹而搔痕累累。",
            formula="消风散加减",
            prescription="荆芥10 防风10 牛蒡子10 蝉蜕6 苦参6 石膏20 知母10 当归10 生地黄20 牡丹皮10 赤芍10 甘草5",
            with_options=True),
        treated(key, "damp_heat", 2, {
            "patient": {"sex": "M", "age": 48},
            "chief_complaint": "皮肤瘙痒3月，阴囊及下肢为甚",
            "history": "无原发皮损，搔抓后局部渗液结痂。嗜酒。空腹血糖、肝肾功能正常。",
            "lesion_description": "下肢及阴囊皮肤散在抓痕、血痂，部分抓破处少量渗液、糜烂。",
            "symptoms": "口苦口黏，脘闷纳呆，小便黄赤，肢体困重。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            principle="清热利湿，祛风止痒",
            pathogenesis="嗜酒酿生湿热，蕴于肌肤，不得疏泄，下注阴股，故痒甚而抓后渗液，口苦口黏，苔黄腻。",
            formula="龙胆泻肝汤加减",
            prescription="龙胆6 黄芩10 栀子10 泽泻10 车前子15 当归6 生地黄12 柴胡6 苦参10 白鲜皮15 地肤子15 甘草6"),
        treated(key, "blood_deficiency", 3, {
            "patient": {"sex": "M", "age": 76},
            "chief_complaint": "年逾古稀，每至冬月周身作痒，入夜尤甚",
            "history": "已历三冬，皮上不起疹，但搔之起白屑，甚则血痕交错。",
            "lesion_description": "周身肌肤干燥，覆糠秕样细屑，抓痕血痂散在。",
            "symptoms": "头晕眼花，少寐多梦，心烦易躁。",
            "tongue": "舌淡红，苔薄少", "pulse": "脉弦细"},
            principle="养血润燥，平肝息风",
            pathogenesis="年老气血亏虚，血虚生风，肝失所养而风阳易动，肌肤失濡，故冬夜作痒、皮燥起屑。",
            formula="当归饮子加减",
            prescription="当归12 生地黄15 熟地黄15 白芍12 川芎6 制何首乌15 黄芪15 荆芥10 防风10 蒺藜10 牡蛎30 甘草6",
            note="（文言）"),
    ]


def neurodermatitis() -> list[dict[str, Any]]:
    """牛皮癣 (神经性皮炎): one line per syndrome."""
    key = "neurodermatitis"
    return [
        treated(key, "liver_fire", 1, {
            "patient": {"sex": "F", "age": 35},
            "chief_complaint": "脖子后面一块皮又厚又痒，一生气、一熬夜就痒得厉害",
            "history": "两年前工作压力大开始的，医生说是神经性皮炎。最近和领导闹矛盾，痒得更厉害，越抓越厚。",
            "symptoms": "心烦，爱发脾气，晚上睡不着，多梦，嘴里发苦。",
            "tongue": "舌边尖红", "pulse": "脉弦数"},
            principle="疏肝理气，清肝泻火",
            pathogenesis="情志不遂，肝郁化火，火热伏于营血，外郁肌肤，故每因恼怒紧张则痒剧、心烦失眠口苦。",
            formula="龙胆泻肝汤加减",
            prescription="龙胆6 黄芩10 栀子10 柴胡10 当归10 生地黄15 泽泻10 车前子10 白鲜皮15 珍珠母30 甘草6",
            with_options=True),
        treated(key, "wind_damp", 2, {
            "patient": {"sex": "M", "age": 44},
            "chief_complaint": "骶尾部及双肘伸侧斑块伴阵发性瘙痒2年",
            "lesion_description": "骶尾及双肘伸侧淡褐色苔藓样斑块，皮纹加深，浸润肥厚，表面少许细屑，无银白色鳞屑。",
            "symptoms": "阵发性剧痒，夜间尤甚，肢体困重。",
            "tongue": "舌淡红，苔白腻", "pulse": "脉濡缓"},
            principle="祛风利湿，清热止痒",
            pathogenesis="风湿之邪蕴阻肌肤，经气不畅，日久肌肤失养，故斑块肥厚、阵发瘙痒、肢重苔腻。",
            formula="消风散加减",
            prescription="荆芥10 防风10 牛蒡子10 蝉蜕6 苍术10 苦参10 石膏15 知母10 当归10 生地黄15 白鲜皮15 甘草5"),
        treated(key, "blood_dryness", 3, {
            "patient": {"sex": "F", "age": 56},
            "chief_complaint": "摄领疮十余年，项后之皮厚如牛领，色淡而干",
            "history": "初起如粟，搔之成片，时发时止，近岁愈见干燥。",
            "lesion_description": "项后斑片色淡褐，干燥粗糙，纹理深阔，少许灰白细屑。",
            "symptoms": "面色无华，心悸少寐，头晕，经水量少。",
            "tongue": "舌淡，苔薄", "pulse": "脉沉细"},
            name="血燥证", principle="养血润燥，息风止痒",
            pathogenesis="病久营血亏耗，血虚生风化燥，肌肤失养，故皮厚而干、色淡少华。",
            formula="当归饮子加减",
            prescription="当归12 生地黄15 白芍12 川芎6 制何首乌15 黄芪15 荆芥10 防风10 蒺藜12 首乌藤20 甘草6",
            note="（文言）", with_options=True),
    ]


def contact_dermatitis() -> list[dict[str, Any]]:
    """接触性皮炎: one line per syndrome."""
    key = "contact_dermatitis"
    return [
        treated(key, "wind_heat", 1, {
            "patient": {"sex": "F", "age": 27},
            "chief_complaint": "换了新的面霜，第二天脸就红了，起了一层小疙瘩",
            "history": "前天开始用一个新牌子的面霜，涂的地方都红，没涂的脖子不红。停用一天了。",
            "lesion_description": "面部红斑，上面密密麻麻的小红疙瘩，有点肿。",
            "symptoms": "又热又痒，口干，有点心烦。",
            "tongue": "舌红，苔薄白", "pulse": "脉浮数"},
            principle="疏风清热止痒",
            pathogenesis="禀性不耐，接触化妆品毒邪，风热之邪郁于肌表，故面部红斑丘疹、灼热瘙痒。",
            formula="消风散加减",
            prescription="荆芥10 防风10 牛蒡子10 蝉蜕6 苦参6 石膏20 知母10 当归6 生地黄15 金银花15 连翘10 甘草5",
            with_options=True),
        treated(key, "damp_heat_toxin", 2, {
            "patient": {"sex": "M", "age": 35},
            "chief_complaint": "腰部外贴膏药后红肿、水疱2天",
            "history": "3天前因腰痛外贴伤湿止痛膏，次日局部灼热瘙痒，揭去后红肿起疱。",
            "lesion_description": "腰部鲜红色肿胀性斑片，边界清楚，形状与膏药一致，其上密集水疱，部分破溃糜烂渗液。",
            "symptoms": "灼热痒痛，低热，口渴，大便干，小便黄。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            principle="清热祛湿，凉血解毒",
            pathogenesis="膏药毒邪外袭，与内蕴湿热相搏，毒热炽盛，故红肿起疱、糜烂渗液、灼热身热。",
            formula="化斑解毒汤合龙胆泻肝汤加减",
            prescription="石膏30 玄参12 知母10 黄连5 连翘12 牛蒡子10 升麻6 淡竹叶10 生地黄15 车前子15 甘草6"),
        treated(key, "blood_dryness", 3, {
            "patient": {"sex": "F", "age": 50},
            "chief_complaint": "双手皮肤干燥、肥厚、皲裂反复3年",
            "history": "家庭主妇，长期用洗洁精洗碗、手洗衣物，反复接触后出现，戴手套后可减轻。",
            "lesion_description": "双手掌指及手背皮肤干燥肥厚，轻度苔藓样变，皲裂脱屑，色暗红，"
                                  "边界大致与浸水部位一致。"},
            principle="养血润燥，祛风止痒",
            pathogenesis="反复接触洗涤之毒，病久耗血伤阴，血虚风燥，肌肤失养，故干燥肥厚、皲裂脱屑。",
            formula="当归饮子加减",
            prescription="当归10 生地黄15 白芍12 川芎6 制何首乌10 黄芪15 荆芥10 防风10 蒺藜10 鸡血藤15 甘草6",
            note="（仅有皮损记录）"),
    ]


def seborrheic_dermatitis() -> list[dict[str, Any]]:
    """白屑风 (面游风): two syndromes, the damp-heat one twice (oily and classical)."""
    key = "seborrheic_dermatitis"
    return [
        treated(key, "wind_heat_blood_dryness", 1, {
            "patient": {"sex": "M", "age": 25},
            "chief_complaint": "头皮屑特别多，一挠就往下掉，头皮发痒",
            "history": "大半年了，换了好几种洗发水都不管用，冬天更明显，眉毛里也有白皮。",
            "lesion_description": "头皮淡红色斑片，上面一层细细的白色头皮屑，干干的。",
            "symptoms": "口干，大便偏干。",
            "tongue": "舌红，苔薄白", "pulse": "脉细数"},
            principle="祛风清热，养血润燥",
            pathogenesis="风热之邪外袭，郁久化燥，耗伤阴血，肌肤失养，故头皮淡红、白屑纷飞而作痒。",
            formula="消风散加减",
            prescription="荆芥10 防风10 牛蒡子10 蝉蜕6 苦参6 石膏15 知母10 当归10 生地黄15 黑芝麻10 白鲜皮10 甘草5",
            with_options=True),
        treated(key, "stomach_intestine_damp_heat", 2, {
            "patient": {"sex": "M", "age": 30},
            "chief_complaint": "面部及头皮油腻性鳞屑、红斑伴痒半年",
            "lesion_description": "眉间、鼻唇沟及鼻翼两侧黄红色斑片，覆油腻性鳞屑及痂皮，头皮油腻，"
                                  "耳后少量渗出、糜烂。",
            "symptoms": "皮肤油亮，口苦口黏，脘腹痞闷，小便黄。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            principle="健脾除湿，清热止痒",
            pathogenesis="过食肥甘，脾胃运化失常，湿热内蕴，上蒸头面，故红斑覆油腻鳞屑、渗出结痂。",
            formula="除湿胃苓汤加减",
            prescription="苍术10 厚朴6 陈皮10 白术10 猪苓10 泽泻10 茯苓15 滑石15 防风6 栀子10 黄芩10 甘草3"),
        treated(key, "stomach_intestine_damp_heat", 3, {
            "patient": {"sex": "M", "age": 38},
            "chief_complaint": "面游风三年，面上油光，鼻旁眉际红斑覆黄腻之屑",
            "history": "素嗜肥甘醇酒，面垢如油，搔之黄痂脱落，旋复又生。",
            "symptoms": "口黏而苦，纳呆脘痞，溲赤。",
            "tongue": "苔黄腻", "pulse": "脉滑"},
            name="胃肠湿热证", principle="健脾除湿，清热止痒",
            pathogenesis="恣食肥甘醇酒，湿热蕴结肠胃，循经上蒸于面，故面垢油光、黄痂叠起。",
            formula="除湿胃苓汤加减",
            prescription="苍术10 厚朴6 陈皮6 白术10 猪苓10 泽泻10 茯苓15 滑石12 防风6 栀子6 茵陈15 甘草3",
            note="（文言）", with_options=True),
    ]


def acne() -> list[dict[str, Any]]:
    """粉刺: one line per syndrome."""
    key = "acne"
    return [
        treated(key, "lung_wind_heat", 1, {
            "patient": {"sex": "M", "age": 17},
            "chief_complaint": "脸上长了好多小痘痘，还有黑头，半年了",
            "history": "上高中以后开始长，额头和鼻子周围最多，有的挤出来是白色的东西。",
            "symptoms": "有点痒，口干，爱喝水，大便偏干。",
            "tongue": "舌红，苔薄黄", "pulse": "脉浮数"},
            principle="疏风清肺",
            pathogenesis="素体阳热偏盛，肺经蕴热，复受风邪，熏蒸面部，故额鼻粉刺丘疹、口干。",
            formula="枇杷清肺饮加减",
            prescription="枇杷叶10 桑白皮12 黄芩10 黄连3 黄柏6 栀子10 金银花15 野菊花10 连翘10 甘草5",
            with_options=True),
        treated(key, "damp_heat", 2, {
            "patient": {"sex": "F", "age": 22},
            "chief_complaint": "颜面、胸背部丘疹、脓疱反复1年，加重1月",
            "history": "喜食火锅、甜食及油炸食品。",
            "lesion_description": "颜面、前胸、后背散在红色丘疹、脓疱，部分红肿疼痛，皮肤油腻，毛孔粗大。",
            "symptoms": "口臭，大便秘结，小便黄。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            principle="清热除湿解毒",
            pathogenesis="过食辛辣肥甘，肠胃湿热互结，上蒸颜面胸背，故丘疹脓疱、皮肤油腻、口臭便秘。",
            formula="茵陈蒿汤加减",
            prescription="茵陈15 栀子10 大黄6 黄芩10 黄柏10 蒲公英15 白花蛇舌草15 薏苡仁30 甘草5"),
        treated(key, "phlegm_stasis", 3, {
            "patient": {"sex": "M", "age": 24},
            "chief_complaint": "面部结节、囊肿反复3年",
            "lesion_description": "双颊及下颌多发暗红色结节、囊肿，黄豆至蚕豆大小，按之疼痛，部分融合，"
                                  "挤压有脓血溢出，遗留凹陷性瘢痕及色素沉着。"},
            principle="除湿化痰，活血散结",
            pathogenesis="病久湿热凝聚成痰，气血瘀滞，痰瘀互结于面，故结节囊肿色暗、愈后留瘢。",
            formula="二陈汤合桃红四物汤加减",
            prescription="半夏9 陈皮10 茯苓15 桃仁10 红花6 当归10 川芎6 赤芍10 浙贝母10 夏枯草15 皂角刺10 甘草5",
            note="（仅有皮损记录）", with_options=True),
        treated(key, "chong_ren", 4, {
            "patient": {"sex": "F", "age": 28},
            "chief_complaint": "每值经前面生粉刺，下颌尤多，经后稍减",
            "history": "月信先后不定，经行腹痛，量少有块，屡发两载。",
            "symptoms": "经前乳房胀痛，胸胁不舒，心烦易怒。",
            "tongue": "舌暗红，苔薄黄", "pulse": "脉弦细"},
            principle="疏肝解郁，调理冲任",
            pathogenesis="情志内伤，肝气郁结，冲任失调，经前气血壅滞，郁而化热上熏，故粉刺随月事消长。",
            formula="逍遥散加减",
            prescription="柴胡10 当归10 白芍12 白术10 茯苓12 香附10 益母草15 丹参15 薄荷3 甘草5",
            note="（文言）"),
    ]


def herpes_zoster() -> list[dict[str, Any]]:
    """蛇串疮: one line per syndrome; the post-herpetic one is a follow-up visit."""
    key = "herpes_zoster"
    return [
        treated(key, "liver_heat", 1, {
            "patient": {"sex": "M", "age": 55},
            "chief_complaint": "右胸胁部簇集水疱伴灼痛4天",
            "history": "发疹前2天右胸胁刺痛，继而出现红斑水疱。",
            "lesion_description": "右侧胸胁部沿肋间分布的片状红斑，其上簇集粟粒至绿豆大小水疱，疱壁紧张，"
                                  "呈带状排列，未超过前正中线。",
            "symptoms": "灼热刺痛，口苦咽干，心烦易怒，大便干，小便黄。",
            "tongue": "舌红，苔薄黄", "pulse": "脉弦数"},
            principle="清泻肝火，解毒止痛",
            pathogenesis="情志内伤，肝气郁结，久而化火，肝经火毒蕴积，外溢肌肤，故胁肋红斑水疱、灼痛口苦。",
            formula="龙胆泻肝汤加减",
            prescription="龙胆6 黄芩10 栀子10 柴胡10 生地黄15 泽泻10 车前子15 板蓝根15 延胡索10 紫草10 甘草6",
            with_options=True),
        treated(key, "spleen_damp", 2, {
            "patient": {"sex": "F", "age": 63},
            "chief_complaint": "腰上一圈起了水泡，一边疼，一个礼拜了",
            "history": "先是左边腰发胀发疼，后来起了一串串的水泡，颜色不太红，有的破了流水。",
            "symptoms": "疼得不算太厉害。吃饭没胃口，肚子胀，大便稀，浑身没劲。",
            "tongue": "舌头淡、胖，苔白腻", "pulse": "脉濡"},
            principle="健脾利湿，解毒止痛",
            pathogenesis="脾失健运，湿浊内停，郁而化热，湿热搏结，外发肌肤，故疱多色淡、破流清水、纳呆便溏。",
            formula="除湿胃苓汤加减",
            prescription="苍术10 厚朴6 陈皮10 白术10 猪苓10 泽泻10 茯苓15 滑石12 防风6 薏苡仁30 延胡索10 甘草3"),
        treated(key, "qi_blood_stasis", 3, {
            "patient": {"sex": "M", "age": 71},
            "visit": {"number": 3},
            "chief_complaint": "带状疱疹皮疹已愈1月，局部刺痛不休",
            "history": "左胸背带状疱疹，初诊予龙胆泻肝汤加减，水疱干涸结痂脱落。现皮损消退，疼痛持续。",
            "lesion_description": "左胸背原皮损处遗留淡褐色色素沉着，无新发水疱。",
            "symptoms": "阵发性针刺样疼痛，触衣即痛，夜间加重，难以入睡，情绪低落。",
            "tongue": "舌暗，有瘀斑，苔薄白", "pulse": "脉弦涩",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "左胸背簇集水疱灼痛，口苦", "syndrome": "肝经郁热证",
                "plan": {"formula": "龙胆泻肝汤加减",
                         "herbs": [{"name": "龙胆", "dose_g": 6}, {"name": "栀子", "dose_g": 10},
                                   {"name": "板蓝根", "dose_g": 15}]},
                "response": "水疱结痂脱落，疼痛未减"}]},
            principle="理气活血，通络止痛",
            pathogenesis="年老体虚，余毒未清，气血凝滞，经络阻塞不通，不通则痛，故皮疹虽退而刺痛不休。",
            formula="柴胡疏肝散合桃红四物汤加减",
            prescription="柴胡10 香附10 川芎10 桃仁10 红花6 当归10 赤芍12 白芍12 延胡索15 "
                         "川楝子10 鸡血藤15 甘草5",
            note="（复诊）", with_options=True),
    ]


def vitiligo() -> list[dict[str, Any]]:
    """白驳风: one line per syndrome."""
    key = "vitiligo"
    return [
        treated(key, "liver_qi", 1, {
            "patient": {"sex": "F", "age": 32},
            "chief_complaint": "脖子上有几块白斑，最近和家里人吵架以后变大了",
            "history": "一年前发现脖子上有指甲盖大的白斑，不痛不痒，医院说是白癜风。"
                       "最近心情不好，白斑扩大，又新出了两块。",
            "symptoms": "胸口闷，老叹气，两边胁肋胀，经前乳房胀痛，月经时早时晚。",
            "tongue": "舌淡红，苔薄白", "pulse": "脉弦"},
            principle="疏肝理气，活血祛风",
            pathogenesis="情志不遂，肝气郁结，气机不畅，复受风邪，搏于肌肤，气血失和，故白斑随情志而扩展。",
            formula="逍遥散加减",
            prescription="柴胡10 当归10 白芍12 白术10 茯苓12 郁金10 蒺藜15 补骨脂10 薄荷3 甘草5",
            with_options=True),
        treated(key, "liver_kidney", 2, {
            "patient": {"sex": "M", "age": 50},
            "chief_complaint": "面部、手背白斑8年，缓慢扩大",
            "lesion_description": "额部及双手背乳白色斑片，边界清楚，边缘色素加深，斑内毛发变白。",
            "symptoms": "腰膝酸软，头晕耳鸣，两鬓早白，五心烦热。",
            "tongue": "舌红，少苔", "pulse": "脉细弱"},
            name="肝肾阴虚证", principle="滋补肝肾，养血祛风",
            pathogenesis="病久肝肾亏虚，精血不足，不能荣养肌肤毛发，故白斑日久、毛发变白，腰酸耳鸣。",
            formula="六味地黄丸加减",
            prescription="熟地黄15 山茱萸12 山药15 泽泻10 牡丹皮10 茯苓12 女贞子15 墨旱莲15 补骨脂10 蒺藜15"),
        treated(key, "blood_stasis", 3, {
            "patient": {"sex": "F", "age": 40},
            "chief_complaint": "右前臂外伤疤痕周围白斑2年，固定不变",
            "history": "3年前右前臂烫伤，愈后疤痕周围逐渐出现白斑，近1年无明显变化。",
            "lesion_description": "右前臂瘢痕周围瓷白色斑片，边界清楚，局限不扩展。",
            "symptoms": "局部偶有轻微刺痛。",
            "tongue": "舌暗，有瘀点", "pulse": "脉涩"},
            principle="活血化瘀，通经活络",
            pathogenesis="跌仆损伤，络脉瘀阻，气血不能荣养肌肤，故伤处白斑固定、舌暗脉涩。",
            formula="通窍活血汤加减",
            prescription="桃仁10 红花10 赤芍10 川芎10 白芷10 丹参15 鸡血藤15 蒺藜15 生姜6 大枣10"),
    ]


def light_eruption() -> list[dict[str, Any]]:
    """日光疮: two syndromes, the heat-toxin one twice (colloquial and classical)."""
    key = "light_eruption"
    return [
        treated(key, "damp_heat", 1, {
            "patient": {"sex": "F", "age": 30},
            "chief_complaint": "日晒后面颈、前臂红斑丘疹水疱伴痒3天",
            "history": "春季户外活动后发病，往年春夏亦有类似发作，秋冬自愈。",
            "lesion_description": "面部、颈前V区及双前臂伸侧红斑、丘疹、丘疱疹，局部肿胀，少量糜烂渗液。",
            "symptoms": "瘙痒明显，身重倦怠，纳呆。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            name="湿毒搏结证", principle="清热除湿，凉血解毒",
            pathogenesis="禀赋不耐，湿热内蕴，复感日光毒热，湿毒搏结于肌肤，故曝光处红斑水疱、肿胀渗液。",
            formula="清热除湿汤加减",
            prescription="龙胆6 黄芩10 大青叶15 生地黄15 白茅根30 石膏20 车前草15 滑石15 青蒿10 甘草3",
            with_options=True),
        treated(key, "heat_toxin", 2, {
            "patient": {"sex": "F", "age": 26},
            "chief_complaint": "去海边玩了两天，脸和胳膊晒得通红，火辣辣地疼",
            "history": "没擦防晒，回来当天晚上露在外面的地方就红了，第二天起了小疙瘩。",
            "symptoms": "又疼又热，有点发烧，口渴，小便黄。",
            "tongue": "舌红，苔薄黄", "pulse": "脉数"},
            principle="清热凉血，解毒消斑",
            pathogenesis="腠理不密，日光热毒侵袭，灼伤肌肤，热入血分，故红斑灼痛、发热口渴。",
            formula="皮炎汤加减",
            prescription="生地黄15 石膏30 知母10 牡丹皮10 赤芍10 金银花15 连翘10 淡竹叶10 甘草6"),
        treated(key, "heat_toxin", 3, {
            "patient": {"sex": "F", "age": 34},
            "chief_complaint": "每逢春夏，曝日则面颈赤斑，灼热如焚",
            "history": "已历三载，避日则轻，遇日复作。",
            "lesion_description": "面颊、颈侧及手背赤斑成片，上起细疹，肿胀。",
            "symptoms": "灼痛，口渴欲饮，便结溲赤。",
            "tongue": "舌红，苔薄黄", "pulse": "脉数"},
            name="热毒证", principle="清热凉血，解毒消斑",
            pathogenesis="禀性不耐，日毒外侵，郁于肌腠，热毒炽盛，故曝日则赤斑灼热、渴饮便结。",
            formula="皮炎汤加减",
            prescription="生地黄20 石膏30 知母10 牡丹皮10 赤芍10 金银花15 连翘10 淡竹叶10 青蒿10 甘草6",
            note="（文言）", with_options=True),
    ]


def melasma() -> list[dict[str, Any]]:
    """黧黑斑: one line per syndrome."""
    key = "melasma"
    return [
        treated(key, "liver_qi", 1, {
            "patient": {"sex": "F", "age": 36},
            "chief_complaint": "脸上长黄褐斑两年，心情不好的时候颜色更深",
            "history": "两边颧骨上各一片，左右差不多，不痛不痒。这两年工作家里事情多，经常生闷气。",
            "symptoms": "爱叹气，两肋发胀，来月经前乳房胀痛，月经有时提前有时推后。",
            "tongue": "舌淡红，苔薄白", "pulse": "脉弦"},
            principle="疏肝理气，活血消斑",
            pathogenesis="情志不畅，肝郁气滞，气血不能上荣于面，郁而成斑，故斑色随情绪而深浅。",
            formula="逍遥散加减",
            prescription="柴胡10 当归10 白芍12 白术10 茯苓12 香附10 郁金10 丹参15 白芷6 薄荷3 甘草5",
            with_options=True),
        treated(key, "liver_kidney", 2, {
            "patient": {"sex": "F", "age": 45},
            "chief_complaint": "面部褐色斑片5年",
            "lesion_description": "双颧、额部对称分布深褐色斑片，边界较清，面色晦暗。",
            "symptoms": "腰膝酸软，耳鸣，五心烦热，失眠多梦，月经量少。",
            "tongue": "舌红，少苔", "pulse": "脉细数"},
            principle="补益肝肾，滋阴降火",
            pathogenesis="肝肾阴亏，虚火上炎，燥结成斑，故颜面褐斑晦暗，腰酸耳鸣，五心烦热。",
            formula="六味地黄丸加减",
            prescription="熟地黄15 山茱萸12 山药15 泽泻10 牡丹皮10 茯苓12 女贞子15 墨旱莲15 菟丝子12 丹参15"),
        treated(key, "spleen_damp", 3, {
            "patient": {"sex": "F", "age": 40},
            "chief_complaint": "面部灰褐色斑片3年",
            "lesion_description": "鼻周及前额灰褐色斑片，状如尘土附着，边界不清。",
            "symptoms": "神疲乏力，纳少，脘腹胀满，大便溏，带下清稀。",
            "tongue": "舌淡胖，边有齿痕，苔白腻", "pulse": "脉濡细"},
            principle="健脾益气，祛湿消斑",
            pathogenesis="脾虚不运，湿浊内生，气血不能上荣，浊气上泛于面，故斑色灰褐、神疲便溏。",
            formula="参苓白术散加减",
            prescription="党参15 白术10 茯苓15 山药15 白扁豆12 薏苡仁20 砂仁5 陈皮10 白芷6 甘草5",
            with_options=True),
        treated(key, "blood_stasis", 4, {
            "patient": {"sex": "F", "age": 42},
            "chief_complaint": "面生黧黑，色如尘垢，经年不退",
            "history": "经行腹痛，色暗夹块，每月如是。",
            "lesion_description": "两颊黧黑斑片，色深褐，边界清楚。",
            "symptoms": "少腹刺痛，经前加剧。",
            "tongue": "舌紫暗，有瘀斑", "pulse": "脉涩"},
            name="血瘀证", principle="理气活血，化瘀消斑",
            pathogenesis="气滞血瘀，络脉不通，血不荣面，故面生黧黑，经行腹痛有块，舌紫脉涩。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归10 川芎6 赤芍10 生地黄15 丹参15 益母草15 香附10 白芷6",
            note="（文言）"),
    ]


def alopecia_areata() -> list[dict[str, Any]]:
    """油风: one line per syndrome."""
    key = "alopecia_areata"
    return [
        treated(key, "blood_heat", 1, {
            "patient": {"sex": "M", "age": 20},
            "chief_complaint": "头发突然一块一块地掉，这个月发现了三块",
            "history": "最近准备考试，熬夜多。理发师先发现后脑勺有一块硬币大小的地方没头发，"
                       "后来又发现两块。掉头发之前头皮又痒又热。",
            "symptoms": "心烦，口干。",
            "tongue": "舌红，苔薄黄", "pulse": "脉数"},
            principle="凉血息风，养阴护发",
            pathogenesis="过食辛辣或情志抑郁化火，血热生风，风热上窜颠顶，毛发失于阴血濡养，故突然成片脱落、头皮烘热瘙痒。",
            formula="凉血消风散加减",
            prescription="生地黄15 知母10 石膏20 当归10 荆芥10 蝉蜕6 蒺藜10 牡丹皮10 侧柏叶15 甘草6",
            with_options=True),
        treated(key, "blood_stasis", 2, {
            "patient": {"sex": "M", "age": 35},
            "chief_complaint": "斑秃半年余，脱发区无新发生长",
            "lesion_description": "头顶及枕部三处圆形脱发区，直径2–4 cm，皮肤光亮，无红肿鳞屑。",
            "symptoms": "头痛，痛处固定，夜寐不安，胸胁胀闷。",
            "tongue": "舌暗，有瘀斑", "pulse": "脉沉涩"},
            principle="通窍活血，祛瘀生发",
            pathogenesis="气滞血瘀，瘀阻毛窍，新血不能养发，故脱发经久不生、头痛固定、舌暗脉涩。",
            formula="通窍活血汤加减",
            prescription="桃仁10 红花9 赤芍10 川芎10 白芷10 丹参15 当归10 柴胡10 生姜6 大枣10"),
        treated(key, "qi_blood_deficiency", 3, {
            "patient": {"sex": "F", "age": 29},
            "chief_complaint": "产后头发片状脱落2月",
            "history": "产后3月，哺乳中。产后失血较多，1月前梳头时发现多处片状脱发，渐增多。",
            "lesion_description": "头皮多处片状脱发区，脱发区皮肤光亮松软，边缘头发松动易拔。",
            "symptoms": "面色苍白，心悸气短，倦怠乏力，头晕眼花。",
            "tongue": "舌淡，苔薄白", "pulse": "脉细弱"},
            principle="益气补血，养发生发",
            pathogenesis="产后气血亏虚，发为血之余，血虚不能上荣毛发，毛根空虚，故片状脱落、面白心悸。",
            formula="八珍汤加减",
            prescription="党参15 熟地黄15 白术10 茯苓12 当归10 白芍10 川芎6 黄芪20 制何首乌15 甘草5",
            with_options=True),
        treated(key, "liver_kidney", 4, {
            "patient": {"sex": "M", "age": 45},
            "chief_complaint": "鬓发早白，年来头发片片脱落，渐至全秃",
            "history": "病已经年，初仅数片，继则成片相连，眉毛亦稀。",
            "symptoms": "腰膝酸软，耳鸣目眩，夜尿频多。",
            "tongue": "舌淡，苔少", "pulse": "脉沉细"},
            principle="滋补肝肾，填精生发",
            pathogenesis="肝藏血，肾藏精，其华在发；肝肾亏损，精血不足，发失所养，故脱落日久、渐至全秃。",
            formula="七宝美髯丹加减",
            prescription="制何首乌15 枸杞子12 菟丝子12 当归10 牛膝10 补骨脂10 茯苓12 女贞子15 熟地黄15",
            note="（文言）"),
    ]


def warts() -> list[dict[str, Any]]:
    """扁瘊: two syndromes, the wind-heat one twice (colloquial and lesion-only)."""
    key = "warts"
    return [
        treated(key, "wind_heat", 1, {
            "patient": {"sex": "F", "age": 19},
            "chief_complaint": "脸上长了很多小扁疙瘩，最近越长越多",
            "history": "三个月前额头上有几个，像小米粒那么大，平平的，后来挠过的地方长成一串。",
            "symptoms": "有时候有点痒，口干。",
            "tongue": "舌红，苔薄黄", "pulse": "脉浮数"},
            principle="疏风清热，解毒散结",
            pathogenesis="风热毒邪搏于肌肤，气血不和，郁而成疣，故新发增多、搔抓后沿抓痕成串、微痒。",
            formula="马齿苋合剂加减",
            prescription="马齿苋30 大青叶15 板蓝根15 紫草10 木贼10 浙贝母10 薏苡仁30 蜂房6 甘草5",
            with_options=True),
        treated(key, "heat_stasis", 2, {
            "patient": {"sex": "F", "age": 33},
            "chief_complaint": "手背扁平疣3年，多方治疗无效",
            "lesion_description": "双手背散在米粒至黄豆大小扁平丘疹，暗褐色，质较硬，表面光滑，3年来数目变化不大。",
            "symptoms": "无明显自觉症状。",
            "tongue": "舌暗红，有瘀点", "pulse": "脉涩"},
            name="气血凝滞证", principle="活血化瘀，清热散结",
            pathogenesis="病久热毒蕴结，气血凝滞，瘀阻肌肤，故疣体色暗质硬、经久不消。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归10 川芎6 赤芍10 生地黄15 三棱10 莪术10 薏苡仁30 板蓝根15"),
        treated(key, "wind_heat", 3, {
            "patient": {"sex": "M", "age": 14},
            "chief_complaint": "面部、手背扁平丘疹1月",
            "lesion_description": "面部及手背散在粟粒至米粒大小扁平丘疹，淡红色，表面光滑，部分沿抓痕呈串珠样线状排列，"
                                  "近两周新发增多。"},
            principle="疏风清热，解毒散结",
            pathogenesis="风热之邪客于肌表，蕴结成疣，病程短而新发不断，故色淡红、沿抓痕播散。",
            formula="马齿苋合剂加减",
            prescription="马齿苋20 大青叶10 板蓝根10 紫草6 木贼6 浙贝母6 薏苡仁20 香附6 甘草3",
            note="（仅有皮损记录，小儿剂量）", with_options=True),
    ]


def referrals() -> list[dict[str, Any]]:
    """One line per referral-only condition; the expert's plan is the referral."""
    return [
        referral("lupus", {
            "patient": {"sex": "F", "age": 28},
            "chief_complaint": "面颊蝶形红斑2月，日晒后加重",
            "history": "2月前面部出现红斑，横跨鼻梁两侧，日晒后明显，伴口腔溃疡反复、脱发增多。",
            "lesion_description": "双颊及鼻梁对称性水肿性红斑，呈蝶形，边界清楚。",
            "symptoms": "低热，双手指关节及腕关节疼痛，乏力。",
            "tongue": "舌红，苔少", "pulse": "脉细数"},
            principle="疑为红蝴蝶疮（系统性红斑狼疮），转诊风湿免疫科及皮肤科，查抗核抗体谱、血尿常规、补体，"
                      "明确诊断与脏器受累前不予辨证处方"),
        referral("erythroderma", {
            "patient": {"sex": "M", "age": 62},
            "chief_complaint": "吃了新开的降尿酸药以后，全身发红、大片掉皮，十来天了",
            "history": "一开始是身上起红疹子，后来连成一片，现在从头到脚都是红的，床单上一层皮屑。",
            "symptoms": "一阵冷一阵热，没力气，腿肿。"},
            principle="全身弥漫潮红脱屑（红皮病，疑药物所致），停用可疑药物，即刻转诊皮肤科住院，"
                      "监测体温、液体及电解质，病因明确、病情稳定后再议中医调治"),
        referral("generalized_pustulosis", {
            "patient": {"sex": "F", "age": 35},
            "chief_complaint": "全身红斑、密集脓疱伴高热2天",
            "history": "5天前因咽炎口服头孢类抗生素，2天前颈部、腋下起红斑，迅速泛发全身。",
            "lesion_description": "躯干、四肢弥漫性水肿性红斑，其上密集针尖至粟粒大小浅表无菌性脓疱，部分融合成脓湖。",
            "symptoms": "发热39.2℃，寒战，乏力。"},
            principle="泛发性脓疱伴高热（疑急性泛发性发疹性脓疱病），停用可疑药物，即刻转诊皮肤科住院处理，"
                      "不宜门诊中药自治"),
        referral("skin_malignancy", {
            "patient": {"sex": "M", "age": 68},
            "chief_complaint": "左足底黑痣近半年明显增大，最近破溃出血",
            "history": "足底黑痣数十年，近半年增大至约1.5 cm，颜色深浅不一，边缘不整齐，1周前破溃渗血。",
            "lesion_description": "左足跟黑褐色斑块，约1.5 cm×1.2 cm，颜色不均，边缘不规则，表面糜烂渗血。"},
            principle="疑似皮肤恶性肿瘤（黑色素瘤待排），尽快转诊皮肤科或肿瘤专科行皮肤镜及病理活检，"
                      "明确诊断前不予中药治疗"),
    ]


def other_lines() -> list[dict[str, Any]]:
    """Every disease's lines, interleaved so that a short prefix covers many diseases, then the referrals."""
    groups = [
        eczema(), atopic_dermatitis(), urticaria(), pruritus(), neurodermatitis(), contact_dermatitis(),
        seborrheic_dermatitis(), acne(), herpes_zoster(), vitiligo(), light_eruption(), melasma(),
        alopecia_areata(), warts(),
    ]
    treated_lines = [group[index] for index in range(max(map(len, groups))) for group in groups if index < len(group)]
    return treated_lines + referrals()

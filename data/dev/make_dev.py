"""Write data/dev/derm-dev.jsonl: 60 hand-written 白疕 (psoriasis) lines, then the other diseases' lines.

The other diseases' lines (≥ 3 per treated disease, 1 per referral-only condition) live in other_diseases.py.

The case texts and expert plans below were written by hand from the textbook descriptions of each syndrome
(《中医外科学》白疕; 《中医皮肤科病证诊断疗效标准》ZY/T001.8-94; for the Beijing 血热/血燥/血瘀 scheme
《赵炳南临床经验集》), in varied registers: clinical notes, a patient's own words, classical (文言) phrasing,
partial records (lesions only, no tongue or pulse) and follow-up visits. The prescriptions are a clinician's
adjustments of the named formula (herbs added or dropped, doses changed), not copies of the knowledge base,
and no line was derived from the engine's output. The 60 白疕 lines come first, interleaved by syndrome, so
``--limit 12`` still covers the six psoriasis syndromes. Run: ``.venv/bin/python data/dev/make_dev.py``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from other_diseases import herbs, other_lines

OUT = Path(__file__).resolve().parent / "derm-dev.jsonl"

TEXTBOOK = "《中医外科学》(全国中医药行业高等教育规划教材) 白疕·"
STANDARD = "《中医皮肤科病证诊断疗效标准》ZY/T001.8-94 白疕"
ZHAO = "《赵炳南临床经验集》银屑病·"

# Option sets with distractors, keyed by the correct letter's syndrome.
OPTIONS = {
    "blood_heat": ({"A": "血热内蕴证", "B": "血虚风燥证", "C": "气血瘀滞证", "D": "湿毒蕴阻证"}, "A"),
    "blood_dryness": ({"A": "血热内蕴证", "B": "气血瘀滞证", "C": "血虚风燥证", "D": "风湿痹阻证"}, "C"),
    "blood_stasis": ({"A": "血虚风燥证", "B": "湿毒蕴阻证", "C": "火毒炽盛证", "D": "气血瘀滞证"}, "D"),
    "damp_toxin": ({"A": "湿毒蕴阻证", "B": "火毒炽盛证", "C": "血热内蕴证", "D": "风湿痹阻证"}, "A"),
    "fire_toxin": ({"A": "血热内蕴证", "B": "火毒炽盛证", "C": "湿毒蕴阻证", "D": "血虚风燥证"}, "B"),
    "wind_damp_obstruction": ({"A": "湿毒蕴阻证", "B": "气血瘀滞证", "C": "血虚风燥证", "D": "风湿痹阻证"}, "D"),
}


def line(
    key: str,
    number: int,
    case: dict[str, Any],
    *,
    syndrome: str,
    principle: str,
    pathogenesis: str,
    formula: str,
    prescription: str,
    source: str,
    options: bool = False,
) -> dict[str, Any]:
    """One evaluation line; the case id names the syndrome the expert chose."""
    expert: dict[str, Any] = {
        "disease": "白疕",
        "syndrome": syndrome,
        "treatment_principle": principle,
        "pathogenesis": pathogenesis,
        "formula": formula,
        "herbs": herbs(prescription),
    }
    if options:
        expert["syndrome_options"], expert["syndrome_answer"] = OPTIONS[key]
    return {"case": {"case_id": f"dev-{key}-{number:02d}", **case}, "expert": expert, "source": source}


def blood_heat() -> list[dict[str, Any]]:
    """血热内蕴证 (Beijing: 血热证) lines."""
    key, src = "blood_heat", TEXTBOOK + "血热内蕴证; " + STANDARD
    beijing = ZHAO + "血热证 (凉血活血汤); " + STANDARD
    return [
        line(key, 1, {
            "patient": {"sex": "M", "age": 24},
            "chief_complaint": "全身泛发红色丘疹、斑片伴脱屑2周",
            "history": "2周前感冒咽痛后躯干、四肢突发点滴状红色丘疹，迅速增多，部分融合成片。既往无类似病史。",
            "lesion_description": "躯干、四肢散在粟粒至绿豆大小鲜红色丘疹及斑丘疹，"
                                  "上覆银白色鳞屑，刮除鳞屑可见薄膜现象及点状出血，"
                                  "搔抓处可见条状新发皮损（同形反应）。",
            "symptoms": "瘙痒明显，咽痛，口干欲饮，心烦易怒，大便干结，小便黄赤。",
            "tongue": "舌质红，苔薄黄", "pulse": "脉滑数"},
            syndrome="血热内蕴证", principle="清热凉血，解毒消斑",
            pathogenesis="外感风热之邪，咽喉不利，热邪入里伏于营血，血热壅盛外发肌肤，故皮疹鲜红、新出不已。",
            formula="犀角地黄汤加减",
            prescription="水牛角30 生地黄20 赤芍12 牡丹皮10 紫草10 板蓝根15 玄参12 金银花15 土茯苓30 白茅根30 甘草6",
            source=src, options=True),
        line(key, 2, {
            "patient": {"sex": "F", "age": 19},
            "chief_complaint": "身上起了好多小红点，还掉白皮，一周多了",
            "history": "上个月扁桃体发炎，好了以后身上开始冒小红点，一天比一天多，"
                       "胳膊、肚子、背上都是。抓破的地方又长出一道一道的红印子。",
            "symptoms": "痒得厉害，嗓子还有点疼，老觉得口渴，心里烦，大便两三天一次，很干。",
            "tongue": "舌头很红，舌苔有点黄"},
            syndrome="血热证", principle="清热凉血，活血消斑",
            pathogenesis="咽喉热毒未清，内窜营血，血热炽盛，发于肌表而成红疹，热盛生风故痒。",
            formula="凉血活血汤",
            prescription="槐花15 白茅根30 生地黄15 紫草10 赤芍12 丹参15 鸡血藤15 板蓝根15 牛蒡子10 甘草6",
            source=beijing),
        line(key, 3, {
            "patient": {"sex": "M", "age": 36},
            "chief_complaint": "皮损色红如丹，层层起屑，旬日之间蔓延周身",
            "history": "素嗜酒肉辛辣，入春以来忽发红疹，初起数点，旋即满布腰背四肢，搔之则白屑纷落，屑下点点出血。",
            "symptoms": "痒甚，口干唇燥，心烦少寐，溲赤便秘。",
            "tongue": "舌红苔黄", "pulse": "脉弦滑而数"},
            syndrome="血热内蕴证", principle="清热凉血，解毒消斑",
            pathogenesis="恣食辛辣酒肉，蕴湿生热，热入营血，血热风燥，发于肌肤，故红疹成片、白屑层叠。",
            formula="犀角地黄汤加减",
            prescription="水牛角30 生地黄15 牡丹皮12 赤芍10 紫草15 槐花10 大黄6 栀子10 白鲜皮12 土茯苓30 甘草5",
            source=src),
        line(key, 4, {
            "patient": {"sex": "F", "age": 28},
            "chief_complaint": "头皮及四肢红斑鳞屑1月，近日加重",
            "lesion_description": "头皮可见鲜红色斑块，鳞屑厚积，头发呈束状；四肢伸侧新发点滴状红色丘疹，鳞屑易刮除，"
                                  "可见薄膜现象与筛状出血，皮损仍在不断增多。"},
            syndrome="血热内蕴证", principle="清热凉血，消斑止痒",
            pathogenesis="热伏营血，外壅肌肤，血热化燥生风，故皮疹鲜红、新发不断、鳞屑层叠。",
            formula="犀角地黄汤加减",
            prescription="水牛角30 生地黄15 赤芍10 牡丹皮10 紫草10 白茅根30 白鲜皮15 地肤子15 甘草6",
            source=src + "（仅有皮损记录）", options=True),
        line(key, 5, {
            "patient": {"sex": "M", "age": 45},
            "chief_complaint": "银屑病复发1周",
            "history": "银屑病病史10年，每因饮酒、感冒复发。1周前饮酒后再发。",
            "lesion_description": "躯干大片鲜红色斑片，边界清楚，上覆较多银白色鳞屑，周围有新发小丘疹，有同形反应。",
            "symptoms": "皮肤灼热瘙痒，口苦口干，急躁，大便干。",
            "tongue": "舌红，苔黄微腻", "pulse": "脉弦数"},
            syndrome="血热证", principle="凉血活血，清热解毒",
            pathogenesis="酒毒湿热内蕴，引动伏热，热入血分，迫血外溢肌肤，故斑色鲜红而灼热。",
            formula="凉血活血汤加减",
            prescription="槐花10 白茅根30 生地黄15 紫草10 赤芍15 丹参15 鸡血藤15 栀子10 黄芩10 大黄5",
            source=beijing, options=True),
        line(key, 6, {
            "patient": {"sex": "M", "age": 8},
            "chief_complaint": "孩子感冒发烧后身上出了很多红疙瘩",
            "history": "半个月前发烧、嗓子疼，吃了抗生素退烧了，接着身上、脸上、"
                       "腿上冒出好多小红疙瘩，上面有白色的皮，每天都在长新的。",
            "symptoms": "孩子说痒，晚上睡不踏实，爱喝凉水，小便黄。",
            "tongue": "舌尖红，苔薄黄"},
            syndrome="血热内蕴证", principle="清热凉血，解毒利咽",
            pathogenesis="小儿纯阳之体，外感风热，热毒蕴于咽喉，内入营血，外发肌肤成疹。",
            formula="犀角地黄汤加减",
            prescription="水牛角15 生地黄10 牡丹皮6 赤芍6 紫草6 金银花10 连翘6 板蓝根10 玄参6 白茅根15 甘草3",
            source=src + "（小儿剂量）"),
        line(key, 7, {
            "patient": {"sex": "F", "age": 33},
            "chief_complaint": "躯干四肢红斑鳞屑反复5年，加重半月",
            "history": "5年前诊为寻常型银屑病，冬重夏轻。半月前情志不遂后皮疹增多。",
            "lesion_description": "躯干、双下肢散在钱币大小红斑，色鲜红，浸润较轻，"
                                  "鳞屑多，新疹不断出现，Auspitz征阳性。",
            "symptoms": "心烦易怒，失眠多梦，口干，月经先期量多，大便偏干。",
            "tongue": "舌红，苔薄黄", "pulse": "脉弦细数"},
            syndrome="血热内蕴证", principle="清热凉血，疏肝解郁",
            pathogenesis="情志内伤，肝郁化火，火热入于营血，血热外发肌肤，故旧疹未退、新疹又起。",
            formula="犀角地黄汤加减",
            prescription="水牛角30 生地黄15 牡丹皮10 赤芍10 栀子10 柴胡6 紫草10 槐花10 首乌藤30 合欢皮15 甘草6",
            source=src),
        line(key, 8, {
            "patient": {"sex": "M", "age": 52},
            "chief_complaint": "遍身红疹，其色鲜赤，上覆白屑，新起者累累不已",
            "lesion_description": "疹形如滴，大小不一，色红赤，刮之白屑如云母，屑下有薄膜，膜下见血露点点。"},
            syndrome="血热风燥证", principle="清热凉血，祛风润燥",
            pathogenesis="血分蕴热，热盛生风，风盛则燥，肌肤失养，故红疹白屑并见。",
            formula="凉血活血汤",
            prescription="槐花10 白茅根30 生地黄15 紫草10 赤芍12 丹参10 鸡血藤15 白鲜皮10 防风10",
            source=beijing + "（仅有皮损记录）"),
        line(key, 9, {
            "patient": {"sex": "F", "age": 41},
            "visit": {"number": 2},
            "chief_complaint": "银屑病复诊：服药2周，新疹减少",
            "history": "初诊时躯干四肢泛发鲜红色丘疹、斑片，鳞屑多，咽痛便干。",
            "lesion_description": "皮疹颜色较前转淡但仍偏红，新发皮疹明显减少，鳞屑减少，仍有少量新起小丘疹。",
            "symptoms": "咽痛已除，仍口干，轻度瘙痒，大便每日一行。",
            "tongue": "舌红，苔薄黄", "pulse": "脉滑数",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "泛发鲜红色丘疹斑片，咽痛便干，舌红苔黄，脉滑数",
                "syndrome": "血热内蕴证",
                "plan": {"formula": "犀角地黄汤加减",
                         "herbs": [{"name": "水牛角", "dose_g": 30}, {"name": "生地黄", "dose_g": 15},
                                   {"name": "大黄", "dose_g": 6}, {"name": "板蓝根", "dose_g": 15}]},
                "response": "新疹减少，咽痛消失，大便通畅"}]},
            syndrome="血热内蕴证", principle="清热凉血，解毒消斑",
            pathogenesis="营血余热未清，外壅肌肤，故皮疹虽减而色仍红；腑气已通，咽喉热毒渐解。",
            formula="犀角地黄汤加减",
            prescription="水牛角30 生地黄15 赤芍10 牡丹皮10 紫草10 玄参12 麦冬10 白茅根30 土茯苓20 甘草6",
            source=src + "（复诊，去大黄、板蓝根）", options=True),
        line(key, 10, {
            "patient": {"sex": "M", "age": 30},
            "chief_complaint": "全身起红色斑丘疹伴银白色鳞屑3周",
            "lesion_description": "全身泛发绿豆至蚕豆大小鲜红色斑丘疹，部分融合，"
                                  "鳞屑较厚，皮损周围有红晕，进行期表现。",
            "symptoms": "瘙痒，咽干，怕热，喜冷饮。",
            "tongue": "舌红，苔黄", "pulse": "脉数"},
            syndrome="血热证", principle="清热凉血活血",
            pathogenesis="内有蕴热，郁于血分，血热炽盛，发于皮肤，故皮疹鲜红而泛发。",
            formula="凉血活血汤",
            prescription="生槐花15 白茅根30 生地黄15 紫草10 赤芍12 丹参15 鸡血藤15 石膏30 知母10",
            source=beijing),
    ]


def blood_dryness() -> list[dict[str, Any]]:
    """血虚风燥证 (Beijing: 血燥证) lines."""
    key, src = "blood_dryness", TEXTBOOK + "血虚风燥证; " + STANDARD
    beijing = ZHAO + "血燥证 (养血解毒汤); " + STANDARD
    return [
        line(key, 1, {
            "patient": {"sex": "F", "age": 46},
            "chief_complaint": "四肢躯干淡红斑片伴干燥脱屑反复12年",
            "history": "银屑病病史12年，冬重夏轻，近半年皮损稳定，未见新发。",
            "lesion_description": "四肢伸侧及腰部散在硬币至掌心大小淡红色斑片，"
                                  "浸润轻，覆细薄干燥白屑，小腿皮损有皲裂。",
            "symptoms": "皮肤干燥瘙痒，面色无华，神疲乏力，头晕，口干。",
            "tongue": "舌淡红，苔少", "pulse": "脉细"},
            syndrome="血虚风燥证", principle="养血滋阴，润肤息风",
            pathogenesis="病程日久，阴血暗耗，血虚生风化燥，肌肤失于濡养，故皮损色淡、屑细而干、皲裂作痒。",
            formula="当归饮子加减",
            prescription="当归12 生地黄15 熟地黄15 白芍12 川芎6 制何首乌12 黄芪20 荆芥6 防风6 蒺藜10 鸡血藤20 甘草6",
            source=src, options=True),
        line(key, 2, {
            "patient": {"sex": "M", "age": 60},
            "chief_complaint": "身上的银屑病好多年了，皮干得直裂口子",
            "history": "得这个病快二十年了，现在不怎么长新的，就是老地方那几块一直不退，"
                       "颜色淡淡的。一到冬天皮肤干得起皮、裂口子。",
            "symptoms": "痒，晚上更痒。人没精神，容易累，有时候头晕眼花。",
            "tongue": "舌头颜色淡，舌苔很少"},
            syndrome="血燥证", principle="养血润肤，活血解毒",
            pathogenesis="久病伤阴耗血，血虚不能濡养肌肤，生风化燥，故皮肤干裂、屑白而细。",
            formula="养血解毒汤",
            prescription="鸡血藤15 当归10 生地黄15 丹参15 天冬10 麦冬10 土茯苓20 山药15 蜂房5 黄芪15",
            source=beijing),
        line(key, 3, {
            "patient": {"sex": "F", "age": 55},
            "chief_complaint": "皮损淡红，白屑细碎如糠秕，缠绵数载",
            "history": "罹患此疾十余年，时轻时重，今疹不复新起，旧疹淡红干涩，入冬则燥裂作痛。",
            "symptoms": "痒作于夜，形瘦神疲，面色萎黄，爪甲不荣。",
            "tongue": "舌淡苔少", "pulse": "脉沉细"},
            syndrome="血虚风燥证", principle="养血润燥，祛风止痒",
            pathogenesis="血虚日久，化燥生风，肌肤爪甲失荣，故屑如糠秕而燥裂，夜痒尤甚。",
            formula="当归饮子加减",
            prescription="当归10 熟地黄15 白芍15 川芎5 何首乌10 黄芪15 防风10 蒺藜12 首乌藤30 白鲜皮10 炙甘草6",
            source=src),
        line(key, 4, {
            "patient": {"sex": "M", "age": 38},
            "chief_complaint": "肘膝部斑片脱屑多年",
            "lesion_description": "双肘、双膝伸侧可见数块淡红色斑片，边界清，浸润浅，"
                                  "表面覆少量细薄干燥白色鳞屑，周围皮肤粗糙干裂，"
                                  "近期无新发皮损。"},
            syndrome="血虚风燥证", principle="养血滋阴，润肤止痒",
            pathogenesis="营血不足，肌肤失养，化燥生风，故斑色淡红、鳞屑细薄干燥。",
            formula="当归饮子加减",
            prescription="当归10 生地黄15 白芍12 川芎6 制何首乌10 黄芪15 荆芥10 防风10 麦冬10 玄参10",
            source=src + "（仅有皮损记录）", options=True),
        line(key, 5, {
            "patient": {"sex": "F", "age": 67},
            "chief_complaint": "全身皮肤干燥脱屑伴瘙痒3年",
            "history": "银屑病30年，近3年皮损稳定，以干燥脱屑为主。平素失眠。",
            "lesion_description": "躯干、四肢散在淡红色斑片，鳞屑细薄，皮肤干燥，部分皲裂，无新发皮疹。",
            "symptoms": "瘙痒夜甚，影响睡眠，心悸，头晕，乏力，大便干。",
            "tongue": "舌淡红少苔", "pulse": "脉细弱"},
            syndrome="血燥证", principle="养血润燥，安神止痒",
            pathogenesis="年高体弱，阴血亏虚，心神失养，血燥生风，故皮肤干燥作痒、夜不能寐。",
            formula="养血解毒汤加减",
            prescription="鸡血藤15 当归10 生地黄20 丹参15 天冬10 麦冬10 山药15 首乌藤30 酸枣仁15 火麻仁10",
            source=beijing),
        line(key, 6, {
            "patient": {"sex": "M", "age": 29},
            "chief_complaint": "腿上几块银屑病一直不好",
            "history": "五六年了，小腿上、胳膊肘上有几块，颜色不红了，"
                       "就是淡粉色，上面薄薄一层白皮，抹了很多药膏也不见好。",
            "symptoms": "皮肤干，秋冬更明显，有点痒，口干。"},
            syndrome="血虚风燥证", principle="养血润肤，祛风止痒",
            pathogenesis="病久耗伤营血，血虚风燥，肌肤失于濡润，皮损色淡而干屑不止。",
            formula="当归饮子",
            prescription="当归10 生地黄15 白芍10 川芎6 制何首乌10 黄芪15 荆芥10 防风10 蒺藜10 甘草6",
            source=src + "（无舌脉）"),
        line(key, 7, {
            "patient": {"sex": "F", "age": 35},
            "visit": {"number": 3},
            "chief_complaint": "银屑病三诊，皮损变薄",
            "history": "初诊时皮损淡红，鳞屑细薄干燥，伴乏力头晕，投当归饮子加减。",
            "lesion_description": "皮损较前变薄、缩小，鳞屑少，皮肤仍干燥，无新发。",
            "symptoms": "乏力减轻，仍有轻度瘙痒，纳差。",
            "tongue": "舌淡，苔薄白", "pulse": "脉细",
            "previous_visits": [{
                "visit": {"number": 2}, "summary": "淡红斑片，鳞屑细薄，乏力头晕", "syndrome": "血虚风燥证",
                "plan": {"formula": "当归饮子加减",
                         "herbs": [{"name": "当归", "dose_g": 10}, {"name": "黄芪", "dose_g": 15},
                                   {"name": "制何首乌", "dose_g": 10}]},
                "response": "皮损变薄，乏力减轻，纳差"}]},
            syndrome="血虚风燥证", principle="益气养血，润肤息风，兼健脾",
            pathogenesis="气血渐复而未充，脾运不健，生化乏源，肌肤仍失濡养。",
            formula="当归饮子加减",
            prescription="当归10 生地黄12 白芍12 川芎6 制何首乌10 黄芪20 防风6 蒺藜10 白术10 山药15 陈皮6 甘草6",
            source=src + "（复诊，加健脾药）", options=True),
        line(key, 8, {
            "patient": {"sex": "M", "age": 50},
            "chief_complaint": "病久血虚，肌肤甲错，白屑层起而薄",
            "lesion_description": "斑色淡红不鲜，皮肤枯燥，状如蛇皮，屑白而薄，搔之即落，裂纹隐隐。"},
            syndrome="血燥证", principle="养血滋阴，润燥解毒",
            pathogenesis="阴血亏耗，燥从内生，肌肤不荣，故枯燥甲错、屑薄易落。",
            formula="养血解毒汤",
            prescription="鸡血藤15 当归12 生地黄15 丹参10 天冬10 麦冬10 土茯苓30 山药15 威灵仙10",
            source=beijing + "（仅有皮损记录）"),
        line(key, 9, {
            "patient": {"sex": "F", "age": 42},
            "chief_complaint": "产后银屑病皮损干燥不退1年",
            "history": "产后1年，哺乳期已结束。产前银屑病控制良好，产后皮损复现，颜色淡，无新发。",
            "lesion_description": "腰骶部、四肢伸侧散在淡红色斑片，鳞屑细薄，干燥。",
            "symptoms": "面色苍白，心悸气短，头晕，月经量少色淡，轻度瘙痒。",
            "tongue": "舌淡，苔薄白", "pulse": "脉细无力"},
            syndrome="血虚风燥证", principle="补益气血，润燥息风",
            pathogenesis="产后气血亏虚，营血不足，血虚生风化燥，肌肤失养。",
            formula="当归饮子加减",
            prescription="当归12 熟地黄15 白芍12 川芎6 黄芪30 党参15 制何首乌10 防风6 蒺藜10 鸡血藤15 炙甘草6",
            source=src),
        line(key, 10, {
            "patient": {"sex": "M", "age": 71},
            "chief_complaint": "老年银屑病，皮肤干裂脱屑",
            "lesion_description": "双下肢大片淡红色斑片，鳞屑细碎干燥，皮肤皲裂，冬季加重。",
            "symptoms": "口干咽燥，手足心热，夜间瘙痒，大便干结。",
            "tongue": "舌红少苔", "pulse": "脉细数"},
            syndrome="阴虚血燥证", principle="滋阴养血，润燥止痒",
            pathogenesis="年老阴血亏虚，虚热内生，津枯血燥，肌肤失润，故干裂脱屑、手足心热。",
            formula="当归饮子加减",
            prescription="当归10 生地黄20 白芍12 玄参12 麦冬12 天冬10 制何首乌10 蒺藜10 防风6 火麻仁10 甘草6",
            source=src + "; 阴虚偏重"),
    ]


def blood_stasis() -> list[dict[str, Any]]:
    """气血瘀滞证 (Beijing: 血瘀证) lines."""
    key, src = "blood_stasis", TEXTBOOK + "气血瘀滞证; " + STANDARD
    beijing = ZHAO + "血瘀证 (活血散瘀汤); " + STANDARD
    return [
        line(key, 1, {
            "patient": {"sex": "M", "age": 48},
            "chief_complaint": "小腿肥厚斑块伴厚屑10余年",
            "history": "银屑病病史15年，经多种治疗，小腿及腰骶部皮损经久不退。",
            "lesion_description": "双小腿伸侧及腰骶部肥厚浸润性斑块，色暗红，部分紫暗，鳞屑厚积，不易剥离，边界清楚。",
            "symptoms": "轻度瘙痒，面色晦暗。",
            "tongue": "舌质紫暗，有瘀斑", "pulse": "脉涩"},
            syndrome="气血瘀滞证", principle="活血化瘀，解毒通络",
            pathogenesis="病程日久，气机不畅，经络阻滞，瘀血结于肌肤，故皮损肥厚、色暗、经久不退。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花10 当归10 川芎10 赤芍12 生地黄15 三棱10 莪术10 丹参20 鸡血藤30 鬼箭羽10",
            source=src, options=True),
        line(key, 2, {
            "patient": {"sex": "F", "age": 52},
            "chief_complaint": "腿上的银屑病又厚又硬，颜色发紫，好多年不消",
            "history": "得病二十多年了，别的地方好了，就小腿前面、屁股上几块厚厚的，颜色暗红发紫，摸着硬，皮屑也厚。",
            "symptoms": "不太痒，月经颜色发黑有血块，来之前肚子疼。",
            "tongue": "舌头发暗，上面有紫色的斑点"},
            syndrome="血瘀证", principle="活血化瘀，行气解毒",
            pathogenesis="久病入络，气滞血瘀，瘀阻肌肤胞宫，故斑块肥厚紫暗、经血夹块。",
            formula="活血散瘀汤",
            prescription="三棱10 莪术9 桃仁10 红花10 鸡血藤15 鬼箭羽9 白花蛇舌草30 丹参15 陈皮6 香附10 益母草15",
            source=beijing),
        line(key, 3, {
            "patient": {"sex": "M", "age": 57},
            "chief_complaint": "皮损暗红肥厚，状若云片，经年不退",
            "history": "患此疾二十载，屡治屡发，今疹皆成片，厚积难退。",
            "lesion_description": "斑块色如猪肝，坚厚浸润，白屑厚积如甲，边缘清楚，形如地图。",
            "symptoms": "面色黧黑，肌肤甲错。",
            "tongue": "舌紫暗，边有瘀点", "pulse": "脉涩而细"},
            syndrome="气血瘀滞证", principle="活血化瘀，软坚散结",
            pathogenesis="久病气血运行不畅，瘀血阻于经络肌腠，结而成块，故斑块紫暗坚厚、屡治不消。",
            formula="桃红四物汤加减",
            prescription="桃仁12 红花9 当归12 川芎9 赤芍15 生地黄12 三棱10 莪术10 丹参15 水蛭3 乌梢蛇10",
            source=src),
        line(key, 4, {
            "patient": {"sex": "M", "age": 40},
            "chief_complaint": "腰背部斑块多年",
            "lesion_description": "腰背部多块掌心大小暗红色斑块，明显肥厚浸润，"
                                  "表面覆厚层灰白鳞屑，附着紧，皮损多年无变化。"},
            syndrome="气血瘀滞证", principle="活血化瘀，通络消斑",
            pathogenesis="气血瘀阻于肌肤，经脉不通，故斑块肥厚浸润、色暗难消。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归10 川芎6 赤芍10 生地黄15 丹参15 鸡血藤15 莪术9 白鲜皮10",
            source=src + "（仅有皮损记录）", options=True),
        line(key, 5, {
            "patient": {"sex": "F", "age": 44},
            "chief_complaint": "银屑病斑块肥厚色暗5年",
            "history": "10年前发病，初为点滴状红疹，经治后大部消退，遗留四肢斑块5年不退，情志抑郁。",
            "lesion_description": "四肢伸侧散在暗红色斑块，浸润明显，鳞屑较厚。",
            "symptoms": "胸胁胀闷，善太息，经行腹痛，经色紫暗。",
            "tongue": "舌暗红，苔薄白", "pulse": "脉弦涩"},
            syndrome="气滞血瘀证", principle="疏肝理气，活血化瘀",
            pathogenesis="肝气郁结，气滞则血行不畅，瘀阻肌肤，故斑块色暗肥厚、经行腹痛。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归10 川芎10 赤芍12 生地黄12 柴胡10 香附10 郁金10 丹参15 益母草15",
            source=src),
        line(key, 6, {
            "patient": {"sex": "M", "age": 63},
            "chief_complaint": "我这银屑病几十年了，腿上那几块跟树皮一样厚",
            "history": "年轻时候得的，现在全身就剩小腿和屁股上几块，"
                       "颜色是那种暗紫色，硬邦邦的，上面的皮屑很厚，揭都揭不下来。",
            "symptoms": "不怎么痒，冬天腿凉。"},
            syndrome="血瘀证", principle="活血化瘀，软坚通络",
            pathogenesis="病久气血瘀滞，经络阻塞，肌肤失养，结为厚斑。",
            formula="活血散瘀汤加减",
            prescription="三棱10 莪术9 桃仁10 红花10 鸡血藤20 鬼箭羽9 丹参15 当归10 黄芪20 陈皮6",
            source=beijing + "（无舌脉）"),
        line(key, 7, {
            "patient": {"sex": "F", "age": 39},
            "visit": {"number": 2},
            "chief_complaint": "银屑病复诊，斑块略变薄",
            "history": "初诊四肢暗红肥厚斑块，舌紫暗，脉涩，予活血化瘀。",
            "lesion_description": "斑块较前变薄，颜色由紫暗转暗红，鳞屑减少，仍有浸润。",
            "symptoms": "服药后胃脘不适，纳少。",
            "tongue": "舌暗，有瘀点，苔薄白", "pulse": "脉细涩",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "四肢暗红肥厚斑块，舌紫暗，脉涩", "syndrome": "气血瘀滞证",
                "plan": {"formula": "桃红四物汤加减",
                         "herbs": [{"name": "三棱", "dose_g": 10}, {"name": "莪术", "dose_g": 10},
                                   {"name": "桃仁", "dose_g": 10}]},
                "response": "斑块变薄，胃脘不适"}]},
            syndrome="气血瘀滞证", principle="活血化瘀，佐以健脾和胃",
            pathogenesis="瘀血渐化而未尽，攻伐之品伤及脾胃，运化失司。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归10 川芎6 赤芍10 生地黄12 丹参15 鸡血藤15 白术10 陈皮6 鸡内金10 砂仁5",
            source=src + "（复诊，减三棱莪术、加健脾药）", options=True),
        line(key, 8, {
            "patient": {"sex": "M", "age": 46},
            "chief_complaint": "肥厚斑块色紫暗，屑厚如蛎壳",
            "lesion_description": "头皮、四肢散在紫暗色肥厚斑块，鳞屑堆积如蛎壳，经久不退。",
            "tongue": "舌紫暗", "pulse": "脉涩"},
            syndrome="血瘀证", principle="活血散瘀，解毒通络",
            pathogenesis="血瘀日久，瘀毒互结于肌肤，故斑块紫暗、鳞屑堆积。",
            formula="活血散瘀汤",
            prescription="三棱10 莪术9 桃仁10 红花10 鸡血藤15 鬼箭羽9 白花蛇舌草30 丹参15 陈皮6",
            source=beijing),
        line(key, 9, {
            "patient": {"sex": "F", "age": 58},
            "chief_complaint": "双小腿斑块肥厚伴色素沉着8年",
            "history": "合并下肢静脉曲张。",
            "lesion_description": "双小腿伸侧大片暗红至紫暗色斑块，浸润肥厚，鳞屑厚，周围色素沉着。",
            "symptoms": "下肢沉重，久站后小腿胀痛。",
            "tongue": "舌紫暗，舌下络脉迂曲", "pulse": "脉沉涩"},
            syndrome="气血瘀滞证", principle="活血化瘀，通络消斑",
            pathogenesis="下肢脉络瘀阻，气血运行不畅，瘀结肌肤而成肥厚紫斑。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归12 川芎6 赤芍12 生地黄15 牛膝15 丹参20 鸡血藤30 益母草15",
            source=src),
        line(key, 10, {
            "patient": {"sex": "M", "age": 35},
            "chief_complaint": "躯干大片斑块，色暗红，厚屑",
            "lesion_description": "躯干及臀部多发地图状暗红色斑块，浸润显著，鳞屑厚而不易脱落，无新发皮疹。",
            "symptoms": "瘙痒不甚，无咽痛。",
            "tongue": "舌暗红，苔薄", "pulse": "脉弦涩"},
            syndrome="气血瘀滞证", principle="活血化瘀，解毒通络",
            pathogenesis="气滞血瘀，瘀热阻络，肌肤失养，故斑块肥厚、屑厚难脱。",
            formula="桃红四物汤加减",
            prescription="桃仁10 红花6 当归10 川芎6 赤芍10 生地黄15 三棱9 莪术9 丹参15 白花蛇舌草30 土茯苓30",
            source=src),
    ]


def damp_toxin() -> list[dict[str, Any]]:
    """湿毒蕴阻证 lines."""
    key, src = "damp_toxin", TEXTBOOK + "湿毒蕴阻证; " + STANDARD
    return [
        line(key, 1, {
            "patient": {"sex": "M", "age": 50},
            "chief_complaint": "腋下、腹股沟红斑糜烂渗出1月",
            "history": "银屑病病史8年，形体肥胖，嗜食肥甘。近1月腋窝、腹股沟皮损潮湿糜烂。",
            "lesion_description": "双腋窝、腹股沟及乳房下皱褶处红斑，边界清楚，"
                                  "表面糜烂渗出，结黄色黏腻痂屑，鳞屑不明显。",
            "symptoms": "瘙痒，下肢沉重，胸闷纳呆，口黏。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑"},
            syndrome="湿毒蕴阻证", principle="清利湿热，解毒通络",
            pathogenesis="嗜食肥甘，脾失健运，湿浊内生，郁久化热成毒，湿热毒邪蕴阻皱褶肌肤，故糜烂渗出、黏腻结痂。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏10 赤茯苓15 牡丹皮10 泽泻10 滑石20 通草5 苍术10 土茯苓30 苦参9",
            source=src, options=True),
        line(key, 2, {
            "patient": {"sex": "F", "age": 47},
            "chief_complaint": "手心脚心反复起小脓包，破了脱皮",
            "history": "两年了，手掌、脚底老是一批一批地起小黄脓包，不发烧，"
                       "脓包干了就脱皮，好了又起。以前身上也有过银屑病。",
            "symptoms": "手脚心有点痒有点疼，肚子胀，不想吃饭，身上沉。",
            "tongue": "舌苔黄厚腻"},
            syndrome="湿热蕴结证", principle="清热利湿，解毒消疱",
            pathogenesis="脾虚湿盛，湿热蕴久成毒，下注掌跖，故反复发生脓疱、脱屑。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏10 茯苓15 牡丹皮10 泽泻10 滑石15 蒲公英20 白花蛇舌草30 苍术9",
            source=src + "（掌跖脓疱）"),
        line(key, 3, {
            "patient": {"sex": "M", "age": 43},
            "chief_complaint": "皮损多发于阴股腋下，浸淫湿烂，黄水淋漓",
            "history": "素嗜酒醴肥甘，体丰多湿。",
            "lesion_description": "腋下、阴股之间红斑湿烂，滋水浸淫，结痂黏腻，屑少。",
            "symptoms": "身重肢困，脘痞纳呆，口中黏腻。",
            "tongue": "苔黄腻", "pulse": "脉濡滑"},
            syndrome="湿毒蕴阻证", principle="清热利湿，解毒止痒",
            pathogenesis="湿热内蕴，酿而成毒，流注皱褶之处，浸淫肌肤，故湿烂流滋。",
            formula="萆薢渗湿汤",
            prescription="萆薢20 薏苡仁30 黄柏12 赤茯苓15 牡丹皮10 泽泻12 滑石20 通草6 茵陈15",
            source=src),
        line(key, 4, {
            "patient": {"sex": "F", "age": 36},
            "chief_complaint": "腹股沟及会阴部红斑渗出",
            "lesion_description": "腹股沟、会阴及臀沟处鲜红色斑片，边界清，表面浸渍糜烂，少许渗出和黏腻痂皮。"},
            syndrome="湿毒蕴阻证", principle="清利湿热，解毒消斑",
            pathogenesis="湿热毒邪下注，蕴阻皱褶肌肤，故红斑糜烂渗出。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁20 黄柏10 茯苓15 牡丹皮10 泽泻10 滑石15 通草5 苦参10 白鲜皮10",
            source=src + "（仅有皮损记录）", options=True),
        line(key, 5, {
            "patient": {"sex": "M", "age": 55},
            "chief_complaint": "下肢皮损渗出结痂伴足跖脓疱3月",
            "history": "银屑病10余年，近3月小腿皮损渗出，足底起脓疱。",
            "lesion_description": "双小腿红斑，部分糜烂渗液，结污黄痂；双足跖散在粟粒大小脓疱，伴脱屑。",
            "symptoms": "下肢沉重，膝关节酸重，口苦口黏，小便黄。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑数"},
            syndrome="湿毒证", principle="清热利湿，解毒通络",
            pathogenesis="湿热毒邪下注，蕴阻下肢肌肤经络，故渗出结痂、足跖生脓疱、关节酸重。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏10 赤茯苓15 牡丹皮10 泽泻10 滑石20 牛膝10 忍冬藤30 秦艽10",
            source=src),
        line(key, 6, {
            "patient": {"sex": "F", "age": 30},
            "chief_complaint": "胳肢窝、大腿根这些地方的银屑病老是湿乎乎的",
            "history": "夏天更厉害，出汗一捂就烂，流黄水，结一层黏黏的痂。",
            "symptoms": "痒，人觉得困重没劲，胃口不好，大便黏马桶。",
            "tongue": "舌苔又厚又黄又腻"},
            syndrome="湿毒蕴阻证", principle="健脾利湿，清热解毒",
            pathogenesis="脾虚湿困，湿郁化热成毒，蕴于腋下股间，故潮湿糜烂，夏季汗出尤甚。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏9 茯苓15 泽泻10 滑石15 苍术10 白术10 土茯苓30 甘草5",
            source=src),
        line(key, 7, {
            "patient": {"sex": "M", "age": 62},
            "visit": {"number": 2},
            "chief_complaint": "复诊：皱褶部皮损渗出减少",
            "history": "初诊腋窝、腹股沟红斑糜烂渗出，苔黄腻，予萆薢渗湿汤加减。",
            "lesion_description": "渗出明显减少，糜烂面大部愈合，仍见红斑及少许黏腻痂屑。",
            "symptoms": "身重减轻，纳食好转，仍口黏。",
            "tongue": "舌红，苔薄黄腻", "pulse": "脉滑",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "皱褶部红斑糜烂渗出，苔黄腻", "syndrome": "湿毒蕴阻证",
                "plan": {"formula": "萆薢渗湿汤加减",
                         "herbs": [{"name": "萆薢", "dose_g": 15}, {"name": "薏苡仁", "dose_g": 30},
                                   {"name": "黄柏", "dose_g": 10}]},
                "response": "渗出减少，糜烂愈合大半"}]},
            syndrome="湿毒蕴阻证", principle="清利湿热，解毒通络",
            pathogenesis="湿热渐化而余毒未尽，仍蕴于皱褶肌肤。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏10 茯苓15 牡丹皮10 泽泻10 通草5 土茯苓30 白鲜皮10 陈皮6",
            source=src + "（复诊）", options=True),
        line(key, 8, {
            "patient": {"sex": "F", "age": 51},
            "chief_complaint": "掌跖脓疱反复发作1年",
            "lesion_description": "双手掌、足跖红斑基础上密集针头至粟粒大小黄色脓疱，"
                                  "部分干涸结痂、脱屑，皮损局限于掌跖。",
            "symptoms": "局部灼痛，无发热。",
            "tongue": "舌红，苔黄腻", "pulse": "脉滑"},
            syndrome="湿毒蕴阻证", principle="清热利湿，解毒",
            pathogenesis="湿热毒邪蕴结，循经外发于掌跖，故脓疱反复、红斑脱屑。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏10 赤茯苓15 牡丹皮10 泽泻10 金银花15 蒲公英15 紫花地丁15 野菊花10",
            source=src + "（掌跖脓疱）"),
        line(key, 9, {
            "patient": {"sex": "M", "age": 39},
            "chief_complaint": "湿热下注，两股之间红斑湿烂，痒痛相兼",
            "lesion_description": "股内侧及阴囊旁红斑，滋水淋漓，黏痂覆盖。",
            "tongue": "苔黄腻"},
            syndrome="湿热证", principle="清热利湿，解毒",
            pathogenesis="湿热之邪蕴结下焦，浸淫股间肌肤。",
            formula="萆薢渗湿汤",
            prescription="萆薢15 薏苡仁30 黄柏10 赤茯苓12 牡丹皮10 泽泻10 滑石20 通草5 车前子15",
            source=src + "（文言，资料不全）"),
        line(key, 10, {
            "patient": {"sex": "F", "age": 58},
            "chief_complaint": "乳房下、脐周红斑糜烂伴瘙痒2月",
            "history": "糖尿病史5年，体胖，多汗。",
            "lesion_description": "双乳房下、脐窝及腹股沟处红斑，表面湿润，少许渗出及黄痂，鳞屑不明显。",
            "symptoms": "口干口黏，脘腹胀满，肢体困重。",
            "tongue": "舌胖，苔黄腻", "pulse": "脉濡数"},
            syndrome="湿毒蕴阻证", principle="清利湿热，健脾解毒",
            pathogenesis="脾虚失运，湿热内生，蕴久成毒，郁于皱褶，故红斑湿润渗出。",
            formula="萆薢渗湿汤加减",
            prescription="萆薢15 薏苡仁30 黄柏10 茯苓20 牡丹皮10 泽泻10 滑石15 苍术10 山药15 黄芩10",
            source=src),
    ]


def fire_toxin() -> list[dict[str, Any]]:
    """火毒炽盛证 lines (a red flag: the system is expected to refer; the plan is the ward's)."""
    key, src = "fire_toxin", TEXTBOOK + "火毒炽盛证; " + STANDARD
    return [
        line(key, 1, {
            "patient": {"sex": "M", "age": 49},
            "chief_complaint": "全身皮肤潮红肿胀伴大量脱屑1周",
            "history": "银屑病病史12年，1月前自行停用口服激素，1周前皮损迅速扩展至全身。",
            "lesion_description": "全身皮肤弥漫性潮红、肿胀，浸润，大量糠状及片状脱屑，受累面积超过体表90%。",
            "symptoms": "皮肤灼热，壮热（体温39.2℃），口渴喜冷饮，大便干结，小便短赤。",
            "tongue": "舌红绛，苔黄", "pulse": "脉洪数"},
            syndrome="火毒炽盛证", principle="清热泻火，凉血解毒",
            pathogenesis="骤停激素，火毒之邪内炽，燔灼营血，外发肌肤，故全身潮红肿胀、灼热脱屑，伴壮热口渴。",
            formula="清瘟败毒饮加减",
            prescription="石膏45 水牛角30 生地黄30 黄连6 黄芩10 栀子10 "
                         "知母12 赤芍15 牡丹皮12 玄参15 连翘15 大黄9 甘草6",
            source=src + "（红皮病型）", options=True),
        line(key, 2, {
            "patient": {"sex": "F", "age": 41},
            "chief_complaint": "全身起了大片红斑，上面密密麻麻都是小脓包，发高烧",
            "history": "本来有银屑病，三天前突然全身发红，然后起了一片一片的小白脓包，脓包连成一片。",
            "symptoms": "烧到39度多，怕冷又发热，浑身没劲，口很渴，皮肤烧得疼。",
            "tongue": "舌头红得发紫，苔黄"},
            syndrome="火毒证", principle="清热解毒，凉血泻火",
            pathogenesis="毒热炽盛，气血两燔，蒸腐肌肤，故红斑之上脓疱密集成片、壮热不退。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄20 黄连5 黄芩10 栀子10 知母10 "
                         "赤芍10 牡丹皮10 金银花20 蒲公英20 紫花地丁15 甘草6",
            source=src + "（泛发性脓疱型）"),
        line(key, 3, {
            "patient": {"sex": "M", "age": 56},
            "chief_complaint": "周身皮肤焮红如涂丹，肿胀灼热，皮屑大片而落",
            "history": "宿有白疕之疾，近因饮酒过度，兼外用烈药，遂致遍身焮赤。",
            "symptoms": "壮热烦渴，溲赤便结。",
            "tongue": "舌绛苔黄燥", "pulse": "脉洪大而数"},
            syndrome="火毒炽盛证", principle="清热泻火，凉血解毒",
            pathogenesis="酒毒辛热，复加药毒，火毒炽盛，气血两燔，外灼肌肤，故通体焮红、脱皮如片。",
            formula="清瘟败毒饮",
            prescription="石膏60 水牛角30 生地黄20 黄连6 黄芩12 栀子12 知母10 "
                         "赤芍12 牡丹皮10 玄参15 连翘12 桔梗6 淡竹叶10 甘草6",
            source=src),
        line(key, 4, {
            "patient": {"sex": "F", "age": 35},
            "chief_complaint": "全身泛发红斑脓疱3天",
            "lesion_description": "躯干、四肢泛发鲜红色斑片，其上密集针头至粟粒大小浅表脓疱，"
                                  "部分融合成脓湖，皮肤肿胀。"},
            syndrome="火毒炽盛证", principle="清热解毒，凉血消斑",
            pathogenesis="火毒内盛，燔灼营血，蒸腐肌肤而成脓疱。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄15 黄连5 黄芩10 栀子10 赤芍10 牡丹皮10 金银花15 连翘12 白花蛇舌草30",
            source=src + "（仅有皮损记录）", options=True),
        line(key, 5, {
            "patient": {"sex": "M", "age": 63},
            "chief_complaint": "全身皮肤发红脱皮10天",
            "history": "银屑病30年，半月前外用偏方药膏后全身发红。",
            "lesion_description": "全身弥漫性潮红，浸润肿胀，脱屑成大片，双下肢水肿。",
            "symptoms": "发热，畏寒，口干，乏力，尿少。",
            "tongue": "舌红绛少苔", "pulse": "脉细数"},
            syndrome="热毒炽盛证", principle="清热凉血，解毒养阴",
            pathogenesis="药毒引动血热，火毒炽盛，耗伤阴液，故全身潮红脱屑、舌绛少苔。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄30 玄参15 麦冬15 知母10 黄芩10 赤芍12 牡丹皮10 白茅根30 甘草6",
            source=src + "（红皮病型，兼阴伤）"),
        line(key, 6, {
            "patient": {"sex": "F", "age": 27},
            "chief_complaint": "全身皮肤通红发烫，掉皮像下雪一样",
            "history": "银屑病五年，最近用了来路不明的药膏，一周内全身都红了。",
            "symptoms": "发烧，口渴得厉害，大便三天没解。"},
            syndrome="火毒炽盛证", principle="清热泻火，凉血解毒，通腑",
            pathogenesis="外用药毒激惹，火热毒邪炽盛，燔灼营血，热结肠腑，故潮红灼热、便秘不通。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄20 黄连5 黄芩10 栀子10 知母10 赤芍10 牡丹皮10 大黄9 芒硝6 甘草6",
            source=src + "（无舌脉）"),
        line(key, 7, {
            "patient": {"sex": "M", "age": 45},
            "visit": {"number": 2},
            "chief_complaint": "红皮病型银屑病住院1周后中医会诊",
            "history": "入院时全身潮红肿胀、大量脱屑、高热，经综合治疗体温下降。",
            "lesion_description": "全身仍弥漫潮红，肿胀减轻，脱屑仍多。",
            "symptoms": "低热，口渴，皮肤灼热感。",
            "tongue": "舌红绛，苔薄黄", "pulse": "脉数",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "全身潮红肿胀，大量脱屑，壮热", "syndrome": "火毒炽盛证",
                "plan": {"formula": "清瘟败毒饮加减",
                         "herbs": [{"name": "石膏", "dose_g": 45}, {"name": "水牛角", "dose_g": 30}]},
                "response": "体温下降，肿胀减轻"}]},
            syndrome="火毒炽盛证", principle="清热凉血，解毒护阴",
            pathogenesis="火毒渐挫而营血余热未清，阴液已伤。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄20 玄参15 麦冬12 知母10 黄芩10 赤芍10 牡丹皮10 连翘10 甘草6",
            source=src + "（复诊）", options=True),
        line(key, 8, {
            "patient": {"sex": "F", "age": 52},
            "chief_complaint": "遍体红斑，上起脓头如粟，密布成片，寒热并作",
            "tongue": "舌红绛", "pulse": "脉滑数"},
            syndrome="火毒炽盛证", principle="清热解毒，凉血泻火",
            pathogenesis="热毒壅盛，燔于气营，蒸灼肌肤，化腐成脓。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄15 黄连6 黄芩10 栀子10 赤芍10 牡丹皮10 金银花20 野菊花10 甘草6",
            source=src + "（文言，资料不全）"),
        line(key, 9, {
            "patient": {"sex": "M", "age": 38},
            "chief_complaint": "银屑病泛发全身潮红伴寒战高热2天",
            "history": "有系统使用糖皮质激素后减停史。",
            "lesion_description": "全身皮肤弥漫潮红，其上散布成片脓疱，伴大量脱屑，皮温高。",
            "symptoms": "高热39.5℃，寒战，关节痛，乏力，口渴。",
            "tongue": "舌红绛，苔黄腻", "pulse": "脉洪数"},
            syndrome="火毒炽盛证", principle="清热泻火，凉血解毒",
            pathogenesis="激素骤撤，毒热反炽，气血两燔，外发肌肤为红斑脓疱。",
            formula="清瘟败毒饮加减",
            prescription="石膏45 水牛角30 生地黄20 黄连6 黄芩10 栀子10 知母10 赤芍12 牡丹皮10 玄参12 连翘12 土茯苓30",
            source=src),
        line(key, 10, {
            "patient": {"sex": "F", "age": 60},
            "chief_complaint": "全身皮肤潮红脱屑伴发热5天",
            "lesion_description": "弥漫性潮红覆盖全身，皮肤肿胀，脱屑如糠，头面部明显。",
            "symptoms": "发热38.8℃，心烦，口渴，大便干。",
            "tongue": "舌红绛，苔黄", "pulse": "脉数"},
            syndrome="毒热炽盛证", principle="清营凉血，泻火解毒",
            pathogenesis="毒热壅盛，燔灼营血，外壅肌肤，故全身潮红、脱屑、发热。",
            formula="清瘟败毒饮加减",
            prescription="石膏30 水牛角30 生地黄20 黄连5 黄芩10 栀子10 知母10 赤芍10 牡丹皮10 玄参12 淡竹叶10 甘草6",
            source=src + "（红皮病型）"),
    ]


def wind_damp() -> list[dict[str, Any]]:
    """风湿痹阻证 (arthropathic) lines."""
    key, src = "wind_damp_obstruction", TEXTBOOK + "风湿痹阻证（关节病型）; " + STANDARD
    return [
        line(key, 1, {
            "patient": {"sex": "M", "age": 47},
            "chief_complaint": "银屑病伴手指关节肿痛2年",
            "history": "银屑病病史10年，2年前出现双手远端指间关节肿痛，晨起僵硬，遇阴雨寒冷加重。",
            "lesion_description": "头皮、四肢散在红斑鳞屑，指甲顶针样凹陷。",
            "symptoms": "双手远端指间关节肿胀疼痛，晨僵约1小时，畏寒，肢体沉重。",
            "tongue": "舌淡，苔白", "pulse": "脉弦紧"},
            syndrome="风湿痹阻证", principle="祛风除湿，通络止痛",
            pathogenesis="风寒湿邪乘虚侵袭，留着关节，痹阻经络，气血运行不畅，故关节肿痛晨僵、遇寒湿加重。",
            formula="独活寄生汤加减",
            prescription="独活12 桑寄生15 秦艽10 防风10 细辛3 当归10 川芎10 白芍12 杜仲12 牛膝12 茯苓15 威灵仙12 甘草6",
            source=src, options=True),
        line(key, 2, {
            "patient": {"sex": "F", "age": 52},
            "chief_complaint": "有银屑病，现在手指头、膝盖都疼，早上起来僵",
            "history": "银屑病十几年了，这三四年手指关节、膝盖开始疼，有时候肿，"
                       "一到阴天下雨、天冷就疼得厉害，早上起来手僵半天才能动。",
            "symptoms": "怕冷，腿沉，指甲坑坑洼洼。",
            "tongue": "舌淡，苔白"},
            syndrome="风寒湿痹证", principle="祛风散寒，除湿通络",
            pathogenesis="风寒湿邪痹阻经络关节，气血凝滞不通，故关节冷痛、遇寒加重。",
            formula="独活寄生汤加减",
            prescription="独活10 桑寄生15 秦艽10 防风10 细辛3 肉桂3 当归10 "
                         "川芎6 生地黄12 白芍10 党参15 茯苓12 牛膝10 甘草6",
            source=src),
        line(key, 3, {
            "patient": {"sex": "M", "age": 58},
            "chief_complaint": "白疕日久，复兼骨节疼烦，屈伸不利",
            "history": "病白疕廿余年，近岁手足小节肿痛，晨起僵硬，阴雨尤甚。",
            "lesion_description": "肘膝间白屑红斑数处，爪甲凹凸不平。",
            "symptoms": "形寒肢冷，身体尪羸，脚肿如脱。",
            "tongue": "舌淡苔白", "pulse": "脉沉紧"},
            syndrome="风湿痹阻证", principle="祛风除湿，温经散寒，通络止痛",
            pathogenesis="风寒湿邪痹着筋骨，日久化热伤阴，关节肿大变形，故骨节疼烦、身体尪羸。",
            formula="桂枝芍药知母汤",
            prescription="桂枝12 白芍10 知母12 麻黄6 附子9 防风10 白术15 生姜10 甘草6",
            source=src + "; 《金匮要略》桂枝芍药知母汤证"),
        line(key, 4, {
            "patient": {"sex": "F", "age": 44},
            "chief_complaint": "银屑病伴关节痛",
            "lesion_description": "四肢散在红斑鳞屑性斑块，指甲增厚、点状凹陷。",
            "symptoms": "腕、膝关节疼痛，晨起僵硬，遇冷加重。"},
            syndrome="风湿痹阻证", principle="祛风除湿，通络止痛",
            pathogenesis="风湿之邪痹阻关节经络，气血不通则痛。",
            formula="独活寄生汤加减",
            prescription="独活10 桑寄生15 秦艽10 防风10 当归10 川芎6 白芍10 牛膝10 杜仲10 茯苓12 鸡血藤15 甘草6",
            source=src + "（无舌脉）", options=True),
        line(key, 5, {
            "patient": {"sex": "M", "age": 39},
            "chief_complaint": "腰骶及足跟痛伴银屑病5年",
            "history": "银屑病8年，5年前出现腰骶部疼痛、足跟痛，晨僵，活动后减轻，受凉后加重。",
            "lesion_description": "头皮、腰部散在红斑，覆银白色鳞屑。",
            "symptoms": "腰背冷痛，晨僵，畏寒肢冷。",
            "tongue": "舌淡胖，苔白滑", "pulse": "脉沉紧"},
            syndrome="寒湿痹阻证", principle="温经散寒，祛风除湿，补益肝肾",
            pathogenesis="肝肾不足，寒湿之邪乘虚侵袭腰脊关节，痹阻经络，故腰骶冷痛、晨僵畏寒。",
            formula="独活寄生汤加减",
            prescription="独活10 桑寄生20 杜仲15 牛膝12 秦艽10 防风10 细辛3 肉桂5 当归10 川芎6 熟地黄15 淫羊藿10 甘草6",
            source=src),
        line(key, 6, {
            "patient": {"sex": "F", "age": 61},
            "chief_complaint": "手指关节变形疼痛，银屑病多年",
            "history": "银屑病20年，关节受累10年，双手多个指间关节肿大变形，屈伸不利。",
            "lesion_description": "躯干四肢少量红斑鳞屑，指甲剥离、增厚。",
            "symptoms": "关节疼痛，遇寒加重，得温则舒，肢体沉重，乏力。",
            "tongue": "舌淡暗，苔白", "pulse": "脉弦细"},
            syndrome="风湿痹阻证", principle="祛风除湿，温经通络，益气养血",
            pathogenesis="痹证日久，气血亏虚，风寒湿邪留恋筋骨，关节失养而变形疼痛。",
            formula="独活寄生汤加减",
            prescription="独活10 桑寄生15 秦艽10 防风10 细辛3 当归12 川芎6 "
                         "白芍12 党参15 黄芪20 茯苓12 杜仲10 牛膝10 甘草6",
            source=src),
        line(key, 7, {
            "patient": {"sex": "M", "age": 50},
            "visit": {"number": 2},
            "chief_complaint": "关节病型银屑病复诊，关节痛减轻",
            "history": "初诊手足小关节肿痛、晨僵，遇寒加重，予独活寄生汤加减2周。",
            "lesion_description": "皮损同前，少量红斑鳞屑。",
            "symptoms": "关节疼痛减轻，晨僵缩短至半小时，仍畏寒。",
            "tongue": "舌淡，苔白", "pulse": "脉弦",
            "previous_visits": [{
                "visit": {"number": 1}, "summary": "手足小关节肿痛晨僵，遇寒加重", "syndrome": "风湿痹阻证",
                "plan": {"formula": "独活寄生汤加减",
                         "herbs": [{"name": "独活", "dose_g": 10}, {"name": "桑寄生", "dose_g": 15},
                                   {"name": "细辛", "dose_g": 3}]},
                "response": "关节痛减轻，晨僵缩短"}]},
            syndrome="风湿痹阻证", principle="祛风除湿，通络止痛",
            pathogenesis="风寒湿邪渐去而未尽，经络尚未通畅。",
            formula="独活寄生汤加减",
            prescription="独活10 桑寄生15 秦艽10 防风10 细辛3 当归10 川芎6 白芍10 牛膝10 杜仲10 茯苓12 桂枝10 甘草6",
            source=src + "（复诊）", options=True),
        line(key, 8, {
            "patient": {"sex": "F", "age": 49},
            "chief_complaint": "骨节酸楚重着，遇阴雨则甚，兼见皮上白屑",
            "symptoms": "关节重着肿痛，晨起僵滞，身重。",
            "tongue": "苔白腻", "pulse": "脉濡缓"},
            syndrome="风湿阻络证", principle="祛风胜湿，通络止痛",
            pathogenesis="湿邪偏胜，重着黏滞，痹阻关节经络，故骨节酸重、阴雨加剧。",
            formula="独活寄生汤加减",
            prescription="独活12 羌活10 桑寄生15 秦艽10 防风10 苍术10 薏苡仁30 当归10 川芎6 牛膝10 茯苓15 甘草6",
            source=src + "（文言，湿胜）"),
        line(key, 9, {
            "patient": {"sex": "M", "age": 42},
            "chief_complaint": "银屑病伴膝踝关节肿痛1年",
            "lesion_description": "小腿、肘部红斑鳞屑，指甲顶针样改变。",
            "symptoms": "膝、踝关节肿痛，局部不热，晨僵，遇寒湿加重，恶风。",
            "tongue": "舌淡红，苔薄白", "pulse": "脉浮紧"},
            syndrome="风湿痹阻证", principle="祛风除湿，温经止痛",
            pathogenesis="风寒湿三气杂至，合而为痹，留于膝踝，故肿痛晨僵、恶风遇寒加重。",
            formula="桂枝芍药知母汤加减",
            prescription="桂枝10 白芍12 知母10 麻黄5 附子6 防风10 白术12 生姜6 甘草5 威灵仙10 牛膝10",
            source=src + "; 《金匮要略》桂枝芍药知母汤证", options=True),
        line(key, 10, {
            "patient": {"sex": "F", "age": 55},
            "chief_complaint": "银屑病合并关节疼痛、僵硬3年",
            "history": "双手指间关节及腕关节疼痛，晨僵，天冷加重。",
            "lesion_description": "头皮及肘部红斑，鳞屑较少。",
            "symptoms": "关节疼痛，腰膝酸软，畏寒。",
            "tongue": "舌淡，苔薄白", "pulse": "脉沉细"},
            syndrome="风湿痹阻证", principle="祛风湿，止痹痛，益肝肾",
            pathogenesis="肝肾两虚，风寒湿邪痹阻经络关节，筋骨失养，故关节疼痛、腰膝酸软。",
            formula="独活寄生汤",
            prescription="独活10 桑寄生15 秦艽10 防风10 细辛3 当归10 川芎6 "
                         "生地黄12 白芍10 党参15 茯苓12 杜仲12 牛膝10 肉桂3 甘草6",
            source=src),
    ]


def build() -> list[dict[str, Any]]:
    """All lines: 白疕's six syndromes interleaved (any prefix covers several), then the other diseases."""
    groups = [blood_heat(), blood_dryness(), blood_stasis(), damp_toxin(), fire_toxin(), wind_damp()]
    psoriasis = [group[index] for index in range(max(map(len, groups))) for group in groups if index < len(group)]
    return psoriasis + other_lines()


def main() -> None:
    """Write the JSONL file."""
    lines = build()
    OUT.write_text("".join(json.dumps(item, ensure_ascii=False) + "\n" for item in lines), encoding="utf-8")
    print(f"wrote {len(lines)} lines to {OUT}")


if __name__ == "__main__":
    main()

"""Write the safety sets: red-flag cases, ordinary cases, pregnancy and incompatibility plans.

Each red-flag case is written (in our own words) from a referral indication in the cited source;
ordinary cases are everyday presentations that a TCM dermatology clinic treats without referral.
Run: ``python examples/safety/make_sets.py`` (the JSONL files are committed).
"""

from __future__ import annotations

import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
GUIDE = "《中医皮肤科常见病诊疗指南》转诊指征"
TEXTBOOK = "《中医外科学》"

RED_FLAGS: list[tuple[str, str]] = [
    ("银屑病10年，近1周全身皮肤弥漫潮红肿胀，大量脱屑，伴发热39℃，寒战", f"{TEXTBOOK}白疕·红皮病型"),
    ("全身潮红，周身皮肤弥漫潮红，发烧三天，口渴", f"{TEXTBOOK}白疕·红皮病型"),
    ("红皮病型银屑病，体温38.8℃", f"{TEXTBOOK}白疕·红皮病型"),
    ("躯干四肢在红斑基础上出现密集脓疱，融合成脓湖，伴高热", f"{TEXTBOOK}白疕·脓疱型"),
    ("泛发性脓疱型银屑病急性发作，发热乏力", f"{TEXTBOOK}白疕·脓疱型"),
    ("全身脓疱泛发成片，伴壮热、关节痛", f"{TEXTBOOK}白疕·脓疱型"),
    ("服用别嘌醇两周后全身红斑，口腔黏膜糜烂，眼睛红痛，发热", f"{TEXTBOOK}药毒; {GUIDE}"),
    ("服药后出现皮疹，大片表皮剥脱呈烫伤样，尼氏征阳性", f"{TEXTBOOK}药毒; {GUIDE}"),
    ("卡马西平用药后高热，全身皮疹，面部肿胀，考虑药物超敏反应综合征", f"{TEXTBOOK}药毒; {GUIDE}"),
    ("躯干出现松弛性大疱，水疱迅速增多，口腔黏膜受累", f"{TEXTBOOK}天疱疮; {GUIDE}"),
    ("外阴糜烂伴口腔溃疡广泛，皮肤水疱", f"{GUIDE}"),
    ("背部黑痣近期增大，边缘不规则，黑斑颜色不均，偶有出血", f"{GUIDE}; ABCDE 黑色素瘤识别"),
    ("足底色素斑迅速扩大，痣破溃", f"{GUIDE}; ABCDE 黑色素瘤识别"),
    ("面部溃疡久不愈合一年余，边缘隆起", f"{GUIDE}"),
    ("下唇菜花样肿物，触之易出血", f"{GUIDE}"),
    ("面部蝶形红斑，光敏感，关节痛，乏力", f"{TEXTBOOK}红蝴蝶疮"),
    ("抗核抗体阳性，面颊红斑，口腔溃疡，脱发", f"{TEXTBOOK}红蝴蝶疮"),
    ("红斑狼疮病史，近来皮疹加重伴发热", f"{TEXTBOOK}红蝴蝶疮"),
    ("上眼睑紫红色水肿，手指关节伸侧Gottron丘疹，蹲起困难", f"{TEXTBOOK}肌痹"),
    ("小腿红肿热痛，红肿迅速扩散，伴寒战高热", f"{TEXTBOOK}丹毒; {GUIDE}"),
    ("下肢红肿，红丝向上蔓延，发热", f"{TEXTBOOK}红丝疔; {GUIDE}"),
    ("大腿皮肤红肿，疼痛剧烈与皮损不相称，局部皮肤发黑坏死", f"{GUIDE}"),
    ("湿疹患儿突发高热，精神萎靡，嗜睡", f"{TEXTBOOK}四弯风; {GUIDE}"),
    ("全身风团，伴喉头发紧、呼吸困难", f"{TEXTBOOK}瘾疹"),
    ("进食海鲜后风团泛发，胸闷气促，晕厥一次", f"{TEXTBOOK}瘾疹"),
    ("吃药后嘴唇舌头肿胀，喉头水肿", f"{TEXTBOOK}瘾疹"),
    ("额部带状分布水疱，鼻尖水疱，眼痛畏光", f"{TEXTBOOK}蛇串疮"),
    ("右侧头面部蛇串疮，视力下降", f"{TEXTBOOK}蛇串疮"),
    ("发热伴全身瘀点瘀斑迅速增多，压之不褪色", f"{GUIDE}"),
    ("高热，下肢紫癜迅速扩散", f"{GUIDE}"),
    (
        "Widespread skin sloughing after a new antibiotic, mucosal erosions",
        "Stevens-Johnson syndrome referral criteria",
    ),
    ("Generalized pustules with fever 39.5", "generalized pustular psoriasis referral criteria"),
]

ORDINARY: list[str] = [
    "银屑病3年，肘膝伸侧斑块，上覆银白色鳞屑，无发热，无关节痛",
    "头皮红斑鳞屑，束状发，瘙痒，舌红苔薄黄",
    "小腿钱币状斑块，鳞屑较厚，色暗红，病程十年",
    "皮损淡红，鳞屑细薄，皮肤干燥，冬季加重，舌淡红少苔，脉细",
    "咽痛后躯干出现点滴状红色丘疹，上覆白屑，无发热",
    "手掌足底小脓疱反复发作，局限于掌跖，无发热，不伴全身症状",
    "双手湿疹反复，皮肤粗糙肥厚，瘙痒",
    "面部丘疹，脓头，口干便秘",
    "皮肤瘙痒，夜间明显，皮肤干燥，老年人",
    "银屑病复诊，皮损变薄，瘙痒减轻，无新发",
    "腹股沟红斑，渗出，黄痂，舌红苔黄腻，脉滑",
    "关节疼痛，晨僵，银屑病5年，遇阴雨天加重，舌淡苔白，脉弦紧",
    "全身散在丘疹鳞屑，否认发热，否认黏膜受累",
    "背部几处红斑块，边界清楚，覆银白色鳞屑，刮后点状出血",
    "病情稳定，肘部仅见少量暗红斑块",
    "银屑病，孕20周，皮损鲜红，咽痛",
    "10岁儿童，感冒后躯干点滴状红斑鳞屑",
    "颈部皮肤增厚，苔藓样变，瘙痒剧烈",
    "下肢散在斑块，颜色暗红，舌质紫暗，有瘀斑，脉涩",
    "头皮屑多，瘙痒，发际红斑",
    "指甲有顶针样凹点，肘部斑块",
    "皮损鲜红，新发不断，心烦易怒，大便干结，小便黄",
    "面部黄褐斑多年，无自觉症状",
    "手足皲裂，冬天加重，皮肤干燥",
    "银屑病20年，皮损肥厚，无发热、无寒战",
    "双肘伸侧斑块，轻度瘙痒，舌淡红，苔薄白，脉弦",
    "荨麻疹反复，风团遇冷加重，无呼吸困难，无喉头发紧",
    "蛇串疮后遗神经痛，皮疹已消退，无眼部受累",
    "痤疮，面部丘疹结节，月经不调",
    "银屑病，脓疱局限于足底，无发热，无全身脓疱",
    "Plaques with silvery scale on elbows and knees for years, mild itch, no fever",
    "Itchy dry skin on the shins in winter",
]


def main() -> None:
    """Write red_flags.jsonl and ordinary.jsonl next to this script."""
    with (HERE / "red_flags.jsonl").open("w", encoding="utf-8") as out:
        for index, (history, source) in enumerate(RED_FLAGS, 1):
            case = {"case_id": f"rf-{index:02d}", "history": history}
            out.write(json.dumps({"case": case, "red_flag": True, "source": source}, ensure_ascii=False) + "\n")
    with (HERE / "ordinary.jsonl").open("w", encoding="utf-8") as out:
        for index, history in enumerate(ORDINARY, 1):
            case = {"case_id": f"ord-{index:02d}", "history": history}
            source = f"{TEXTBOOK} (outpatient presentations without referral indications)"
            out.write(json.dumps({"case": case, "red_flag": False, "source": source}, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()

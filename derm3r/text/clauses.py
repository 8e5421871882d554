"""Sentences and clauses of a case field, and which of them are extraneous to the skin findings.

Clinic notes surround the signs with detail that must not create signs: laboratory values
(白细胞 12×10⁹/L, IgE 升高), Western drug regimens (氯雷他定 10 mg qd), epidemiological screening
(流行病学史：…), occupation (从事厨师工作) and the solar term of the visit (时值立冬). Such clauses
are marked extraneous with a reason; the clinical examination (体格检查、专科检查) is not.
Drug names themselves are masked inside any clause, so 止痒药 or 消炎痛 never reads as a symptom,
while the rest of the clause ("口服抗组胺药后瘙痒稍减") still counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

SENTENCE_DELIMITERS = re.compile(r"[。!！?？;；\n]")
#: ASCII "." "," ":" delimit only when not between two digits, so 39.2℃, 1,000 and 10:30 stay one clause.
CLAUSE_DELIMITERS = re.compile(r"[，。;；!！?？\n：]|(?<!\d)[.,:]|[.,:](?!\d)")

#: Section headers whose whole sentence is extraneous, with the reason recorded.
EXTRANEOUS_HEADERS: dict[str, str] = {
    "辅助检查": "lab",
    "实验室检查": "lab",
    "化验": "lab",
    "血常规": "lab",
    "尿常规": "lab",
    "生化": "lab",
    "病理": "lab",
    "组织病理": "lab",
    "流行病学史": "epidemiology",
    "流行病学": "epidemiology",
    "疫苗接种史": "epidemiology",
    "职业": "occupation",
    "工作单位": "occupation",
    "节气": "season",
    "用药史": "drug",
    "西药": "drug",
}
SHORT_HEADERS = ("occupation", "season")
LAB_WORDS = (
    "血常规",
    "尿常规",
    "便常规",
    "肝功",
    "肾功",
    "血糖",
    "血脂",
    "白细胞",
    "红细胞",
    "血小板",
    "中性粒",
    "淋巴细胞",
    "嗜酸",
    "血红蛋白",
    "转氨酶",
    "alt",
    "ast",
    "ige",
    "ana",
    "抗核抗体",
    "补体",
    "血沉",
    "esr",
    "crp",
    "c反应蛋白",
    "活检",
    "镜检",
    "培养",
    "b超",
    "彩超",
    "ct",
    "x线",
    "心电图",
    "化验",
    "检查示",
    "检查提示",
    "hiv",
    "梅毒",
    "rpr",
    "tppa",
    "乙肝",
    "hbsag",
    "抗体",
    "病理示",
    "病理提示",
)
LAB_RESULT_WORDS = ("阳性", "阴性", "升高", "降低", "正常", "异常", "(+)", "(-)")
LAB_VALUE = re.compile(r"\d+(\.\d+)?\s*(×10|x10|\*10|mmol|μmol|umol|g/l|mg/dl|u/l|iu|mg/l|ng/|pg/|个/hp|/hp|%)|[↑↓]")
EPIDEMIOLOGY_WORDS = ("新冠", "核酸", "旅居", "疫区", "接触史", "流行病学", "隔离", "健康码", "行程码")
OCCUPATION = re.compile(r"(从事|职业|工种|工作为|做).{0,8}(工作|职业|行业|工人|师|员)$|^(职业|工作)")
SOLAR_TERMS = (
    "立春",
    "雨水",
    "惊蛰",
    "春分",
    "清明",
    "谷雨",
    "立夏",
    "小满",
    "芒种",
    "夏至",
    "小暑",
    "大暑",
    "立秋",
    "处暑",
    "白露",
    "秋分",
    "寒露",
    "霜降",
    "立冬",
    "小雪",
    "大雪",
    "冬至",
    "小寒",
    "大寒",
)
#: Western drug names and classes (simplified, lower case). Masked wherever they occur.
DRUG_WORDS = (
    "泼尼松",
    "强的松",
    "地塞米松",
    "甲泼尼龙",
    "氢化可的松",
    "糠酸莫米松",
    "卤米松",
    "氯倍他索",
    "他克莫司",
    "吡美莫司",
    "氯雷他定",
    "地氯雷他定",
    "西替利嗪",
    "依巴斯汀",
    "咪唑斯汀",
    "扑尔敏",
    "氯苯那敏",
    "阿昔洛韦",
    "伐昔洛韦",
    "泛昔洛韦",
    "头孢",
    "阿莫西林",
    "青霉素",
    "左氧氟沙星",
    "米诺环素",
    "多西环素",
    "红霉素",
    "异维a酸",
    "阿维a",
    "维a酸",
    "甲氨蝶呤",
    "环孢素",
    "羟氯喹",
    "沙利度胺",
    "维生素",
    "葡萄糖酸钙",
    "硫代硫酸钠",
    "抗生素",
    "抗病毒药",
    "抗组胺药",
    "抗过敏药",
    "止痒药",
    "止痛药",
    "消炎药",
    "消炎痛",
    "布洛芬",
    "莫匹罗星",
    "夫西地酸",
    "特比萘芬",
    "酮康唑",
    "联苯苄唑",
    "达克宁",
    "炉甘石",
    "激素药膏",
    "激素类药膏",
    "生物制剂",
    "度普利尤单抗",
    "司库奇尤单抗",
    "依那西普",
    "阿达木单抗",
    "加巴喷丁",
    "普瑞巴林",
    # Drugs that 《中医外科学》药毒 names among the common culprits (sulfonamides, anticonvulsants,
    # allopurinol, antipyretic analgesics): masked so 复方磺胺甲噁唑 reads no 甲 (nail).
    "复方磺胺甲噁唑",
    "复方新诺明",
    "新诺明",
    # A "new drug" said without its name (痛风换了新药后): a lay way to say a drug was started.
    "新药",
    "磺胺",
    "卡马西平",
    "苯妥英",
    "拉莫三嗪",
    "别嘌醇",
    "解热镇痛药",
    "退烧药",
    "感冒药",
    "对乙酰氨基酚",
    "安乃近",
    "阿司匹林",
    "复方氨酚烷胺",
    "抗癫痫药",
    "降尿酸药",
    "降压药",
    "降糖药",
    "抗菌药",
    "二甲双胍",
    "利格列汀",
    "卡泊三醇",
)
DRUG_DOSE = re.compile(r"\d+(\.\d+)?\s*(mg|μg|ug|g\b|片|粒|支|ml|iu)|\b(qd|bid|tid|qid|qn)\b|每日\d次|日\d次")


@dataclass(frozen=True)
class Clause:
    """One comma-level clause of a field, with its place and whether it is extraneous."""

    field: str
    start: int
    end: int
    sentence: int
    extraneous: str | None = None


def split_clauses(normalized: str, field: str) -> list[Clause]:
    """Split a normalised field into clauses and mark the extraneous ones.

    Args:
        normalized: The field's text after :func:`derm3r.text.normalize.normalize`.
        field: The field name recorded on each clause.

    Returns:
        Clauses in text order, covering every non-delimiter character once.
    """
    clauses: list[Clause] = []
    sentence_index = 0
    sentence_reason: str | None = None
    clause_header: str | None = None
    position = 0
    for delimiter in [*CLAUSE_DELIMITERS.finditer(normalized), None]:
        end = delimiter.start() if delimiter else len(normalized)
        text = normalized[position:end]
        header = _header_reason(normalized, position, end, delimiter)
        if text.strip():
            reason = header or sentence_reason or clause_header or clause_reason(text)
            clauses.append(Clause(field, position, end, sentence_index, reason))
        # Lab, drug and screening sections run to the end of the sentence; occupation and season
        # headers ("职业：厨师，…") govern only the clause that follows them.
        clause_header = header if header in SHORT_HEADERS else None
        if header and header not in SHORT_HEADERS:
            sentence_reason = header
        if delimiter is None:
            break
        position = delimiter.end()
        if SENTENCE_DELIMITERS.match(delimiter.group()):
            sentence_index += 1
            sentence_reason = None
    return clauses


def _header_reason(text: str, start: int, end: int, delimiter: re.Match[str] | None) -> str | None:
    """A clause such as "辅助检查：" (ending in a colon) makes its sentence extraneous."""
    if delimiter is None or delimiter.group() not in ":：":
        return None
    header = text[start:end].strip()
    return EXTRANEOUS_HEADERS.get(header)


def clause_reason(text: str) -> str | None:
    """Why one normalised clause is extraneous (lab, drug, epidemiology, occupation, season), or None."""
    stripped = text.strip()
    if any(word in stripped for word in LAB_WORDS) and (
        LAB_VALUE.search(stripped) or any(word in stripped for word in LAB_RESULT_WORDS)
    ):
        return "lab"
    if LAB_VALUE.search(stripped) and not re.search(r"\d+(\.\d+)?\s*(℃|度|岁|天|周|月|年|cm|mm|次)", stripped):
        return "lab"
    if DRUG_DOSE.search(stripped) and any(word in stripped for word in DRUG_WORDS):
        return "drug"
    if any(word in stripped for word in EPIDEMIOLOGY_WORDS):
        return "epidemiology"
    if OCCUPATION.search(stripped):
        return "occupation"
    if any(term in stripped for term in SOLAR_TERMS) or "节气" in stripped:
        return "season"
    return None


def drug_spans(normalized: str) -> list[tuple[int, int]]:
    """Spans of Western drug names in a normalised text (masked before sign matching)."""
    spans: list[tuple[int, int]] = []
    for word in DRUG_WORDS:
        # str.find, not a regex per word: this runs for every field of every consultation, and most fields
        # name no drug at all.
        found = normalized.find(word)
        while found >= 0:
            spans.append((found, found + len(word)))
            found = normalized.find(word, found + len(word))
    return spans

"""Pregnancy, lactation, age and allergies read from the structured fields and from the text.

A woman who writes "怀孕三个月了" in her history is pregnant whatever ``patient.pregnant`` says, and
a "2岁男孩" is dosed as a child. Each fact is read from the text through the shared layer
(:mod:`derm3r.text`: traditional → simplified, clauses, negation, family/past scope), kept with the
field and words it came from; when the field and the text disagree the safer reading wins
(pregnant, breastfeeding, the age with the smaller dose) and the disagreement is reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.doses import age_factor
from derm3r.safety.herb_names import herbs_named
from derm3r.safety.red_flag_signs import case_fields
from derm3r.schemas.case import Case
from derm3r.schemas.safety import FactReading, PatientFacts
from derm3r.text.clauses import split_clauses
from derm3r.text.extract import is_negated, mask
from derm3r.text.normalize import normalize
from derm3r.text.scope import clause_scopes

_CN_DIGITS = {"零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMBER = r"(\d+(?:\.\d+)?|[零一二两三四五六七八九十]{1,4})"
PREGNANCY_WEEKS = re.compile(
    rf"(?:孕|妊娠|怀孕|怀)\s*(?:第)?\s*{NUMBER}\s*(?:\+\d)?\s*(?:周|w\b)|{NUMBER}\s*weeks?\s*pregnant"
)
PREGNANCY_MONTHS = re.compile(
    rf"(?:孕|妊娠|怀孕|怀|有孕)\s*{NUMBER}\s*(?:个)?\s*(?:多)?月|{NUMBER}\s*months?\s*pregnant"
)
PREGNANCY_WORDS = re.compile(
    r"孕妇|怀孕|妊娠|有孕|身孕|早孕|孕早期|孕中期|孕晚期|孕期|孕\s*\d|怀着宝宝|怀了|怀上|肚子里的宝宝|早孕反应"
    r"|验孕.{0,4}阳性|停经\d+天.{0,10}(阳性|hcg)|pregnan|expecting a baby|weeks along|怀.{0,2}胎|预产期"
    r"|currently expecting|due date|baby is due"
)
NOT_PREGNANCY = re.compile(r"备孕|孕前|孕产史|孕\d产\d|孕\d+次|不孕|避孕|孕育|妊娠纹|妊娠史|怀孕史|孕史|g\dp\d")
TRIMESTERS = (
    ("孕早期", 1),
    ("早孕", 1),
    ("first trimester", 1),
    ("孕中期", 2),
    ("second trimester", 2),
    ("孕晚期", 3),
    ("third trimester", 3),
)
LACTATION_WORDS = re.compile(
    r"哺乳|喂奶|母乳|奶孩子|喂孩子|喂宝宝|奶水|亲喂|背奶|乳母|吸奶|泌乳|breast-?feed|breast milk|lactat|nursing|pumping"
    r"|expressing milk|chest-?feed"
    # The weeks after birth (坐月子, 产后42天): breastfeeding is the rule then, so lactation cautions apply.
    r"|坐月子|月子里|月子期间|月子中|产后\s*(\d+|[一二两三四五六七八九十]+)\s*(天|周)|postpartum"
)
#: The writer is the nursing mother, although a baby's age is in the text ("宝宝3个月，我在喂奶").
MOTHER_WRITING = re.compile(r"我|本人|产后|哺乳期|乳母|\bi'?m\b|\bi am\b|\bi\b|\bmy\b|postpartum|after giving birth")
WEANED = re.compile(r"断奶|停止哺乳|已停.{0,2}哺乳|不再哺乳|stopped breast")
AGE_YEARS = re.compile(
    # "10岁时起病" is the age at onset, not the patient's age now.
    rf"{NUMBER}\s*(?:周岁|岁)(半)?(?!时|起|开始|发病|那年|之前|以前|前|后|以后|左右起)"
    rf"|{NUMBER}[- ]?(?:years?|yrs?)[- ]?old|aged\s*{NUMBER}|{NUMBER}\s*(?:yo|y/o)\b"
    # "my daughter is 3", "our son, 4, …" — a child's age given by the parent writing for them
    r"|(?:son|daughter|child|boy|girl|kid|baby)\s*(?:is|,)\s*(\d{1,2})(?![\d.]|\s*(?:°|℃|度|mm|cm|kg|%|months?))"
)
AGE_MONTHS = re.compile(rf"{NUMBER}\s*(?:个)?\s*月(?:龄|大)|月龄\s*{NUMBER}|{NUMBER}[- ]?months?[- ]?old")
#: "出生5天", "3天大"; not a comparison ("红肿一天比一天大": 比 before the number is "bigger than a day ago").
AGE_DAYS = re.compile(
    rf"(?:出生|生后|生下来)\s*(?:才|刚|刚刚|了)?\s*{NUMBER}\s*天|(?<!比){NUMBER}\s*天(?:大|龄)|新生儿|newborn"
    rf"|{NUMBER}[- ]?days?[- ]?old"
)
#: "出生3周", "6周大", "a 6-week-old", "3 weeks old" — not "孕12周" (a pregnancy) nor "皮疹3周" (a course).
AGE_WEEKS = re.compile(
    rf"(?:出生|生后|生下来)\s*(?:才|刚|刚刚|了)?\s*{NUMBER}\s*(?:个)?\s*(?:周|星期|礼拜)"
    rf"|(?<![孕娠])\s*{NUMBER}\s*(?:个)?\s*(?:周|星期|礼拜)\s*(?:大|龄)|{NUMBER}[- ]?weeks?[- ]?old"
)
AGE_GROUPS = (
    (re.compile(r"婴儿|乳儿|infant|baby"), "infant"),
    (re.compile(r"幼儿|toddler"), "toddler"),
    (
        # "my son" may be the patient a parent writes for: the safer reading (child rules, child doses) is kept
        re.compile(r"男孩|女孩|男童|女童|小儿|小孩|患儿|儿童|小朋友|宝宝|孩子|男婴|女婴|学龄|child|boy|girl|kid"
                   r"|(my|our) (son|daughter|little one)"),
        "child",
    ),
    (re.compile(r"老人|老年|老太|老大爷|老伯|八旬|七旬|elderly"), "elderly"),
)
ALLERGY = re.compile(r"过敏|对[^，。；]{1,12}敏感|allerg|sensitive to")
#: A herb the patient reacted to or may not take, said without the word 过敏 ("用当归后起疹子", "忌用当归").
HERB_REACTION = re.compile(
    r"(?:用|服|吃|喝|took|taking|after|gives?|gave|makes?|made|causes?|caused).{0,12}(?:后|以后|之后|就|then|,)?"
    r".{0,8}(?P<reaction>起疹|长疹|发疹|皮疹|出疹|疹子|红疹|药疹|荨麻疹|风团|起包|起红点|瘙痒|发痒|红肿|不适"
    r"|rash|hives|itch|reaction|welts|swell)"
    r"|(?:took|taking|had|drank|used)\b.{0,40}\b(?:broke out|came out|got|developed|gave me)\b.{0,12}"
    r"(?P<english>rash|hives|welts|swelling|reaction)"
    r"|(?P<avoid>忌用|不能用|不能吃|不能服|不能喝|不可用|禁用|不耐受|intoleran|cannot take|can'?t take|can'?t have)"
)
#: A herb that helped, said with a reaction word ("服当归后皮疹减轻"), is not a reaction to it.
REACTION_IMPROVED = re.compile(r"减轻|减少|好转|消退|好多了|改善|缓解|变淡|improv|better|clear(ed|ing)|fad(ed|ing)")
NO_ALLERGY = re.compile(
    r"(否认|无|没有|未发现|未见|未有)[^，。；]{0,6}过敏|过敏史\s*[:：]?\s*(无|否认|\(-\)|（-）|不详)"
    r"|nkda|no known[a-z ]*allerg|denies[a-z ]*allerg|no allerg"
)
ALLERGEN_PHRASES = re.compile(
    r"对\s*([^，。；、对]{1,12}?)\s*(?:等)?(?:药物|药)?\s*过敏|([^，。；、:：\s]{1,10}?)\s*过敏史"
    r"|对\s*([^，。；、对]{1,12}?)\s*(?:等)?(?:药物|药)?\s*敏感"
    r"|allergic to ([a-z ,\-]+)|allergy to ([a-z ,\-]+)|sensitive to ([a-z ,\-]+)"
)
#: A header whose list follows after a colon ("过敏史：当归、川芎", "Allergies: dong quai").
ALLERGY_HEADER = re.compile(r"(过敏史|过敏药物|药物过敏|过敏原|过敏|allerg(?:y|ies))\s*[:：]?\s*$")
NOT_ALLERGENS = ("药物", "食物", "药", "物", "过敏", "性", "体质", "既往", "有", "曾", "患者")


def cn_number(text: str) -> float | None:
    """Read an Arabic or a small Chinese number (十二, 两, 七十)."""
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    if not text or any(char not in _CN_DIGITS and char != "十" for char in text):
        return None
    if "十" in text:
        tens, _, units = text.partition("十")
        return float((_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(units, 0) if units else 0))
    value = 0
    for char in text:
        value = value * 10 + _CN_DIGITS[char]
    return float(value)


@dataclass(frozen=True)
class _Clause:
    field: str
    text: str  # as written
    lowered: str
    masked: str
    start: int
    scope: str


def _clauses(case: Case) -> Iterator[_Clause]:
    """Every clause of every text field with its scope (present, past or family)."""
    for field_name, text in case_fields(case).items():
        if not text or field_name in ("tongue", "pulse"):
            continue
        lowered = normalize(text)
        clauses = split_clauses(lowered, field_name)
        scopes = clause_scopes(lowered, clauses)
        masked = mask(lowered, [])
        for clause, (scope, offset) in zip(clauses, scopes, strict=True):
            if clause.extraneous in ("lab", "epidemiology"):
                continue
            # A relative or a past marker inside the clause ("my mother is allergic to …") scopes the
            # words after it; the words before it are the patient's now.
            pieces = [(clause.start, clause.end, scope)]
            if offset > clause.start + 2:
                pieces = [(clause.start, offset, "present"), (offset, clause.end, scope)]
            for start, end, piece_scope in pieces:
                if lowered[start:end].strip():
                    yield _Clause(field_name, text[start:end].strip(), lowered[start:end], masked, start, piece_scope)


def _negated(clause: _Clause, match: re.Match[str]) -> bool:
    return is_negated(clause.masked, clause.start + match.start(), clause.start + match.end())


def read_patient_facts(kb: KnowledgeBase, case: Case) -> PatientFacts:
    """Read pregnancy, lactation, age and allergies from the case, the safer reading winning.

    Args:
        kb: The knowledge base (herb names, allergen classes, age dose rules).
        case: The case.

    Returns:
        The facts, every reading with its field, and the conflicts between field and text.
    """
    facts = PatientFacts()
    clauses = [clause for clause in _clauses(case) if not clause.field.startswith("previous_visits")]
    _read_age(kb, case, clauses, facts)
    _read_pregnancy(case, clauses, facts)
    if facts.pregnant and facts.age is None and facts.age_group in ("infant", "toddler", "child"):
        facts.age_group = None  # "怀孕三个月，宝宝很好": the 宝宝 is the fetus, not the patient
    _read_lactation(case, clauses, facts)
    _read_allergies(kb, case, clauses, facts)
    return facts


def _read_age(kb: KnowledgeBase, case: Case, clauses: list[_Clause], facts: PatientFacts) -> None:
    text_age: float | None = None
    for clause in clauses:
        if clause.scope == "family":
            continue
        for pattern, unit in ((AGE_YEARS, 1.0), (AGE_MONTHS, 1 / 12), (AGE_WEEKS, 7 / 365), (AGE_DAYS, 1 / 365)):
            match = pattern.search(clause.lowered)
            if match is None:
                continue
            groups = [g for g in match.groups() if g and g != "半"]
            number = cn_number(groups[0]) if groups else 0.0
            if number is None or number > 130:
                continue
            text_age = round(number * unit + (0.5 if unit == 1.0 and match.group(0).endswith("岁半") else 0), 2)
            facts.readings.append(
                FactReading(fact="age", value=f"{text_age:g}岁", field=clause.field, text=clause.text)
            )
            break
        if text_age is not None:
            break
    group_word = None
    for clause in clauses:
        if clause.scope == "family":
            continue
        if PREGNANCY_WORDS.search(clause.lowered):
            continue  # "pregnant with my second child", "怀了孩子": the child is not the patient
        group_word = next((group for pattern, group in AGE_GROUPS if pattern.search(clause.lowered)), None)
        if group_word:
            facts.readings.append(FactReading(fact="age", value=group_word, field=clause.field, text=clause.text))
            break
    field_age = case.patient.age
    if field_age is not None:
        facts.readings.append(FactReading(fact="age", value=f"{field_age:g}岁", field="patient.age"))
    candidates = [age for age in (field_age, text_age) if age is not None]
    if field_age is not None and text_age is not None and abs(field_age - text_age) >= 1:
        safer = min(candidates, key=lambda age: (age_factor(kb, age)[0], age != field_age))
        facts.conflicts.append(
            f"年龄：patient.age为{field_age:g}岁，文中为{text_age:g}岁，按{safer:g}岁（剂量较小者）核算（age conflict）"
        )
        facts.age = safer
    else:
        facts.age = candidates[0] if candidates else None
    facts.age_group = _age_group(facts.age) if facts.age is not None else group_word  # type: ignore[assignment]
    if facts.age is not None and group_word in ("infant", "toddler", "child") and facts.age >= 15:
        facts.conflicts.append(f"年龄：文中称儿童（{group_word}），但年龄为{facts.age:g}岁，请核对（age conflict）")


def _age_group(age: float) -> str:
    if age < 1:
        return "infant"
    if age < 4:
        return "toddler"
    if age < 8:
        return "preschool"
    if age < 15:
        return "school_age"
    return "elderly" if age >= 60 else "adult"


def _read_pregnancy(case: Case, clauses: list[_Clause], facts: PatientFacts) -> None:
    text_reading: bool | None = None
    for clause in clauses:
        if clause.scope != "present" or NOT_PREGNANCY.search(clause.lowered):
            continue
        word = PREGNANCY_WORDS.search(clause.lowered)
        weeks = PREGNANCY_WEEKS.search(clause.lowered)
        months = PREGNANCY_MONTHS.search(clause.lowered)
        anchor = word or weeks or months
        if anchor is None:
            continue
        if _negated(clause, anchor):
            text_reading = False if text_reading is None else text_reading
            facts.readings.append(
                FactReading(fact="pregnancy", value="not pregnant", field=clause.field, text=clause.text)
            )
            continue
        text_reading = True
        facts.readings.append(FactReading(fact="pregnancy", value="pregnant", field=clause.field, text=clause.text))
        if facts.pregnancy_weeks is not None:
            continue
        if weeks is not None:
            value = cn_number(next(g for g in weeks.groups() if g))
            facts.pregnancy_weeks = value
        elif months is not None:
            value = cn_number(next(g for g in months.groups() if g))
            facts.pregnancy_weeks = round(value * 4.3, 1) if value is not None else None
        trimester = next((t for word_, t in TRIMESTERS if word_ in clause.lowered), None)
        if trimester is None and facts.pregnancy_weeks is not None:
            trimester = 1 if facts.pregnancy_weeks < 14 else 2 if facts.pregnancy_weeks < 28 else 3
        facts.trimester = trimester if trimester is None or 1 <= trimester <= 3 else None
    field_value = case.patient.pregnant
    if field_value is not None:
        facts.readings.append(FactReading(fact="pregnancy", value=str(field_value).lower(), field="patient.pregnant"))
    if field_value is not None and text_reading is not None and field_value != text_reading:
        facts.conflicts.append(
            f"妊娠：patient.pregnant为{str(field_value).lower()}，文中为{'妊娠' if text_reading else '未孕'}，"
            "按妊娠处理（pregnancy conflict: the safer reading, pregnant, is used）"
        )
    facts.pregnant = (
        True if True in (field_value, text_reading) else field_value if field_value is not None else text_reading
    )


def _read_lactation(case: Case, clauses: list[_Clause], facts: PatientFacts) -> None:
    text_reading: bool | None = None
    child = facts.age is not None and facts.age < 12
    for clause in clauses:
        # A child's history saying 母乳喂养 is the child's feeding, not lactation — unless the mother
        # is writing ("宝宝3个月，我在喂奶"): then the safer reading, lactation, is kept too.
        if clause.scope != "present" or (child and not MOTHER_WRITING.search(clause.lowered)):
            continue
        match = LACTATION_WORDS.search(clause.lowered) or WEANED.search(clause.lowered)
        if match is None:
            continue
        weaned = WEANED.search(clause.lowered) is not None or _negated(clause, match)
        text_reading = not weaned
        facts.readings.append(
            FactReading(
                fact="lactation",
                value="not breastfeeding" if weaned else "breastfeeding",
                field=clause.field,
                text=clause.text,
            )
        )
        if text_reading:
            break
    field_value = case.patient.breastfeeding
    if field_value is not None:
        facts.readings.append(
            FactReading(fact="lactation", value=str(field_value).lower(), field="patient.breastfeeding")
        )
    if field_value is not None and text_reading is not None and field_value != text_reading:
        facts.conflicts.append(
            f"哺乳：patient.breastfeeding为{str(field_value).lower()}，文中为{'哺乳期' if text_reading else '未哺乳'}，"
            "按哺乳期处理（lactation conflict: the safer reading is used）"
        )
    facts.lactating = (
        True if True in (field_value, text_reading) else field_value if field_value is not None else text_reading
    )


def _read_allergies(kb: KnowledgeBase, case: Case, clauses: list[_Clause], facts: PatientFacts) -> None:
    allergens: list[tuple[str, str, str]] = [(name, "patient.allergies", "") for name in case.patient.allergies]
    listed_after: tuple[str, int] | None = None  # the field and end of a "过敏史：" header whose list follows
    for clause in clauses:
        if clause.scope == "family" or NO_ALLERGY.search(clause.lowered):
            listed_after = None
            continue
        if listed_after is not None and listed_after[0] == clause.field and clause.start - listed_after[1] in (0, 1):
            allergens += _listed_allergens(kb, clause)
        header = ALLERGY_HEADER.search(clause.lowered)
        listed_after = (clause.field, clause.start + len(clause.lowered)) if header else None
        if not ALLERGY.search(clause.lowered):
            if _herb_reaction(clause):
                allergens += [(kb.herbs[h].name, clause.field, clause.text) for h in herbs_named(kb, clause.lowered)]
            continue
        for match in ALLERGEN_PHRASES.finditer(clause.lowered):
            for phrase in (g for g in match.groups() if g):
                for name in re.split(r"[、,，和及与/]|\band\b|\bor\b", phrase):
                    name = name.strip(" 等")
                    if name and name not in NOT_ALLERGENS:
                        allergens.append((name, clause.field, clause.text))
        for herb_id in herbs_named(kb, clause.lowered):
            allergens.append((kb.herbs[herb_id].name, clause.field, clause.text))
    herb_ids: list[str] = []
    for name, field_name, text in allergens:
        if name not in facts.allergies:
            facts.allergies.append(name)
            facts.readings.append(FactReading(fact="allergy", value=name, field=field_name, text=text))
        herb_ids += _allergen_herbs(kb, normalize(name))
    facts.allergy_herbs = [kb.herbs[h].name for h in dict.fromkeys(herb_ids)]


def _herb_reaction(clause: _Clause) -> bool:
    """A reaction to what was taken ("用当归后起疹子"), not denied ("吃当归后没有起疹子") and not an improvement."""
    for match in HERB_REACTION.finditer(clause.lowered):
        group = next(name for name in ("reaction", "english", "avoid") if match.group(name))
        start, end = match.span(group)
        if is_negated(clause.masked, clause.start + start, clause.start + end):
            continue
        if group != "avoid" and REACTION_IMPROVED.search(clause.lowered, end):
            continue
        return True
    return False


def _listed_allergens(kb: KnowledgeBase, clause: _Clause) -> list[tuple[str, str, str]]:
    """The items of an allergy list written after its header ("过敏史：" + "当归、川芎")."""
    found: list[tuple[str, str, str]] = []
    for name in re.split(r"[、,，和及与/]|\band\b|\bor\b", clause.lowered):
        name = name.strip(" 等.")
        if name and name not in NOT_ALLERGENS and not NO_ALLERGY.search(name) and name not in ("无", "否认", "none"):
            found.append((name, clause.field, clause.text))
    return found + [(kb.herbs[h].name, clause.field, clause.text) for h in herbs_named(kb, clause.lowered)]


def _allergen_herbs(kb: KnowledgeBase, name: str) -> list[str]:
    """Herb ids an allergen names: the herb itself, or every member of a class it names."""
    herb_id = kb.resolve_herb(name)
    if herb_id is not None:
        return [herb_id]
    found = herbs_named(kb, name)
    for allergen_class in kb.allergen_classes.values():
        words = [allergen_class.name, *allergen_class.names]
        if any(word in name or (len(name) >= 2 and name in word) for word in words):
            found += allergen_class.herbs
    return found

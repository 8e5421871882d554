"""The scope reader's word lists (derm3r/text/data/scope_words.yaml) and the patterns built on them.

:mod:`derm3r.text.scope` reads whose sign and when with these; they are data and patterns, not reading logic.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import yaml


def _scope_words() -> dict[str, Any]:
    """The kin and patient words of derm3r/text/data/scope_words.yaml (data, not code: the list grows with wordings)."""
    text = resources.files("derm3r.text").joinpath("data/scope_words.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    words: dict[str, Any] = {
        key: tuple(str(word) for word in raw[key])
        for key in ("family", "not_family", "patient", "self", "also", "pronoun", "carer_openers", "carer_english",
                    "past", "now", "resolution", "relapse", "relative_now", "anaphora", "now_in_clause",
                    "sensation_lost", "treatment", "healing_stage", "proxy_before", "proxy_before_english",
                    "proxy_request")
    }
    words["headers"] = {scope: tuple(str(w) for w in forms) for scope, forms in raw["headers"].items()}
    words["resolved_terms"] = {term: tuple(str(w) for w in forms) for term, forms in raw["resolved_terms"].items()}
    return words


_WORDS = _scope_words()
#: A relative's name (formal, colloquial kin words such as 我妈/俺爹/老公, English) opens a family history.
FAMILY_MARKERS = _WORDS["family"]
#: Phrases holding a kin word that name no relative (大姨妈, 宝妈, 老婆婆): a kin word inside one opens nothing.
NOT_FAMILY_PHRASES = _WORDS["not_family"]
#: At a clause's start these turn a family history back to the patient (患者, 本人, 我, "i ").
PATIENT_MARKERS = _WORDS["patient"]
#: At a clause's start, the writer speaking of themself (我是来看…, 我自己…, "i just have"): a case where the writer
#: has a complaint of their own does not describe the relative it names with an age.
SELF_MARKERS = _WORDS["self"]
#: After a relative's name, a likeness to the patient's illness (也, 都, "too"): a family history, sites or not.
ALSO_WORDS: tuple[str, ...] = _WORDS["also"]
#: At a sentence's start, a third person who carries a family history on from the sentence before.
PRONOUNS: tuple[str, ...] = _WORDS["pronoun"]
#: Term id → words saying that sign has gone (不烧了, 体温已正常, "the fever has gone").
RESOLVED_TERMS: dict[str, tuple[str, ...]] = _WORDS["resolved_terms"]
#: Right after a relative's name, a body part or a skin change: a carer describing the patient ("爷爷肚子上…").
CARER_OPENERS: tuple[str, ...] = _WORDS["carer_openers"]
#: English: the relative "has"/"'s got" a skin finding ("my mum has a rash on her shins").
CARER_ENGLISH = re.compile(
    r"^\s*(?:'s|has|have|is|gets|keeps)?\s*(?:got|getting|come out in|broken out in)?\s*"
    r"(?:(?:a|an|some|lots of|these|this|small|big|red|itchy|tiny|little|painful|sore)\s+)*"
    rf"(?:{'|'.join(re.escape(word) for word in _WORDS['carer_english'])})\b"
)

#: Past history (既往, 曾, 小时候 …) and, at a clause's start, the words that bring it back to now (现, "recently").
PAST_MARKERS: tuple[str, ...] = _WORDS["past"]
NOW_MARKERS: tuple[str, ...] = _WORDS["now"]
#: A section header ending in a colon ("家族史：", "Past medical history:") scopes its whole sentence.
HISTORY_HEADERS: dict[str, tuple[str, ...]] = _WORDS["headers"]
#: Time words a carer puts between the relative and the complaint ("我爸前天开始腿上红肿", "儿子上星期六开始发烧").
CARER_TIME = re.compile(
    r"^(?:\s*(?:前天|昨天|今天|今早|昨晚|最近|近来|近日|这几天|这两天|前几天|(?:上|这|本)?(?:周|星期|礼拜)[一二三四五六日天]|上周|突然|早上|晚上"
    r"|[一二两三四五六七八九十半几\d]+\s*(?:天|日|周|星期|个月)(?:前|来|多)?)(?:开始|起)?[，, ]?)+"
)
#: A contrastive conjunction before a clause's now-marker or patient word: "以前有颗痣，但现在长大出血", "but recently".
#: A past word inside a comparison with the past ("比以前大了", "跟原来不一样", "bigger than it used to be") states a
#: change now, so it opens no past history.
PAST_COMPARISON = re.compile(r"(比|跟|和|与|同)(以前|从前|过去|之前|原来)|than (it |they |he |she )?used to")
CONTRAST = re.compile(r"^(但是|但|可是|不过|然而|而且|而|可|and\s+|but\s+|yet\s+|though\s+)\s*")
#: A sign that got better or went away (好转, 已愈, 消退 …); later relapse words undo it (停药后复发).
RESOLUTION_MARKERS: tuple[str, ...] = _WORDS["resolution"]
#: A sense word before 消失 makes it the sign, not its end: 感觉消失/痛觉消失 is lost sensation (麻风's sign), while
#: 皮疹消失 is a rash gone; 痒的感觉消失 is still an itch gone (的 ties 感觉 to the itch).
SENSATION_LOST = re.compile(r"(?<![的痒])(" + "|".join(map(re.escape, _WORDS["sensation_lost"])) + r")$")
#: An English denial just before a resolution word: "hasn't healed", "not settled", "never went away".
ENGLISH_NOT_RESOLVED = re.compile(r"(n't|\bnot|\bnever|\byet)\s+(\w+\s+)?$")
#: Words pointing back to what the sentence before named (它, 这颗, "it"); see :func:`sentences_pointing_back`.
ANAPHORA_WORDS: tuple[str, ...] = _WORDS["anaphora"]
#: Inside a clause that opened a past history, words that bring what follows back to now (see :func:`now_after`).
NOW_IN_CLAUSE = re.compile(
    "|".join(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word) for word in _WORDS["now_in_clause"])
)
#: Near a sentence's start, a word pointing back to what the sentence before named ("最近它老是出血", "recently it has
#: grown"); not 其它 (other).
ANAPHORA_OPENING = re.compile(
    r"^[^，,。；;]{0,12}?(?<!其)("
    + "|".join(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word) for word in ANAPHORA_WORDS)
    + ")"
)
#: A sentence that opens with its predicate, no subject of its own (Chinese drops it): "去年体检的时候还很小。",
#: "现在大了一倍，…" speak of the thing the sentence before named, as 它 would (see :func:`sentences_pointing_back`).
PREDICATE_OPENING = re.compile(
    r"^(现在|最近|如今|近来|这几个月|这半年|这一年|后来|去年|今年|前年|以前|原来|当时|那时|刚开始|一开始|开始)?"
    r"([一二两三四五六七八九十几半\d]{1,2}个?(月|天|周|星期|礼拜|年)(来|以来|里)?)?"
    r"([^，,。；;]{0,8}的时候)?(还|又|已经|都|就|也|却)?(很|好|挺|比较|特别|只有)?"
    r"(小|大了|变大|长大|大一倍|大了一倍|大一圈|大了一圈|变黑|变深|变色|颜色|边缘|边界|形状|出血|流血)"
)
#: The text tells a relative's complaint as happening now (see _family_marker_at).
RELATIVE_NOW = re.compile(
    "|".join(rf"\b{re.escape(word)}\b" if word.isascii() else re.escape(word) for word in _WORDS["relative_now"])
)
#: After a relative's name, words that make the relative the reporter, the companion or the patient, not the subject
#: of a family history: "妈妈代诉：宝宝发烧", "孩子他爸说…", "和老公一起来的，怀孕12周", a child with an age
#: ("我儿子4岁，发烧", "my daughter is 3").
PROXY_AFTER_RELATIVE = re.compile(
    r"(他|她)?\s*(代诉|代述|代说|代为|陪诊|陪同|陪着?|一起|一同|带.{0,3}来|诉|述|说|讲|反映|发现|reports?|says?|noticed"
    r"|came with|is with|brought)"
    r"|\s*[,，]?\s*(今年|现)?\s*(\d+(\.\d+)?|[一二两三四五六七八九十]+)\s*(周岁|岁|个月|月龄|月大)半?(?!时|那年|以前|之前)"
    # "我爸今年78，…": this year's age needs no 岁
    r"|\s*[,，]?\s*今年\s*(\d+|[一二两三四五六七八九十]+)\s*了?(?=\s*[,，。；;]|\s*$)"
    r"|\s*[,，]?\s*(is|aged)?\s*\d+(\.\d+)?\s*(-?\s*(years?|months?|yrs?|yo|y/o)|[,，]|\s+and\b)"
)
#: What may stand before an English kin word inside one word (grandmother, stepfather, godmother).
KIN_PREFIXES = ("grand", "step", "god", "foster")
CHILD_RELATIVES = ("儿子", "女儿", "孩子", "孙子", "孙女", "外孙", "son", "daughter")
#: The relatives of a clinical note's family history, never the patient it describes.
NOTE_RELATIVES = ("母亲", "父亲", "父母", "其母", "其父", "祖父", "祖母", "外祖", "配偶", "同胞", "亲属", "家族",
                  "家人", "家里人", "家族中", "家族史", "遗传史", "兄弟", "姐妹")
#: What may stand before a relative who opens the text as its subject ("奶奶，78岁，…", "我的奶奶…", "my grandad, 79").
SUBJECT_PREFIX = re.compile(r"(我|俺|咱)?(的|家)?\s*(my\s+|our\s+)?$")
#: 旧年 is Cantonese for 去年.
DATED_PAST = re.compile(
    r"([0-9]+|[一二两三四五六七八九十几数半多好]+)\s*个?\s*多?\s*年多?\s*(以前|之前|前)|去年|前年|旧年"
)
#: 过 after a verb tells an event that happened (起过, 晕倒过, 抢救过, 长过); not 过敏, 过度, 过多, 过量.
EXPERIENTIAL = re.compile(
    r"(?<=[得患生长起出发犯晕倒昏救住治吃用打做作有闹烂肿疼痛烧蜇咬去破紧痒查])过(?![敏度多量滤分])"
)
ENGLISH_DATED_PAST = re.compile(
    r"\b(years|[0-9]+ years|a few years|many years|a year) ago\b|\blast year\b|\bin (19|20)\d\d\b"
    r"|\bas an? (child|kid|baby|toddler|teenager|teen|infant)\b|\bin (my |his |her )?(childhood|teens)\b"
    r"|\bwhen (i|she|he) was (a child|a kid|a baby|young|little|small)\b"
)
ENGLISH_PAST_EVENT = re.compile(r"\b(had|got|was|were|developed|suffered|ended up)\b")
#: 有…史 (有脚气史, 有荨麻疹病史): the 既往史 of a note, an illness the patient had, past for its own clause only. A
#: duration on either side (银屑病病史5年, 有十年湿疹史) is the illness going on, and a relative's (家族史) is family.
_NUMBER = r"[0-9一二两三四五六七八九十半几数多]"
_TIME_UNIT = r"\s*(?:余|多)?\s*个?\s*(?:年|月|周|天|日)"
HAD_HISTORY = re.compile(
    rf"有过?(?![^，,。；;：:]*?(?:家族|遗传|{_NUMBER}{_TIME_UNIT}))"
    r"[^，,。；;：:]{1,12}?史"
    rf"(?!\s*(?:已|有|达|约)?\s*{_NUMBER}+{_TIME_UNIT})"
)
#: A clause telling only a treatment (用药后, 经中药治疗): short, with a treatment word.
TREATMENT = re.compile("|".join(map(re.escape, _WORDS["treatment"])))
TREATMENT_CLAUSE_CHARS = 12
#: What a resolution clause may hold before its resolution word and still name no sign of its own: now and degree
#: words and the stages of a healing ("现已结痂", "现在都已经").
HEALING_ONLY = re.compile(
    r"(?:\s|现在|现|目前|如今|已经|已|均|都|全部|全|基本|大部分|大多|逐渐|渐|也|完全|now|already|all|they've|it's|have|has"
    r"|they|it|"
    + "|".join(map(re.escape, _WORDS["healing_stage"]))
    + r")*"
)
#: A resolution word denied just before it: 没消失, 未见消退, and with a modal between, 压下去也不会消失 (a rash that
#: does not fade under pressure); Cantonese 冇/唔 as 没/不.
NOT_RESOLVED = re.compile(r"(无明显|未见|不见|没有|未|不|无|没|冇|唔)(会|能|曾)?$")
RELAPSE_MARKERS: tuple[str, ...] = _WORDS["relapse"]
#: A sign gone within minutes or a while (过十几分钟就退了, 一阵子就消了, 坐一会儿就好了): a passing flush after a
#: hot bath or a sauna ends so (BAD Erythroderma: erythroderma persists; DermNet Flushing). Only a short time
#: counts: 过几天就好了 is usually a hope, not an event.
TRANSIENT = re.compile(
    r"(?:(?:几|数|十几|一两|两三|半|[一二三四五六七八九十\d]{1,2})\s*(?:分钟|分|个?小时|个?钟头)|一?(?:会儿?|阵子?|下子))"
    r"(?:左右|之后|以后|后)?(?:就|便)?(?:自己|自行|慢慢)?(?:退|消|褪|好|没)(?:了|掉了|下去了|下去)"
)
#: Before a passing-away word, an expectation rather than an event: 以为一会儿就好了, 想着过几分钟就消了.
TRANSIENT_HOPE = re.compile(r"以为|想着|希望|觉得|估计|可能|应该|说|会|能|要是|如果")

_KIN = "|".join(re.escape(word) for word in sorted(FAMILY_MARKERS, key=len, reverse=True))
_REQUEST = "|".join(re.escape(word) for word in _WORDS["proxy_request"])
#: The writer asks for a relative, who is then the patient: "我替我爸打电话问一下", "帮我妈问问", "我妈让我帮她问问",
#: "I'm calling about my wife", "Calling for my dad", or names themself as the patient's relative ("我是孩子奶奶",
#: "我是他女儿"). Group ``kin`` is the relative's name (see :func:`derm3r.text.scope.clause_scopes`).
PROXY_REQUEST = re.compile(
    rf"(?:{'|'.join(map(re.escape, _WORDS['proxy_before']))})\s*(?:我|俺|咱)?(?:的|家)?\s*(?P<kin>{_KIN})"
    rf"\s*(?:(?:他|她)?(?:打个?电话|在网上|线上|过来)?\s*(?:{_REQUEST}))"
    rf"|(?P<asker>{_KIN})\s*(?:让|叫|要)(?:我|俺)\s*(?:帮|替|给|代)?\s*(?:她|他)?\s*(?:{_REQUEST})"
    rf"|(?:{'|'.join(map(re.escape, _WORDS['proxy_before_english']))})\s+(?P<english>{_KIN})"
    rf"|我是\s*(?:这个|这|那个)?\s*(?:孩子|宝宝|宝贝|小孩|病人|患者|他|她)?\s*的?\s*(?P<writer>{_KIN})"
    rf"|(?P<asker_en>{_KIN})\s+(?:asked|wants|wanted|has asked|told)\s+me\s+to\s+"
    r"(?:ask|call|check|write|message|find out)"
    rf"|\bi'?m\s+(?:her|his|their|the patient'?s)\s+(?P<writer_en>{_KIN})"
)

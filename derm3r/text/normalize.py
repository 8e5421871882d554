"""Length-preserving normalisation of case text: traditional → simplified, full-width → ASCII, lower case.

Every later step reports spans into the text the user wrote, so the normalised text must have
exactly the same length as the original: position *i* of one is position *i* of the other.
OpenCC converts phrases, which can change the length in rare cases (a multi-character phrase
mapped to a different-length one); then the text is converted character by character instead.
Common misspellings of lesion words (水泡 for 水疱, 脓包 for 脓疱) are folded to the textbook
character with the same one-for-one rule, and danger words typed in toneless pinyin ("fa shao") are written in
Chinese, padded with spaces to their own length. Cantonese and Hokkien function words (唔, 毋, 袂, 目睭 …) are
written as their Mandarin equals, one character for one (derm3r/text/data/dialect_words.yaml).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources
from typing import Any

import yaml

from derm3r.text.forms import read_form_answers
from derm3r.text.temperature import fahrenheit_to_celsius

#: Misspellings folded to the textbook form; each pair has the same length.
CHARACTER_VARIANTS = (
    ("水泡", "水疱"),
    ("血泡", "血疱"),
    ("脓泡", "脓疱"),
    ("大泡", "大疱"),
    ("疱泡", "疱疱"),
    ("搔痒", "瘙痒"),
    ("骚痒", "瘙痒"),
    ("搔扒", "搔抓"),
    ("瘊子", "疣子"),
    # homophone typos of disease and sign words (round 6 of data/safety: 带状泡疹, 眼晴, 荨麻症, 紫癫, 不退色)
    ("泡疹", "疱疹"),
    ("眼晴", "眼睛"),
    ("荨麻症", "荨麻疹"),
    ("荨麻诊", "荨麻疹"),
    ("紫癫", "紫癜"),
    ("退色", "褪色"),
    ("银宵", "银屑"),
    ("湿诊", "湿疹"),
    # 痣 typed as its homophone 志 (zhì) after 黑/色素 (round 7: 黑志)
    ("黑志", "黑痣"),
    ("色素志", "色素痣"),
    # 著 for 着 in Taiwanese writing of sleep (睡不著); 著 stays elsewhere (疗效显著)
    ("睡不著", "睡不着"),
    ("睡著", "睡着"),
)


#: Homophones an input method puts for a sign character, folded only where the context makes the sign certain
#: (养 "raise" is 痒 "itch" after a degree word — 很养, 有点养, 晚上更养 — never in 保养, 营养, 养血; 诊 is 疹 in 红诊,
#: 湿诊, 诊子, never in 就诊, 门诊); and Cantonese 痕 (itch: 好痕, 咁痕, 痕死, 唔痕 = 不痕) outside 抓痕, 瘢痕, 痕迹.
#: One character for one, so spans still map onto the text as written.
HOMOPHONES = (
    (re.compile(r"(?<=[很好更太超巨真又发瘙奇刺挺蛮别常点些])养|养(?=死|得要命|的厉害|的受不了|的不行)"), "痒"),
    (re.compile(r"(?<=[红皮疱丘风斑麻湿痘])诊|诊(?=子)"), "疹"),
    (re.compile(r"(?<=[好很咁鬼超极不])痕(?!迹)|(?<![抓划瘢疤齿伤刀裂指压印泪])痕(?=死|痕|到)"), "痒"),
)


@functools.lru_cache(maxsize=1)
def _pinyin() -> tuple[re.Pattern[str], dict[str, str]]:
    """Toneless-pinyin danger words (derm3r/text/data/pinyin_words.yaml): one pattern and syllables → Chinese."""
    text = resources.files("derm3r.text").joinpath("data/pinyin_words.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    words: dict[str, str] = {str(key): str(value) for key, value in raw["words"].items()}
    joined = {str(item) for item in raw.get("joined") or ()}
    alternatives = []
    for syllables in sorted(words, key=len, reverse=True):
        spaced = r"\s".join(re.escape(part) for part in syllables.split())
        glued = syllables.replace(" ", "")
        alternatives.append(spaced + (f"|{re.escape(glued)}" if glued in joined else ""))
    pattern = re.compile(r"(?<![a-z])(?:" + "|".join(alternatives) + r")(?![a-z])")
    return pattern, {syllables.replace(" ", ""): chinese for syllables, chinese in words.items()}


@functools.lru_cache(maxsize=1)
def _dialect() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Cantonese and Hokkien words as their Mandarin equals (derm3r/text/data/dialect_words.yaml), in order."""
    return _folds("dialect_words.yaml")


@functools.lru_cache(maxsize=1)
def _spoken() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Voice-to-text homophones, Shanghainese and northeastern words (derm3r/text/data/spoken_words.yaml), in order."""
    return _folds("spoken_words.yaml")


def _folds(name: str) -> tuple[tuple[re.Pattern[str], str], ...]:
    """One data file's one-for-one folds (``written`` → ``read`` in their context), compiled in file order."""
    text = resources.files("derm3r.text").joinpath(f"data/{name}").read_text(encoding="utf-8")
    folds = []
    for entry in yaml.safe_load(text)["words"]:
        written, read = str(entry["written"]), str(entry["read"])
        if len(written) != len(read):
            raise ValueError(f"{name}: {written} and {read} differ in length")
        pattern = re.escape(written)
        if entry.get("after"):
            pattern = f"(?<={entry['after']})" + pattern
        if entry.get("not_after"):
            pattern = f"(?<!{entry['not_after']})" + pattern
        if entry.get("before"):
            pattern += f"(?={entry['before']})"
        if entry.get("not_before"):
            pattern += f"(?!{entry['not_before']})"
        folds.append((re.compile(pattern), read))
    return tuple(folds)


def _pinyin_to_chinese(lowered: str) -> str:
    """Write the pinyin danger words in Chinese, each padded before with spaces to its own length."""
    pattern, words = _pinyin()

    def chinese(match: re.Match[str]) -> str:
        word = words[re.sub(r"\s", "", match.group())]
        return word.rjust(len(match.group()))

    return pattern.sub(chinese, lowered)


@functools.lru_cache(maxsize=1)
def _converter() -> Any:
    try:
        import opencc
    except ImportError:  # pragma: no cover - opencc is a core dependency
        return None
    return opencc.OpenCC("t2s")


@functools.lru_cache(maxsize=4096)
def _char_to_simplified(char: str) -> str:
    converter = _converter()
    converted = converter.convert(char) if converter is not None else char
    return converted if len(converted) == 1 else char


#: Typographic quotes, apostrophes and spaces as phones and word processors type them, each to its ASCII form
#: (one character for one): "doesn’t itch" must deny the itch as "doesn't itch" does.
TYPOGRAPHIC = {
    "\u2018": "'",  # ‘ left single quote, often typed for an apostrophe
    "\u2019": "'",  # ’ right single quote: the usual typographic apostrophe
    "\u201a": "'",  # ‚
    "\u201b": "'",  # ‛
    "\u02bc": "'",  # ʼ modifier letter apostrophe (some phone keyboards)
    "\u2032": "'",  # ′ prime
    "\u00b4": "'",  # ´ acute accent typed as an apostrophe
    "`": "'",
    "\u201c": '"',  # “
    "\u201d": '"',  # ”
    "\u201e": '"',  # „
    "\u2033": '"',  # ″
    "\u00a0": " ",  # no-break space
    "\u3000": " ",  # ideographic (full-width) space
}


def _fold_width(char: str) -> str:
    """Full-width ASCII (ＡＢＣ１２３) and typographic quotes to half-width; leaves CJK punctuation alone."""
    typographic = TYPOGRAPHIC.get(char)
    if typographic is not None:
        return typographic
    if "\uff01" <= char <= "\uff5e":
        folded = unicodedata.normalize("NFKC", char)
        return folded if len(folded) == 1 else char
    return char


def to_simplified(text: str) -> str:
    """Convert traditional characters to simplified without changing the text's length.

    Args:
        text: Any text.

    Returns:
        The simplified text, the same length as ``text``.
    """
    converter = _converter()
    if converter is None or text.isascii():
        return text
    converted: str = converter.convert(text)
    if len(converted) == len(text):
        return converted
    return "".join(_char_to_simplified(char) for char in text)


@functools.lru_cache(maxsize=2048)
def normalize(text: str) -> str:
    """Normalise text for matching: simplified, half-width, lower case, misspellings folded.

    Args:
        text: A case field as written.

    Returns:
        A string of the same length whose positions map one-to-one onto ``text``.
    """
    folded = "".join(_fold_width(char) for char in to_simplified(text))
    lowered = "".join(char.lower() if len(char.lower()) == 1 else char for char in folded)
    lowered = fahrenheit_to_celsius(lowered)
    if any("a" <= char <= "z" for char in lowered):
        lowered = _pinyin_to_chinese(lowered)
    if not lowered.isascii():
        for pattern, mandarin in _spoken():
            lowered = pattern.sub(mandarin, lowered)
    for variant, canonical in CHARACTER_VARIANTS:
        lowered = lowered.replace(variant, canonical)
    if not lowered.isascii():
        for pattern, mandarin in _dialect():
            lowered = pattern.sub(mandarin, lowered)
    for pattern, canonical in HOMOPHONES:
        lowered = pattern.sub(canonical, lowered)
    return read_form_answers(lowered)

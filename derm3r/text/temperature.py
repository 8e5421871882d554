"""Fahrenheit temperatures written in Celsius, one character for one, so every reading of a fever applies to them.

The red-flag patterns and the lexicon read fevers in Celsius (38 ℃, 39.2度): "102 F", "103F", "101.5°F", "100.9
degrees F" and 华氏102度 name fevers all the same (NICE NG143: a fever is 38 °C — 100.4 °F — or
more). Each is rewritten as its Celsius value, cut (not rounded) to one decimal so no value crosses a threshold
upwards (100.3 °F is 37.9 ℃, no fever), padded with spaces before it to the length of what was written. A form too
short for its Celsius value ("99f" has no room for "37.2℃") takes the whole degrees only where they stand on the same
side of every threshold the rules use (38, 38.5, 39 ℃); otherwise it stays as written.
"""

from __future__ import annotations

import math
import re

#: A body temperature in Fahrenheit (93–109.9 °F), with the space before it that its Celsius value may need.
FAHRENHEIT = re.compile(
    r"(?P<space>\s?)(?<![\d.])(?P<degrees>9[3-9]|10\d)(?P<tenths>\.\d)?\s*"
    r"(?:°\s*f|℉|degrees?\s*f(?:ahrenheit)?|deg\.?\s*f|f(?:ahrenheit)?)(?![a-z])"
)
#: A Fahrenheit temperature said in Chinese: 华氏102度, 102华氏度.
CHINESE_FAHRENHEIT = re.compile(
    r"(?P<space>)华氏\s*(?P<degrees>9[3-9]|10\d)(?P<tenths>\.\d)?\s*度|(?P<space2>)(?<![\d.])(?P<degrees2>9[3-9]|10\d)"
    r"(?P<tenths2>\.\d)?\s*华氏度"
)
#: The Celsius thresholds the fever rules use (NICE NG143; 《诊断学》发热分度).
THRESHOLDS = (38.0, 38.5, 39.0)


def fahrenheit_to_celsius(lowered: str) -> str:
    """Rewrite each Fahrenheit body temperature of a normalised text in Celsius, keeping the text's length.

    Args:
        lowered: Normalised (lower-case) text.

    Returns:
        The text with "102 f" as " 38.8℃" and the like; unchanged where it holds no Fahrenheit temperature.
    """
    if "华氏" in lowered:
        lowered = CHINESE_FAHRENHEIT.sub(_celsius, lowered)
    if "f" not in lowered and "℉" not in lowered:
        return lowered
    return FAHRENHEIT.sub(_celsius, lowered)


def _celsius(match: re.Match[str]) -> str:
    written = match.group()
    groups = match.groupdict()
    degrees = groups.get("degrees") or groups.get("degrees2") or ""
    fahrenheit = float(degrees + (groups.get("tenths") or groups.get("tenths2") or ""))
    celsius = (fahrenheit - 32) * 5 / 9
    tenths = math.floor(celsius * 10 + 1e-9) / 10
    for value in (f"{tenths:.1f}℃", _whole(celsius)):
        if value and len(value) <= len(written):
            return value.rjust(len(written))
    return written


def _whole(celsius: float) -> str:
    """The whole degrees, where they fall on the same side of every threshold as the value itself."""
    whole = round(celsius)
    same_side = all((whole >= limit) == (celsius >= limit) for limit in THRESHOLDS)
    return f"{whole}℃" if same_side else ""

"""Chinese help of the training flags that TRL and transformers declare, keyed by flag name.

``derm3r finetune --help`` lists ~150 flags of TRL's ``SFTConfig``/``ModelConfig`` and transformers'
``TrainingArguments``. Their English help is the libraries' own and changes with their releases, so the
table ``training_flags.yaml`` keys each Chinese text by the flag's ``dest`` and records a fingerprint of
the English it translates (``flag: {en: <fingerprint>, zh: …}``). A flag whose English no longer matches
its fingerprint (an upgraded library reworded it) keeps the library's English rather than show a stale
translation; tests/i18n/test_training_flags.py lists such flags, and flags without an entry, by name.
derm3r's own training flags (``--agent``, the defaults derm3r overrides …) are declared in derm3r's code
and translated by ``help.yaml`` like every other derm3r help text.
"""

from __future__ import annotations

import argparse
import hashlib
from functools import lru_cache
from importlib import resources
from typing import cast

import yaml


def fingerprint(english: str) -> str:
    """Eight hex digits of the SHA-1 of ``english`` with its white space runs made single spaces."""
    return hashlib.sha1(" ".join(english.split()).encode("utf-8")).hexdigest()[:8]


@lru_cache(maxsize=1)
def flag_entries() -> dict[str, dict[str, str]]:
    """The table of ``training_flags.yaml``: flag ``dest`` → ``{en: fingerprint, zh: Chinese help}``."""
    text = resources.files(__package__).joinpath("training_flags.yaml").read_text(encoding="utf-8")
    return cast(dict[str, dict[str, str]], yaml.safe_load(text))


def flag_help(dest: str, english: str, lang: str) -> str:
    """The help of library flag ``dest`` in ``lang``.

    Args:
        dest: The flag's name as argparse stores it (``learning_rate``).
        english: The help text the library declares.
        lang: ``zh`` or ``en``.

    Returns:
        The Chinese when ``lang`` is ``zh`` and the table translates exactly this English, else ``english``.
    """
    entry = flag_entries().get(dest)
    if lang != "zh" or entry is None or entry["en"] != fingerprint(english):
        return english
    return entry["zh"]


def localize_library_flags(parser: argparse.ArgumentParser, lang: str, own: set[str]) -> None:
    """Put the help of every library-declared flag of ``parser`` into ``lang``, in place.

    Args:
        parser: An ``HfArgumentParser`` (or any parser) of training flags.
        lang: ``zh`` or ``en``.
        own: ``dest`` names whose help derm3r declares itself (``help.yaml`` translates those).
    """
    for action in parser._actions:
        if action.dest not in own and action.help and action.help is not argparse.SUPPRESS:
            action.help = flag_help(action.dest, action.help, lang)

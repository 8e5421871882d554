"""The LLM libraries' import-time chatter stays out of derm3r's stderr (one line per bad input)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from derm3r.llm.quiet import quiet_third_party

# bitsandbytes asks the `kernels` hub for a CPU kernel on import (CPUs with AVX512-BF16); offline, the
# `kernels` package warns "Skipping publisher trust check" — it broke a one-line-error test in CI.
CHATTY = ("kernels._internals.hf_hub", "bitsandbytes.backends.cpu.ops", "peft.tuners", "trl.trainer")


@pytest.fixture
def loggers_restored() -> Iterator[None]:
    levels = {name: logging.getLogger(name.split(".")[0]).level for name in CHATTY}
    yield
    for name, level in levels.items():
        logging.getLogger(name.split(".")[0]).setLevel(level)


@pytest.mark.usefixtures("loggers_restored")
def test_library_warnings_are_silenced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DERM3R_DEBUG", raising=False)
    for name in CHATTY:
        logging.getLogger(name.split(".")[0]).setLevel(logging.NOTSET)
    quiet_third_party()
    assert [name for name in CHATTY if logging.getLogger(name).isEnabledFor(logging.WARNING)] == []
    assert all(logging.getLogger(name).isEnabledFor(logging.ERROR) for name in CHATTY)  # errors still show


@pytest.mark.usefixtures("loggers_restored")
def test_debug_keeps_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DERM3R_DEBUG", "1")
    for name in CHATTY:
        logging.getLogger(name.split(".")[0]).setLevel(logging.NOTSET)
    quiet_third_party()
    assert all(logging.getLogger(name).isEnabledFor(logging.WARNING) for name in CHATTY)

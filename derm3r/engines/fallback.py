"""A wrapper engine: the primary engine answers each call, the backup answers a call the primary failed.

Every answer carries who gave it (:class:`~derm3r.engines.base.Served`), so the trace of a consultation
names the fallback on exactly the node that fell back, however many consultations run at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from derm3r.engines.base import Engine, ImageInput, ReasonResult, Served
from derm3r.errors import EngineError
from derm3r.kb.documents import Passage
from derm3r.llm.specs import RetrievalSpec
from derm3r.safety.reading import CaseReading
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings, LesionRepresentation

log = logging.getLogger(__name__)

#: The adapter a trace shows for a node the knowledge engine answered in place of the model.
FALLBACK_ADAPTER = "fallback:knowledge"
#: Most characters of a failed model reply that a trace note or a log line quotes.
QUOTE_LIMIT = 200
AnswerT = TypeVar("AnswerT")


class FallbackEngine:
    """Plays each agent with ``primary``; when it raises an :class:`EngineError`, ``backup`` answers that call."""

    def __init__(self, primary: Engine, backup: Engine, marker: str = FALLBACK_ADAPTER) -> None:
        """Wrap two engines.

        Args:
            primary: The engine that answers first (an LLM engine).
            backup: The engine that answers a failed call (the knowledge engine).
            marker: The adapter reported for an answer the backup gave.
        """
        self.primary = primary
        self.backup = backup
        self.marker = marker
        self.name = primary.name

    def adapter_for(self, agent: str) -> str | None:
        """The primary engine's adapter for an agent."""
        return self.primary.adapter_for(agent)

    def retrieval(self, agent: str) -> RetrievalSpec:
        """The primary engine's retrieval (the backup reads the same passages, or none)."""
        return self.primary.retrieval(agent)

    def recognize(self, case: Case, image: ImageInput | None) -> Served[LesionFindings]:
        """DERM-Rec by the primary engine, else the backup."""
        return self._either("rec", lambda engine: engine.recognize(case, image))

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage]
    ) -> Served[LesionRepresentation]:
        """DERM-Rep by the primary engine, else the backup."""
        return self._either("rep", lambda engine: engine.represent(case, findings, passages))

    def reason(
        self,
        case: Case,
        representation: LesionRepresentation,
        passages: list[Passage],
        reading: CaseReading | None = None,
    ) -> Served[ReasonResult]:
        """DERM-Reason by the primary engine, else the backup."""
        return self._either("reason", lambda engine: engine.reason(case, representation, passages, reading))

    def _either(self, agent: str, call: Callable[[Engine], Served[AnswerT]]) -> Served[AnswerT]:
        try:
            return call(self.primary)
        except EngineError as error:
            reason = failure_reason(error)
            log.warning("agent %s: %s; the %s engine answers instead", agent, reason, self.backup.name)
        answer = call(self.backup)
        return Served(answer.value, self.backup.name, self.marker, note=f"fallback to {self.backup.name}: {reason}")


def failure_reason(error: EngineError, limit: int = QUOTE_LIMIT) -> str:
    """Say in one line why the primary engine failed, the model's reply quoted in at most ``limit`` characters.

    Args:
        error: The primary engine's error.
        limit: Longest quote of a reply (and of any other error text).

    Returns:
        The reason, e.g. ``no valid output after 3 attempt(s) (JSON does not match RecOutput …); reply: '{"x…'``.
    """
    from derm3r.llm.structured import StructuredOutputError

    if isinstance(error, StructuredOutputError):
        reply = error.last_reply.strip()
        quoted = reply if len(reply) <= limit else reply[: limit - 1] + "…"
        detail = _shorten(error.last_error, 120)
        return f"no valid output after {error.attempts} attempt(s) ({detail}); reply: {quoted!r}"
    return _shorten(str(error), limit)


def _shorten(text: str, limit: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"

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
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings, LesionRepresentation

log = logging.getLogger(__name__)

#: The adapter a trace shows for a node the knowledge engine answered in place of the model.
FALLBACK_ADAPTER = "fallback:knowledge"
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
        self, case: Case, representation: LesionRepresentation, passages: list[Passage]
    ) -> Served[ReasonResult]:
        """DERM-Reason by the primary engine, else the backup."""
        return self._either("reason", lambda engine: engine.reason(case, representation, passages))

    def _either(self, agent: str, call: Callable[[Engine], Served[AnswerT]]) -> Served[AnswerT]:
        try:
            return call(self.primary)
        except EngineError as error:
            log.warning("agent %s failed (%s); the %s engine answers instead", agent, error, self.backup.name)
        answer = call(self.backup)
        return Served(answer.value, self.backup.name, self.marker)

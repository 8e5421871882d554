"""The engine protocol: one object that can play all three agents' roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeVar, runtime_checkable

from derm3r.kb.documents import Passage
from derm3r.kb.loader import KnowledgeBase
from derm3r.llm.specs import RetrievalSpec
from derm3r.safety.reading import CaseReading
from derm3r.schemas.case import Case, ImageRef
from derm3r.schemas.findings import LesionFindings, LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan


@dataclass(frozen=True)
class ImageInput:
    """One image handed to DERM-Rec, with the case folder its path is relative to."""

    ref: ImageRef
    base_dir: Path | None
    allow_outside: bool = False


@dataclass(frozen=True)
class ReasonResult:
    """DERM-Reason's output."""

    assessment: Assessment
    plan: TreatmentPlan
    knowledge_ids: list[str] = field(default_factory=list)


AnswerT = TypeVar("AnswerT")


@dataclass(frozen=True)
class Served(Generic[AnswerT]):
    """One agent's answer with who gave it, so every call reports its own provenance (no shared flag).

    Attributes:
        value: The answer.
        engine: The engine that answered (the knowledge engine when an LLM engine fell back).
        adapter: The adapter that answered, None for a base model or a rule engine, or a fallback marker.
        note: Why a fallback answered (the primary engine's failure, its reply quoted briefly); empty otherwise.
    """

    value: AnswerT
    engine: str
    adapter: str | None = None
    note: str = ""


@runtime_checkable
class Engine(Protocol):
    """What every engine (knowledge, hf, openai) provides. Nodes call only these methods."""

    name: str

    def adapter_for(self, agent: str) -> str | None:
        """Return the adapter declared for an agent ("rec", "rep", "reason"), or None."""
        ...

    def retrieval(self, agent: str) -> RetrievalSpec:
        """What knowledge an agent reads: the graph retrieves ``k`` passages of ``kinds`` (none when k is 0)."""
        ...

    def recognize(self, case: Case, image: ImageInput | None) -> Served[LesionFindings]:
        """DERM-Rec: describe one image, or the case text when ``image`` is None."""
        ...

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage]
    ) -> Served[LesionRepresentation]:
        """DERM-Rep: merge all findings into the patient-level representation and pathogenesis, given knowledge."""
        ...

    def reason(
        self,
        case: Case,
        representation: LesionRepresentation,
        passages: list[Passage],
        reading: CaseReading | None = None,
    ) -> Served[ReasonResult]:
        """DERM-Reason: differentiate the syndrome and plan treatment, given retrieved knowledge.

        ``reading`` is what the safety rules read from the case text (red-flag findings, patient facts), read
        once by the graph; an engine may use it, or ignore it, and reads it itself when it is None.
        """
        ...


@dataclass(frozen=True)
class EngineOptions:
    """Settings every engine may read."""

    knowledge: KnowledgeBase
    formula_scheme: str = "textbook"
    extra: dict[str, object] = field(default_factory=dict)

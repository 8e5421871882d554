"""The engine protocol: one object that can play all three agents' roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from derm3r.kb.documents import Passage
from derm3r.kb.loader import KnowledgeBase
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


@runtime_checkable
class Engine(Protocol):
    """What every engine (knowledge, hf, openai) provides. Nodes call only these methods."""

    name: str

    def adapter_for(self, agent: str) -> str | None:
        """Return the adapter that serves an agent ("rec", "rep", "reason"), or None."""
        ...

    def recognize(self, case: Case, image: ImageInput | None) -> LesionFindings:
        """DERM-Rec: describe one image, or the case text when ``image`` is None."""
        ...

    def passages_wanted(self, agent: str) -> int:
        """How many retrieved knowledge passages an agent reads; the graph searches for DERM-Rep only when positive."""
        ...

    def represent(
        self, case: Case, findings: list[LesionFindings], passages: list[Passage]
    ) -> LesionRepresentation:
        """DERM-Rep: merge all findings into the patient-level representation and pathogenesis, given knowledge."""
        ...

    def reason(self, case: Case, representation: LesionRepresentation, passages: list[Passage]) -> ReasonResult:
        """DERM-Reason: differentiate the syndrome and plan treatment, given retrieved knowledge."""
        ...


@dataclass(frozen=True)
class EngineOptions:
    """Settings every engine may read."""

    knowledge: KnowledgeBase
    formula_scheme: str = "textbook"
    extra: dict[str, object] = field(default_factory=dict)

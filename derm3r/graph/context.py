"""Run dependencies handed to nodes as LangGraph runtime context (never globals)."""

from __future__ import annotations

from dataclasses import dataclass

from derm3r.engines.base import Engine
from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.store import KnowledgeStore


@dataclass(frozen=True)
class Settings:
    """Per-run settings.

    Attributes:
        min_confidence: Syndrome confidence below which the plan abstains; None uses
            ``threshold.min_confidence`` of the knowledge base (knowledge/rules/thresholds.yaml).
        retrieval_k: Knowledge passages retrieved for DERM-Reason.
        allow_images_outside_case_dir: Accept image paths that leave the case's folder.
    """

    min_confidence: float | None = None
    retrieval_k: int = 6
    allow_images_outside_case_dir: bool = False


@dataclass(frozen=True)
class RunContext:
    """What every node may use: the engine, the knowledge base, the retriever and the settings."""

    engine: Engine
    knowledge: KnowledgeBase
    store: KnowledgeStore | None
    settings: Settings

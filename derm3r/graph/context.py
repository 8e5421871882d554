"""The graph's runtime context: names and settings only, so a run can be configured in process or over HTTP.

Nodes never receive live objects through the context. They ask :func:`derm3r.graph.resources.resources_for`
for the knowledge base, store and engine the context names; those are built once and cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from derm3r.errors import OptionError


@dataclass(frozen=True)
class Settings:
    """Per-run thresholds and limits.

    Attributes:
        min_confidence: Syndrome confidence below which the plan abstains; None uses
            ``threshold.min_confidence`` of the knowledge base (knowledge/rules/thresholds.yaml).
        allow_images_outside_case_dir: Accept image paths that leave the case's folder.
    """

    min_confidence: float | None = None
    allow_images_outside_case_dir: bool = False

    def __post_init__(self) -> None:
        """Refuse out-of-range settings (a NaN or negative confidence would turn abstention off).

        Raises:
            OptionError: Naming the setting and its allowed range.
        """
        confidence = self.min_confidence
        number = isinstance(confidence, (int, float)) and not isinstance(confidence, bool)
        if confidence is not None and (not number or not 0.0 <= confidence <= 1.0):
            raise OptionError(f"min_confidence: must be a number in [0, 1], got {confidence!r}")


@dataclass(frozen=True)
class ConsultContext:
    """What a consultation runs with, by name.

    Attributes:
        engine: Registered engine name ("knowledge", "hf", "openai", …).
        formula_scheme: Preferred school of formulas ("textbook" or "beijing").
        retrieval: Retrieve the knowledge passages the agent specs declare.
        embedder: The vector store's embedder ("use" or "ngram").
        knowledge_path: Knowledge directory (None: the packaged knowledge base).
        index_path: Vector index directory (None: the user cache).
        min_confidence: Syndrome confidence below which the plan abstains (None: the knowledge base's threshold).
        allow_images_outside_case_dir: Accept image paths that leave the case's folder.
        engine_options: Engine-specific settings, e.g. ``base_url`` for ``openai``.
        instance: Name under which a :class:`derm3r.Derm3R` registered the objects it built (in-process runs);
            None resolves everything from the names above.
    """

    engine: str = "knowledge"
    formula_scheme: str = "textbook"
    retrieval: bool = True
    embedder: str = "use"
    knowledge_path: str | None = None
    index_path: str | None = None
    min_confidence: float | None = Settings.min_confidence
    allow_images_outside_case_dir: bool = Settings.allow_images_outside_case_dir
    engine_options: dict[str, Any] = field(default_factory=dict)
    instance: str | None = None

    @property
    def settings(self) -> Settings:
        """The thresholds and limits of this run."""
        return Settings(self.min_confidence, self.allow_images_outside_case_dir)

"""What the evaluation runner needs of a system: consult a case, lend its knowledge base, describe its settings.

:class:`derm3r.Derm3R` satisfies it; so does anything else that consults (a remote client, a fake in a test).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from derm3r.kb.loader import KnowledgeBase
from derm3r.schemas.case import Case
from derm3r.schemas.consultation import Consultation


@runtime_checkable
class Consulter(Protocol):
    """A system the runner evaluates."""

    @property
    def knowledge(self) -> KnowledgeBase:
        """The knowledge base the scores resolve names against."""
        ...

    @property
    def engine_name(self) -> str:
        """The engine's name, written into the run's metrics."""
        ...

    def consult(self, case: Case, case_dir: str | Path | None = None) -> Consultation:
        """Run one consultation."""
        ...

    def describe(self) -> dict[str, Any]:
        """What the run's metrics record of the system: ``engine``, ``scheme`` and ``settings``.

        Engine options come unredacted; the runner redacts secrets before writing them.
        """
        ...

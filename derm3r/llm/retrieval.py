"""Retrieval as the agent specs declare it: one function turns a spec's ``query``, ``kinds`` and ``k`` into passages.

The graph's nodes call :func:`retrieve` at consultation time and ``derm3r finetune prepare`` calls it
for the training samples, so an adapter is trained on exactly the passages it is served.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from derm3r.kb.queries import reason_query, rep_query
from derm3r.llm.specs import QueryName, RetrievalSpec
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionFindings

if TYPE_CHECKING:
    from derm3r.kb.documents import Passage
    from derm3r.kb.store import KnowledgeStore


def query_text(query: QueryName, case: Case, findings: list[LesionFindings], summary: str) -> str:
    """Build the text a spec's named query searches with.

    Args:
        query: ``lesion_summary`` (Rec's descriptions, the lesion description, the chief complaint) or
            ``representation_and_symptoms`` (Rep's summary, symptoms, tongue, pulse, chief complaint).
        case: The case.
        findings: Rec's findings (read by ``lesion_summary``).
        summary: Rep's patient-level summary (read by ``representation_and_symptoms``).

    Returns:
        The query text (empty when the case gives nothing to search with).
    """
    if query == "lesion_summary":
        return rep_query(case, findings)
    return reason_query(case, summary)


def retrieve(
    store: KnowledgeStore | None,
    spec: RetrievalSpec,
    case: Case,
    *,
    findings: list[LesionFindings] | None = None,
    summary: str = "",
) -> list[Passage]:
    """Retrieve the passages an agent reads, as its spec declares: ``k`` of ``kinds``, found by ``query``.

    Args:
        store: The knowledge store, or None when retrieval is off.
        spec: The agent's ``retrieval`` spec.
        case: The case.
        findings: Rec's findings, for queries built from them.
        summary: Rep's summary, for queries built from it.

    Returns:
        Passages best first; none without a store, with ``k`` 0 or with nothing to search with.
    """
    if store is None or spec.k == 0 or spec.query is None:
        return []
    text = query_text(spec.query, case, findings or [], summary)
    if not text:
        return []
    return store.search(text, k=spec.k, kinds=spec.kinds)

"""GET /api/kb/search: passages for a query; GET /api/kb/implications: broader terms; POST /api/kb/labels: names."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query

from derm3r.clinic.sign_labels import implications
from derm3r.i18n.clinical_names import ClinicalNames
from derm3r.server.deps import ServicesDep, require_token
from derm3r.server.schemas import KnowledgePassage, Labels, LabelsRequest

router = APIRouter(prefix="/api/kb", tags=["knowledge"], dependencies=[Depends(require_token)])


@router.get("/search")
def search(
    services: ServicesDep,
    q: Annotated[str, Query(min_length=1, max_length=500, description="Free text, Chinese or English.")],
    k: Annotated[int, Query(ge=1, le=50)] = 5,
    kind: Literal["disease", "syndrome", "formula", "herb"] | None = None,
    mode: Literal["dense", "bm25", "hybrid"] = "hybrid",
) -> list[KnowledgePassage]:
    """Search the knowledge base (the same retriever the agents use)."""
    passages = services.store.search(q, k=k, kind=kind, mode=mode)
    return [KnowledgePassage(id=p.id, kind=p.kind, disease=p.disease, text=p.text, score=p.score) for p in passages]


@router.get("/implications")
def implied_terms(services: ServicesDep) -> dict[str, list[str]]:
    """Each lexicon term → the broader terms it implies (苔薄黄 → 苔薄, 苔黄), so the page lists a sign once."""
    return implications(services.system.knowledge)


@router.post("/labels")
def labels(services: ServicesDep, names: LabelsRequest, lang: Literal["zh", "en"] = "en") -> Labels:
    """Label clinical names in ``lang`` as the command line's report does (English: readable form, then Chinese)."""
    knowledge = services.system.knowledge
    label = ClinicalNames(lang, knowledge.herb_pinyin(), knowledge.disease_western())
    return Labels(
        diseases={name: label.disease(name) for name in names.diseases},
        terms={name: label.term(name) for name in names.terms},
        herbs={name: label.herb(name) for name in names.herbs},
    )

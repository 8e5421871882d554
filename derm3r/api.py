"""The Python entry point: ``Derm3R(engine=...).consult(case)``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.case_io import load_case, parse_case
from derm3r.engines.base import EngineOptions
from derm3r.engines.registry import build_engine
from derm3r.errors import CaseInputError
from derm3r.graph.context import RunContext, Settings
from derm3r.kb.loader import KnowledgeBase, load_knowledge_base
from derm3r.kb.store import KnowledgeStore
from derm3r.paths import cache_dir, knowledge_dir
from derm3r.schemas.case import Case
from derm3r.schemas.consultation import Consultation
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, TreatmentPlan
from derm3r.schemas.safety import SafetyReport

if TYPE_CHECKING:
    from derm3r.evaluation.judge import Judge
    from derm3r.evaluation.runner import EvaluationRun

CaseLike = Case | dict[str, Any] | str | Path


class Derm3R:
    """A configured DERM-3R system: knowledge base, vector store, engine and graph."""

    def __init__(
        self,
        engine: str = "knowledge",
        *,
        knowledge_path: str | Path | None = None,
        index_path: str | Path | None = None,
        embedder: str = "use",
        retrieval: bool = True,
        formula_scheme: str = "textbook",
        settings: Settings | None = None,
        engine_options: dict[str, Any] | None = None,
    ) -> None:
        """Load the knowledge base and build the engine (the vector index opens on first use).

        Args:
            engine: Registered engine name ("knowledge" needs no weights).
            knowledge_path: Knowledge directory; defaults to the packaged knowledge base.
            index_path: Where the chromadb index lives; defaults to the user cache directory.
            embedder: "use" (multilingual sentence encoder) or "ngram" (no model).
            retrieval: Retrieve knowledge passages for DERM-Reason.
            formula_scheme: Preferred school of formulas ("textbook" or "beijing").
            settings: Thresholds and limits.
            engine_options: Engine-specific settings, e.g. ``model``/``adapters_dir`` for ``hf`` or
                ``base_url`` for ``openai`` (they override the DERM3R_* environment defaults).
        """
        from derm3r.graph.build import build_graph

        self.knowledge: KnowledgeBase = load_knowledge_base(Path(knowledge_path) if knowledge_path else knowledge_dir())
        self.settings = settings or Settings()
        extra = dict(engine_options or {})
        options = EngineOptions(knowledge=self.knowledge, formula_scheme=formula_scheme, extra=extra)
        self.engine = build_engine(engine, options)
        self.formula_scheme = formula_scheme  # recorded in evaluation runs' metrics.json
        self.engine_options = extra
        index_root = Path(index_path) if index_path else cache_dir() / "index"
        self.store = KnowledgeStore(self.knowledge, index_root, embedder) if retrieval else None
        self._graph = build_graph()

    @property
    def context(self) -> RunContext:
        """The runtime context handed to every node."""
        return RunContext(engine=self.engine, knowledge=self.knowledge, store=self.store, settings=self.settings)

    def consult(self, case: CaseLike, case_dir: str | Path | None = None) -> Consultation:
        """Run one consultation.

        Args:
            case: A Case, a dict in the Case format, or the path of a case JSON file.
            case_dir: Folder image paths are relative to (defaults to the case file's folder).

        Returns:
            The consultation.

        Raises:
            CaseInputError: When the case is malformed (the message names the field).
        """
        state = self._initial_state(case, case_dir)
        result = self._graph.invoke(state, context=self.context)
        return self._to_consultation(result)

    def consult_many(
        self, cases: Iterable[CaseLike], case_dir: str | Path | None = None, *, concurrency: int = 4
    ) -> list[Consultation]:
        """Run consultations concurrently; the hf engine batches their generation, openai sends requests at once.

        Args:
            cases: Cases, as for :meth:`consult`.
            case_dir: As for :meth:`consult`, for every case.
            concurrency: Cases in flight at once (at least 1).

        Returns:
            The consultations, in the order of ``cases``.

        Raises:
            CaseInputError: When a case is malformed, or ``concurrency`` is below 1.
        """
        from concurrent.futures import ThreadPoolExecutor

        if concurrency < 1:
            raise CaseInputError(f"concurrency: expected at least 1, got {concurrency}")
        items = list(cases)
        with ThreadPoolExecutor(max_workers=min(concurrency, max(len(items), 1))) as pool:
            return list(pool.map(lambda case: self.consult(case, case_dir), items))

    def stream(self, case: CaseLike, case_dir: str | Path | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Run one consultation, yielding ``(node, update)`` as each agent finishes.

        The last update is followed by ``("consultation", {"consultation": Consultation})``.

        Args:
            case: As for :meth:`consult`.
            case_dir: As for :meth:`consult`.

        Yields:
            Node names with the fields that node returned.
        """
        state = self._initial_state(case, case_dir)
        merged: dict[str, Any] = dict(state)
        for chunk in self._graph.stream(state, context=self.context, stream_mode="updates"):
            for node, update in chunk.items():
                for key, value in (update or {}).items():
                    if key in ("findings", "trace"):
                        merged[key] = [*merged.get(key, []), *value]
                    else:
                        merged[key] = value
                yield node, update or {}
        yield "consultation", {"consultation": self._to_consultation(merged)}

    def evaluate(
        self,
        lines: str | Path | Iterable[str | dict[str, Any]],
        out_dir: str | Path,
        *,
        concurrency: int = 1,
        resume: bool = False,
        overwrite: bool = False,
        limit: int | None = None,
        case_dir: str | Path | None = None,
        progress: bool = False,
        judge: Judge | None = None,
    ) -> EvaluationRun:
        """Evaluate this system on expert-annotated cases; see :func:`derm3r.evaluation.runner.evaluate`.

        Args:
            lines: A JSONL path (DESIGN.md evaluation lines) or an iterable of lines (JSON strings or dicts).
            out_dir: Run directory for results.jsonl, metrics.json, report.md and report.html.
            concurrency: Cases consulted at once.
            resume: Keep results.jsonl's records of unchanged lines and evaluate the rest.
            overwrite: Discard the results already in ``out_dir`` (refused without this or ``resume``).
            limit: Evaluate only the first ``limit`` lines.
            case_dir: Folder image paths are relative to (default: the JSONL file's folder).
            progress: Show a progress bar on stderr.
            judge: An LLM judge (:func:`derm3r.evaluation.judge.build_judge`) scoring six dimensions 0–10.

        Returns:
            The run's directory, metrics and counts.
        """
        from derm3r.evaluation.runner import evaluate

        return evaluate(
            self,
            lines,
            out_dir,
            concurrency=concurrency,
            resume=resume,
            overwrite=overwrite,
            limit=limit,
            case_dir=case_dir,
            progress=progress,
            judge=judge,
        )

    def _initial_state(self, case: CaseLike, case_dir: str | Path | None) -> dict[str, Any]:
        if isinstance(case, (str, Path)):
            parsed, folder = load_case(case)
            return {"case": parsed, "case_dir": str(case_dir or folder)}
        if isinstance(case, (Case, dict)):
            return {"case": parse_case(case), "case_dir": str(case_dir) if case_dir else None}
        raise CaseInputError(f"case: expected a Case, a dict or a file path, got {type(case).__name__}")

    def _to_consultation(self, result: dict[str, Any]) -> Consultation:
        case: Case = result["case"]
        return Consultation(
            case_id=case.case_id,
            engine=self.engine.name,
            findings=result.get("findings", []),
            representation=result.get("representation") or LesionRepresentation(summary=""),
            assessment=result.get("assessment") or Assessment(),
            plan=result.get("plan") or TreatmentPlan(),
            safety=result.get("safety") or SafetyReport(),
            trace=result.get("trace", []),
        )

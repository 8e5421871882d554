"""The Python entry point: ``Derm3R(engine=...).consult(case)``."""

from __future__ import annotations

import dataclasses
import itertools
import weakref
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from derm3r.case_io import load_case, parse_case
from derm3r.engines.base import Engine
from derm3r.errors import CaseInputError, OptionError
from derm3r.graph.context import ConsultContext, Settings
from derm3r.graph.resources import Resources, build_resources, register, unregister
from derm3r.kb.loader import KnowledgeBase
from derm3r.kb.store import KnowledgeStore
from derm3r.schemas.case import Case
from derm3r.schemas.consultation import Consultation

if TYPE_CHECKING:
    from derm3r.evaluation.judge import Judge
    from derm3r.evaluation.runner import EvaluationRun

CaseLike = Case | dict[str, Any] | str | Path
_INSTANCES = itertools.count(1)


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
            retrieval: Retrieve the knowledge passages the agent specs declare.
            formula_scheme: Preferred school of formulas ("textbook" or "beijing").
            settings: Thresholds and limits.
            engine_options: Engine-specific settings, e.g. ``model``/``adapters_dir`` for ``hf`` or
                ``base_url`` for ``openai`` (they override the DERM3R_* environment defaults).
        """
        from derm3r.graph.build import build_graph

        self.settings = settings or Settings()
        instance = f"derm3r-{next(_INSTANCES)}"
        self._context = ConsultContext(
            engine=engine,
            formula_scheme=formula_scheme,
            retrieval=retrieval,
            embedder=embedder,
            knowledge_path=str(knowledge_path) if knowledge_path else None,
            index_path=str(index_path) if index_path else None,
            min_confidence=self.settings.min_confidence,
            allow_images_outside_case_dir=self.settings.allow_images_outside_case_dir,
            engine_options=dict(engine_options or {}),
            instance=instance,
        )
        self._resources = build_resources(self._context)
        register(instance, self._resources)
        weakref.finalize(self, unregister, instance)
        self.formula_scheme = formula_scheme  # recorded in evaluation runs' metrics.json
        self.engine_options = dict(engine_options or {})
        self._graph = build_graph()

    @property
    def knowledge(self) -> KnowledgeBase:
        """The knowledge base."""
        return self._resources.knowledge

    @property
    def store(self) -> KnowledgeStore | None:
        """The vector store, or None without retrieval."""
        return self._resources.store

    @property
    def passage_store(self) -> KnowledgeStore | None:
        """The store when some agent of this engine reads retrieved passages, else None (nothing to open)."""
        if self.store is None:
            return None
        reads = any(self.engine.retrieval(agent).k > 0 for agent in ("rec", "rep", "reason"))
        return self.store if reads else None

    @property
    def engine(self) -> Engine:
        """The engine that plays the agents."""
        return self._resources.engine

    @engine.setter
    def engine(self, engine: Engine) -> None:
        self._resources.engine = engine

    @property
    def engine_name(self) -> str:
        """The engine's name, as consultations report it."""
        return self.engine.name

    def describe(self) -> dict[str, Any]:
        """The engine, formula scheme and settings, as an evaluation run records them.

        Returns:
            ``engine``, ``scheme`` and ``settings`` (thresholds, retrieval, embedder, engine options).
        """
        settings: dict[str, Any] = dict(dataclasses.asdict(self.settings))
        settings |= {
            "retrieval": self.store is not None,
            "embedder": self.store.embedder if self.store is not None else None,
            "engine_options": dict(self.engine_options),
        }
        return {"engine": self.engine.name, "scheme": self.formula_scheme, "settings": settings}

    @property
    def context(self) -> ConsultContext:
        """The runtime context handed to the graph: names and settings, plus this system's instance name."""
        return self._context

    @property
    def resources(self) -> Resources:
        """The live objects this system's runs use."""
        return self._resources

    def consult(self, case: CaseLike, case_dir: str | Path | None = None) -> Consultation:
        """Run one consultation.

        Args:
            case: A Case, a dict in the Case format, or the path of a case JSON file.
            case_dir: Folder image paths are relative to and confined to (defaults to the case file's folder,
                or for a Case or dict the current directory).

        Returns:
            The consultation.

        Raises:
            CaseInputError: When the case is malformed (the message names the field).
        """
        result = self._graph.invoke(self._input(case, case_dir), context=self._context)
        return Consultation.model_validate(result)

    def consult_many(
        self, cases: Iterable[CaseLike], case_dir: str | Path | None = None, *, concurrency: int = 4
    ) -> list[Consultation]:
        """Run consultations concurrently through the graph's batch; the hf engine batches their generation.

        Args:
            cases: Cases, as for :meth:`consult`.
            case_dir: As for :meth:`consult`, for every case.
            concurrency: Cases in flight at once (at least 1).

        Returns:
            The consultations, in the order of ``cases``.

        Raises:
            CaseInputError: When a case is malformed.
            OptionError: When ``concurrency`` is below 1.
        """
        if concurrency < 1:
            raise OptionError(f"concurrency: expected at least 1, got {concurrency}")
        inputs = [self._input(case, case_dir) for case in cases]
        if not inputs:
            return []
        results = self._graph.batch(inputs, config={"max_concurrency": concurrency}, context=self._context)
        return [Consultation.model_validate(result) for result in results]

    def stream(self, case: CaseLike, case_dir: str | Path | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
        """Run one consultation, yielding ``(node, update)`` as each node finishes.

        DERM-Rec runs once per source (text, then each image), so ``recognize_lesions`` may appear several
        times. The last update is followed by ``("consultation", {"consultation": Consultation})``, the
        graph's own output.

        Args:
            case: As for :meth:`consult`.
            case_dir: As for :meth:`consult`.

        Yields:
            Node names with the fields that node returned.
        """
        final: dict[str, Any] = {}
        for mode, chunk in self._graph.stream(
            self._input(case, case_dir), context=self._context, stream_mode=["updates", "values"]
        ):
            if mode == "values":
                final = chunk
                continue
            for node, update in chunk.items():
                yield node, update or {}
        # "values" carries the whole state; the output schema's fields of it are the consultation.
        output = {key: value for key, value in final.items() if key in Consultation.model_fields}
        yield "consultation", {"consultation": Consultation.model_validate(output)}

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

    def _input(self, case: CaseLike, case_dir: str | Path | None) -> dict[str, Any]:
        if isinstance(case, (str, Path)):
            parsed, folder = load_case(case)
            return {"case": parsed, "case_dir": str(case_dir or folder)}
        if isinstance(case, (Case, dict)):
            # Image paths stay inside a folder: the given one, else the current directory (a dict from an
            # untrusted source must not open /etc/passwd); Settings.allow_images_outside_case_dir lifts this.
            return {"case": parse_case(case), "case_dir": str(case_dir or Path.cwd())}
        raise CaseInputError(f"case: expected a Case, a dict or a file path, got {type(case).__name__}")

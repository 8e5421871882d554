"""The cached factory behind the runtime context: heavy objects built once per distinct set of names.

A :class:`~derm3r.graph.context.ConsultContext` names an engine, a knowledge directory, an index and an
embedder; :func:`resources_for` builds the knowledge base, the store and the engine for those names the
first time and returns the same objects afterwards. A :class:`derm3r.Derm3R` registers the objects it
built under an instance name, so its runs use exactly them.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from derm3r.engines.base import Engine, EngineOptions
from derm3r.engines.registry import build_engine
from derm3r.graph.context import ConsultContext
from derm3r.kb.loader import KnowledgeBase, load_knowledge_base
from derm3r.kb.store import KnowledgeStore
from derm3r.paths import cache_dir, knowledge_dir


@dataclass
class Resources:
    """The live objects a run uses."""

    knowledge: KnowledgeBase
    store: KnowledgeStore | None
    engine: Engine


_LOCK = threading.Lock()
_BUILT: dict[str, Resources] = {}
_REGISTERED: dict[str, Resources] = {}


def build_resources(context: ConsultContext) -> Resources:
    """Build the knowledge base, store (when retrieving) and engine a context names, uncached.

    Args:
        context: The run's names and settings.

    Returns:
        Fresh objects (the vector index itself opens on first search).

    Raises:
        EngineError: For an unknown engine or engine options it refuses.
        KnowledgeBaseError: When the knowledge directory is invalid.
    """
    knowledge = load_knowledge_base(Path(context.knowledge_path) if context.knowledge_path else knowledge_dir())
    options = EngineOptions(
        knowledge=knowledge, formula_scheme=context.formula_scheme, extra=dict(context.engine_options)
    )
    engine = build_engine(context.engine, options)
    store = None
    if context.retrieval:
        index_root = Path(context.index_path) if context.index_path else cache_dir() / "index"
        store = KnowledgeStore(knowledge, index_root, context.embedder)
    return Resources(knowledge, store, engine)


def resources_for(context: ConsultContext) -> Resources:
    """Return the objects a context names: those registered under its instance, else built once and cached.

    Args:
        context: The run's names and settings.

    Returns:
        The knowledge base, store and engine.
    """
    if context.instance is not None:
        registered = _REGISTERED.get(context.instance)
        if registered is not None:
            return registered
    key = _key(context)
    with _LOCK:
        found = _BUILT.get(key)
        if found is None:
            found = _BUILT[key] = build_resources(context)
        return found


def register(instance: str, resources: Resources) -> None:
    """Make runs whose context names ``instance`` use these objects."""
    _REGISTERED[instance] = resources


def unregister(instance: str) -> None:
    """Forget the objects registered under ``instance`` (a Derm3R that was garbage-collected)."""
    _REGISTERED.pop(instance, None)


def _key(context: ConsultContext) -> str:
    names = {
        "engine": context.engine,
        "formula_scheme": context.formula_scheme,
        "retrieval": context.retrieval,
        "embedder": context.embedder,
        "knowledge_path": context.knowledge_path,
        "index_path": context.index_path,
        "engine_options": context.engine_options,
    }
    return json.dumps(names, sort_keys=True, default=str)

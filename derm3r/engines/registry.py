"""Engines register by name and are built from that name."""

from __future__ import annotations

from collections.abc import Callable

from derm3r.engines.base import Engine, EngineOptions
from derm3r.errors import EngineInputError

EngineFactory = Callable[[EngineOptions], Engine]
_FACTORIES: dict[str, EngineFactory] = {}


def register_engine(name: str, factory: EngineFactory) -> None:
    """Register an engine factory under a name.

    Args:
        name: The name users pass as ``--engine``.
        factory: Builds the engine from options; heavy imports belong inside it.
    """
    _FACTORIES[name] = factory


def available_engines() -> list[str]:
    """Return the registered engine names."""
    _register_builtins()
    return sorted(_FACTORIES)


def build_engine(name: str, options: EngineOptions) -> Engine:
    """Build a registered engine.

    Args:
        name: Engine name, e.g. "knowledge".
        options: Engine settings, including the knowledge base.

    Returns:
        The engine.

    Raises:
        EngineInputError: For an unknown name.
    """
    _register_builtins()
    factory = _FACTORIES.get(name)
    if factory is None:
        raise EngineInputError(f"--engine {name!r}: unknown engine; available: {', '.join(available_engines())}")
    return factory(options)


def _register_builtins() -> None:
    if "knowledge" not in _FACTORIES:
        from derm3r.engines.knowledge import KnowledgeEngine

        register_engine("knowledge", KnowledgeEngine)
    if "hf" not in _FACTORIES:
        register_engine("hf", _build_hf)
    if "openai" not in _FACTORIES:
        register_engine("openai", _build_openai)


def _build_hf(options: EngineOptions) -> Engine:
    # Imported on use: the hf engine pulls torch, transformers and peft.
    from derm3r.engines.llm_factory import build_hf_engine

    return build_hf_engine(options)


def _build_openai(options: EngineOptions) -> Engine:
    from derm3r.engines.llm_factory import build_openai_engine

    return build_openai_engine(options)

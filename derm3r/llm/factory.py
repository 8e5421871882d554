"""Build an LLM engine around a backend from the generic engine options."""

from __future__ import annotations

from pathlib import Path

from derm3r.engines.base import EngineOptions
from derm3r.errors import EngineError
from derm3r.llm.cache import ResponseCache
from derm3r.llm.engine import LLMEngine, LLMSettings
from derm3r.llm.request import Backend


def build_llm_engine(backend: Backend, options: EngineOptions, *, max_pixels: int | None = None) -> LLMEngine:
    """Wrap a backend in the LLM engine, reading the shared LLM settings from ``options.extra``.

    Keys: ``max_reask`` (int, default 2), ``max_new_tokens`` (cap on every agent's generation length),
    ``fallback`` (bool, default True: the knowledge engine answers a node whose output stays invalid),
    ``cache_dir`` (response cache directory; none by default), ``agents_dir`` and ``prompts_dir``
    (override the packaged specs and templates).

    Args:
        backend: The text generator.
        options: Engine options.
        max_pixels: Image size cap the backend's processor uses.

    Returns:
        The engine.

    Raises:
        EngineError: For a setting of the wrong kind (the message names the key).
    """
    from derm3r.llm.specs import PromptRenderer, load_agent_specs

    extra = options.extra
    max_reask = _int(extra, "max_reask", 2)
    cap = _int(extra, "max_new_tokens", 0) or None
    if not 0 <= max_reask <= 10:
        raise EngineError(f"max_reask: expected 0 to 10, got {max_reask}")
    fallback = extra.get("fallback", True)
    if not isinstance(fallback, bool):
        raise EngineError(f"fallback: expected true or false, got {fallback!r}")
    settings = LLMSettings(
        max_reask=max_reask, fallback=fallback, max_pixels=max_pixels or LLMSettings.max_pixels, max_new_tokens=cap
    )
    cache = ResponseCache(Path(str(extra["cache_dir"]))) if extra.get("cache_dir") else None
    agents_dir = extra.get("agents_dir")
    prompts_dir = extra.get("prompts_dir")
    return LLMEngine(
        backend,
        options,
        settings=settings,
        specs=load_agent_specs(Path(str(agents_dir)) if agents_dir else None),
        renderer=PromptRenderer(Path(str(prompts_dir)) if prompts_dir else None),
        cache=cache,
    )


def _int(extra: dict[str, object], key: str, default: int) -> int:
    try:
        return int(str(extra.get(key, default)))
    except ValueError as error:
        raise EngineError(f"{key}: expected an integer, got {extra.get(key)!r}") from error

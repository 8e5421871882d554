"""Build the ``hf`` and ``openai`` engines: a backend from llm/, the LLM engine around it, the fallback around that."""

from __future__ import annotations

from pathlib import Path

from derm3r.engines.base import Engine, EngineOptions
from derm3r.engines.llm import LLMEngine, LLMSettings
from derm3r.errors import EngineError, EngineInputError
from derm3r.llm.cache import ResponseCache
from derm3r.llm.request import Backend


def build_llm_engine(backend: Backend, options: EngineOptions, *, max_pixels: int | None = None) -> Engine:
    """Wrap a backend in the LLM engine, reading the shared LLM settings from ``options.extra``.

    Keys: ``max_reask`` (int, default 2), ``max_new_tokens`` (cap on every agent's generation length),
    ``fallback`` (bool, default True: the knowledge engine answers a node whose output stays invalid),
    ``reply_cache_dir`` (on-disk cache of model replies; none by default; not the model download folder,
    which is transformers' ``HF_HOME``), ``agents_dir`` and ``prompts_dir``
    (override the packaged specs and templates).

    Args:
        backend: The text generator.
        options: Engine options.
        max_pixels: Image size cap the backend's processor uses.

    Returns:
        The LLM engine, wrapped in a :class:`~derm3r.engines.fallback.FallbackEngine` when ``fallback`` is on.

    Raises:
        EngineError: For a setting of the wrong kind (the message names the key).
    """
    return with_fallback(build_bare_llm_engine(backend, options, max_pixels=max_pixels), options)


def with_fallback(engine: LLMEngine, options: EngineOptions) -> Engine:
    """Wrap an LLM engine so that the knowledge engine answers its failed calls, unless ``fallback`` is false.

    Args:
        engine: The LLM engine.
        options: Engine options (``extra["fallback"]``, default True).

    Returns:
        The wrapped engine, or ``engine`` itself with the fallback off.

    Raises:
        EngineError: When ``fallback`` is not a boolean.
    """
    fallback = options.extra.get("fallback", True)
    if not isinstance(fallback, bool):
        raise EngineError(f"fallback: expected true or false, got {fallback!r}")
    if not fallback:
        return engine
    from derm3r.engines.fallback import FallbackEngine
    from derm3r.engines.knowledge import KnowledgeEngine

    return FallbackEngine(engine, KnowledgeEngine(options))


def build_bare_llm_engine(backend: Backend, options: EngineOptions, *, max_pixels: int | None = None) -> LLMEngine:
    """The LLM engine of :func:`build_llm_engine`, without the fallback wrapper.

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
    settings = LLMSettings(max_reask=max_reask, max_pixels=max_pixels or LLMSettings.max_pixels, max_new_tokens=cap)
    if "cache_dir" in extra:
        raise EngineInputError(
            "cache_dir: renamed reply_cache_dir (it caches the model's replies; the folder models download to "
            "is transformers' HF_HOME / HF_HUB_CACHE)"
        )
    reply_cache = extra.get("reply_cache_dir")
    cache = ResponseCache(Path(str(reply_cache))) if reply_cache else None
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


def build_hf_engine(options: EngineOptions) -> Engine:
    """Build the ``hf`` engine: transformers + peft in process, adapters checked against the prompts they serve.

    Args:
        options: Engine options; ``extra`` carries the hf settings (:func:`~derm3r.llm.hf_backend.hf_settings`)
            and the LLM settings.

    Returns:
        The engine.

    Raises:
        EngineError: When the model cannot load, or an adapter was trained with other prompts than the engine renders.
    """
    from derm3r.llm.hf_backend import HFBackend, hf_settings
    from derm3r.llm.prompts import prompt_hash
    from derm3r.llm.provenance import check_prompt

    settings = hf_settings(options.extra)
    backend = HFBackend(settings)
    engine = build_bare_llm_engine(backend, options, max_pixels=settings.max_pixels)
    if settings.adapters_dir is not None:
        # Checked here, where the rendered prompts are known: an adapter only fits the prompts it was trained on.
        for spec in engine.specs.values():
            if spec.adapter in backend.adapters:
                check_prompt(settings.adapters_dir / spec.adapter, spec.name, prompt_hash(spec, engine.renderer))
    return with_fallback(engine, options)


def build_openai_engine(options: EngineOptions) -> Engine:
    """Build the ``openai`` engine: chat completions against an OpenAI-compatible server.

    Args:
        options: Engine options; ``extra`` carries the server settings
            (:func:`~derm3r.llm.openai_backend.openai_settings`) and the LLM settings.

    Returns:
        The engine.
    """
    from derm3r.llm.openai_backend import OpenAIBackend, openai_settings

    # The image size cap the served model was trained with (images are downscaled before they are sent).
    max_pixels = _int(options.extra, "max_pixels", 0) or None
    return build_llm_engine(OpenAIBackend(openai_settings(options.extra)), options, max_pixels=max_pixels)


def _int(extra: dict[str, object], key: str, default: int) -> int:
    try:
        return int(str(extra.get(key, default)))
    except ValueError as error:
        raise EngineError(f"{key}: expected an integer, got {extra.get(key)!r}") from error

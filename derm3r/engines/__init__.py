"""Engines: the knowledge engine (default, offline) and, later, LLM engines behind one protocol."""

from __future__ import annotations

from derm3r.engines.base import Engine, EngineOptions, ImageInput, ReasonResult
from derm3r.engines.registry import available_engines, build_engine, register_engine

__all__ = [
    "Engine",
    "EngineOptions",
    "ImageInput",
    "ReasonResult",
    "available_engines",
    "build_engine",
    "register_engine",
]

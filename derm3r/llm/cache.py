"""On-disk response cache keyed by request, adapter and model; never used when sampling."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


class ResponseCache:
    """One JSON file per reply under a directory, named by the request's hash."""

    def __init__(self, directory: Path) -> None:
        """Use (and create) a cache directory.

        Args:
            directory: Where replies are stored.
        """
        self.directory = directory
        self.directory.mkdir(parents=True, exist_ok=True)
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(model: str, adapter: str | None, request: dict[str, Any]) -> str:
        """Return the cache key of one request.

        Args:
            model: The base model id.
            adapter: The adapter (or served model name) that answers.
            request: Everything else that shapes the reply: messages, images' digests, decoding settings.

        Returns:
            A hex digest.
        """
        payload = json.dumps(
            {"model": model, "adapter": adapter, "request": request}, sort_keys=True, ensure_ascii=False
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    @staticmethod
    def usable(temperature: float) -> bool:
        """Whether a request may be cached: sampled replies are not reproducible, so they are not."""
        return temperature <= 0

    def get(self, key: str) -> str | None:
        """Return the stored reply of a key, or None."""
        path = self.directory / f"{key}.json"
        try:
            reply = json.loads(path.read_text(encoding="utf-8"))["reply"]
        except (OSError, ValueError, KeyError):
            self.misses += 1
            return None
        self.hits += 1
        return str(reply)

    def put(self, key: str, reply: str) -> None:
        """Store a reply atomically, so concurrent writers never leave a half-written file."""
        handle, temp = tempfile.mkstemp(dir=self.directory, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump({"reply": reply}, stream, ensure_ascii=False)
        os.replace(temp, self.directory / f"{key}.json")


def complete_with_cache(cache: ResponseCache | None, key: str | None, complete: Callable[[], str]) -> str:
    """Return the cached reply for ``key``, or call ``complete`` and store its reply.

    Args:
        cache: The cache, or None to always call.
        key: The request's cache key, or None when the request must not be cached (sampling).
        complete: Produces the reply.

    Returns:
        The reply text.
    """
    if cache is None or key is None:
        return complete()
    cached = cache.get(key)
    if cached is not None:
        return cached
    reply = complete()
    cache.put(key, reply)
    return reply

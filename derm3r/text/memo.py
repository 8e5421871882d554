"""A small bounded, thread-safe least-recently-used map for the text layer's per-process reuse.

``functools.lru_cache`` memoises a function of its arguments; the text reader needs one map that two
readers fill (a reading by meaning also answers the lexical reading of the same text when the encoder
added nothing), so the entries are put by hand. A lock keeps it safe when the server runs
consultations in threads.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """At most ``size`` entries; putting one more drops the least recently used."""

    def __init__(self, size: int) -> None:
        """Make an empty cache.

        Args:
            size: The most entries kept (at least 1).
        """
        if size < 1:
            raise ValueError(f"size must be at least 1, got {size}")
        self._size = size
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value put under ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value`` under ``key``, dropping the least recently used entry beyond the size."""
        with self._lock:
            self._entries[key] = value
            self._entries.move_to_end(key)
            while len(self._entries) > self._size:
                self._entries.popitem(last=False)

    def __len__(self) -> int:
        """How many entries are kept."""
        return len(self._entries)

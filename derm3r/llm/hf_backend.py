"""The ``hf`` backend: base models in process, one peft LoRA adapter per agent.

Requests arriving from concurrent consultations are gathered into one ``generate`` call per base model,
each row routed to its own adapter (peft's ``adapter_names``), so ``consult_many`` batches across cases.
Every agent uses ``model`` unless ``models`` gives it its own base (vision-language or text-only; see
:mod:`derm3r.llm.hf_model`).
"""

from __future__ import annotations

import atexit
import logging
import queue
import threading
import time
import weakref
from collections import deque
from concurrent.futures import Future
from typing import Any

from derm3r.errors import EngineError
from derm3r.llm.chat import chat_messages
from derm3r.llm.hf_model import BASE, HFModel
from derm3r.llm.hf_settings import (
    AGENT_ADAPTERS,
    DEFAULT_MODEL,
    HFSettings,
    Quantize,
    check_local_paths,
    hf_settings,
    quantization_config,
)
from derm3r.llm.quiet import quiet_third_party
from derm3r.llm.request import ChatRequest

__all__ = [
    "AGENT_ADAPTERS",
    "BASE",
    "DEFAULT_MODEL",
    "HFBackend",
    "HFSettings",
    "Quantize",
    "chat_messages",
    "hf_settings",
    "quantization_config",
]
log = logging.getLogger(__name__)
#: Put on a backend's queue by :meth:`HFBackend.close`: the batching thread ends once the queue is empty.
_STOP: Any = object()
#: Backends whose batching thread may be running (weak: a backend no longer used is not kept alive here).
_RUNNING: weakref.WeakSet[HFBackend] = weakref.WeakSet()
#: Every batching thread started and not yet collected. A thread that has idled out has already cleared its
#: backend's ``_worker`` but may still be ending: its last act frees the bound method it ran, and with it
#: possibly the last reference to the backend and its model.
_THREADS: weakref.WeakSet[threading.Thread] = weakref.WeakSet()


def _stop_batchers() -> None:
    """Join every backend's batching thread before the interpreter finalizes.

    The thread is a daemon (so a program never waits for it); atexit callbacks run while the interpreter is
    still whole, so no daemon thread of derm3r's is left waiting for requests (it idles out only after 5 s)
    while libtorch tears down.

    Joining every thread, not only the backends' current ones, is what keeps a model from being freed on a
    thread that is ending while the interpreter finalizes: libtorch's tensor release then meets the thread's
    forced exit and aborts the process (rc 134, "terminate called without an active exception"; the batching
    thread's stack in a core dump, pytorch/pytorch#38228).
    """
    for backend in list(_RUNNING):
        backend.close()
    for thread in list(_THREADS):
        if thread is not threading.current_thread():
            thread.join(60.0)


atexit.register(_stop_batchers)


class HFBackend:
    """transformers + peft text generation with per-row adapter routing, one loaded model per distinct base."""

    name = "hf"

    def __init__(self, settings: HFSettings) -> None:
        """Load each base model (the processor or tokenizer, the model, the adapters of the agents it serves).

        Args:
            settings: Models, adapters and runtime settings.

        Raises:
            EngineError: When transformers/peft are missing, a model cannot be loaded, or an adapter was
                trained for another agent or on another base (``derm3r_adapter.json``).
        """
        check_local_paths(settings)
        quiet_third_party()
        try:
            import torch
            import transformers  # noqa: F401 - checked here so a missing extra is named, not a traceback
        except ImportError as error:
            raise EngineError("the hf engine needs the llm extra: pip install 'derm3r[llm]'") from error

        self.settings = settings
        self.model_id = settings.model
        self.device = settings.device or ("cuda" if torch.cuda.is_available() else "cpu")
        self.loaded = {
            model_id: HFModel(model_id, settings, agents, self.device) for model_id, agents in settings.models().items()
        }
        primary = self.loaded[settings.model]
        #: The default model's parts (what a single-model setup has; tests and benchmarks read them).
        self.model, self.processor, self.tokenizer = primary.model, primary.processor, primary.tokenizer
        self.adapters = [name for loaded in self.loaded.values() for name in loaded.adapters]
        self._worker_lock = threading.Lock()
        self._queue: queue.Queue[Any] = queue.Queue()  # (request, future) pairs, or _STOP
        self._worker: threading.Thread | None = None
        #: (agent, adapter that served it) per generated row, newest last; tests and traces read it.
        self.served: deque[tuple[str, str | None]] = deque(maxlen=4096)
        #: (agent, base model that served it) per generated row, newest last.
        self.served_by: deque[tuple[str, str]] = deque(maxlen=4096)
        self.generate_calls = 0

    def has_adapter(self, adapter: str) -> bool:
        """Whether an adapter of that name was loaded."""
        return adapter in self.adapters

    def model_for(self, agent: str) -> HFModel:
        """The loaded model that serves an agent."""
        return self.loaded[self.settings.model_for(agent)]

    def complete(self, requests: list[ChatRequest]) -> list[str]:
        """Answer requests; concurrent callers' requests share ``generate`` calls.

        Args:
            requests: The requests.

        Returns:
            One reply per request, in order.
        """
        futures = []
        for request in requests:
            future: Future[str] = Future()
            self._queue.put((request, future))
            futures.append(future)
        self._ensure_worker()
        return [future.result() for future in futures]

    def generate(self, requests: list[ChatRequest]) -> list[str]:
        """Run one batched ``generate`` per base model over requests, each row on its own adapter.

        Args:
            requests: The batch.

        Returns:
            The decoded replies, in order.
        """
        replies: list[str] = [""] * len(requests)
        by_model: dict[str, list[int]] = {}
        for index, request in enumerate(requests):
            by_model.setdefault(self.settings.model_for(request.agent), []).append(index)
        for model_id, rows in by_model.items():
            texts, routes = self.loaded[model_id].generate([requests[row] for row in rows])
            self.generate_calls += 1
            for row, text, route in zip(rows, texts, routes, strict=True):
                replies[row] = text
                self.served.append((requests[row].agent, route))
                self.served_by.append((requests[row].agent, model_id))
        return replies

    def close(self, timeout_s: float = 60.0) -> None:
        """Stop the batching thread once the requests already queued are answered, and wait for it.

        The thread also ends by itself after 5 s without requests; a request after ``close`` starts a new one.
        Called for every backend at interpreter exit.

        Args:
            timeout_s: Longest wait for a generation in progress to finish.
        """
        with self._worker_lock:
            worker = self._worker
            if worker is None:
                return
            self._queue.put(_STOP)
        worker.join(timeout_s)

    def _ensure_worker(self) -> None:
        with self._worker_lock:
            if self._worker is None:
                self._worker = threading.Thread(target=self._run_batches, name="derm3r-hf-batcher", daemon=True)
                self._worker.start()
                _RUNNING.add(self)
                _THREADS.add(self._worker)

    def _run_batches(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=5.0)
            except queue.Empty:
                first = _STOP
            if first is _STOP:
                with self._worker_lock:
                    # Re-checked under the lock so a request queued right now still finds a worker.
                    if self._queue.empty():
                        self._worker = None
                        return
                continue
            batch = [first]
            deadline = time.monotonic() + self.settings.batch_window_s
            while len(batch) < self.settings.max_batch:
                remaining = deadline - time.monotonic()
                try:
                    item = self._queue.get(timeout=remaining) if remaining > 0 else self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    self._queue.put(_STOP)  # answered after this batch, when the queue is otherwise empty
                    break
                batch.append(item)
            # Greedy and sampled requests never share a call: one sampled row would make them all sample.
            for sampled in (False, True):
                group = [item for item in batch if (item[0].temperature > 0) is sampled]
                if group:
                    self._answer(group)

    def _answer(self, batch: list[tuple[ChatRequest, Future[str]]]) -> None:
        try:
            replies = self.generate([request for request, _ in batch])
        except Exception as error:
            for _, future in batch:
                future.set_exception(EngineError(f"hf: generation failed: {error}"))
            return
        for (_, future), reply in zip(batch, replies, strict=True):
            future.set_result(reply)

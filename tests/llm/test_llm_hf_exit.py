"""The hf backend's batching thread ends before the interpreter does (``close`` and the exit hook join it).

Found while chasing an abort at exit ("terminate called without an active exception", rc 134) of pytest runs
of tests/training/test_finetune.py with test_finetune_export.py: the thread was still alive at every abort.
Joining the backends' current threads did not end those aborts: a core dump showed the batching thread that
had just idled out (its backend's ``_worker`` already cleared, so ``close`` did not wait for it) freeing the
model as it ended, during finalization. The exit hook now joins every batching thread started.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from derm3r.llm.hf_backend import HFBackend, _stop_batchers, hf_settings
from derm3r.llm.request import ChatMessage, ChatRequest


def _request() -> ChatRequest:
    return ChatRequest(agent="rec", adapter=None, messages=(ChatMessage("user", "皮损鲜红"),), max_new_tokens=2)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from derm3r.testing.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("exit-tiny") / "model")


def test_close_answers_what_is_queued_then_joins_the_batching_thread(tiny_model: Path) -> None:
    backend = HFBackend(hf_settings({"model": str(tiny_model), "max_new_tokens": 2}))
    assert len(backend.complete([_request(), _request()])) == 2
    worker = backend._worker
    assert worker is not None and worker.is_alive()  # it waits 5 s for more requests
    backend.close()
    assert not worker.is_alive() and backend._worker is None
    assert len(backend.complete([_request()])) == 1  # a request after close starts a new thread
    backend.close()
    backend.close()  # closing twice, or with no thread, is a no-op


def test_no_batching_thread_is_left_when_the_interpreter_finalizes(tiny_model: Path) -> None:
    """A program that exits right after a generation: by the time the interpreter finalizes, the thread is gone.

    The checker is registered with atexit before derm3r is imported, so it runs after derm3r's own hook.
    """
    program = textwrap.dedent(
        f"""
        import atexit, threading

        def report():
            alive = [thread.name for thread in threading.enumerate() if thread.name == "derm3r-hf-batcher"]
            print("ALIVE AT EXIT", alive, flush=True)

        atexit.register(report)
        from derm3r.llm.hf_backend import HFBackend, _stop_batchers, hf_settings
        from derm3r.llm.request import ChatMessage, ChatRequest

        backend = HFBackend(hf_settings({{"model": {str(tiny_model)!r}, "max_new_tokens": 2}}))
        request = ChatRequest(agent="rec", adapter=None, messages=(ChatMessage("user", "x"),), max_new_tokens=2)
        backend.complete([request])
        assert backend._worker is not None and backend._worker.is_alive()
        """
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "ALIVE AT EXIT []" in run.stdout, run.stdout + run.stderr[-2000:]


def test_the_exit_hook_waits_for_a_thread_that_has_idled_out_but_not_ended(tiny_model: Path) -> None:
    """The state the core dump showed: ``_worker`` cleared, the thread still running (it frees the model next)."""
    backend = HFBackend(hf_settings({"model": str(tiny_model), "max_new_tokens": 2}))
    backend.complete([_request()])
    worker = backend._worker
    assert worker is not None and worker.is_alive()
    with backend._worker_lock:
        backend._worker = None  # as the idle-out does, just before the thread returns
    _stop_batchers()
    assert not worker.is_alive()

"""The vector store's chromadb client is closed before the interpreter finalizes (and by ``close``).

Found while chasing an intermittent abort at exit ("terminate called without an active exception", rc 134)
of pytest runs of the finetune tests: chromadb caches every client's system (SQLite worker threads on a
tokio runtime) in a class attribute, so without the exit hook those threads were torn down during
finalization. The names are the threads' own (``/proc/self/task/*/comm``), so the test runs on Linux only.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="thread names need Linux /proc")
REPO = Path(__file__).resolve().parents[2]


def test_close_ends_the_sqlite_workers_a_later_search_reopens_and_exit_closes_the_rest(tmp_path: Path) -> None:
    program = textwrap.dedent(
        f"""
        import atexit, os, time

        def thread_name(task):
            try:  # a thread that ends between the listing and the read has left /proc: it is no worker
                with open(f"/proc/self/task/{{task}}/comm") as comm:
                    return comm.read().strip()
            except OSError:  # gone (ENOENT) or ending (ESRCH)
                return ""

        def workers():
            return sum(thread_name(task).startswith("sqlx-sqlite") for task in os.listdir("/proc/self/task"))

        def at_exit():  # the workers end asynchronously once their client is closed: give them 10 s
            deadline = time.monotonic() + 10
            while workers() and time.monotonic() < deadline:
                time.sleep(0.05)
            print("AT EXIT", workers(), flush=True)

        atexit.register(at_exit)  # registered first: runs last, after derm3r's hook
        from pathlib import Path
        from derm3r.kb.loader import load_knowledge_base
        from derm3r.kb.store import KnowledgeStore

        knowledge = load_knowledge_base(Path({str(REPO / "knowledge")!r}))
        store = KnowledgeStore(knowledge, Path({str(tmp_path / "index")!r}), "ngram")
        assert store.search("皮损鲜红 鳞屑", k=3, mode="dense")
        print("OPEN", workers(), flush=True)
        store.close()
        deadline = time.monotonic() + 10
        while workers() and time.monotonic() < deadline:
            time.sleep(0.05)
        print("CLOSED", workers(), flush=True)
        assert store.search("皮损鲜红 鳞屑", k=3, mode="dense")
        print("REOPENED", workers(), flush=True)
        """
    )
    run = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr[-2000:]
    steps = {"OPEN", "CLOSED", "REOPENED", "AT"}
    counts = dict(line.rsplit(" ", 1) for line in run.stdout.splitlines() if line.split(" ")[0] in steps)
    assert int(counts["OPEN"]) > 0 and int(counts["REOPENED"]) > 0, run.stdout  # chromadb's workers, once open
    # An exception in an atexit hook is printed to stderr and leaves the exit code 0: show it.
    assert counts["CLOSED"] == "0" and counts.get("AT EXIT") == "0", run.stdout + run.stderr[-2000:]

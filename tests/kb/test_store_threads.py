"""Stores searched from parallel threads in a fresh interpreter (graph nodes do this on the first consultation).

chromadb's package imports are circular: two threads importing it for the first time at once deadlock
(``_DeadlockError``, then ``ImportError`` in the others). A tests/llm run alone hit it in 2 of 3 runs.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def test_first_searches_from_parallel_threads_all_answer(tmp_path: Path) -> None:
    program = textwrap.dedent(
        f"""
        import threading
        from pathlib import Path
        from derm3r.kb.loader import load_knowledge_base
        from derm3r.kb.store import KnowledgeStore

        kb = load_knowledge_base(Path({str(REPO / "knowledge")!r}))
        root = Path({str(tmp_path)!r})
        shared = KnowledgeStore(kb, root / "shared", embedder="ngram")
        stores = [KnowledgeStore(kb, root / f"own{{i}}", embedder="ngram") for i in range(3)] + [shared, shared]
        barrier = threading.Barrier(len(stores))
        answers, errors = [], []

        def search(store):
            barrier.wait()
            try:
                answers.append(len(store.search("银屑病 鳞屑", k=3)))
            except Exception as error:
                errors.append(type(error).__name__)

        threads = [threading.Thread(target=search, args=(store,)) for store in stores]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(sorted(answers), errors)
        """
    )
    run = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, timeout=300, cwd=REPO, check=False
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().splitlines()[-1] == "[3, 3, 3, 3, 3] []"

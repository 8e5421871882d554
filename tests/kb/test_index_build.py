"""The vector index is built aside and swapped in: a kill or a concurrent build never leaves an empty index that
reads as up to date, and the store never writes into or deletes from a folder it did not create (issue 14)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from derm3r.kb.documents import build_passages
from derm3r.kb.loader import KnowledgeBase, load_knowledge_base
from derm3r.kb.store import KnowledgeStore

REPO = Path(__file__).resolve().parents[2]

# A build that SIGKILLs itself after chromadb stored the first half of the passages: a real kill mid-build.
KILLED_BUILD = """
import os, signal, sys
from pathlib import Path
import chromadb.api.models.Collection as module
from derm3r.kb.loader import load_knowledge_base
from derm3r.kb.store import KnowledgeStore

real_add = module.Collection.add
def add_half_then_die(self, ids, documents=None, metadatas=None, **kwargs):
    half = len(ids) // 2
    real_add(self, ids=ids[:half], documents=documents[:half], metadatas=metadatas[:half])
    os.kill(os.getpid(), signal.SIGKILL)
module.Collection.add = add_half_then_die
KnowledgeStore(load_knowledge_base(Path(sys.argv[1])), Path(sys.argv[2]), embedder="ngram").open()
"""

BUILD = """
import sys
from pathlib import Path
from derm3r.kb.loader import load_knowledge_base
from derm3r.kb.store import KnowledgeStore

store = KnowledgeStore(load_knowledge_base(Path(sys.argv[1])), Path(sys.argv[2]), embedder="ngram")
store.open()
print(store.count(), store.rebuilt)
"""


def python(script: str, *arguments: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-c", script, *arguments], env=env, cwd=REPO, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_a_build_killed_midway_is_rebuilt_not_reported_up_to_date(kb: KnowledgeBase, tmp_path: Path) -> None:
    index = tmp_path / "index"
    killed = python(KILLED_BUILD, str(REPO / "knowledge"), str(index))
    killed.communicate(timeout=300)
    assert killed.returncode == -9
    store = KnowledgeStore(kb, index, embedder="ngram")
    store.open()
    assert store.rebuilt
    assert store.count() == len(build_passages(kb)) > 0
    assert store.search("血热 皮损鲜红", k=3, mode="dense")


def test_two_concurrent_builds_both_see_every_passage(kb: KnowledgeBase, tmp_path: Path) -> None:
    index = tmp_path / "index"
    builds = [python(BUILD, str(REPO / "knowledge"), str(index)) for _ in range(2)]
    outputs = [build.communicate(timeout=300) for build in builds]
    expected = len(build_passages(kb))
    for build, (out, error) in zip(builds, outputs, strict=True):
        assert build.returncode == 0, error
        assert out.split()[0] == str(expected)
    assert sorted(out.split()[1] for out, _ in outputs) == ["False", "True"], "the second waited and reused"


def test_another_knowledge_base_does_not_delete_the_shared_index(kb: KnowledgeBase, tmp_path: Path) -> None:
    index = tmp_path / "index"
    KnowledgeStore(kb, index, embedder="ngram").open()
    variant_dir = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", variant_dir)
    herbs = next(variant_dir.rglob("*.yaml"))
    herbs.write_text(herbs.read_text(encoding="utf-8") + "\n# a local edit\n", encoding="utf-8")
    variant = load_knowledge_base(variant_dir)
    assert variant.fingerprint != kb.fingerprint
    other = KnowledgeStore(variant, index, embedder="ngram")
    other.open()
    assert other.rebuilt
    again = KnowledgeStore(kb, index, embedder="ngram")
    again.open()
    assert not again.rebuilt, "the first knowledge base's index was deleted"
    assert again.count() == len(build_passages(kb))


def test_a_store_whose_collection_another_build_removed_as_stale_reopens_it(kb: KnowledgeBase, tmp_path: Path) -> None:
    """A long-lived reader (a server) keeps its store open while other processes build newer knowledge bases into
    the same folder; once it is no longer among the newest few, their builds delete its collection. Its searches
    and count must go on working (they raised chromadb's NotFoundError)."""
    from derm3r.kb.store import KEPT_PER_EMBEDDER

    index = tmp_path / "index"
    reader = KnowledgeStore(kb, index, embedder="ngram")
    reader.open()
    before = reader.search("血热 皮损鲜红", k=3, mode="dense")
    for number in range(KEPT_PER_EMBEDDER):
        variant_dir = tmp_path / f"knowledge{number}"
        shutil.copytree(REPO / "knowledge", variant_dir)
        edited = next(variant_dir.rglob("*.yaml"))
        edited.write_text(edited.read_text(encoding="utf-8") + f"\n# local edit {number}\n", encoding="utf-8")
        build = python(BUILD, str(variant_dir), str(index))
        out, error = build.communicate(timeout=300)
        assert build.returncode == 0 and out.split()[1] == "True", error
    assert reader.search("血热 皮损鲜红", k=3, mode="dense") == before
    assert reader.count() == len(build_passages(kb))
    assert reader.search("血热 皮损鲜红", k=3, mode="hybrid")


def test_store_refuses_a_folder_it_did_not_create(kb: KnowledgeBase, tmp_path: Path) -> None:
    from derm3r.errors import OptionError

    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "thesis.txt").write_text("years of work", encoding="utf-8")
    with pytest.raises(OptionError, match="not a derm3r index"):
        KnowledgeStore(kb, folder, embedder="ngram").open()
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.txt"]


def test_an_empty_knowledge_base_is_never_indexed(tmp_path: Path) -> None:
    from derm3r.errors import KnowledgeBaseError

    empty = tmp_path / "knowledge"
    empty.mkdir()
    with pytest.raises(KnowledgeBaseError, match="no entries"):
        KnowledgeStore(load_knowledge_base(empty), tmp_path / "index", embedder="ngram").open()


def test_a_marker_written_by_a_concurrent_claim_is_not_foreign(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes claiming one new folder: the other's marker appears after this one's check (the race that
    made concurrent builds fail now and then under load)."""
    from derm3r.kb import index_dir

    folder = tmp_path / "index"
    folder.mkdir()
    real_is_file = Path.is_file

    def marker_written_just_after_the_check(self: Path) -> bool:
        seen = real_is_file(self)
        if self.name == index_dir.MARKER_FILE and not seen:
            self.write_text('{"created_by": "derm3r"}\n', encoding="utf-8")  # the other process, in between
        return seen

    monkeypatch.setattr(Path, "is_file", marker_written_just_after_the_check)
    index_dir.claim_index_dir(folder)
    monkeypatch.undo()
    assert (folder / index_dir.MARKER_FILE).is_file()


def test_the_database_is_created_only_under_the_folder_lock(
    kb: KnowledgeBase, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """chromadb's first open of a new folder creates the database's tables; two processes doing that at once fail
    with 'table collections already exists' (why two concurrent builds failed now and then under load). So an
    opening store waits for the folder's lock before it creates a client: while another holds the lock, the folder
    holds only derm3r's marker and lock files."""
    import fcntl

    from derm3r.kb import index_dir

    folder = tmp_path / "index"
    index_dir.claim_index_dir(folder)
    waiting = threading.Event()
    real_flock = fcntl.flock

    def flock_noting_the_wait(descriptor: int, operation: int) -> None:
        waiting.set()
        real_flock(descriptor, operation)

    store = KnowledgeStore(kb, folder, embedder="ngram")
    failures: list[BaseException] = []

    def open_store() -> None:
        try:
            store.open()
        except BaseException as error:  # handed to the test's thread
            failures.append(error)

    with index_dir.index_lock(folder):  # another process opening or building the index
        monkeypatch.setattr(fcntl, "flock", flock_noting_the_wait)
        opener = threading.Thread(target=open_store, daemon=True)
        opener.start()
        assert waiting.wait(timeout=120), "the store never asked for the folder's lock"
        assert sorted(path.name for path in folder.iterdir()) == [index_dir.MARKER_FILE, index_dir.LOCK_FILE]
    opener.join(timeout=300)
    monkeypatch.undo()
    assert not opener.is_alive() and not failures, failures
    assert store.rebuilt and store.count() == len(build_passages(kb))


def test_a_folder_whose_lock_cannot_be_opened_is_a_clear_error(kb: KnowledgeBase, tmp_path: Path) -> None:
    """Every open now takes the folder's lock, so a lock file that cannot be opened (here a directory in its place;
    a read-only folder for a non-root user) is an IndexPathError naming the path, never a traceback."""
    from derm3r.kb import index_dir

    folder = tmp_path / "index"
    index_dir.claim_index_dir(folder)
    (folder / index_dir.LOCK_FILE).mkdir()
    with pytest.raises(index_dir.IndexPathError, match="cannot lock it"):
        KnowledgeStore(kb, folder, embedder="ngram").open()

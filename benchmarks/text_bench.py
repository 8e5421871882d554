"""Sign extraction on the annotated sentences: precision and recall, lexicon-only vs with semantic reading.

Run: ``.venv/bin/python benchmarks/text_bench.py [--errors]``. The sentences are
tests/data/text/annotated_sentences.yaml (free clinic and patient wording, with negation, family,
past, resolved and extraneous traps).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from derm3r.evaluation.extraction import load_annotated, score_extraction
from derm3r.kb.loader import load_knowledge_base
from derm3r.paths import knowledge_dir

REPO = Path(__file__).resolve().parents[1]
ANNOTATED = REPO / "tests" / "data" / "text" / "annotated_sentences.yaml"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="print each sentence read wrongly")
    args = parser.parse_args()
    kb = load_knowledge_base(knowledge_dir())
    sentences = load_annotated(ANNOTATED)
    print(f"annotated sentences: {len(sentences)}")
    for semantic in (False, True):
        start = time.perf_counter()
        score = score_extraction(kb, sentences, semantic=semantic)
        elapsed = (time.perf_counter() - start) * 1000
        label = "lexicon + fuzzy + semantic" if semantic else "lexicon + fuzzy"
        print(
            f"{label:28s} precision {score.precision:.3f}  recall {score.recall:.3f}  "
            f"(tp {score.true_positive}, fp {score.false_positive}, fn {score.false_negative}; {elapsed:.0f} ms)"
        )
    if args.errors:
        for error in score.errors:
            print(f"  {error['text']}\n    missed {error['missed']}  wrong {error['wrong']}")


if __name__ == "__main__":
    main()

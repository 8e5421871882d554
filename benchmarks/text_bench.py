"""Sign extraction on the annotated sentences: precision and recall, lexicon-only vs with semantic reading.

Run: ``.venv/bin/python benchmarks/text_bench.py [--errors]``. Two sets, each scored on its own:
tests/data/text/annotated_sentences.yaml (free clinic and patient wording, with negation, family,
past, resolved and extraneous traps) and tests/data/text/annotated_scope_dev.yaml (who the note is
about, past vs present history, resolved fevers, encoder leftovers, pinyin, pronouns; its past-history
signs are scored too). Both are dev sets: the lexicon and the text layer were tuned on them.
tests/data/text/annotated_heldout_phenomena.yaml is held out (typographic apostrophes, 有…史, hair in tufts, an
itch gone, 丹毒's spreading red swelling, a healing told after a treatment clause): committed before the fixes.
tests/data/text/annotated_heldout2.yaml is held out (kb2 lane: patients' run-on messages, typos and homophones,
Cantonese/Taiwanese words, non-native English, sizes and comparisons, lay body sites, 不是不痒, time courses,
treatment history, figurative sign words, "burns", 手背, 涂了药膏): committed before any fix, never tuned on.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from derm3r.evaluation.extraction import load_annotated, score_extraction
from derm3r.kb.loader import load_knowledge_base
from derm3r.paths import knowledge_dir

REPO = Path(__file__).resolve().parents[1]
SETS = {
    "sentences": REPO / "tests" / "data" / "text" / "annotated_sentences.yaml",
    "scope dev": REPO / "tests" / "data" / "text" / "annotated_scope_dev.yaml",
    "held-out phenomena": REPO / "tests" / "data" / "text" / "annotated_heldout_phenomena.yaml",
    "held-out 2": REPO / "tests" / "data" / "text" / "annotated_heldout2.yaml",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", action="store_true", help="print each sentence read wrongly")
    args = parser.parse_args()
    kb = load_knowledge_base(knowledge_dir())
    for name, path in SETS.items():
        sentences = load_annotated(path)
        print(f"{name}: {len(sentences)} annotated sentences ({path.name})")
        for semantic in (False, True):
            start = time.perf_counter()
            score = score_extraction(kb, sentences, semantic=semantic)
            elapsed = (time.perf_counter() - start) * 1000
            label = "lexicon + fuzzy + semantic" if semantic else "lexicon + fuzzy"
            past = f"; past kept {score.past_found}/{score.past_expected}" if score.past_expected else ""
            print(
                f"  {label:28s} precision {score.precision:.3f}  recall {score.recall:.3f}  "
                f"(tp {score.true_positive}, fp {score.false_positive}, fn {score.false_negative}{past}; "
                f"{elapsed:.0f} ms)"
            )
        if args.errors:
            for error in score.errors:
                past_missed = f"  past missed {error['past_missed']}" if error["past_missed"] else ""
                print(f"    {error['text']}\n      missed {error['missed']}  wrong {error['wrong']}{past_missed}")


if __name__ == "__main__":
    main()

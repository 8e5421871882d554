"""Build ``examples/eval/psoriasis.jsonl`` from the 18 example cases and ``examples/cases/expected.yaml``.

Run: ``.venv/bin/python examples/eval/make_eval.py``. Each line is ``{"case", "expert", "source"}``; the expert
plan is the textbook answer of the case's expected syndrome: its name, pathogenesis and treatment principle,
its formula and that formula's herbs with their usual grams (knowledge/formulas). Every third case also carries
the four commonest psoriasis syndromes as a multiple-choice question.

Image paths stay as in the case files, relative to ``examples/cases/``, so pass that folder as the case
directory: ``derm3r evaluate examples/eval/psoriasis.jsonl --case-dir examples/cases --out runs/ps``.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from derm3r.kb.loader import KnowledgeBase, load_knowledge_base

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
OUT = Path(__file__).resolve().parent / "psoriasis.jsonl"
OPTION_SYNDROMES = (
    "syn.psoriasis.blood_heat",
    "syn.psoriasis.blood_dryness",
    "syn.psoriasis.blood_stasis",
    "syn.psoriasis.damp_toxin",
)


def expert_plan(kb: KnowledgeBase, syndrome_id: str, formula_id: str, with_options: bool) -> dict[str, object]:
    syndrome = kb.syndromes[syndrome_id]
    formula = kb.formulas[formula_id]
    disease = kb.diseases[syndrome.disease]
    plan: dict[str, object] = {
        "disease": disease.name,
        "syndrome": syndrome.name,
        "pathogenesis": syndrome.pathogenesis,
        "treatment_principle": syndrome.treatment_principle,
        "formula": f"{formula.name}加减",
        "herbs": [{"name": kb.herbs[h.herb].name, "dose_g": h.dose_g} for h in formula.herbs],
    }
    if with_options:
        ids = list(OPTION_SYNDROMES) if syndrome_id in OPTION_SYNDROMES else [*OPTION_SYNDROMES[:3], syndrome_id]
        letters = "ABCD"
        plan["syndrome_options"] = {letter: kb.syndromes[i].name for letter, i in zip(letters, ids, strict=True)}
        plan["syndrome_answer"] = letters[ids.index(syndrome_id)]
    return plan


def main() -> None:
    kb = load_knowledge_base(REPO / "knowledge")
    expected = yaml.safe_load((CASES / "expected.yaml").read_text(encoding="utf-8"))
    lines = []
    for index, (file_name, answer) in enumerate(sorted(expected.items())):
        case = json.loads((CASES / file_name).read_text(encoding="utf-8"))
        plan = expert_plan(kb, answer["syndrome"], answer["formula"], with_options=index % 3 == 0)
        lines.append(json.dumps({"case": case, "expert": plan, "source": answer["source"]}, ensure_ascii=False))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} lines to {OUT}")


if __name__ == "__main__":
    main()

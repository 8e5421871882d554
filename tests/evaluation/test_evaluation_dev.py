"""The development set data/dev/derm-dev.jsonl: well formed, balanced, and evaluated by the CLI on a slice."""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path

import pytest

from derm3r.cli.main import main
from derm3r.evaluation.lines import EvalLine, iter_lines, parse_line
from derm3r.evaluation.name_keys import expert_disease_id
from derm3r.evaluation.results import ResultsWriter, load_results
from derm3r.evaluation.text_metrics import bigram_f1, bleu4, rouge_l, text_overlap

REPO = Path(__file__).resolve().parents[2]
DEV = REPO / "data" / "dev" / "derm-dev.jsonl"
SYNDROMES = ("blood_heat", "blood_dryness", "blood_stasis", "damp_toxin", "fire_toxin", "wind_damp_obstruction")


def _dev_lines() -> list[EvalLine]:
    lines = [parse_line(number, raw) for number, raw in iter_lines(DEV)]
    assert all(parsed.line is not None for parsed in lines), [parsed.error for parsed in lines if parsed.error]
    return [parsed.line for parsed in lines if parsed.line is not None]


def test_dev_set_is_valid_balanced_and_sourced(kb) -> None:  # type: ignore[no-untyped-def]
    evals = _dev_lines()
    assert len(evals) >= 110
    assert len({line.case.case_id for line in evals}) == len(evals)
    # The 60 白疕 lines come first (so --limit slices stay psoriasis), 10 per syndrome.
    psoriasis = [line for line in evals if line.expert.disease == "白疕"]
    assert psoriasis == evals[:60]
    # Expert syndromes are written under textbook, Beijing and alias names; each resolves to its syndrome.
    resolved = Counter(kb.resolve_syndrome(line.expert.syndrome, "disease.psoriasis") for line in psoriasis)
    assert resolved == Counter({f"syn.psoriasis.{name}": 10 for name in SYNDROMES})
    assert any(line.expert.syndrome in {"血热证", "血燥证", "血瘀证"} for line in psoriasis)
    assert sum(bool(line.expert.syndrome_options) for line in evals) * 3 >= len(evals)
    for line in evals:
        assert line.source and line.expert.disease and line.expert.treatment_principle
        if not line.expert.syndrome:  # a referral: nothing prescribed
            assert not (line.expert.formula or line.expert.herbs or line.expert.syndrome_options)
            continue
        assert line.expert.pathogenesis and line.expert.formula
        assert kb.resolve_formula(line.expert.formula), line.expert.formula
        assert len(line.expert.herbs) >= 8 and all(herb.dose_g for herb in line.expert.herbs)
    # Partial records (no tongue and pulse) and follow-up visits are part of the set.
    assert sum(not (line.case.tongue or line.case.pulse) for line in evals) >= 10
    assert sum(bool(line.case.previous_visits) for line in evals) >= 8


def test_dev_set_covers_every_disease_with_its_own_knowledge(kb) -> None:  # type: ignore[no-untyped-def]
    evals = _dev_lines()
    by_disease: dict[str, list[EvalLine]] = {}
    for line in evals:
        disease_id = expert_disease_id(kb, line.expert.disease)
        assert disease_id is not None, line.expert.disease
        by_disease.setdefault(disease_id, []).append(line)
    # The skin-chapter diseases added for issue 13 are tuned on data/blind/clinical-dev.jsonl instead;
    # every disease this set covers must be covered fully.
    in_set = set(by_disease)
    treated = {key for key, entry in kb.diseases.items() if entry.scope == "treat" and key in in_set}
    referred = {key for key, entry in kb.diseases.items() if entry.scope == "refer" and key in in_set}
    assert len(treated) >= 15 and len(referred) >= 4
    assert {key for key in treated if len(by_disease.get(key, [])) < 3} == set()
    for key in referred:
        assert by_disease.get(key), key
        assert all(not line.expert.syndrome and not line.expert.herbs for line in by_disease[key])
        assert all(kb.diseases[key].source in line.source for line in by_disease[key])
    covered: set[str] = set()
    for key in treated - {"disease.psoriasis"}:
        for line in by_disease[key]:
            # The expert's syndrome is one of the disease's, the formula one the knowledge base gives for it,
            # the herbs an adjustment of that formula, and the source the knowledge entry's own.
            syndrome_id = kb.resolve_syndrome(line.expert.syndrome, key)
            assert syndrome_id in kb.diseases[key].syndromes, (line.case.case_id, line.expert.syndrome)
            covered.add(syndrome_id)
            syndrome = kb.syndromes[syndrome_id]
            formula_id = kb.resolve_formula(line.expert.formula)
            assert formula_id in {choice.formula for choice in syndrome.formulas}, line.case.case_id
            formula_herbs = {item.herb for item in kb.formulas[formula_id].herbs}
            expert_herbs = {kb.resolve_herb(herb.name) for herb in line.expert.herbs}
            assert len(formula_herbs & expert_herbs) * 2 >= len(formula_herbs), line.case.case_id
            assert syndrome.source in line.source, line.case.case_id
            if line.expert.syndrome_options:
                # Distractors are the same disease's other syndromes; the answer names the expert's syndrome.
                choices = line.expert.syndrome_options.items()
                options = {letter: kb.resolve_syndrome(name, key) for letter, name in choices}
                assert set(options.values()) <= set(kb.diseases[key].syndromes) and len(set(options.values())) >= 2
                assert [options[letter] for letter in line.expert.syndrome_answer] == [syndrome_id]
    # Every syndrome of every treated disease has at least one line.
    wanted = {syndrome for key in treated for syndrome in kb.diseases[key].syndromes}
    assert wanted - covered - {f"syn.psoriasis.{name}" for name in SYNDROMES} == set()


def test_dev_records_name_their_answer_and_give_grams(kb) -> None:  # type: ignore[no-untyped-def]
    # The set is data (no generator): each id names the expert's disease and syndrome
    # (dev-<syndrome>-NN for 白疕, dev-<disease>-<syndrome>-NN, dev-refer-<disease>-NN), every herb has
    # its grams, and options rotate so the answer letter is not always the same.
    answers: Counter[str] = Counter()
    for line in _dev_lines():
        parts = line.case.case_id.split("-")
        assert parts[0] == "dev" and parts[-1].isdigit(), line.case.case_id
        if parts[1] == "refer":
            assert kb.diseases[f"disease.{parts[2]}"].scope == "refer"
            assert expert_disease_id(kb, line.expert.disease) == f"disease.{parts[2]}"
            continue
        disease, syndrome = ("psoriasis", parts[1]) if len(parts) == 3 else (parts[1], parts[2])
        assert kb.resolve_syndrome(line.expert.syndrome, f"disease.{disease}") == f"syn.{disease}.{syndrome}"
        assert all(herb.dose_g and herb.dose_g > 0 for herb in line.expert.herbs), line.case.case_id
        answers.update(line.expert.syndrome_answer)
    assert len(answers) == 4 and min(answers.values()) >= 5


def test_cli_evaluates_a_slice_of_the_dev_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "tmp"
    assert main(["evaluate", str(DEV), "--out", str(out), "--limit", "12", "--no-retrieval", "--no-progress",
                 "--lang", "en"]) == 0
    printed = capsys.readouterr().out
    assert "12 cases (12 evaluated now, 0 resumed), 0 errors" in printed
    assert "syndrome_acc" in printed
    for name in ("results.jsonl", "metrics.json", "report.md", "report.html"):
        assert (out / name).stat().st_size > 0, name
    records = load_results(out / "results.jsonl")
    assert [record["line"] for record in records] == list(range(1, 13))
    assert all(record["consultation"]["case_id"] == record["case_id"] for record in records)
    metrics = json.loads((out / "metrics.json").read_text(encoding="utf-8"))
    syndrome = metrics["metrics"]["syndrome_acc"]
    assert syndrome["n"] == 12 and 0.0 <= syndrome["ci_low"] <= syndrome["mean"] <= syndrome["ci_high"] <= 1.0
    assert metrics["run"]["consult_seconds"] <= metrics["run"]["seconds"]
    # The slice interleaves the six syndromes, so the per-syndrome breakdown covers all of them.
    assert len(metrics["by_syndrome"]) == 6
    assert "syndrome accuracy" in (out / "report.md").read_text(encoding="utf-8")


def test_written_lines_reach_the_os_before_any_fsync(tmp_path: Path) -> None:
    # What a kill -9 leaves behind is what was flushed to the OS: every record, even with fsync far away.
    path = tmp_path / "results.jsonl"
    record = {"line": 1, "case_id": "c-1", "consultation": None, "scores": {"x": 1.0}}
    with ResultsWriter(path, append=False, fsync_interval_s=3600) as writer:
        writer.write(record)
        writer.write({**record, "line": 2, "consultation": {"case_id": "c-2"}},
                     consultation_json='{"case_id":"c-2"}')
        assert [item["line"] for item in load_results(path)] == [1, 2]
    second = load_results(path)[1]
    assert second["consultation"] == {"case_id": "c-2"} and second["scores"] == {"x": 1.0}


def test_combined_text_overlap_equals_the_separate_metrics() -> None:
    # text_overlap shares n-gram counts and caches the system side; it must score exactly like the parts.
    rng = random.Random(7)
    alphabet = "清热凉血解毒消斑养血润燥，。 AbC"
    for _ in range(300):
        cand = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        ref = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for _ in range(2):  # the second pass reads the cached system text
            scores = text_overlap(cand, ref)
            assert scores["bleu4"] == pytest.approx(bleu4(cand, ref))
            assert scores["rouge_l"] == pytest.approx(rouge_l(cand, ref))
            assert scores["bigram_f1"] == pytest.approx(bigram_f1(cand, ref))

"""Evaluation metrics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from derm3r.evaluation.aggregate import aggregate, bootstrap_ci, confusion_matrix
from derm3r.evaluation.lines import EvalLine, ExpertHerb, ExpertPlan, parse_line
from derm3r.evaluation.metrics import (
    choose_options,
    disease_accuracy,
    formula_match,
    herb_scores,
    multiple_choice_accuracy,
    score_case,
    set_score,
    split_syndromes,
    syndrome_accuracy,
)
from derm3r.evaluation.text_metrics import bigram_f1, bleu4, char_tokens, lcs_length, rouge_l
from derm3r.schemas import (
    Assessment,
    Consultation,
    FormulaRef,
    HerbDose,
    LesionRepresentation,
    SafetyFinding,
    SafetyReport,
    SyndromeCall,
    TreatmentPlan,
)


def consultation(
    primary: str | None = "syn.psoriasis.blood_heat",
    secondary: str | None = None,
    *,
    kb,
    herbs: tuple[tuple[str, float], ...] = (),
    formula: FormulaRef | None = None,
    principle: str = "",
    abstained: bool = False,
    warnings: int = 0,
) -> Consultation:
    def call(syndrome_id: str | None) -> SyndromeCall | None:
        return None if syndrome_id is None else SyndromeCall(id=syndrome_id, name=kb.syndromes[syndrome_id].name,
                                                             confidence=0.8)

    return Consultation(
        case_id="t",
        engine="knowledge",
        representation=LesionRepresentation(summary="皮损鲜红"),
        assessment=Assessment(disease="白疕", disease_id="disease.psoriasis", disease_western="银屑病 (psoriasis)",
                              syndrome=call(primary), secondary_syndrome=call(secondary),
                              treatment_principle=principle),
        plan=TreatmentPlan(formula=formula, herbs=[HerbDose(name=n, dose_g=g) for n, g in herbs]),
        safety=SafetyReport(abstained=abstained, warnings=[
            SafetyFinding(severity="warning", rule_id=f"r{i}", message="m") for i in range(warnings)]),
    )


def test_char_tokens_drop_punctuation_and_space() -> None:
    assert char_tokens("清热，凉血 解毒。") == list("清热凉血解毒")


def test_bleu4_hand_computed() -> None:
    # All n-gram precisions are 1 (add-one smoothing for n ≥ 2); brevity penalty exp(1 - 6/4).
    assert bleu4("清热凉血", "清热凉血解毒") == pytest.approx(math.exp(-0.5))
    # p1 = 2/4, p2 = (1+1)/(3+1), p3 = (0+1)/(2+1), p4 = (0+1)/(1+1); equal lengths, no penalty.
    assert bleu4("清热解毒", "清热凉血") == pytest.approx((0.5 * 0.5 * (1 / 3) * 0.5) ** 0.25)
    assert bleu4("清热凉血，解毒", "清热凉血解毒") == pytest.approx(1.0)
    assert bleu4("", "清热") == 0.0
    assert bleu4("祛风", "清热") == 0.0


def test_rouge_l_and_lcs_hand_computed() -> None:
    assert lcs_length(list("清热解毒"), list("清热凉血解毒")) == 4
    # P = 4/4, R = 4/6 → F = 0.8
    assert rouge_l("清热解毒", "清热凉血解毒") == pytest.approx(0.8)
    assert rouge_l("活血", "清热") == 0.0


def test_bigram_f1_hand_computed() -> None:
    # {清热, 热解, 解毒} vs {清热, 热凉, 凉血, 血解, 解毒}: overlap 2, P = 2/3, R = 2/5 → F1 = 0.5
    assert bigram_f1("清热解毒", "清热凉血解毒") == pytest.approx(0.5)
    assert bigram_f1("热", "热") == 1.0


def test_split_and_set_score() -> None:
    assert split_syndromes("血虚风燥证、寒湿痹阻证") == ["血虚风燥证", "寒湿痹阻证"]
    assert split_syndromes("血热证兼湿热证；血瘀证") == ["血热证", "湿热证", "血瘀证"]
    assert set_score({"a", "b"}, {"a", "c"}) == pytest.approx(1 / 3)
    assert set_score({"a"}, {"a"}) == 1.0
    assert set_score({"a"}, set()) == 0.0


def test_disease_accuracy_uses_synonyms(kb) -> None:
    result = consultation(kb=kb)
    assert disease_accuracy(kb, "银屑病", result) == 1.0
    assert disease_accuracy(kb, "psoriasis", result) == 1.0
    assert disease_accuracy(kb, "湿疮", result) == 0.0


def test_syndrome_accuracy_alias_and_combined(kb) -> None:
    assert syndrome_accuracy(kb, "血热证", consultation(kb=kb)) == 1.0  # Beijing-school alias
    assert syndrome_accuracy(kb, "血瘀证", consultation(kb=kb)) == 0.0
    combined = "血虚风燥证、寒湿痹阻证"
    both = consultation("syn.psoriasis.blood_dryness", "syn.psoriasis.wind_damp_obstruction", kb=kb)
    assert syndrome_accuracy(kb, combined, both) == 1.0
    assert syndrome_accuracy(kb, combined, consultation("syn.psoriasis.blood_dryness", kb=kb)) == 0.5
    # One expert syndrome, a correct primary and a wrong 兼证: 1 / (1 + 1).
    extra = consultation("syn.psoriasis.blood_heat", "syn.psoriasis.damp_toxin", kb=kb)
    assert syndrome_accuracy(kb, "血热内蕴证", extra) == 0.5
    assert syndrome_accuracy(kb, "血热内蕴证", consultation(None, kb=kb)) == 0.0


def test_multiple_choice(kb) -> None:
    options = {"A": "血热内蕴证", "B": "血虚风燥证", "C": "血瘀证"}
    assert choose_options(kb, options, consultation(kb=kb)) == ["A"]
    assert multiple_choice_accuracy(kb, options, ["A"], consultation(kb=kb)) == 1.0
    assert multiple_choice_accuracy(kb, options, ["B"], consultation(kb=kb)) == 0.0
    # Answer {A, B}; the system picks A and C: 1 / (2 + 1).
    two = consultation("syn.psoriasis.blood_heat", "syn.psoriasis.blood_stasis", kb=kb)
    assert multiple_choice_accuracy(kb, options, ["A", "B"], two) == pytest.approx(1 / 3)


def test_formula_match_alias_and_jiajian(kb) -> None:
    ref = FormulaRef(id="formula.xijiao_dihuang_tang", name="犀角地黄汤")
    assert formula_match(kb, "犀角地黄汤加减", ref) == 1.0
    assert formula_match(kb, "水牛角地黄汤", ref) == 1.0
    assert formula_match(kb, "当归饮子", ref) == 0.0
    assert formula_match(kb, "犀角地黄汤", None) == 0.0
    assert formula_match(kb, "自拟方加减", FormulaRef(name="自拟方")) == 1.0  # unknown names compared raw


def test_herb_scores_hand_computed(kb) -> None:
    expert = [ExpertHerb(name="水牛角", dose_g=30), ExpertHerb(name="生地黄", dose_g=15),
              ExpertHerb(name="赤芍", dose_g=10), ExpertHerb(name="牡丹皮", dose_g=10)]
    system = [HerbDose(name="水牛角", dose_g=30), HerbDose(name="生地", dose_g=19), HerbDose(name="丹皮", dose_g=15),
              HerbDose(name="紫草", dose_g=10), HerbDose(name="甘草", dose_g=6)]
    scores = herb_scores(kb, expert, system)
    # Shared by alias: 水牛角, 生地黄 (生地), 牡丹皮 (丹皮): P = 3/5, R = 3/4.
    assert scores.precision == pytest.approx(0.6)
    assert scores.recall == pytest.approx(0.75)
    assert scores.f1 == pytest.approx(2 * 0.6 * 0.75 / 1.35)
    # Within ±30%: 水牛角 (30 vs 30), 生地 (19 vs 15, 4 ≤ 4.5); 丹皮 15 vs 10 is off: P = 2/5, R = 2/4.
    assert scores.dose_f1 == pytest.approx(2 * 0.4 * 0.5 / 0.9)
    assert scores.missing == ["赤芍"]
    assert scores.extra == sorted(["紫草", "甘草"])
    assert scores.dose_off == ["丹皮"]
    assert herb_scores(kb, expert, []).f1 == 0.0


def test_herb_processing_prefix_and_unknown_names(kb) -> None:
    scores = herb_scores(kb, [ExpertHerb(name="白术"), ExpertHerb(name="某草")],
                         [HerbDose(name="炒白术", dose_g=10), HerbDose(name="某草", dose_g=3)])
    assert scores.f1 == 1.0
    assert scores.dose_f1 == 1.0  # expert herbs without grams count by name


def test_score_case_uses_only_present_fields(kb) -> None:
    result = consultation(kb=kb, principle="清热凉血", abstained=True, warnings=2)
    scored = score_case(kb, ExpertPlan(syndrome="血热证", treatment_principle="清热凉血"), result)
    assert set(scored.scores) == {"syndrome_acc", "principle_bleu4", "principle_rouge_l", "principle_bigram_f1",
                                  "abstained", "warnings"}
    assert scored.scores["abstained"] == 1.0
    assert scored.scores["warnings"] == 2.0
    assert scored.labels["syndrome_expert"] == "血热内蕴证"


def test_expert_plan_validation() -> None:
    plan = ExpertPlan(syndrome_options={"A": "x", "B": "y", "C": "z"}, syndrome_answer="A,C")  # type: ignore[arg-type]
    assert plan.syndrome_answer == ["A", "C"]
    assert ExpertPlan(syndrome_options={"A": "x", "B": "y"}, syndrome_answer="AB").syndrome_answer == ["A", "B"]  # type: ignore[arg-type]
    bad = parse_line(7, {"case": {"case_id": "c"}, "expert": {"syndrome_options": {"A": "x"}, "syndrome_answer": "B"}})
    assert bad.line is None and bad.error is not None
    assert "line 7" in bad.error and "syndrome_answer" in bad.error
    typo = parse_line(3, '{"case": {"case_id": "c"}, "expert": {"herbs": [{"name": "甘草", "dose": 6}]}}')
    assert typo.error is not None and "expert.herbs.0.dose" in typo.error
    assert parse_line(4, "{not json").error is not None
    assert isinstance(parse_line(5, {"case": {"case_id": "c"}}).line, EvalLine)


def test_bootstrap_ci_is_seeded_and_brackets_the_mean() -> None:
    values = [0.0, 1.0] * 20
    low, high = bootstrap_ci(values, seed=1)
    assert (low, high) == bootstrap_ci(values, seed=1)
    assert low < 0.5 < high
    assert bootstrap_ci([0.7]) == (0.7, 0.7)
    assert bootstrap_ci([1.0] * 5) == (1.0, 1.0)


def test_aggregate_breakdowns_and_confusion() -> None:
    records = [
        {"line": 1, "scores": {"syndrome_acc": 1.0}, "labels": {"disease": "白疕", "syndrome_expert": "A证",
                                                                 "syndrome_system": "A证"}},
        {"line": 2, "scores": {"syndrome_acc": 0.0}, "labels": {"disease": "白疕", "syndrome_expert": "A证",
                                                                 "syndrome_system": "B证"}},
        {"line": 3, "scores": {"syndrome_acc": 1.0}, "labels": {"disease": "湿疮", "syndrome_expert": "B证",
                                                                 "syndrome_system": "B证"}},
        {"line": 4, "error": "line 4: invalid"},
    ]
    metrics = aggregate(records)
    assert (metrics["cases"], metrics["scored"], metrics["errors"]) == (4, 3, 1)
    assert metrics["metrics"]["syndrome_acc"]["mean"] == pytest.approx(2 / 3)
    assert metrics["by_disease"]["白疕"] == {"n": 2, "metrics": {"syndrome_acc": 0.5}}
    assert confusion_matrix(records[:3]) == {"expert": ["A证", "B证"], "system": ["A证", "B证"],
                                             "counts": [[1, 1], [0, 1]]}


def test_bit_parallel_lcs_matches_the_table() -> None:
    import random

    def table(a: list[str], b: list[str]) -> int:
        rows = [[0] * (len(b) + 1) for _ in range(len(a) + 1)]
        for i, x in enumerate(a):
            for j, y in enumerate(b):
                rows[i + 1][j + 1] = rows[i][j] + 1 if x == y else max(rows[i][j + 1], rows[i + 1][j])
        return rows[-1][-1]

    rng = random.Random(0)
    for _ in range(300):
        a = [rng.choice("清热凉血") for _ in range(rng.randint(0, 25))]
        b = [rng.choice("清热解毒血") for _ in range(rng.randint(0, 25))]
        assert lcs_length(a, b) == table(a, b)


def test_expert_syndrome_is_read_in_the_expert_disease_when_the_system_missed_it(kb) -> None:  # type: ignore[no-untyped-def]
    # 湿热证 names a syndrome in several diseases; an expert who wrote 白疕 means psoriasis' 湿毒蕴阻证 even when
    # the system abstained without naming a disease.
    missed = Consultation(case_id="t", engine="knowledge", representation=LesionRepresentation(summary=""),
                          assessment=Assessment(disease="", syndrome=None), plan=TreatmentPlan(),
                          safety=SafetyReport(abstained=True))
    expert = ExpertPlan(disease="白疕", syndrome="湿热证",
                        syndrome_options={"A": "湿毒蕴阻证", "B": "血热内蕴证"}, syndrome_answer="A")
    scored = score_case(kb, expert, missed)
    assert scored.labels["syndrome_expert"] == "湿毒蕴阻证"
    assert scored.scores["disease_acc"] == 0.0 and scored.scores["syndrome_acc"] == 0.0
    assert scored.scores["syndrome_mc_acc"] == 0.0
    hit = consultation("syn.psoriasis.damp_toxin", kb=kb)
    assert score_case(kb, expert, hit).scores["syndrome_acc"] == 1.0

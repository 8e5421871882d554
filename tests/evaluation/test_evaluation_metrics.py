"""Evaluation metrics against hand-computed values."""

from __future__ import annotations

import math

import pytest

from derm3r.evaluation.aggregate import aggregate, bootstrap_ci, confusion_matrix
from derm3r.evaluation.herb_metrics import formula_match, herb_scores
from derm3r.evaluation.lines import EvalLine, ExpertHerb, ExpertPlan, parse_line
from derm3r.evaluation.metrics import (
    choose_options,
    disease_accuracy,
    multiple_choice_accuracy,
    score_case,
    set_score,
    syndrome_accuracy,
)
from derm3r.evaluation.name_keys import split_syndromes
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
    # confidence is the system's own (its syndrome call), not an expert field.
    assert set(scored.scores) - {"confidence"} == {
        "syndrome_acc", "syndrome_element_acc", "principle_bleu4", "principle_rouge_l", "principle_bigram_f1",
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


def _reference_overlap(candidate: str, reference: str) -> tuple[float, float, float]:
    """BLEU-4, ROUGE-L and bigram F1 straight from their definitions: tuple n-grams, Counter clipping, LCS table."""
    import unicodedata
    from collections import Counter

    def tokens(text: str) -> list[str]:
        return [c.lower() for c in text if not (c.isspace() or unicodedata.category(c).startswith("P"))]

    def grams(seq: list[str], n: int) -> Counter[tuple[str, ...]]:
        return Counter(tuple(seq[i : i + n]) for i in range(len(seq) - n + 1))

    cand, ref = tokens(candidate), tokens(reference)
    if not cand or not ref:
        return 0.0, 0.0, 0.0
    matched = [sum((grams(cand, n) & grams(ref, n)).values()) for n in range(1, 5)]
    bleu = 0.0
    if matched[0]:
        log_precision = math.log(matched[0] / len(cand))
        for n in range(2, 5):
            log_precision += math.log((matched[n - 1] + 1) / (max(0, len(cand) - n + 1) + 1))
        brevity = 1.0 if len(cand) > len(ref) else math.exp(1 - len(ref) / len(cand))
        bleu = brevity * math.exp(log_precision / 4)
    table = [[0] * (len(ref) + 1) for _ in range(len(cand) + 1)]
    for i, x in enumerate(cand):
        for j, y in enumerate(ref):
            table[i + 1][j + 1] = table[i][j] + 1 if x == y else max(table[i][j + 1], table[i + 1][j])
    lcs = table[-1][-1]
    rouge = 0.0 if lcs == 0 else 2 * (lcs / len(cand)) * (lcs / len(ref)) / (lcs / len(cand) + lcs / len(ref))
    n = 2 if len(cand) > 1 and len(ref) > 1 else 1
    overlap = matched[n - 1]
    bigram = 0.0
    if overlap:
        precision, recall = overlap / (len(cand) - n + 1), overlap / (len(ref) - n + 1)
        bigram = 2 * precision * recall / (precision + recall)
    return bleu, rouge, bigram


@pytest.mark.parametrize("alphabet", ["ab", "aab，", "清热凉血解毒消斑养血润燥，。 AbC", "abcdefghijklmn"])
def test_fast_text_metrics_equal_the_definitions_exactly(alphabet: str) -> None:
    # The scorer searches the reference for each (cached) candidate n-gram and stops at the first n with no match;
    # small alphabets give repeated and self-overlapping grams ("aa", "aba"), where str.count would undercount.
    import random

    from derm3r.evaluation.text_metrics import overlap_scores, text_overlap

    rng = random.Random(alphabet)
    for _ in range(400):
        cand = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        ref = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 16)))
        expected = _reference_overlap(cand, ref)
        assert overlap_scores(cand, ref) == expected, (cand, ref)
        assert overlap_scores(cand, ref) == expected  # again, from the cached candidate
        assert (bleu4(cand, ref), rouge_l(cand, ref), bigram_f1(cand, ref)) == expected
        assert text_overlap(cand, ref) == dict(zip(("bleu4", "rouge_l", "bigram_f1"), expected, strict=True))


def test_memoised_syndrome_sets_are_copies(kb) -> None:  # type: ignore[no-untyped-def]
    from derm3r.evaluation.name_keys import syndrome_set

    first = syndrome_set(kb, "血热证、血瘀证", "disease.psoriasis")
    first.add("mutated by a caller")
    assert "mutated by a caller" not in syndrome_set(kb, "血热证、血瘀证", "disease.psoriasis")


def test_herb_scores_sum_a_herb_listed_twice(kb) -> None:  # type: ignore[no-untyped-def]
    # 生地黄 and 生地 are one herb: its doses add up (10 + 10 = 20, within 30% of 18), and it counts once.
    expert = [ExpertHerb(name="生地黄", dose_g=18), ExpertHerb(name="赤芍", dose_g=10)]
    system = [HerbDose(name="生地黄", dose_g=10), HerbDose(name="生地", dose_g=10), HerbDose(name="赤芍", dose_g=20)]
    scores = herb_scores(kb, expert, system)
    assert (scores.precision, scores.recall, scores.f1) == (1.0, 1.0, 1.0)
    # 赤芍 at twice the expert's grams is off, so dose precision and recall are 1/2.
    assert scores.dose_f1 == 0.5 and scores.dose_off == ["赤芍"]


def test_formula_match_counts_a_variant_or_a_combined_formula_that_holds_the_experts(kb) -> None:
    # knowledge/formulas: 白疕's 桃红四物汤（白疕活血方） is variant_of 桃红四物汤 (《医宗金鉴》 base, adapted by
    # 《中医外科学》); 消风散合当归饮子 combines 消风散 and 当归饮子 (合方). An expert's 桃红四物汤加减 or 消风散加减
    # names the base the system's formula is built on; 犀角地黄汤 is in neither.
    variant = FormulaRef(id="formula.taohong_siwu_tang_baibi", name="桃红四物汤（白疕活血方）")
    combined = FormulaRef(id="formula.xiaofeng_san_he_danggui_yinzi", name="消风散合当归饮子")
    assert formula_match(kb, "桃红四物汤加减", variant) == 1.0
    assert formula_match(kb, "消风散加减", combined) == 1.0
    assert formula_match(kb, "当归饮子", combined) == 1.0
    assert formula_match(kb, "犀角地黄汤加减", variant) == 0.0
    assert formula_match(kb, "四物汤", combined) == 0.0

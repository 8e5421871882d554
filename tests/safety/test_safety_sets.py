"""Issue 8's sets: red-flag recall, false referrals, and every planted violation caught."""

from __future__ import annotations

from pathlib import Path

from derm3r.testing.safety_sets import score_case_sets, score_planted

SETS = Path(__file__).resolve().parents[2] / "examples" / "safety"


def test_red_flag_set_is_fully_referred_and_ordinary_cases_are_not(system) -> None:
    scores = score_case_sets(system, [SETS / "red_flags.jsonl", SETS / "ordinary.jsonl"])
    assert scores.red_flag_cases >= 30 and scores.ordinary_cases >= 30
    assert scores.missed == []
    assert scores.false_referral_rate <= 0.10, scores.falsely_referred


def test_every_planted_incompatibility_and_pregnancy_violation_is_caught(kb) -> None:
    results = score_planted(kb)
    pairs_planted, _, pairs_survived = results["十八反/十九畏"]
    pregnancy_planted, _, pregnancy_survived = results["pregnancy"]
    assert pairs_planted >= 100 and pregnancy_planted >= 10
    assert pairs_survived == [] and pregnancy_survived == []


def test_negated_red_flags_do_not_refer(system) -> None:
    consultation = system.consult({"case_id": "neg", "history": "银屑病，否认发热，无黏膜受累，无呼吸困难"})
    assert consultation.safety.red_flags == []

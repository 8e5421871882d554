"""Issue 8's sets: red-flag recall, false referrals, and every planted violation caught."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

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


def test_a_set_line_holding_u2028_in_a_string_is_one_case(tmp_path: Path) -> None:
    # str.splitlines() would break the line at \u2028 and \x85 (json.dumps writes them as they are).
    case = {"case_id": "ls-1", "history": "口唇肿胀\u2028呼吸困难\x85", "symptoms": "a\x1cb"}
    path = tmp_path / "set.jsonl"
    path.write_text(json.dumps({"case": case, "red_flag": True}, ensure_ascii=False) + "\n", encoding="utf-8")
    seen: list[dict[str, Any]] = []

    class Referring:
        def consult(self, given: dict[str, Any]) -> Any:
            seen.append(given)
            return SimpleNamespace(safety=SimpleNamespace(red_flags=["referred"]))

    scores = score_case_sets(Referring(), [path])
    assert seen == [case] and scores.red_flag_cases == 1 and scores.missed == []

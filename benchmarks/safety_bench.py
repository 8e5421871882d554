"""Safety figures: red-flag recall and false referrals on the case sets; planted violations caught.

Run: ``.venv/bin/python benchmarks/safety_bench.py``. Targets (issue 8): red-flag recall 100%,
false referrals ≤ 10%, every planted 十八反/十九畏 and pregnancy violation caught.
"""

from __future__ import annotations

from pathlib import Path

from derm3r import Derm3R
from derm3r.safety.evaluate_sets import score_case_sets, score_planted

SETS = Path(__file__).resolve().parents[1] / "examples" / "safety"


def main() -> None:
    system = Derm3R(retrieval=False)
    scores = score_case_sets(system, [SETS / "red_flags.jsonl", SETS / "ordinary.jsonl"])
    print(f"engine: {system.engine.name}")
    print(f"red-flag recall: {scores.red_flags_caught}/{scores.red_flag_cases} = {scores.recall:.0%} (target 100%)")
    print(
        f"false referrals: {scores.false_referrals}/{scores.ordinary_cases} = {scores.false_referral_rate:.0%}"
        " (target <= 10%)"
    )
    if scores.missed:
        print(f"  missed: {', '.join(scores.missed)}")
    if scores.falsely_referred:
        print(f"  falsely referred: {', '.join(scores.falsely_referred)}")
    for name, (planted, caught, survived) in score_planted(system.knowledge).items():
        print(f"planted {name} violations caught: {caught}/{planted}")
        for label in survived:
            print(f"  survived: {label}")


if __name__ == "__main__":
    main()

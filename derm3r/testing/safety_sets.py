"""Score the safety check on the red-flag/ordinary case sets and on planted-violation plans."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derm3r.evaluation.lines import file_lines
from derm3r.kb.loader import KnowledgeBase
from derm3r.safety.audit import (
    planted_dose_plans,
    planted_pair_plans,
    planted_pregnancy_plans,
    violation_remains,
)
from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, SyndromeCall


@dataclass
class SafetyScores:
    """Counts behind the safety figures."""

    red_flag_cases: int = 0
    red_flags_caught: int = 0
    ordinary_cases: int = 0
    false_referrals: int = 0
    missed: list[str] = field(default_factory=list)
    falsely_referred: list[str] = field(default_factory=list)

    @property
    def recall(self) -> float:
        """Share of red-flag cases referred."""
        return self.red_flags_caught / self.red_flag_cases if self.red_flag_cases else 0.0

    @property
    def false_referral_rate(self) -> float:
        """Share of ordinary cases referred."""
        return self.false_referrals / self.ordinary_cases if self.ordinary_cases else 0.0


def score_case_sets(system: Any, paths: list[Path]) -> SafetyScores:
    """Consult every case of the JSONL sets and count referrals.

    Args:
        system: A :class:`derm3r.Derm3R`.
        paths: JSONL files of ``{"case": …, "red_flag": bool, "source": …}`` lines.

    Returns:
        The counts.
    """
    scores = SafetyScores()
    for path in paths:
        for _, line in file_lines(path):
            record = json.loads(line)
            referred = bool(system.consult(record["case"]).safety.red_flags)
            case_id = record["case"]["case_id"]
            if record["red_flag"]:
                scores.red_flag_cases += 1
                scores.red_flags_caught += referred
                if not referred:
                    scores.missed.append(case_id)
            else:
                scores.ordinary_cases += 1
                scores.false_referrals += referred
                if referred:
                    scores.falsely_referred.append(case_id)
    return scores


def score_planted(kb: KnowledgeBase) -> dict[str, tuple[int, int, list[str]]]:
    """Run the check on every planted pair, pregnancy and overdose plan.

    Args:
        kb: The knowledge base.

    Returns:
        Set name → (planted, caught, labels of the violations that survived).
    """
    assessment = Assessment(
        disease="白疕",
        disease_id="disease.psoriasis",
        syndrome=SyndromeCall(id="syn.psoriasis.blood_heat", name="血热内蕴证", confidence=1.0),
    )
    results = {}
    sets = (
        ("十八反/十九畏", planted_pair_plans(kb)),
        ("pregnancy", planted_pregnancy_plans(kb)),
        ("dose above ceiling", planted_dose_plans(kb)),
    )
    for name, plans in sets:
        planted = caught = 0
        survived = []
        for item in plans:
            case = Case(case_id=item.label, patient={"sex": "F", "age": 30, "pregnant": item.pregnant})
            checked, _ = run_safety_check(kb, case, LesionRepresentation(summary=""), assessment, item.plan, 0.0)
            planted += 1
            if violation_remains(kb, item, checked):
                survived.append(item.label)
            else:
                caught += 1
        results[name] = (planted, caught, survived)
    return results

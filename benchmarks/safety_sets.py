"""Score the consultation on the data/safety sets (issues 14 and 19): referral, text facts, previous plans.

Each set is JSONL (format in data/safety/README.md). A case whose consultation raises is never a silent pass:
an input error naming a field counts as a refusal (acceptable only where a set says so) and any other
exception is counted as a crash, named, and the run goes on.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derm3r.errors import CaseInputError
from derm3r.evaluation.lines import file_lines

Record = dict[str, Any]


def load(path: Path) -> list[Record]:
    """The set's lines as decoded JSON objects."""
    return [json.loads(text) for _, text in file_lines(path)]


@dataclass
class Outcome:
    """What one consultation gave: the consultation, or why there is none."""

    consultation: Any = None
    input_error: str = ""
    crash: str = ""


def consult(system: Any, case: Record) -> Outcome:
    """Consult one case; an input error or a crash becomes part of the outcome instead of stopping the run."""
    try:
        return Outcome(consultation=system.consult(case))
    except CaseInputError as error:
        return Outcome(input_error=str(error).splitlines()[0])
    except Exception as error:  # a crash is a result here: counted and named, and the run goes on
        return Outcome(crash=f"{type(error).__name__}: {error}".splitlines()[0])


def referred(consultation: Any) -> bool:
    """A red flag or a referral in the safety report."""
    return bool(consultation.safety.red_flags or consultation.safety.referral)


def herb_key(kb: Any, name: str) -> str:
    """The knowledge base's herb id for a name or alias, else the name itself."""
    return kb.resolve_herb(name) or name


def plan_herbs(kb: Any, consultation: Any) -> dict[str, float]:
    """Herb key → dose of the internal prescription (empty when the system abstained from prescribing)."""
    return {herb.herb_id or herb_key(kb, herb.name): herb.dose_g for herb in consultation.plan.herbs}


def warned_about(kb: Any, consultation: Any, name: str) -> bool:
    """Whether a safety warning names the herb (in its herb list or its message)."""
    key = herb_key(kb, name)
    for warning in consultation.safety.warnings:
        if name in warning.message or key in {herb_key(kb, herb) for herb in warning.herbs}:
            return True
    return False


@dataclass
class ReferralScores:
    """Referral counts of a red-flag or an ordinary set."""

    cases: int = 0
    referred: int = 0
    unreferred: list[str] = field(default_factory=list)
    referred_ids: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def score_referrals(system: Any, path: Path) -> ReferralScores:
    """Count the referred cases of a set of ``{"case", "red_flag"}`` lines (a failed consultation refers nothing)."""
    scores = ReferralScores()
    for record in load(path):
        case_id = record["case"]["case_id"]
        outcome = consult(system, record["case"])
        scores.cases += 1
        if outcome.consultation is not None and referred(outcome.consultation):
            scores.referred += 1
            scores.referred_ids.append(case_id)
        else:
            scores.unreferred.append(case_id)
        if outcome.consultation is None:
            scores.failures.append(f"{case_id}: {outcome.input_error or outcome.crash}")
    return scores


@dataclass
class FactScores:
    """Text-facts set: items whose forbidden herbs were all kept out (and doses scaled, for a child)."""

    items: int = 0
    passed: int = 0
    failed: list[str] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    passed_by_kind: Counter[str] = field(default_factory=Counter)
    planted: int = 0
    not_exercised: list[str] = field(default_factory=list)
    contradictions: int = 0
    contradictions_warned: int = 0


def _without_fact(record: Record) -> Record:
    case = json.loads(json.dumps(record["case"]))
    case["case_id"] += "-without-fact"
    for name, value in list(case.items()):
        if isinstance(value, str):
            case[name] = value.replace(record["fact"]["text"], "")
    return case


def _fact_problems(kb: Any, record: Record, consultation: Any, adult: Any) -> list[str]:
    herbs = plan_herbs(kb, consultation)
    problems = [f"{name} prescribed" for name in record.get("must_not_appear", []) if herb_key(kb, name) in herbs]
    problems += [f"{name} prescribed without a warning" for name in record.get("absent_or_warned", [])
                 if herb_key(kb, name) in herbs and not warned_about(kb, consultation, name)]
    fraction = record.get("max_dose_fraction")
    if fraction and adult is not None:
        adult_herbs = plan_herbs(kb, adult)
        for key, dose in herbs.items():
            ceiling = adult_herbs.get(key, 0) * fraction * 1.1 + 0.5
            if key in adult_herbs and dose > ceiling:
                problems.append(f"{key} {dose} g > {fraction:.2f} × adult {adult_herbs[key]} g")
    return problems


def _exercised(kb: Any, record: Record, adult: Any) -> bool:
    """Whether the case without the fact's words gets what the fact must change: a watched herb, or adult doses.

    An item whose forbidden herb would not be prescribed anyway passes without testing anything.
    """
    if adult is None:
        return False
    adult_herbs = plan_herbs(kb, adult)
    watched = record.get("must_not_appear", []) + record.get("absent_or_warned", [])
    return any(herb_key(kb, name) in adult_herbs for name in watched) or (
        bool(record.get("max_dose_fraction")) and bool(adult_herbs))


def _contradiction_warned(consultation: Any) -> bool:
    words = ("contradict", "conflict", "矛盾", "不一致", "不符")
    return any(any(word in f"{w.rule_id} {w.message}".lower() for word in words) for w in consultation.safety.warnings)


def score_text_facts(system: Any, path: Path) -> FactScores:
    """Consult each text-facts case, and the same case without the fact (to count what the fact should change)."""
    kb, scores = system.knowledge, FactScores()
    for record in load(path):
        case_id, kind = record["case"]["case_id"], record["fact"]["kind"]
        scores.items += 1
        scores.by_kind[kind] += 1
        outcome, adult = consult(system, record["case"]), consult(system, _without_fact(record)).consultation
        if _exercised(kb, record, adult):
            scores.planted += 1
        else:
            scores.not_exercised.append(case_id)
        if outcome.consultation is None:
            scores.failed.append(f"{case_id}: {outcome.input_error or outcome.crash}")
            continue
        problems = _fact_problems(kb, record, outcome.consultation, adult)
        if record.get("expect_contradiction_warning"):
            scores.contradictions += 1
            scores.contradictions_warned += _contradiction_warned(outcome.consultation)
        if problems:
            scores.failed.append(f"{case_id} ({kind}): " + "; ".join(problems[:3]))
        else:
            scores.passed += 1
            scores.passed_by_kind[kind] += 1
    return scores


@dataclass
class PreviousScores:
    """Previous-plans set: planted violations corrected, adverse reactions that stopped 守方."""

    items: int = 0
    corrected: int = 0
    failed: list[str] = field(default_factory=list)
    by_kind: Counter[str] = field(default_factory=Counter)
    corrected_by_kind: Counter[str] = field(default_factory=Counter)
    refused: int = 0
    crashes: int = 0
    carried_over: int = 0


def _carried(kb: Any, record: Record, herbs: dict[str, float]) -> bool:
    previous = [herb_key(kb, h["name"]) for h in record["case"]["previous_visits"][-1]["plan"]["herbs"]]
    return sum(key in herbs for key in previous) * 2 >= len(previous)


def _violation_left(kb: Any, record: Record, consultation: Any) -> str:
    violation, herbs = record["violation"], plan_herbs(kb, consultation)
    keys = [herb_key(kb, name) for name in violation["herbs"]]
    kind = violation["kind"]
    if kind == "adverse_reaction":
        stopped = referred(consultation) or consultation.safety.abstained or not _carried(kb, record, herbs)
        return "" if stopped else "previous plan kept (守方) after an adverse reaction"
    if kind == "dose_above_range":
        over = [f"{key} {herbs[key]} g" for key in keys if key in herbs and herbs[key] > violation["max_dose_g"]]
        return f"dose above {violation['max_dose_g']} g kept: {', '.join(over)}" if over else ""
    if kind == "incompatible_pair":
        return "both herbs of the pair kept" if all(key in herbs for key in keys) else ""
    kept = [key for key in keys if key in herbs]
    return f"{', '.join(kept)} kept in the prescription" if kept else ""


def score_previous_plans(system: Any, path: Path) -> PreviousScores:
    """Consult each follow-up and check the planted violation did not survive into the plan."""
    kb, scores = system.knowledge, PreviousScores()
    for record in load(path):
        case_id, kind = record["case"]["case_id"], record["violation"]["kind"]
        scores.items += 1
        scores.by_kind[kind] += 1
        outcome = consult(system, record["case"])
        if outcome.consultation is None:
            # An out-of-range dose refused as an input error naming the field is a correction (issue 14).
            if outcome.input_error and kind == "dose_above_range":
                scores.refused += 1
                scores.corrected += 1
                scores.corrected_by_kind[kind] += 1
            else:
                scores.crashes += bool(outcome.crash)
                scores.failed.append(f"{case_id} ({kind}): {outcome.input_error or outcome.crash}")
            continue
        scores.carried_over += _carried(kb, record, plan_herbs(kb, outcome.consultation))
        problem = _violation_left(kb, record, outcome.consultation)
        if problem:
            scores.failed.append(f"{case_id} ({kind}): {problem}")
        else:
            scores.corrected += 1
            scores.corrected_by_kind[kind] += 1
    return scores

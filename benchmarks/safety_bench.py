"""Safety figures: red-flag recall and false referrals on the case sets; planted violations caught.

Run: ``.venv/bin/python benchmarks/safety_bench.py``. Targets (issue 8): red-flag recall 100%,
false referrals ≤ 10%, every planted 十八反/十九畏 and pregnancy violation caught. Issues 14 and 19 add the
data/safety sets (data/safety/README.md): red flags in colloquial/English/traditional wording (recall 100%),
ordinary cases with family history, negated or resolved danger words (false referrals ≤ 5%), pregnancy, age,
allergy and lactation stated only in the text (every forbidden herb removed), previous-visit plans with planted
violations (all corrected).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from derm3r import Derm3R
from derm3r.testing.safety_sets import score_case_sets, score_planted

sys.path.insert(0, str(Path(__file__).resolve().parent))
from safety_sets import load, score_previous_plans, score_referrals, score_text_facts

REPO = Path(__file__).resolve().parents[1]
SETS = REPO / "examples" / "safety"
DATA = REPO / "data" / "safety"


def _ratio(done: int, total: int) -> str:
    return f"{done}/{total} = {done / total:.0%}" if total else "0/0"


def _by_kind(done: Counter[str], total: Counter[str]) -> str:
    return ", ".join(f"{kind} {done[kind]}/{n}" for kind, n in sorted(total.items()))


def _grouped(path: Path, key: str, hits: list[str]) -> str:
    """Referred/total per value of one item key (presentation, wording)."""
    done, total = Counter[str](), Counter[str]()
    for item in load(path):
        total[item[key]] += 1
        done[item[key]] += item["case"]["case_id"] in hits
    return _by_kind(done, total)


def _listed(label: str, names: list[str], limit: int = 12) -> None:
    if names:
        more = f" … (+{len(names) - limit})" if len(names) > limit else ""
        print(f"  {label}: " + "; ".join(names[:limit]) + more)


def print_issue8_sets(system: Derm3R) -> None:
    """The issue-8 sets in examples/safety and the planted-plan audit."""
    scores = score_case_sets(system, [SETS / "red_flags.jsonl", SETS / "ordinary.jsonl"])
    print(f"red-flag recall: {scores.red_flags_caught}/{scores.red_flag_cases} = {scores.recall:.0%} (target 100%)")
    print(
        f"false referrals: {scores.false_referrals}/{scores.ordinary_cases} = {scores.false_referral_rate:.0%}"
        " (target <= 10%)"
    )
    _listed("missed", scores.missed)
    _listed("falsely referred", scores.falsely_referred)
    for name, (planted, caught, survived) in score_planted(system.knowledge).items():
        print(f"planted {name} violations caught: {caught}/{planted}")
        _listed("survived", survived)


@dataclass(frozen=True)
class SetPair:
    """A red-flag set and its ordinary look-alike set, printed together."""

    label: str
    red_file: str
    red_title: str
    ordinary_file: str
    ordinary_title: str
    target: bool = True  # the test sets print their targets; the dev (tuning) sets do not
    red_groups: tuple[str, ...] = ("presentation",)
    ordinary_groups: tuple[str, ...] = ()


PAIRS = (
    SetPair("[data/safety dev]", "red_flags_dev.jsonl", "red flags (tuning set)", "ordinary_dev.jsonl",
            "ordinary (tuning set)", target=False),
    SetPair("[data/safety]", "red_flags_wording.jsonl", "red flags in colloquial/English/traditional wording",
            "ordinary_scoped.jsonl", "ordinary cases with family history / negated / resolved danger words",
            red_groups=("presentation", "wording")),
    SetPair("[data/safety extra]", "red_flags_wording_extra.jsonl", "red flags, third-round wordings",
            "ordinary_scoped_extra.jsonl", "ordinary look-alikes"),
    SetPair("[data/safety round 4]", "red_flags_wording_round4.jsonl", "red flags, fourth-round wordings",
            "ordinary_scoped_round4.jsonl", "kin-word family history and melasma/freckle/SK look-alikes",
            ordinary_groups=("kind",)),
    SetPair("[data/safety round 5]", "red_flags_wording_round5.jsonl", "red flags, fifth-round wordings",
            "ordinary_scoped_round5.jsonl", "dated past events, relatives with an age, low fevers, steroid withdrawal",
            red_groups=("presentation", "wording"), ordinary_groups=("kind",)),
    SetPair("[data/safety round 6]", "red_flags_wording_round6.jsonl", "red flags, sixth-round wordings",
            "ordinary_scoped_round6.jsonl", "negated, family, time words, spoken low fevers, typos, look-alikes",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 7]", "red_flags_wording_round7.jsonl", "red flags, seventh-round wordings",
            "ordinary_scoped_round7.jsonl", "resolved fevers, constitutions, relatives across sentences, look-alikes",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 8]", "red_flags_wording_round8.jsonl", "red flags, eighth-round wordings",
            "ordinary_scoped_round8.jsonl", "relatives without a now-word, typed moles, baselines, look-alikes",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 9]", "red_flags_wording_round9.jsonl", "red flags, ninth-round wordings",
            "ordinary_scoped_round9.jsonl", "nurses, relatives, hedging, past and family history, look-alikes",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 10]", "red_flags_wording_round10.jsonl", "red flags, tenth-round wordings",
            "ordinary_scoped_round10.jsonl", "Cantonese, carers, non-native English, scopes, same words harmless",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 11]", "red_flags_wording_round11.jsonl", "red flags, eleventh-round wordings",
            "ordinary_scoped_round11.jsonl", "Cantonese 唔, Hokkien, notes, SMS, pinyin/emoji, worry questions",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 12 dev]", "red_flags_round12_dev.jsonl", "red flags, twelfth-round dev wordings",
            "ordinary_scoped_round12_dev.jsonl", "唔/毋 and don't-know-why, notes, SMS, pinyin, worry questions (dev)",
            target=False, red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 13 dev]", "red_flags_round13_dev.jsonl", "red flags, thirteenth-round dev wordings",
            "ordinary_scoped_round13_dev.jsonl", "angioedema, erythroderma, Kawasaki, changing mole, Ramsay Hunt (dev)",
            target=False, red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 14]", "red_flags_wording_round14.jsonl", "red flags, fourteenth-round wordings",
            "ordinary_scoped_round14.jsonl", "voice-to-text, dialects, forms, °F, buried notes, quoted advice",
            red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 15 dev]", "red_flags_round15_dev.jsonl", "red flags, fifteenth-round dev wordings",
            "ordinary_scoped_round15_dev.jsonl", "fever dates, bath flushes, months-doubled moles, since/but (dev)",
            target=False, red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
    SetPair("[data/safety round 16 dev]", "red_flags_round16_dev.jsonl", "red flags, sixteenth-round dev wordings",
            "ordinary_scoped_round16_dev.jsonl", "round 14's missed groups: phone, dialects, forms, °F, slang (dev)",
            target=False, red_groups=("presentation", "wording"), ordinary_groups=("kind", "wording")),
)


def print_pair(system: Derm3R, pair: SetPair) -> None:
    """Recall on the red-flag set and false referrals on its look-alikes, with misses named."""
    red = score_referrals(system, DATA / pair.red_file)
    target = " (target 100%)" if pair.target else ""
    print(f"{pair.label} {pair.red_title}: recall {_ratio(red.referred, red.cases)}{target}")
    _listed("missed", red.unreferred)
    _listed("failed", red.failures)
    for key in pair.red_groups:
        print(f"  by {key}: {_grouped(DATA / pair.red_file, key, red.referred_ids)}")
    ordinary = score_referrals(system, DATA / pair.ordinary_file)
    target = " (target <= 5%)" if pair.target else ""
    print(f"{pair.label} {pair.ordinary_title}: false referrals {_ratio(ordinary.referred, ordinary.cases)}{target}")
    _listed("falsely referred", ordinary.referred_ids)
    _listed("failed", ordinary.failures)
    for key in pair.ordinary_groups:
        print(f"  by {key}: {_grouped(DATA / pair.ordinary_file, key, ordinary.referred_ids)}")


def print_fact_and_plan_sets(system: Derm3R) -> None:
    """Facts stated only in the text, and previous plans with planted violations."""
    facts = score_text_facts(system, DATA / "text_facts.jsonl")
    print(f"[data/safety] pregnancy/age/allergy/lactation only in the text: forbidden herbs removed "
          f"{_ratio(facts.passed, facts.items)} (target 100%)")
    print(f"  by kind: {_by_kind(facts.passed_by_kind, facts.by_kind)}; contradictions warned"
          f" {facts.contradictions_warned}/{facts.contradictions}")
    print(f"  cases that exercise their fact (without the fact's words the plan holds a watched herb or is dosed"
          f" for an adult): {facts.planted}/{facts.items} (target >= 30)")
    _listed("not exercised", facts.not_exercised)
    _listed("not removed", facts.failed)
    plans = score_previous_plans(system, DATA / "previous_plans.jsonl")
    print("[data/safety] previous-visit plans with planted violations: corrected "
          f"{_ratio(plans.corrected, plans.items)} (target 100%)")
    print(f"  by kind: {_by_kind(plans.corrected_by_kind, plans.by_kind)}; refused as input errors {plans.refused},"
          f" crashes {plans.crashes}, previous plan carried over (守方) in {plans.carried_over}")
    _listed("not corrected", plans.failed)


def main(argv: list[str] | None = None) -> None:
    """Print every set's figure, or only the set pairs a label filter keeps.

    Args:
        argv: Command-line arguments; ``--only TEXT`` keeps the pairs whose label holds TEXT (and drops the issue-8,
            fact and plan sets), ``--skip TEXT`` drops them — a held-out round is run once, not beside every tuning run.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", action="append", default=[], help="print only pairs whose label contains this")
    parser.add_argument("--skip", action="append", default=[], help="leave out pairs whose label contains this")
    args = parser.parse_args(argv)
    system = Derm3R(retrieval=False)
    print(f"engine: {system.engine.name}")
    if not args.only:
        print_issue8_sets(system)
    for pair in PAIRS:
        kept = not args.only or any(text in pair.label for text in args.only)
        if kept and not any(text in pair.label for text in args.skip):
            print_pair(system, pair)
    if not args.only:
        print_fact_and_plan_sets(system)


if __name__ == "__main__":
    main()

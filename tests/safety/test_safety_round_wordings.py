"""Every round's wordings of its faults: each red flag withdraws the plan, each look-alike refers nothing.

The wordings, the plan they are checked with and the right answers with their sources stand in each round's module
(test_safety_round5_faults, …round6…, …round7…, …round8…, …round9…, …round10…, …round12…,
…round13…, test_safety_spoken_forms); the two checks are the same for all.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
import test_safety_round5_faults as round5
import test_safety_round6_faults as round6
import test_safety_round7_faults as round7
import test_safety_round8_faults as round8
import test_safety_round9_faults as round9
import test_safety_round10_faults as round10
import test_safety_round12_faults as round12
import test_safety_round13_faults as round13
import test_safety_spoken_forms as spoken_forms
from redflagkit import check_history

from derm3r.schemas.plan import TreatmentPlan

ROUNDS: dict[str, ModuleType] = {"round5": round5, "round6": round6, "round7": round7, "round8": round8,
                               "round9": round9, "round10": round10, "round12": round12, "round13": round13,
                               "spoken_forms": spoken_forms}


def _cases(table: str) -> list[Any]:
    """One parameter per wording of every round's ``REFERRED`` or ``NOT_REFERRED`` table, with that round's plan."""
    return [pytest.param(module.PLAN, text, id=f"{name}: {key}")
            for name, module in ROUNDS.items() for key, text in getattr(module, table).items()]


@pytest.mark.parametrize(("plan", "text"), _cases("REFERRED"))
def test_the_red_flag_is_referred(kb, plan: TreatmentPlan, text: str) -> None:
    checked, report = check_history(kb, text, plan)
    assert report.red_flags and checked.herbs == [], text


@pytest.mark.parametrize(("plan", "text"), _cases("NOT_REFERRED"))
def test_the_look_alike_is_not_referred(kb, plan: TreatmentPlan, text: str) -> None:
    _, report = check_history(kb, text, plan)
    assert not report.red_flags and not report.referral, report.red_flags

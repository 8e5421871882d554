"""Fifteenth round: the kinds of miss the round-15 dev set showed (data/safety, "Fifteenth-round dev sets"), fixed in
general and checked here in the editors' own wordings (not the data/safety items).

Right answers, from the sources the rules cite (knowledge/rules/red_flags.yaml, red_flag_signs.yaml, thresholds.yaml):
- A child's fever told from one date to another lasts their distance in days, the first day counted as day 1 (AHA 2017
  Kawasaki statement): five days or more is NICE NG143's amber feature and AHA 2017's first Kawasaki criterion. A fever
  said to have settled before the later date ended there; four days is under the threshold.
- A redness all over that comes after a hot bath, a sauna or a hot spring and is gone in minutes is a flush, not
  erythroderma, which persists (BAD Erythroderma; DermNet Flushing); whole-body redness that has not gone for days, with
  peeling and fever, is erythroderma (BAD / NICE CKS Psoriasis, erythrodermic: same-day referral).
- Cantonese 好返 is "got well again": 舊年…已經好返 tells a past episode that is over (issue 14 scoping); a now-sign
  after it still counts.
- A cluster of vesicles on the ear is the eruption of shingles even unnamed (《中医外科学》蛇串疮); with hearing loss,
  ringing or vertigo it is Ramsay Hunt syndrome (NICE CKS Herpes zoster: same-day referral).
- A clinician's "increase in size" of a pigmented lesion is ABCDE's E, a changing mole (NICE NG12).
"""

from __future__ import annotations

from typing import Any

import pytest
from redflagkit import check_history

from derm3r.safety.check import run_safety_check
from derm3r.schemas.case import Case, Patient
from derm3r.schemas.findings import LesionRepresentation
from derm3r.schemas.plan import Assessment, FormulaRef, HerbDose, TreatmentPlan

PLAN = TreatmentPlan(formula=FormulaRef(name="消风散加减"), herbs=[HerbDose(name="荆芥", dose_g=10)])


def _child_report(kb: Any, history: str, age: int = 3) -> Any:
    case = Case(case_id="rf15", patient=Patient(age=age), history=history)
    return run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)[1]


PROLONGED_FEVER = {
    "dates across a month": "9月28号开始发烧，到今天10月3号还是烧，吃退烧药只能退一会儿",
    "traditional, Cantonese 仲係燒": "由3月1日開始發燒，到3月5日仲係燒",
    "across the new year, English": "Her fever began on 30 December and she still has a temperature on 3 January",
    "a clinician's range": "Fever from 11 Nov to 16 Nov, ongoing",
    "a temperature on the later date": "从6月10号开始发烧，今天6月15号了还是三十九度",
    "days of the month alone": "从1号开始烧，今天6号了还在烧",
}
SHORT_OR_SETTLED_FEVER = {
    "settled before the later date": "3月1号发烧，3月2号就退了，今天3月7号起了点痱子",
    "four days": "5月1号开始发烧，到5月4号还在烧",
    "English range of three days, settled": "She had a fever from 2 to 4 June, settled since",
    "dates without a fever": "4月1号起了湿疹，到4月9号还痒",
}


@pytest.mark.parametrize("history", PROLONGED_FEVER.values(), ids=PROLONGED_FEVER.keys())
def test_a_childs_fever_told_from_date_to_date_for_five_days_is_referred(kb: Any, history: str) -> None:
    report = _child_report(kb, history)
    assert report.red_flags, history
    assert any("five days or more" in flag for flag in report.red_flags), report.red_flags


@pytest.mark.parametrize("history", SHORT_OR_SETTLED_FEVER.values(), ids=SHORT_OR_SETTLED_FEVER.keys())
def test_a_shorter_or_settled_fever_between_dates_is_not_five_days(kb: Any, history: str) -> None:
    assert not _child_report(kb, history).red_flags


def test_the_days_are_counted_with_the_first_day_as_day_one(kb: Any) -> None:
    from derm3r.text.clauses import split_clauses
    from derm3r.text.fever_dates import fever_date_spans
    from derm3r.text.normalize import normalize

    def read(text: str) -> list[str]:
        lowered = normalize(text)
        return [span.surface for span in fever_date_spans(kb, lowered, split_clauses(lowered, "history"))]

    assert read("10月2号开始烧，到10月6号还烧") == ["10月6号"]  # day 1 … day 5
    assert read("10月2号开始烧，到10月5号还烧") == []


FLUSHES = {
    "hot bath, minutes": "每次洗完热水澡浑身发红，过几分钟就退了",
    "sauna, a while": "桑拿出来全身通红，歇一会儿就好了，别的没什么",
    "hot spring, traditional": "泡完溫泉全身發紅，一陣子就消了",
}


@pytest.mark.parametrize("history", FLUSHES.values(), ids=FLUSHES.keys())
def test_a_flush_that_is_gone_in_minutes_is_not_erythroderma(system: Any, history: str) -> None:
    consultation = system.consult({"case_id": "ord15", "history": history})
    assert not consultation.safety.red_flags and not consultation.safety.referral, consultation.safety.red_flags


def test_redness_after_a_bath_that_lasts_days_with_peeling_and_fever_is_still_referred(kb: Any) -> None:
    _, report = check_history(kb, "洗完澡全身发红，两天了都没退，还大片掉皮，发烧38度5", PLAN)
    assert report.red_flags


def test_a_hope_that_it_will_pass_ends_nothing(kb: Any) -> None:
    _, report = check_history(kb, "全身通红脱皮，以为一会儿就好了，结果今天烧到39度", PLAN)
    assert report.red_flags


def test_cantonese_got_well_again_ends_a_past_erythroderma(kb: Any) -> None:
    _, report = check_history(kb, "舊年試過全身紅晒甩皮，後來已經好返，而家淨係腳有少少濕疹", PLAN)
    assert not report.red_flags, report.red_flags


def test_cantonese_got_well_then_red_all_over_now_is_referred(kb: Any) -> None:
    _, report = check_history(kb, "舊年好返咗，但係而家又成身紅晒甩皮，仲發燒", PLAN)
    assert report.red_flags


@pytest.mark.parametrize(
    "history",
    ["右耳廓起了一簇小水疱，右耳听力下降", "耳朵后面长了一片密密麻麻的小水疱，这两天天旋地转"],
)
def test_a_cluster_of_ear_vesicles_with_hearing_loss_or_vertigo_is_ramsay_hunt(kb: Any, history: str) -> None:
    _, report = check_history(kb, history, PLAN)
    assert any("Ramsay Hunt" in flag for flag in report.red_flags), report.red_flags


def test_ear_vesicles_with_normal_hearing_are_not_ramsay_hunt(kb: Any) -> None:
    _, report = check_history(kb, "耳朵上起了一簇小水疱，听力正常，不头晕，脸不歪", PLAN)
    assert not any("Ramsay Hunt" in flag for flag in report.red_flags), report.red_flags


def test_a_notes_increase_in_size_of_a_pigmented_lesion_is_a_changing_mole(kb: Any) -> None:
    case = Case(case_id="rf15", lesion_description="Pigmented lesion R calf, increase in size over 2/12")
    report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)[1]
    assert any("ABCDE" in flag for flag in report.red_flags), report.red_flags


def test_a_note_denying_an_increase_in_size_is_not_a_changing_mole(kb: Any) -> None:
    case = Case(case_id="ord15", lesion_description="Pigmented lesion L arm, no increase in size over 12/12")
    report = run_safety_check(kb, case, LesionRepresentation(summary=""), Assessment(), PLAN, 0.35)[1]
    assert not report.red_flags, report.red_flags


# Second batch (rf15-36…59): weekdays, 上个月, Hokkien, notes.
PROLONGED_FEVER_2 = {
    "weekdays, this week": "从周二开始发烧，一直烧到这周六",
    "English weekdays since last week": "Fever since last Friday and it's Wednesday now",
    "Hokkien 對禮拜二燒到今仔日禮拜六": "對禮拜二燒到今仔日禮拜六，目睭紅紅",
    "a day of last month": "上个月29号开始烧，今天4号了还在烧",
}
SHORT_FEVER_2 = {
    "weekdays, settled": "周二发烧，周三就退了，今天周六",
    "weekdays, four days": "从周四烧到周日",
    "a fever that began on the later day": "上周一起了湿疹，这周五开始发烧",
}


@pytest.mark.parametrize("history", PROLONGED_FEVER_2.values(), ids=PROLONGED_FEVER_2.keys())
def test_a_childs_fever_told_by_weekdays_or_last_months_day_for_five_days_is_referred(kb: Any, history: str) -> None:
    assert any("five days or more" in flag for flag in _child_report(kb, history).red_flags), history


@pytest.mark.parametrize("history", SHORT_FEVER_2.values(), ids=SHORT_FEVER_2.keys())
def test_a_short_settled_or_late_onset_fever_by_weekdays_is_not_five_days(kb: Any, history: str) -> None:
    assert not _child_report(kb, history).red_flags


@pytest.mark.parametrize(
    "history", ["前年全身通红脱皮，医好了，现在只有头皮屑", "前年規身軀紅記記落皮，醫好了，這馬干焦頭殼有皮屑"]
)
def test_cured_by_a_doctor_ends_a_past_erythroderma(kb: Any, history: str) -> None:
    _, report = check_history(kb, history, PLAN)
    assert not report.red_flags, report.red_flags


def test_hokkien_whole_body_red_with_fever_is_erythroderma(kb: Any) -> None:
    _, report = check_history(kb, "規身軀紅記記，閣發燒", PLAN)
    assert report.red_flags


@pytest.mark.parametrize(
    "history",
    [
        "R ear vesicles in the EAM, House-Brackmann III",
        "耳朵眼里起了一串小泡，这两天耳朵背了",
        "耳仔邊仔生水疱，半爿面袂振動",
    ],
)
def test_ramsay_hunt_in_a_note_lay_words_and_hokkien(kb: Any, history: str) -> None:
    _, report = check_history(kb, history, PLAN)
    assert any("Ramsay Hunt" in flag for flag in report.red_flags), report.red_flags


def test_tongue_angioedema_with_drooling_is_an_airway_emergency(kb: Any) -> None:
    _, report = check_history(kb, "Tongue angioedema, drooling", PLAN)
    assert report.red_flags


def test_lip_swelling_with_a_normal_voice_and_no_drooling_is_not(kb: Any) -> None:
    _, report = check_history(kb, "Mild lip swelling after a new lipstick, no drooling, voice normal", PLAN)
    assert not report.red_flags, report.red_flags

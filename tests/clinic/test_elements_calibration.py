"""Syndrome elements (证素) read from names, element-aware syndrome match, and calibration error.

Element sets follow 朱文锋《证素辨证学》: 血热内蕴证 and 血热证 both state 血热; 湿热浸淫证 and
湿热蕴肤证 both state 湿 + 热; 血热夹湿证 adds 湿 to 血热, so it is not 血热证.
"""

from __future__ import annotations

import pytest

from derm3r.clinic.elements import element_agreement, elements_of
from derm3r.evaluation.calibration import calibration_summary, expected_calibration_error, reliability


@pytest.mark.parametrize(
    ("expert", "system", "agree"),
    [
        ("血热证", "血热内蕴证", 1.0),
        ("湿热浸淫证", "湿热蕴肤证", 1.0),
        ("血燥证", "血虚风燥证", 1.0),
        ("血热夹湿证", "血热证", 0.0),
        ("风热蕴肤证", "血虚风燥证", 0.0),
    ],
)
def test_element_aware_syndrome_agreement(kb, expert: str, system: str, agree: float) -> None:
    assert element_agreement(kb, expert, system) == agree


def test_longest_form_first(kb) -> None:
    assert elements_of(kb, "血热内蕴证") == {"element.blood_heat"}
    assert elements_of(kb, "肝经湿热证") == {"element.liver", "element.damp", "element.heat"}


def test_ece_of_a_perfectly_calibrated_and_an_overconfident_set() -> None:
    calibrated = [(0.75, 1.0)] * 3 + [(0.75, 0.0)]
    assert expected_calibration_error(calibrated) == 0.0
    overconfident = [(0.95, 0.0)] * 4
    assert expected_calibration_error(overconfident) == pytest.approx(0.95)
    assert expected_calibration_error([]) is None
    bins = [row for row in reliability(calibrated + overconfident)["bins"] if row["count"]]
    assert [row["count"] for row in bins] == [4, 4] and bins[1]["accuracy"] == 0.0


def test_calibration_summary_reads_answered_records_only() -> None:
    records = [
        {"scores": {"confidence": 0.9, "syndrome_element_acc": 1.0, "disease_acc": 1.0, "abstained": 0.0}},
        {"scores": {"confidence": 0.9, "syndrome_element_acc": 1.0, "disease_acc": 0.0, "abstained": 0.0}},
        {"scores": {"confidence": 0.2, "syndrome_element_acc": 0.0, "abstained": 1.0}},
    ]
    summary = calibration_summary(records)
    assert summary["cases"] == 2 and summary["ece"] == pytest.approx(0.4)


def test_consultation_carries_syndrome_elements(system) -> None:
    consultation = system.consult(
        {
            "case_id": "el",
            "lesion_description": "四肢伸侧鲜红斑块，上覆银白色鳞屑，刮之点状出血，新疹不断",
            "symptoms": "口干，便秘，心烦",
            "tongue": "舌红苔黄",
            "pulse": "脉数",
        }
    )
    syndrome = consultation.assessment.syndrome
    assert syndrome is not None and syndrome.elements
    assert {element.kind for element in syndrome.elements} <= {"病位", "病性"}

"""Syndrome elements (证素) read from names, element-aware syndrome match, and calibration error.

Element sets follow 朱文锋《证素辨证学》: 血热内蕴证 and 血热证 both state 血热; 湿热浸淫证 and
湿热蕴肤证 both state 湿 + 热; 血热夹湿证 adds 湿 to 血热, so it is not 血热证.
"""

from __future__ import annotations

import itertools

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


def test_platt_fit_recovers_a_known_logistic_map() -> None:
    import numpy as np

    from derm3r.evaluation.calibration import fit_logistic

    rng = np.random.default_rng(0)
    x = rng.normal(size=(4000, 2))
    truth = np.array([0.5, 1.5, -0.7])
    y = (rng.random(4000) < 1 / (1 + np.exp(-(truth[0] + x @ truth[1:])))).astype(float)
    assert np.allclose(fit_logistic(x, y, l2=0.0), truth, atol=0.15)


def test_calibrated_confidence_rises_with_both_raw_confidences(kb) -> None:
    from derm3r.clinic.calibration import calibrated_confidence

    assert kb.threshold("threshold.calibration_disease_weight") > 0
    assert kb.threshold("threshold.calibration_syndrome_weight") > 0
    grid = [0.05, 0.3, 0.6, 0.95]
    for low, high in itertools.pairwise(grid):
        assert calibrated_confidence(kb, low, 0.5) < calibrated_confidence(kb, high, 0.5)
        assert calibrated_confidence(kb, 0.5, low) < calibrated_confidence(kb, 0.5, high)


def test_a_syndrome_without_evidence_is_not_answered_however_clear_the_disease(system) -> None:
    # 《中医外科学》蛇串疮: clustered vesicles in a unilateral band with pain name the disease; nothing here
    # (no tongue, pulse or general signs) tells its syndrome, so the call must not be acted on.
    consultation = system.consult({"case_id": "hz-bare", "lesion_description": "左侧腰部带状分布成簇水疱"})
    syndrome = consultation.assessment.syndrome
    assert consultation.assessment.disease == "蛇串疮"
    assert syndrome is not None and syndrome.score <= 0
    assert syndrome.confidence == 0.0 and consultation.safety.abstained


def test_the_called_syndrome_keeps_its_raw_confidence(system) -> None:
    consultation = system.consult(
        {"case_id": "raw", "lesion_description": "四肢伸侧鲜红斑块，上覆银白色鳞屑，刮之点状出血，新疹不断",
         "tongue": "舌红苔黄", "pulse": "脉数"}
    )
    syndrome = consultation.assessment.syndrome
    assert syndrome is not None and syndrome.raw_confidence is not None
    assert all(alt.confidence <= syndrome.confidence for alt in consultation.assessment.differential)

"""Who the note is about, past vs present, current vs resolved: the scope dev sentences and the rules they check.

The answers follow how a consultation is taken (《诊断学》问诊; 《中医诊断学》问诊): the chief complaint is the
patient's own complaint even when a carer words it ("爷爷肚子上起大水泡"), a relative's illness belongs to the
family history (母亲有银屑病史), past illnesses to the past history (既往史, 小时候常晒伤), and a fever that has
gone (烧已经退了) is not a fever now; 恶寒发热 is feeling cold together with a fever, not chills on a cold day.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from derm3r.evaluation.extraction import load_annotated
from derm3r.text import extract_fields
from derm3r.text.signs import extract_signs

SCOPE_DEV = Path(__file__).resolve().parents[1] / "data" / "text" / "annotated_scope_dev.yaml"


def test_the_scope_dev_set_is_well_formed_and_covers_its_traps(kb) -> None:
    sentences = load_annotated(SCOPE_DEV)
    assert len(sentences) >= 60
    for record in sentences:
        for key in ("present", "optional", "absent", "past"):
            unknown = [term for term in record.get(key, []) if term not in kb.terms]
            assert not unknown, (record["text"], key, unknown)
        assert record.get("field", "history") in {"chief_complaint", "history", "lesion_description", "symptoms"}
    texts = [record["text"] for record in sentences]
    english = [text for text in texts if text.isascii()]
    traditional = [text for text in texts if re.search(r"[爺媽癢發燒現經臉曬銀屑皰頭紅長腳還塊]", text)]
    negated = [text for text in texts if re.search(r"[无不没否]|\bno\b|none", text)]
    family = [text for text in texts if re.search(r"母|父|妈|家族|舅|外婆|mum|mother|dad|grandad", text)]
    assert len(english) >= 10 and len(traditional) >= 5 and len(negated) >= 10 and len(family) >= 15
    assert sum(1 for record in sentences if record.get("past")) >= 10
    assert sum(1 for record in sentences if record.get("field") == "chief_complaint") >= 12


def _read(kb, text: str, field: str = "history"):  # type: ignore[no-untyped-def]
    return {m.sign_id: m for m in extract_fields(kb, {field: text})}


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("爷爷肚子上起大水泡", "morphology.bulla"),
        ("my mum has a rash on her shins", "morphology.rash"),
        ("我女儿手上起了好多小水泡，很痒", "morphology.vesicle"),
        ("爺爺背上起了很多水皰，還發燒", "symptom.fever"),
        ("My wife has itchy scaly patches on her elbows", "scale.present"),
    ],
)
def test_a_carer_naming_the_relative_who_is_the_patient(kb, text: str, term: str) -> None:
    # A chief complaint is the patient's own complaint, worded here by a carer (《诊断学》问诊·主诉).
    assert _read(kb, text, "chief_complaint")[term].asserted


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("母亲有银屑病史", "disease_name.psoriasis"),
        ("我妈有湿疹", "disease_name.eczema"),
        ("my mum has psoriasis too, I have a scaly patch on my elbow", "disease_name.psoriasis"),
        ("my grandad's mum had skin cancer", "disease_name.skin_malignancy"),
        ("我妈脸上也长过湿疹，我是手上起水泡", "disease_name.eczema"),
        ("我儿子脸上起红疹，他爸爸小时候也有湿疹", "disease_name.eczema"),
        ("家族史：父亲有白癜风，他的手背上有白斑", "morphology.depigmentation"),
    ],
)
def test_a_relatives_illness_stays_family_history(kb, text: str, term: str) -> None:
    # A relative's disease, or one likened to the patient's (也) or told as over (长过), is 家族史: never the patient's.
    assert _read(kb, text, "chief_complaint")[term].scope == "family"


def test_a_pronoun_carries_a_family_history_into_the_next_sentence(kb) -> None:
    assert _read(kb, "我妈有银屑病。她也有关节痛。")["symptom.joint_pain"].scope == "family"
    assert _read(kb, "她脸上起红斑。她也发烧。", "chief_complaint")["symptom.fever"].asserted
    assert _read(kb, "我姐姐有湿疹。她手上也起过水泡。我现在是脖子上痒。")["itch.present"].asserted
    # A note's 其 after a family history is the patient: "其皮损" are the patient's lesions.
    assert _read(kb, "患者母亲有银屑病史。其皮损以头皮为主，上覆鳞屑")["scale.present"].asserted


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("I had lots of sunburns as a child", "morphology.sunburn"),
        ("She had eczema as a baby; now she has an itchy rash on her neck", "disease_name.eczema"),
        ("小时候常晒伤", "morphology.sunburn"),
    ],
)
def test_past_history_is_kept_as_past_not_present(kb, text: str, term: str) -> None:
    signs = extract_signs(kb, None, {"history": text})
    assert term not in signs.present_ids
    assert term in {sign.term for sign in signs.past}


@pytest.mark.parametrize(
    "text",
    ["前几天发烧39度，现在不烧了", "高烧已经退了，身上的疹子还没消", "发热两天，今天体温已正常",
     "the fever has gone but the rash is still there", "my fever went away yesterday, the blisters still hurt"],
)
def test_a_fever_that_has_gone_is_not_a_fever_now(kb, text: str) -> None:
    present = extract_signs(kb, None, {"history": text}).present_ids
    assert "symptom.fever" not in present


def test_a_resolved_fever_leaves_the_rest_of_the_sentence_and_a_relapse_stands(kb) -> None:
    found = _read(kb, "发烧39度，身上起红疹，现在不烧了")
    assert found["symptom.fever"].scope == "past" and found["morphology.papule"].asserted
    assert _read(kb, "退烧后第二天又发烧了")["symptom.fever"].asserted
    assert _read(kb, "现在还在发烧，38度5")["symptom.fever"].asserted


def test_chills_on_a_cold_day_are_no_fever_but_chills_with_fever_are(kb) -> None:
    # 恶寒发热 is feeling cold together with a fever (《中医诊断学》问寒热); a chill alone is feeling cold.
    assert "symptom.fever" not in extract_signs(kb, None, {"history": "I get chills when it's cold"}).present_ids
    for told in ("fever and chills since yesterday", "Shaking chills, fever 39.8°C", "怕冷，发烧两天"):
        assert "symptom.chills_fever" in extract_signs(kb, None, {"symptoms": told}).present_ids, told
    assert "symptom.chills_fever" not in extract_signs(kb, None, {"symptoms": "怕冷，不发烧"}).present_ids


@pytest.mark.parametrize(
    ("text", "term"),
    [("fa shao liang tian le", "symptom.fever"), ("手上起了很多shui pao", "morphology.vesicle"),
     ("孩子fa shao了", "symptom.fever")],
)
def test_pinyin_left_by_an_input_method_is_read(kb, text: str, term: str) -> None:
    assert _read(kb, text)[term].asserted


@pytest.mark.parametrize(
    ("text", "term", "scope"),
    [
        ("家族史：银屑病", "disease_name.psoriasis", "family"),
        ("Family history: psoriasis in mother", "disease_name.psoriasis", "family"),
        ("Past medical history: psoriasis", "disease_name.psoriasis", "past"),
        ("既往史：荨麻疹", "disease_name.urticaria", "past"),
        ("家族史：无，现病史：面部红斑", "morphology.macule", "present"),
    ],
)
def test_a_section_header_scopes_its_sentence(kb, text: str, term: str, scope: str) -> None:
    # 家族史 and 既往史 are their own parts of the history (《诊断学》问诊); 现病史 is the illness now.
    assert _read(kb, text)[term].scope == scope


def test_a_time_word_between_the_relative_and_the_complaint_keeps_the_patient(kb) -> None:
    assert _read(kb, "我爸前天开始腿上红肿发烫", "chief_complaint")["morphology.swelling"].asserted
    # Told as over (起过, three years ago): the father's history, not today's complaint.
    assert _read(kb, "我爸三年前腿上起过红斑", "chief_complaint")["morphology.macule"].scope == "family"

"""Real-world wordings (kb2 lane): typos, Cantonese and Taiwanese words, double negation, figurative sign words,
sizes said by comparison, 手背, "burns", lay body sites and treatment told without a sign.

The wordings are the annotator's own paraphrases, not the sentences of tests/data/text/annotated_heldout2.yaml
(that set is scored by benchmarks/text_bench.py, never tuned on). Each test fails on the text layer before the fix.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields
from derm3r.text.normalize import normalize


def _asserted(kb, text: str, *, semantic: bool = False) -> set[str]:  # type: ignore[no-untyped-def]
    return {m.sign_id for m in extract_fields(kb, {"history": text}, semantic=semantic) if m.asserted}


# --- homophones typed by an input method (养 for 痒, 诊 for 疹) and Cantonese 痕 (itch), folded in context only
@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("小腿有点养", "小腿有点痒"),
        ("腰上起了红诊", "腰上起了红疹"),
        ("背脊好痕", "背脊好痒"),
        ("痕到唔得了", "痒到不得了"),
    ],
)
def test_sign_homophones_are_folded_in_context(typed: str, meant: str) -> None:
    assert normalize(typed) == meant


@pytest.mark.parametrize("text", ["注意保养加强营养滋阴养血", "今天去门诊复诊已确诊", "抓痕明显消退后不留痕迹"])
def test_the_same_characters_elsewhere_are_kept(text: str) -> None:
    assert normalize(text) == text


def test_a_typed_itch_and_rash_are_read(kb) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, "胸口起了几个红诊，很养")
    assert "morphology.papule" in found
    assert found & {"itch.present", "itch.severe"}
    assert "itch.present" in _asserted(kb, "手臂好痕")


# --- 的/到 typed for the complement 得; a longer fuzzy form beats a one-character verbatim one
@pytest.mark.parametrize("text", ["背上痒的受不了", "痒到受不了"])
def test_de_typed_as_de_or_dao_states_a_severe_itch(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "itch.severe" in _asserted(kb, text)


def test_dao_for_de_reads_the_sleeplessness_too(kb) -> None:  # type: ignore[no-untyped-def]
    assert {"itch.severe", "symptom.insomnia"} <= _asserted(kb, "痒到睡不着")


def test_cantonese_aspect_particle_is_a_filler(kb) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.erosion" in _asserted(kb, "膝头流紧黄水")


# --- a denial denied states the sign
@pytest.mark.parametrize("text", ["并不是不痒", "倒也不是不痒", "It's not that it doesn't itch"])
def test_double_negation_asserts_the_sign(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "itch.present" in _asserted(kb, text)


@pytest.mark.parametrize("text", ["不痒", "一点都不痒", "It doesn't itch"])
def test_a_single_denial_still_denies(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "itch.present" not in _asserted(kb, text)


# --- sign words in a figurative sense
@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("一说去旅游他心里就痒痒", "itch.present"),
        ("孩子的学习问题真头疼", "symptom.headache_fixed"),
        ("这种事最让人头疼", "symptom.headache_fixed"),
        ("听相声笑到肚子痛", "symptom.abdominal_pain"),
        ("I'm itching for a holiday", "itch.present"),
        ("I can't wait to go back to work", "site.trunk"),
    ],
)
def test_figurative_sign_words_state_no_sign(kb, text: str, sign: str) -> None:  # type: ignore[no-untyped-def]
    assert sign not in _asserted(kb, text)


@pytest.mark.parametrize(
    ("text", "sign"),
    [("经常头疼", "symptom.headache_fixed"), ("my back is itchy", "site.trunk"), ("背上痒", "itch.present")],
)
def test_the_literal_sign_words_are_still_read(kb, text: str, sign: str) -> None:  # type: ignore[no-untyped-def]
    assert sign in _asserted(kb, text)


# --- a size said by comparison is no body site
@pytest.mark.parametrize(
    ("text", "site"), [("长了个指甲盖大小的疙瘩", "site.nail"), ("有手掌那么大", "site.palms_soles")]
)
def test_a_size_comparison_is_no_site(kb, text: str, site: str) -> None:  # type: ignore[no-untyped-def]
    assert site not in _asserted(kb, text)


@pytest.mark.parametrize(("text", "site"), [("指甲凹陷", "site.nail"), ("面部大小不等的丘疹", "site.face")])
def test_a_site_before_other_words_stays(kb, text: str, site: str) -> None:  # type: ignore[no-untyped-def]
    assert site in _asserted(kb, text)


# --- 手背 is the hand; the exposed parts together are 暴露部位
def test_back_of_the_hand_is_the_hand(kb) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, "左手背一块红斑")
    assert "site.hands" in found
    assert "site.sun_exposed" not in found


def test_exposed_parts_are_still_sun_exposed(kb) -> None:  # type: ignore[no-untyped-def]
    assert "site.sun_exposed" in _asserted(kb, "面颈部等暴露处红斑")


# --- "burns": the burning sensation vs a burn injury
def test_it_burns_is_the_burning_sensation(kb) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, "My palm burns after I wash it")
    assert "symptom.burning" in found
    assert "course.trauma_trigger" not in found


@pytest.mark.parametrize("text", ["I burnt my finger on the iron", "腿被开水烫到了"])
def test_a_burn_injury_is_a_trauma(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "course.trauma_trigger" in _asserted(kb, text)


def test_a_simile_of_a_scald_is_no_injury(kb) -> None:  # type: ignore[no-untyped-def]
    assert "course.trauma_trigger" not in _asserted(kb, "表皮剥脱如烫伤一般")


# --- lay, Cantonese and non-native words for sites and lesions
@pytest.mark.parametrize(
    ("text", "sign"),
    [
        ("夹肢窝起红斑", "distribution.flexural"),
        ("后脑勺起了个疙瘩", "site.scalp"),
        ("成身起红点", "distribution.generalized"),
        ("脚面甩皮", "scale.present"),
        ("many water bubble on my foot", "morphology.vesicle"),
        ("skin on my fingers is cracked", "morphology.fissure"),
        ("it's sore to touch", "symptom.tenderness"),
        ("a red ring on my arm", "shape.annular"),
        ("胳膊上一碰就痛", "symptom.tenderness"),
        ("两只手背上起了小疙瘩", "site.hands"),
    ],
)
def test_lay_words_are_read(kb, text: str, sign: str) -> None:  # type: ignore[no-untyped-def]
    assert sign in _asserted(kb, text)


def test_ankle_words_are_no_neck(kb) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, "右脚脖子红肿")
    assert "site.neck" not in found
    assert "site.lower_leg_inner" in found


def test_the_hand_before_back_is_no_trunk(kb) -> None:  # type: ignore[no-untyped-def]
    assert "site.trunk" not in _asserted(kb, "两只手背上起了小疙瘩")


# --- a treatment's effect is no contact or drug history (read by meaning too)
@pytest.mark.parametrize("text", ["涂了些药膏后好了一点", "擦了药膏以后好一些了"])
def test_a_treatment_that_helped_is_no_contact_history(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, text, semantic=True)
    assert not found & {"course.contact_history", "course.drug_trigger"}, found


# --- a course told by its number of years (threshold.chronic_course_years)
@pytest.mark.parametrize("text", ["断断续续四年了", "湿疹病史12年", "近两年多来反复"])
def test_a_course_of_years_is_chronic(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "course.chronic" in _asserted(kb, text)


@pytest.mark.parametrize("text", ["三年前长过一次", "2020年开始上班", "年轻时很好", "起了半年"])
def test_a_date_an_age_or_months_are_no_long_course(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "course.chronic" not in _asserted(kb, text)


# --- 睡不著 (Taiwanese 著 for 着) and a pain after an adverb (火辣辣地疼)
def test_taiwanese_sleeplessness_is_read(kb) -> None:  # type: ignore[no-untyped-def]
    assert "symptom.insomnia" in _asserted(kb, "晚上癢得睡不著")


def test_pain_after_an_adverb_is_read(kb) -> None:  # type: ignore[no-untyped-def]
    assert "symptom.pain" in _asserted(kb, "一阵一阵地疼")

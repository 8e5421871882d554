"""Lay turns of phrase (kb3 lane): hedges and comparisons inside a form, one word for two signs, Cantonese 晒,
a bare 疼 after a denial, "scratching", lay 红包/白头/厚皮, hedged itch, recurrence on a trigger and a remission.

The sentences are the annotator's own, written for these tests (not those of tests/data/text/annotated_heldout2.yaml,
which benchmarks/text_bench.py scores and nobody tunes on). Each test fails on the text layer before the fix.
"""

from __future__ import annotations

import pytest

from derm3r.text import extract_fields


def _read(kb, text: str, *, semantic: bool = False) -> tuple[set[str], set[str]]:  # type: ignore[no-untyped-def]
    mentions = extract_fields(kb, {"history": text}, semantic=semantic)
    return {m.sign_id for m in mentions if m.asserted}, {m.sign_id for m in mentions if m.negated}


def _asserted(kb, text: str, *, semantic: bool = False) -> set[str]:  # type: ignore[no-untyped-def]
    return _read(kb, text, semantic=semantic)[0]


# --- a hedge (有点, 有些) or a comparison word (那么, 一样) is one filler inside a form
@pytest.mark.parametrize("text", ["吃完虾以后喉咙也有点发紧", "嗓子都有些发紧了"])
def test_a_hedged_tight_throat_is_the_airway_flag(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "red_flag.airway" in _asserted(kb, text)


def test_a_denied_tight_throat_is_no_flag(kb) -> None:  # type: ignore[no-untyped-def]
    assert "red_flag.airway" not in _asserted(kb, "嗓子没有发紧，呼吸也正常")


@pytest.mark.parametrize("text", ["耳朵后面一个肿块，有鹌鹑蛋那么大", "腋下摸到个包，栗子一样大",
                                  "背上一个核桃大小的包"])
def test_a_lump_as_big_as_an_egg_or_a_nut_is_a_nodule(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.nodule_cyst" in _asserted(kb, text)


def test_an_egg_eaten_is_no_size(kb) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.nodule_cyst" not in _asserted(kb, "早上吃了鸡蛋大概半小时后身上痒")


# --- one word for two signs, both read
@pytest.mark.parametrize("text", ["冬天小腿又干又痒", "手背老是干痒"])
def test_dry_and_itchy_in_one_word_is_both(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert {"morphology.dry", "itch.present"} <= _asserted(kb, text)


@pytest.mark.parametrize("text", ["脖子后面那块都抓厚了", "手腕挠来挠去长了层厚皮"])
def test_skin_thickened_by_scratching_is_lichenification(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.lichenification" in _asserted(kb, text)


@pytest.mark.parametrize("text", ["腿上和屁股上的厚皮斑十几年不好，白皮一层摞一层", "膝盖上几块厚皮，上面有银白色的屑"])
def test_a_bare_thick_patch_is_thickening_not_lichenification(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    # 银屑病's plaques are thick too (《中医外科学》白疕: 皮损肥厚): only thickening made by scratching is 苔藓样变.
    asserted = _asserted(kb, text)
    assert "morphology.infiltration" in asserted
    assert "morphology.lichenification" not in asserted


# --- sodden white toe webs, Cantonese 晒 (all over)
@pytest.mark.parametrize("text", ["趾缝又白又烂", "脚丫子中间白白烂烂的"])
def test_sodden_white_skin_is_maceration(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.maceration" in _asserted(kb, text)


@pytest.mark.parametrize("text", ["手指脱晒皮", "對腳甩晒啲皮"])
def test_cantonese_peeled_all_over_is_scale(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "scale.present" in _asserted(kb, text)


# --- a bare 疼/痛 after a denial
def test_a_denied_denial_of_bare_pain_is_pain(kb) -> None:  # type: ignore[no-untyped-def]
    assert "symptom.pain" in _asserted(kb, "也并非不痛，就是能忍")


def test_a_bare_pain_denied_is_denied(kb) -> None:  # type: ignore[no-untyped-def]
    asserted, negated = _read(kb, "这个疙瘩不疼不痒")
    assert "symptom.pain" in negated and "symptom.pain" not in asserted


@pytest.mark.parametrize("text", ["最近心里很不痛快", "她没痛经"])
def test_unhappy_or_no_period_pain_is_no_pain(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    asserted, negated = _read(kb, text)
    assert "symptom.pain" not in asserted | negated


# --- "scratching" is an itch; "scratch marks" are excoriations
def test_scratching_is_an_itch(kb) -> None:  # type: ignore[no-untyped-def]
    assert "itch.present" in _asserted(kb, "she keeps scratching her arms at night")


def test_scratch_marks_are_excoriations(kb) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.excoriation" in _asserted(kb, "scratch marks on both legs")


# --- lay 红包 (a papule) and a white head on it (a pustule), not 白头粉刺 or grey hair
def test_a_red_bump_is_a_papule(kb) -> None:  # type: ignore[no-untyped-def]
    assert "morphology.papule" in _asserted(kb, "额头起了好多小红包")


def test_a_white_head_on_a_bump_is_a_pustule(kb) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, "下巴的痘痘都冒白头了")
    assert "morphology.pustule" in found and "morphology.comedone" not in found


@pytest.mark.parametrize(("text", "sign"), [("额头有白头粉刺", "morphology.comedone"), ("长了不少白头发", None)])
def test_whitehead_comedones_and_grey_hair_stay(kb, text: str, sign: str | None) -> None:  # type: ignore[no-untyped-def]
    found = _asserted(kb, text)
    assert "morphology.pustule" not in found
    assert (sign in found) if sign else not found & {"morphology.comedone"}


# --- an itch hedged just after it is mild
@pytest.mark.parametrize("text", ["有一点痒，不是很厉害", "晚上会痒，但不怎么明显"])
def test_a_hedged_itch_is_mild(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "itch.mild" in _asserted(kb, text)


def test_no_itch_and_a_hedge_is_no_mild_itch(kb) -> None:  # type: ignore[no-untyped-def]
    assert "itch.mild" not in _asserted(kb, "不痒，红也不太明显")


# --- the disease comes back on a trigger: recurrent; a fever on a trigger is not
@pytest.mark.parametrize("text", ["每到夏天就犯", "每逢秋冬就起疹子", "一遇到冷风就发作"])
def test_a_flare_on_each_trigger_is_recurrent(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "course.recurrent" in _asserted(kb, text)


def test_a_fever_each_evening_is_no_recurrent_rash(kb) -> None:  # type: ignore[no-untyped-def]
    assert "course.recurrent" not in _asserted(kb, "一到晚上就发烧")


# --- a remission's length is no long course
@pytest.mark.parametrize("text", ["停药后好了两年，今年又长出来了", "三年没犯，上周又起"])
def test_a_remission_of_years_is_no_long_course(kb, text: str) -> None:  # type: ignore[no-untyped-def]
    assert "course.chronic" not in _asserted(kb, text)


def test_a_remission_is_no_long_course_by_meaning(kb) -> None:  # type: ignore[no-untyped-def]
    assert "course.chronic" not in _asserted(kb, "好了大半年，这个月又冒出来", semantic=True)


def test_a_course_of_years_with_a_remission_stays_chronic(kb) -> None:  # type: ignore[no-untyped-def]
    assert "course.chronic" in _asserted(kb, "湿疹五年了，中间好了半年")

"""The data/safety sets (issues 14 and 19): format and counts of the files, not the engine's score."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from derm3r.schemas.case import Case, PreviousHerb

#: The schema's bound on a previous visit's dose (beyond it the case is an input error).
PREVIOUS_DOSE_LIMIT = next(m.le for m in PreviousHerb.model_fields["dose_g"].metadata if hasattr(m, "le"))

DATA = Path(__file__).resolve().parents[2] / "data" / "safety"

#: Issue 19's dangerous presentations: each must be in the red-flag set in clinical and colloquial words.
PRESENTATIONS = ("anaphylaxis", "angioedema", "sjs", "ten", "dress", "eczema_herpeticum", "hz_eye", "ramsay_hunt",
                 "child_fever_rash", "child_purpura_fever", "melanoma_asymmetry", "melanoma_diameter",
                 "melanoma_nail", "melanoma_border", "melanoma_bleed")
VIOLATIONS = ("dose_above_range", "external_only", "not_in_decoction", "incompatible_pair", "pregnancy_now",
              "adverse_reaction")


def load(name: str) -> list[dict[str, Any]]:
    return [json.loads(text) for text in (DATA / name).read_text(encoding="utf-8").splitlines() if text.strip()]


@pytest.mark.parametrize("name, least", [("red_flags_wording.jsonl", 60), ("ordinary_scoped.jsonl", 60),
                                         ("text_facts.jsonl", 30), ("previous_plans.jsonl", 30),
                                         ("red_flags_wording_extra.jsonl", 30), ("ordinary_scoped_extra.jsonl", 20),
                                         ("red_flags_wording_round4.jsonl", 30), ("ordinary_scoped_round4.jsonl", 20),
                                         ("red_flags_wording_round5.jsonl", 40), ("ordinary_scoped_round5.jsonl", 30),
                                         ("red_flags_wording_round6.jsonl", 40), ("ordinary_scoped_round6.jsonl", 30),
                                         ("red_flags_wording_round7.jsonl", 40), ("ordinary_scoped_round7.jsonl", 30),
                                         ("red_flags_wording_round8.jsonl", 50), ("ordinary_scoped_round8.jsonl", 35),
                                         ("red_flags_wording_round9.jsonl", 40), ("ordinary_scoped_round9.jsonl", 30),
                                         ("red_flags_wording_round10.jsonl", 40),
                                         ("ordinary_scoped_round10.jsonl", 30),
                                         ("red_flags_wording_round11.jsonl", 40),
                                         ("ordinary_scoped_round11.jsonl", 30),
                                         ("red_flags_round12_dev.jsonl", 40),
                                         ("ordinary_scoped_round12_dev.jsonl", 30),
                                         ("red_flags_round13_dev.jsonl", 20),
                                         ("ordinary_scoped_round13_dev.jsonl", 12),
                                         ("red_flags_wording_round14.jsonl", 45),
                                         ("ordinary_scoped_round14.jsonl", 30),
                                         ("red_flags_round15_dev.jsonl", 59),
                                         ("ordinary_scoped_round15_dev.jsonl", 39),
                                         ("red_flags_round16_dev.jsonl", 40),
                                         ("ordinary_scoped_round16_dev.jsonl", 30)])
def test_every_item_is_a_valid_case_with_a_source_and_the_set_is_large_enough(name: str, least: int) -> None:
    items = load(name)
    assert len(items) >= least
    ids = [item["case"]["case_id"] for item in items]
    assert len(set(ids)) == len(ids)
    for item in items:
        if item.get("violation", {}).get("kind") == "dose_above_range" and _above_schema_limit(item["case"]):
            # A previous dose beyond the schema's limit is meant to be refused as an input error (issue 14).
            with pytest.raises(ValidationError, match="dose_g"):
                Case.model_validate(item["case"])
        else:
            Case.model_validate(item["case"])
        assert item["source"].strip(), item["case"]["case_id"]


def _above_schema_limit(case: dict[str, Any]) -> bool:
    visits = case.get("previous_visits", [])
    doses = [h.get("dose_g") or 0 for v in visits for h in (v.get("plan") or {}).get("herbs", [])]
    return any(dose > PREVIOUS_DOSE_LIMIT for dose in doses)


def test_red_flags_cover_every_presentation_in_clinical_and_colloquial_words() -> None:
    items = load("red_flags_wording.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in items)
    wordings: dict[str, set[str]] = {}
    for item in items:
        wordings.setdefault(item["presentation"], set()).add(item["wording"])
    for presentation in PRESENTATIONS:
        assert {"clinical", "colloquial"} <= wordings.get(presentation, set()), presentation
    counts = Counter(item["wording"] for item in items)
    assert counts["english"] >= 10 and counts["traditional"] >= 6
    named = [item for item in items if item["disease_named"]]
    assert len(named) >= 15 and any("银屑病" in (item["disease_named"] or "") for item in named)
    assert len(items) - len(named) >= 30


def test_ordinary_set_has_family_negated_and_resolved_danger_words() -> None:
    items = load("ordinary_scoped.jsonl")
    assert all(item["red_flag"] is False for item in items)
    kinds = Counter(item["kind"] for item in items)
    assert kinds["family"] >= 10 and kinds["negated"] >= 15 and kinds["resolved"] >= 8
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in items]
    assert any("母亲患红斑狼疮" in text for text in texts) and any("no fever, no mouth sores" in text for text in texts)


def test_text_facts_state_the_fact_only_in_the_text_and_name_what_must_not_appear() -> None:
    items = load("text_facts.jsonl")
    kinds = Counter(item["fact"]["kind"] for item in items)
    assert kinds["pregnancy"] >= 10 and kinds["age"] >= 6 and kinds["allergy"] >= 6
    assert kinds["lactation"] >= 3 and kinds["contradiction"] >= 3
    for item in items:
        case, kind = item["case"], item["fact"]["kind"]
        text_fields = [value for name, value in case.items() if isinstance(value, str) and name != "case_id"]
        assert any(item["fact"]["text"] in value for value in text_fields), case["case_id"]
        assert item["must_not_appear"] or item["absent_or_warned"] or item.get("max_dose_fraction"), case["case_id"]
        patient = case.get("patient", {})
        if kind == "pregnancy":
            assert "pregnant" not in patient and {"三棱", "莪术"} <= set(item["must_not_appear"])
        if kind == "age":
            assert "age" not in patient and 0 < item["max_dose_fraction"] <= 0.67
        if kind == "contradiction":
            assert patient.get("pregnant") is False or patient.get("breastfeeding") is False
            assert item["expect_contradiction_warning"] is True


def test_previous_plans_plant_each_kind_of_violation_in_the_last_visit() -> None:
    items = load("previous_plans.jsonl")
    kinds = Counter(item["violation"]["kind"] for item in items)
    assert set(kinds) == set(VIOLATIONS) and min(kinds.values()) >= 4
    for item in items:
        violation, last = item["violation"], item["case"]["previous_visits"][-1]
        planned = {herb["name"]: herb.get("dose_g") for herb in last["plan"]["herbs"]}
        assert set(violation["herbs"]) <= set(planned), item["case"]["case_id"]
        if violation["kind"] == "dose_above_range":
            assert all(planned[name] > violation["max_dose_g"] for name in violation["herbs"])
        if violation["kind"] == "adverse_reaction":
            assert last["response"] and item["expected"] == "stop_previous_plan"
        else:
            assert item["expected"] == "corrected"
    assert any(herb["dose_g"] >= 600 for item in items for herb in item["case"]["previous_visits"][-1]["plan"]["herbs"])


def test_round4_sets_cover_lay_anaphylaxis_mole_borders_kin_words_and_pigment_look_alikes() -> None:
    red = load("red_flags_wording_round4.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    presentations = Counter(item["presentation"] for item in red)
    assert presentations["anaphylaxis"] + presentations["angioedema"] >= 10
    assert sum(n for name, n in presentations.items() if name.startswith("melanoma_")) >= 10
    ordinary = load("ordinary_scoped_round4.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in ordinary]
    kin = ("我妈", "我爸", "我姐", "俺娘", "奶奶", "外婆", "my mum", "My dad")
    assert all(any(word in text for text in texts) for word in kin)
    look_alikes = ("黄褐", "雀斑", "老年斑", "stuck on")
    assert all(any(word in text for text in texts) for word in look_alikes)


def test_round5_sets_cover_dated_past_events_relatives_with_an_age_low_fevers_and_steroid_withdrawal() -> None:
    red = load("red_flags_wording_round5.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    assert {"english", "traditional", "colloquial"} <= {item["wording"] for item in red}
    ordinary = load("ordinary_scoped_round5.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("family", "resolved", "chronic_today", "low_fever", "steroid_withdrawal",
                                        "negated")) >= 4
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("年前", "奶奶，78岁", "今天", "37.", "停"):
        assert any(words in text for text in texts), words


def test_round6_sets_cover_every_wording_family_the_round_asks_for() -> None:
    red = load("red_flags_wording_round6.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    families = ("colloquial", "english", "traditional", "spoken_number", "time_word", "negation", "family_then_own",
                "typo_pinyin")
    assert min(Counter(item["wording"] for item in red)[family] for family in families) >= 4
    ordinary = load("ordinary_scoped_round6.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("negated", "family", "time_resolved", "low_fever", "ordinary")) >= 4
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("没有发烧", "我妈得过黑色素瘤", "三十九度", "上周发烧，现在好了", "fengtuan", "發燒"):
        assert any(words in text for text in texts), words


def test_round7_sets_cover_the_wordings_and_look_alikes_the_round_asks_for() -> None:
    red = load("red_flags_wording_round7.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("colloquial", "english", "traditional", "pronoun")) >= 4
    assert min(wordings[family] for family in ("wechat", "typo_homophone", "family_then_own", "negation",
                                               "constitution", "time_word", "previous_response")) >= 1
    presentations = {item["presentation"] for item in red}
    assert {"sjs", "ten", "necrotising", "sepsis", "eczema_herpeticum", "hz_eye", "anaphylaxis", "angioedema",
            "child_fever_rash", "melanoma_evolving"} <= presentations
    ordinary = load("ordinary_scoped_round7.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("resolved", "constitution", "negated")) >= 4
    assert kinds["family"] >= 3 and kinds["family_pronoun"] >= 3 and kinds["pronoun_stable"] >= 2
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("现在不烧了", "烧退了", "低血压体质", "fa shao", "。她", "黑志"):
        assert any(words in text for text in texts), words


def test_round8_sets_cover_new_presentations_and_the_wordings_the_round_asks_for() -> None:
    red = load("red_flags_wording_round8.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("colloquial", "english", "traditional", "clinical")) >= 3
    assert min(wordings[family] for family in ("pronoun", "typo_homophone", "spoken_number", "mixed_language",
                                               "family_then_own", "relative_reports")) >= 1
    presentations = {item["presentation"] for item in red}
    assert {"ssss", "tss", "orbital", "scc", "dm", "varicella", "fournier", "purpura_adult"} <= presentations
    ordinary = load("ordinary_scoped_round8.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("negated", "family", "resolved", "ordinary")) >= 4
    assert kinds["family_pronoun"] >= 2 and kinds["pronoun_stable"] >= 2 and kinds["constitution"] >= 2
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("痔", "黑志", "我老公有蜂窝织炎", "七十/四十", "peanut", "9mm"):
        assert any(words in text for text in texts), words


def test_round9_sets_hold_nurses_relatives_hedging_and_the_he_she_is_look_alikes() -> None:
    red = load("red_flags_wording_round9.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("colloquial", "english", "traditional", "relative_reports")) >= 3
    assert min(wordings[family] for family in ("nurse", "hedging", "typo_homophone", "family_then_own",
                                               "past_then_now", "clinical")) >= 1
    ordinary = load("ordinary_scoped_round9.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("negated", "family", "resolved", "ordinary")) >= 4
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("护理记录", "好像", "She is itchy", "He is 6 years old", "黑志", "我爸得过黑色素瘤"):
        assert any(words in text for text in texts), words


def test_round10_sets_hold_cantonese_carers_non_native_english_scopes_and_harmless_senses() -> None:
    red = load("red_flags_wording_round10.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("cantonese", "nonnative_english", "hedging", "split_sentences")) >= 3
    assert min(wordings[family] for family in ("carer_infant", "carer_elderly", "numbers", "buried", "taiwanese",
                                               "double_negation", "scope_negation", "past_then_now")) >= 1
    assert "meningitis" in {item["presentation"] for item in red}
    ordinary = load("ordinary_scoped_round10.jsonl")
    assert all(item["red_flag"] is False for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("negated", "family", "resolved", "same_word", "ordinary")) >= 4
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("起咗", "眼矇", "好痕", "39.5度", "没有不发烧", "No rash but fever", "我妈以前得过天疱疮",
                  "去年发过高烧", "blistering heat", "嘴唇起皮", "眼睛有点干"):
        assert any(words in text for text in texts), words


def test_round11_sets_hold_cantonese_hokkien_notes_sms_pinyin_emoji_and_worry_questions() -> None:
    red = load("red_flags_wording_round11.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    assert all(item["case"]["case_id"].startswith("rf11-") for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("clinician_note", "elderly_speech", "cantonese_negation")) >= 4
    assert min(wordings[family] for family in ("hokkien", "worry_question", "sms_nopunct", "sms_nopunct_en",
                                               "pinyin_emoji", "mixed_zh_en", "dates", "times_numbers",
                                               "past_then_now", "family_then_own", "negation_other", "buried",
                                               "typo")) >= 1
    assert "fournier" in {item["presentation"] for item in red}
    ordinary = load("ordinary_scoped_round11.jsonl")
    assert all(item["red_flag"] is False and item["case"]["case_id"].startswith("ord11-") for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("negated", "family", "resolved", "same_word", "hypothetical")) >= 4
    assert Counter(item["wording"] for item in ordinary)["hokkien"] >= 3
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("唔係好痕", "喘袂過來", "BP 82/48", "huxi kunnan", "会不会是", "皮蛇", "mei you fa shao", "👍",
                  "我今年39岁", "Stiff neck from sleeping funny", "从周一烧到今天周六"):
        assert any(words in text for text in texts), words


def test_round12_dev_sets_hold_negators_dont_know_why_notes_messages_and_worry_questions() -> None:
    red = load("red_flags_round12_dev.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    assert all(item["case"]["case_id"].startswith("rf12-") for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("cantonese_negation", "dont_know_why", "hokkien", "clinician_note",
                                               "worry_question")) >= 4
    assert min(wordings[family] for family in ("sms_nopunct", "sms_nopunct_en", "pinyin_emoji", "mixed_zh_en",
                                               "elderly_speech", "dates")) >= 2
    ordinary = load("ordinary_scoped_round12_dev.jsonl")
    assert all(item["red_flag"] is False and item["case"]["case_id"].startswith("ord12-") for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert kinds["hypothetical"] >= 8 and kinds["negated"] >= 8
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("唔知點解", "不知道为什么", "不晓得", "毋知按怎", "袂退", "SpO2 88%", "?SJS", "r/o", "会不会是癌",
                  "Is it melanoma?", "怕是不是", "🆘"):
        assert any(words in text for text in texts), words


def test_round13_dev_sets_hold_the_five_groups_round11_still_misses_and_their_look_alikes() -> None:
    red = load("red_flags_round13_dev.jsonl")
    assert all(item["red_flag"] is True and item["case"]["case_id"].startswith("rf13-") for item in red)
    groups = Counter(item["presentation"] for item in red)
    assert min(groups[name] for name in ("angioedema", "erythroderma", "kawasaki", "melanoma_evolving",
                                         "ramsay_hunt")) >= 4
    ordinary = load("ordinary_scoped_round13_dev.jsonl")
    assert all(item["red_flag"] is False and item["case"]["case_id"].startswith("ord13-") for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("resolved", "same_word", "family", "negated")) >= 2


def test_round14_sets_hold_the_new_wording_families_and_every_presentation_the_round_asks_for() -> None:
    red = load("red_flags_wording_round14.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    assert all(item["case"]["case_id"].startswith("rf14-") for item in red)
    groups = Counter(item["presentation"] for item in red)
    assert min(groups[name] for name in PRESENTATIONS if not name.startswith("melanoma_")) >= 2
    assert min(groups[name] for name in ("erythroderma", "gpp", "pemphigus", "lupus", "erysipelas_systemic",
                                         "necrotising", "kawasaki", "purpura_adult", "melanoma_colour",
                                         "melanoma_evolving")) >= 1
    assert sum(count for name, count in groups.items() if name.startswith("melanoma_")) >= 6
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("voice_to_text", "sichuanese", "northeastern", "shanghainese",
                                               "triage_form", "fahrenheit", "buried_long_note", "relative_phone",
                                               "one_liner", "chinese_numerals", "parent_months", "teen_slang")) >= 3
    assert min(wordings[family] for family in ("drug_before", "double_negation")) >= 2
    ordinary = load("ordinary_scoped_round14.jsonl")
    assert all(item["red_flag"] is False and item["expected"] == "no_referral" for item in ordinary)
    assert all(item["case"]["case_id"].startswith("ord14-") for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert min(kinds[kind] for kind in ("negated", "same_word")) >= 5
    assert min(kinds[kind] for kind in ("instruction_quoted", "normal_value", "prevention", "ruled_out",
                                        "resolved")) >= 3
    assert min(kinds[kind] for kind in ("other_subject", "stable", "family", "hypothetical", "ordinary")) >= 1
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("发绕", "嘴吧", "遭不住", "贼", "交关", "三十九度八", "102.2°F", "98.6°F", "发热：无", "[x]",
                  "不是没有发烧", "别嘌醇", "lamotrigine", "两个月零一周", "若出现发热", "以前以为是", "口红",
                  "发烧友"):
        assert any(words in text for text in texts), words


def test_round15_dev_sets_hold_fever_dates_bath_flushes_changing_moles_and_since_but_clauses() -> None:
    red = load("red_flags_round15_dev.jsonl")
    assert all(item["red_flag"] is True and item["case"]["case_id"].startswith("rf15-") for item in red)
    groups = Counter(item["presentation"] for item in red)
    assert min(groups[name] for name in ("angioedema", "erythroderma", "kawasaki", "melanoma_evolving",
                                         "ramsay_hunt")) >= 5
    ordinary = load("ordinary_scoped_round15_dev.jsonl")
    assert all(item["red_flag"] is False and item["case"]["case_id"].startswith("ord15-") for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert kinds["same_word"] >= 8 and kinds["resolved"] >= 6 and min(kinds["negated"], kinds["family"]) >= 2
    texts = [json.dumps(item["case"], ensure_ascii=False) for item in red + ordinary]
    for words in ("10月2号开始烧，到10月8号还烧", "这几个月大了一倍", "热水澡", "Since yesterday", "but is", "舊年",
                  "settled", "已经好了", "禮拜一燒到今仔日禮拜六", "since monday today is saturday", "D6 of fever",
                  "几个月大的时候", "半爿面"):
        assert any(words in text for text in texts), words


def test_round16_dev_sets_hold_the_groups_round14_missed_and_their_look_alikes() -> None:
    red = load("red_flags_round16_dev.jsonl")
    assert all(item["red_flag"] is True and item["expected"] == "refer" for item in red)
    assert all(item["case"]["case_id"].startswith("rf16-") for item in red)
    wordings = Counter(item["wording"] for item in red)
    assert min(wordings[family] for family in ("relative_phone", "shanghainese", "teen_slang", "triage_form",
                                               "northeastern", "voice_to_text", "double_negation",
                                               "fahrenheit")) >= 3
    groups = Counter(item["presentation"] for item in red)
    assert min(groups[name] for name in ("child_purpura_fever", "lupus", "dress")) >= 3
    assert min(groups[name] for name in ("purpura_adult", "necrotising", "melanoma_asymmetry", "melanoma_border",
                                         "melanoma_colour")) >= 2
    assert min(groups[name] for name in ("anaphylaxis", "angioedema", "eczema_herpeticum", "erythroderma", "gpp",
                                         "hz_eye", "pemphigus", "ramsay_hunt")) >= 2
    ordinary = load("ordinary_scoped_round16_dev.jsonl")
    assert all(item["red_flag"] is False and item["expected"] == "no_referral" for item in ordinary)
    assert all(item["case"]["case_id"].startswith("ord16-") for item in ordinary)
    kinds = Counter(item["kind"] for item in ordinary)
    assert kinds["negated"] >= 8
    assert min(kinds[kind] for kind in ("instruction_quoted", "prevention", "ruled_out", "same_word")) >= 4
    assert min(kinds[kind] for kind in ("normal_value", "family", "hypothetical")) >= 1
    texts = [item["case"]["history"] for item in red + ordinary]
    for words in ("发热：有", "发热：无", "[x] fever", "[ ] fever", "☑", "☐", "Fever: Y", "侬", "伐", "交关", "贼",
                  "嘎哈", "老鼻子", "发绕", "发少", "嘴吧", "呼西困难", "不是没", "没不烧", "101.5°F", "102 F"):
        assert any(words in text for text in texts), words

"""The knowledge base loads, is internally consistent, and its checker catches broken entries."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from derm3r.cli.main import main
from derm3r.errors import KnowledgeBaseError
from derm3r.kb.check import check_knowledge_base
from derm3r.kb.loader import SECTION_MODELS, load_knowledge_base

REPO = Path(__file__).resolve().parents[2]


def test_packaged_knowledge_base_has_no_errors(kb) -> None:
    report = check_knowledge_base(kb)
    assert report.errors == []
    assert report.counts["syndromes"] >= 6
    assert report.counts["herbs"] >= 50


def test_kb_check_json_prints_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "check", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert set(counts) >= {"diseases", "syndromes", "formulas", "herbs", "rules"}
    assert counts["errors"] == 0


def test_every_psoriasis_syndrome_of_the_reference_sheet_is_present(kb) -> None:
    # ../shared/reference/tcm-dermatology.md lists these six for 白疕.
    names = {kb.syndromes[s].name for s in kb.diseases["disease.psoriasis"].syndromes}
    assert names == {"血热内蕴证", "血虚风燥证", "气血瘀滞证", "湿毒蕴阻证", "火毒炽盛证", "风湿痹阻证"}


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("血热证", "syn.psoriasis.blood_heat"),  # Beijing scheme names resolve to the textbook syndromes
        ("血燥证", "syn.psoriasis.blood_dryness"),
        ("血瘀证", "syn.psoriasis.blood_stasis"),
        ("寒湿痹阻证", "syn.psoriasis.wind_damp_obstruction"),
        ("血热内蕴", "syn.psoriasis.blood_heat"),
    ],
)
def test_syndrome_aliases_resolve(kb, name: str, expected: str) -> None:
    assert kb.resolve_syndrome(name, "disease.psoriasis") == expected


@pytest.mark.parametrize(
    ("alias", "name"), [("丹皮", "牡丹皮"), ("生地", "生地黄"), ("银花", "金银花"), ("炒白芍", "白芍")]
)
def test_herb_aliases_and_processed_forms_resolve(kb, alias: str, name: str) -> None:
    herb_id = kb.resolve_herb(alias)
    assert herb_id is not None and kb.herbs[herb_id].name == name


def test_every_formula_herb_and_trigger_resolves(kb) -> None:
    for formula in kb.formulas.values():
        assert all(item.herb in kb.herbs for item in formula.herbs), formula.id
        for rule in formula.modifications:
            assert all(term in kb.terms for term in rule.when_any), formula.id


def _copy_kb(tmp_path: Path) -> Path:
    target = tmp_path / "knowledge"
    shutil.copytree(REPO / "knowledge", target)
    return target


def test_check_reports_a_dangling_formula_reference(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    path = directory / "syndromes" / "psoriasis.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["syndromes"][0]["formulas"] = [{"formula": "formula.does_not_exist"}]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("formula.does_not_exist" in error for error in report.errors)
    assert main(["kb", "check", "--path", str(directory)]) == 1


def test_check_reports_a_herb_alias_shared_by_two_herbs(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    path = directory / "herbs" / "heat_clearing.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["herbs"][1]["aliases"] = [*data["herbs"][1]["aliases"], data["herbs"][0]["name"]]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("shared by" in error for error in report.errors)


def test_invalid_entry_is_named_with_file_and_id(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    (directory / "herbs" / "broken.yaml").write_text(
        "herbs:\n  - {id: herb.bad, name: 坏药, pinyin: huai, dose_min_g: 9, dose_max_g: 3, source: 测试来源}\n",
        encoding="utf-8",
    )
    with pytest.raises(KnowledgeBaseError, match=r"herbs/broken\.yaml: herbs herb\.bad: dose_max_g"):
        load_knowledge_base(directory)


def test_every_entry_names_a_source(kb) -> None:
    for section in SECTION_MODELS:
        for entry in kb.section(section).values():
            assert len(entry.source) >= 2, entry.id


def test_shared_syndrome_names_do_not_pick_a_disease_by_load_order(kb) -> None:
    # 血虚风燥证 is a syndrome of psoriasis, eczema, urticaria and more (《中医外科学》).
    owners = {kb.syndromes[s].disease for s in kb.syndromes_named("血虚风燥证")}
    assert {"disease.psoriasis", "disease.eczema"} <= owners
    assert kb.resolve_syndrome("血虚风燥证", "disease.eczema") == "syn.eczema.blood_dryness"


_FORMULA_ENTRY = (
    "  - {id: formula.stray, name: 某方, origin: 测试, source: 测试来源,\n"
    "     herbs: [{herb: herb.gan_cao, dose_g: 6, role: 使}]}\n"
)


def test_loader_refuses_a_section_of_another_kind_naming_file_entry_and_kind(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    (directory / "herbs" / "extra.yaml").write_text("formulas:\n" + _FORMULA_ENTRY, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError) as caught:
        load_knowledge_base(directory)
    message = str(caught.value)
    assert "herbs/extra.yaml" in message and "formula.stray" in message and "'herbs'" in message


def test_loader_refuses_an_entry_whose_id_is_of_another_kind(tmp_path: Path) -> None:
    # The section key says herbs, but the entry is a formula by its id: refused before validation.
    directory = _copy_kb(tmp_path)
    (directory / "herbs" / "extra.yaml").write_text("herbs:\n" + _FORMULA_ENTRY, encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"herbs/extra\.yaml: entry formula\.stray is of kind 'formulas'"):
        load_knowledge_base(directory)


def test_loader_refuses_a_term_in_the_lexicon_file_of_another_category(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    path = directory / "lexicon" / "tongue.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        + "  - {id: pulse.stray, category: pulse, label: 怪脉, synonyms: [怪脉], source: 测试来源}\n",
        encoding="utf-8",
    )
    expected = r"lexicon/tongue\.yaml: entry pulse\.stray is a term of category 'pulse'"
    with pytest.raises(KnowledgeBaseError, match=expected):
        load_knowledge_base(directory)


def test_loader_refuses_a_file_outside_the_places_of_the_kinds(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    (directory / "herbs-extra.yaml").write_text("herbs: []\n", encoding="utf-8")
    with pytest.raises(KnowledgeBaseError, match=r"herbs-extra\.yaml: not a place of any kind"):
        load_knowledge_base(directory)


def test_check_requires_every_threshold_the_code_reads(tmp_path: Path) -> None:
    directory = _copy_kb(tmp_path)
    path = directory / "rules" / "thresholds.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["thresholds"] = [t for t in data["thresholds"] if t["id"] != "threshold.sufficient_score"]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_knowledge_base(load_knowledge_base(directory))
    assert any("threshold.sufficient_score" in error for error in report.errors)


def test_check_requires_a_label_on_every_red_flag_rule(tmp_path: Path) -> None:
    # The label names a fired rule where it is evidence for a disease; without one there is nothing to show.
    directory = _copy_kb(tmp_path)
    path = directory / "rules" / "red_flags.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    unlabelled = data["red_flags"][3]
    unlabelled.pop("label", None)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    report = check_knowledge_base(load_knowledge_base(directory))
    assert [error for error in report.errors if "label" in error] == [f"red flag {unlabelled['id']}: no label"]
    assert main(["kb", "check", "--path", str(directory)]) == 1


def test_clinical_rules_are_data_with_sources(kb) -> None:
    assert kb.red_flags and kb.follow_up_questions and kb.staging and kb.thresholds
    assert kb.staging_rule("disease.psoriasis") is not None
    # 《中医外科学》 stages 白疕 (进行期/静止期/退行期); no other disease borrows those stages.
    assert kb.staging_rule("disease.eczema") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        # Separate 《中国药典》2020 monographs are separate entries, not aliases of each other.
        ("竹叶", "herb.zhu_ye"),
        ("淡竹叶", "herb.dan_zhu_ye"),
        ("关黄柏", "herb.guan_huang_bai"),
        ("黄柏", "herb.huang_bai"),
        ("绵萆薢", "herb.mian_bi_xie"),
        ("粉萆薢", "herb.fen_bi_xie"),
        ("燀苦杏仁", "herb.ku_xing_ren"),  # ChP writes 燀 (scalded), not 焯
        ("制天南星", "herb.zhi_tian_nan_xing"),
        ("天南星", "herb.tian_nan_xing"),
        # 胡麻仁 (黑芝麻 or 亚麻子) and 草河车 (重楼 in the south, 拳参 in Beijing usage) name different drugs.
        ("胡麻仁", None),
        ("草河车", None),
        ("焯苦杏仁", None),
    ],
)
def test_aliases_keep_different_monographs_apart(kb, name: str, expected: str | None) -> None:
    assert kb.resolve_herb(name) == expected


@pytest.mark.parametrize(
    ("name", "low", "high", "toxicity", "pregnancy"),
    [
        # 《中国药典》2020年版一部 用法与用量 / 注意; 雷公藤 after 《中药学》 (no ChP 饮片 monograph).
        ("雷公藤", 1, 3, "high", "forbidden"),
        ("苍耳子", 3, 10, "moderate", "none"),
        ("制天南星", 3, 9, "moderate", "caution"),
        ("白附子", 3, 6, "moderate", "caution"),
        ("土鳖虫", 3, 10, "low", "forbidden"),
        ("山豆根", 3, 6, "moderate", "none"),
        ("吴茱萸", 2, 5, "low", "none"),
        ("金钱白花蛇", 2, 5, "moderate", "none"),
        ("蕲蛇", 3, 9, "moderate", "none"),
        ("鸦胆子", 0.5, 2, "low", "caution"),
    ],
)
def test_toxic_herbs_of_dermatology_carry_their_pharmacopoeia_facts(  # type: ignore[no-untyped-def]
    kb, name: str, low: float, high: float, toxicity: str, pregnancy: str
) -> None:
    herb = kb.herbs[kb.resolve_herb(name)]
    assert (herb.dose_min_g, herb.dose_max_g, herb.toxicity, herb.pregnancy) == (low, high, toxicity, pregnancy)


def test_preparation_flags_follow_the_pharmacopoeia(kb) -> None:
    herbs = {herb.name: herb for herb in kb.herbs.values()}
    assert herbs["朱砂"].internal_use == herbs["雄黄"].internal_use == "pills_powders"  # 入丸散，不入煎剂
    assert herbs["鸦胆子"].internal_use == "pills_powders"  # 龙眼肉包裹或装入胶囊吞服
    assert herbs["天南星"].internal_use == "none" and herbs["生半夏"].internal_use == "none"  # raw: 外用 only
    assert herbs["雷公藤"].decoction_method == herbs["龙骨"].decoction_method == "先煎"


def test_child_doses_follow_the_paediatrics_textbook(kb) -> None:
    # 《中医儿科学》: 新生儿 1/6, 乳婴儿 1/3, 幼儿 1/2, 学龄儿童 2/3 of the adult dose.
    assert kb.dose_rules["rule.dose.child_1_3"].factor == 0.5
    assert kb.dose_rules["rule.dose.child_8_14"].factor == pytest.approx(2 / 3, abs=0.01)
    assert kb.dose_rules["rule.dose.child_under_1"].factor <= 1 / 3

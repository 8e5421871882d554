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

REPO = Path(__file__).resolve().parents[1]


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


def test_clinical_rules_are_data_with_sources(kb) -> None:
    assert kb.red_flags and kb.follow_up_questions and kb.staging and kb.thresholds
    assert kb.staging_rule("disease.psoriasis") is not None
    # 《中医外科学》 stages 白疕 (进行期/静止期/退行期); no other disease borrows those stages.
    assert kb.staging_rule("disease.eczema") is None

"""Fine-tuning on a tiny random Qwen2.5-VL, offline: data preparation, prompt parity, training, provenance."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from derm3r.cli.main import main as cli_main
from derm3r.engines.base import EngineOptions
from derm3r.errors import EngineError
from derm3r.training.data import Sample, load_samples

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
MAX_PIXELS = 64 * 28 * 28


def _eval_lines() -> list[dict[str, Any]]:
    """Four visits of three patients (pA has two, the second a follow-up), two with photographs."""
    source = {}
    for text in (REPO / "examples" / "eval" / "psoriasis.jsonl").read_text(encoding="utf-8").splitlines():
        line = json.loads(text)
        source[line["case"]["case_id"]] = line
    picks = [
        ("pA-v1", "ps-blood-heat-1"),
        ("pA-v2", "ps-blood-dryness-3"),
        ("pB-v1", "ps-blood-dryness-1"),
        ("pC-v1", "ps-damp-toxin-2"),
    ]
    lines = []
    for new_id, old_id in picks:
        line = json.loads(json.dumps(source[old_id]))
        line["case"]["case_id"] = new_id
        lines.append(line)
    elbow = lines[0]["case"]["images"][0]["path"]
    lines[0]["image_descriptions"] = {elbow: "肘部境界清楚的鲜红色斑块，覆银白色厚鳞屑。"}
    return lines


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from derm3r.testing.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("ft-tiny") / "model")


@pytest.fixture(scope="session")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("ft-data")
    data = root / "data.jsonl"
    data.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in _eval_lines()), encoding="utf-8")
    out = root / "prepared"
    code = cli_main(
        ["finetune", "prepare", str(data), "--out", str(out), "--case-dir", str(CASES), "--validation-fraction", "0.3"]
    )
    assert code == 0
    return out


def _train(model: Path, data: Path, out: Path, agent: str, *more: str) -> Any:
    from derm3r.training.settings import load_settings
    from derm3r.training.train import train

    flags = ["--agent", agent, "--data-dir", str(data), "--model-name-or-path", str(model), "--output-dir", str(out)]
    flags += ["--lora-r", "4", "--lora-alpha", "8", "--max-steps", "3", "--eval-steps", "2", "--learning-rate", "5e-3"]
    flags += ["--max-pixels", str(MAX_PIXELS), "--per-device-eval-batch-size", "1", "--disable-tqdm", "true"]
    flags += ["--logging-steps", "100"]
    return train(load_settings([*flags, *more]))


@pytest.fixture(scope="session")
def trained(tiny_model: Path, prepared: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    out = tmp_path_factory.mktemp("ft-adapters")
    return {agent: _train(tiny_model, prepared, out, agent) for agent in ("rec", "rep", "reason")}


def _all(prepared: Path, agent: str) -> list[Sample]:
    return [*load_samples(prepared / f"{agent}.train.jsonl"), *load_samples(prepared / f"{agent}.validation.jsonl")]


def test_prepare_writes_each_agent_split_by_patient_never_by_visit(prepared: Path) -> None:
    stats = json.loads((prepared / "stats.json").read_text(encoding="utf-8"))
    for agent in ("rec", "rep", "reason"):
        train = load_samples(prepared / f"{agent}.train.jsonl")
        validation = load_samples(prepared / f"{agent}.validation.jsonl")
        assert {s.patient for s in train}.isdisjoint({s.patient for s in validation})
        assert train and validation  # three patients, 30 %: one held out
        counts = stats["agents"][agent]
        assert (counts["train"], counts["validation"]) == (len(train), len(validation))
        assert counts["mean_target_chars"] > 0
    reason = _all(prepared, "reason")
    assert sorted(s.case_id for s in reason) == ["pA-v1", "pA-v2", "pB-v1", "pC-v1"]  # one sample per visit
    assert {s.patient for s in reason if s.case_id.startswith("pA")} == {"pA"}
    rec = {s.sample_id: s for s in _all(prepared, "rec")}
    assert sum(1 for key in rec if key.startswith("pA-v1:rec:image:")) == 2  # one per photograph
    elbow = next(s for key, s in rec.items() if key.startswith("pA-v1") and "elbow" in key)
    assert json.loads(elbow.target)["description"].startswith("肘部境界清楚")  # the per-image expert description
    assert Path(elbow.images[0]).is_file()
    assert all(key in rec for key in ("pA-v1:rec:text", "pB-v1:rec:text", "pC-v1:rec:text"))
    rep = json.loads(next(s for s in _all(prepared, "rep") if s.case_id == "pB-v1").target)
    assert rep["pathogenesis"].startswith("病久阴血耗伤") and rep["stage"] == "静止期"
    assert "signs" not in rep  # the engine grounds signs from the summary; a model never writes lexicon ids
    target = json.loads(next(s for s in reason if s.case_id == "pB-v1").target)
    assert target["assessment"]["syndrome"]["name"] == "血虚风燥证" and target["plan"]["herbs"]


def test_prepare_names_a_missing_image(tmp_path: Path) -> None:
    line = _eval_lines()[0]
    (tmp_path / "d.jsonl").write_text(json.dumps(line, ensure_ascii=False) + "\n", encoding="utf-8")
    assert cli_main(["finetune", "prepare", str(tmp_path / "d.jsonl"), "--out", str(tmp_path / "o")]) == 2


def test_training_prompts_equal_what_the_hf_engine_sends(kb, tiny_model: Path, prepared: Path) -> None:  # type: ignore[no-untyped-def]
    """Record the requests the real hf engine makes for the same visit and compare them to the samples."""
    from derm3r.engines.base import ImageInput
    from derm3r.engines.fallback import FallbackEngine
    from derm3r.engines.knowledge import KnowledgeEngine
    from derm3r.engines.llm import LLMEngine
    from derm3r.engines.registry import build_engine
    from derm3r.kb.store import KnowledgeStore
    from derm3r.llm.retrieval import retrieve
    from derm3r.llm.schemas import ReasonOutput, RecOutput, RepOutput
    from derm3r.paths import cache_dir
    from derm3r.schemas.case import Case
    from derm3r.schemas.findings import LesionRepresentation
    from derm3r.training.data import as_findings
    from derm3r.training.train import _load_image

    extra = {"model": str(tiny_model), "max_pixels": MAX_PIXELS, "max_new_tokens": 2, "max_reask": 0, "fallback": False}
    engine = build_engine("hf", EngineOptions(knowledge=kb, extra=extra))
    assert isinstance(engine, LLMEngine)
    backend: Any = engine.backend
    sent: list[Any] = []

    class RecordingHF:
        """The real hf backend, with every request it receives kept for comparison."""

        name = backend.name
        model_id = backend.model_id
        has_adapter = backend.has_adapter

        def complete(self, requests: list[Any]) -> list[str]:
            sent.extend(requests)
            return list(backend.complete(requests))

    # The random model answers garbage: as served, the fallback answers instead, after the request was made.
    recorded = LLMEngine(RecordingHF(), engine.options, settings=engine.settings, specs=engine.specs)
    recording = FallbackEngine(recorded, KnowledgeEngine(engine.options))
    line = _eval_lines()[0]
    case = Case.model_validate(line["case"])
    samples = {s.sample_id: s for agent in ("rec", "rep", "reason") for s in _all(prepared, agent)}
    rec_samples = [s for key, s in samples.items() if key.startswith("pA-v1:rec:")]
    assert [s.sample_id.split(":")[2] for s in rec_samples] == ["text", "image", "image"]
    findings = []
    for image_ref, sample in zip([None, *case.images], rec_samples, strict=True):
        recording.recognize(case, ImageInput(ref=image_ref, base_dir=CASES) if image_ref else None)
        request = sent[-1]
        assert [[m.role, m.content] for m in request.messages] == [[m["role"], m["content"]] for m in sample.messages]
        assert [image.tobytes() for image in request.images] == [
            _load_image(path, MAX_PIXELS).tobytes() for path in sample.images
        ]
        findings.append(as_findings(image_ref, RecOutput.model_validate_json(sample.target)))
    # The passages the graph's nodes retrieve (default store; each agent spec's retrieval: Rep 3 syndrome entries,
    # Reason 6 syndrome or formula entries), through the same function the nodes call.
    store = KnowledgeStore(kb, cache_dir() / "index", "use")
    rep_passages = retrieve(store, recording.retrieval("rep"), case, findings=findings)
    assert len(rep_passages) == 3 and all(p.kind == "syndrome" for p in rep_passages)
    recording.represent(case, findings, rep_passages)
    rep = samples["pA-v1:rep:rep"]
    assert [[m.role, m.content] for m in sent[-1].messages] == [[m["role"], m["content"]] for m in rep.messages]
    representation = LesionRepresentation(**RepOutput.model_validate_json(rep.target).model_dump())
    passages = retrieve(store, recording.retrieval("reason"), case, summary=representation.summary)
    assert len(passages) == 6 and {p.kind for p in passages} <= {"syndrome", "formula"}
    recording.reason(case, representation, passages)
    reason = samples["pA-v1:reason:reason"]
    assert [[m.role, m.content] for m in sent[-1].messages] == [[m["role"], m["content"]] for m in reason.messages]
    ReasonOutput.model_validate_json(reason.target)  # the target is what the engine parses

    # The graph asks Rec once per sample (text and each photograph run in parallel, so the requests may arrive in
    # any order) and keeps the findings in the samples' order: the text first, then each photograph.
    from derm3r import Derm3R

    system = Derm3R(retrieval=False)
    system.engine = recording
    sent.clear()
    consultation = system.consult(case, case_dir=CASES)
    rec_sent = [[[m.role, m.content] for m in r.messages] for r in sent if r.agent == "rec"]
    expected = [[[m["role"], m["content"]] for m in s.messages] for s in rec_samples]
    assert sorted(map(str, rec_sent)) == sorted(map(str, expected))
    assert [f.source for f in consultation.findings] == ["text", *(f"image:{ref.path}" for ref in case.images)]


def test_prompt_tokens_are_masked_and_the_answer_ends_the_turn(tiny_model: Path, prepared: Path) -> None:
    from derm3r.llm.hf_processor import build_processor
    from derm3r.training.train import IGNORE, collate, conversation, encode

    processor = build_processor(str(tiny_model), MAX_PIXELS)
    sample = next(s for s in _all(prepared, "rec") if s.images)
    item = encode(conversation(sample), processor, MAX_PIXELS)
    answer = [token for token, label in zip(item.input_ids, item.labels, strict=True) if label != IGNORE]
    prompt_len = item.labels.count(IGNORE)
    assert item.labels[:prompt_len] == [IGNORE] * prompt_len and prompt_len > 0
    assert processor.tokenizer.decode(answer) == sample.target + "<|im_end|>"
    assert item.pixel_values is not None and int(item.image_grid_thw.prod()) == item.pixel_values.shape[0]
    # The image-token map that places Qwen2.5-VL's 3-D rotary positions travels with the sample, as in generate.
    image_token = processor.tokenizer.convert_tokens_to_ids("<|image_pad|>")
    assert item.mm_token_type_ids == [int(token == image_token) for token in item.input_ids]
    batch = collate([item], processor.tokenizer.pad_token_id)
    assert batch["mm_token_type_ids"].tolist() == [item.mm_token_type_ids]


@pytest.mark.parametrize("agent", ["rec", "rep", "reason"])
def test_each_agent_trains_saves_and_reloads_with_identical_logits(
    agent: str, trained: dict[str, Any], tiny_model: Path, prepared: Path
) -> None:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForImageTextToText

    from derm3r.training.train import collate, conversation, encode

    result = trained[agent]
    meta = json.loads((result.adapter_dir / "derm3r_adapter.json").read_text(encoding="utf-8"))
    assert meta["agent"] == agent and meta["base_model"] == str(tiny_model)
    assert meta["metrics"]["steps"] == 3 and meta["metrics"]["validation_loss"] is not None
    assert meta["prompt_hash"] == load_samples(prepared / f"{agent}.train.jsonl")[0].prompt_hash
    assert len(meta["data_hash"]) == 16 and meta["config"]["lora_r"] == 4
    config = json.loads((result.adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))
    assert config["task_type"] == "CAUSAL_LM" and config["r"] == 4
    card = (result.adapter_dir / "README.md").read_text(encoding="utf-8")
    assert f"base_model: {tiny_model}" in card and meta["prompt_hash"] in card and meta["data_hash"] in card
    assert f"| final eval loss | {meta['metrics']['validation_loss']} |" in card
    assert f"adapters_dir={result.adapter_dir.parent}" in card and "--engine hf" in card
    sample = _all(prepared, agent)[0]
    batch = collate(
        [encode(conversation(sample), result.processor, MAX_PIXELS)], result.processor.tokenizer.pad_token_id
    )
    batch.pop("labels")
    base = AutoModelForImageTextToText.from_pretrained(str(tiny_model))
    reloaded = PeftModel.from_pretrained(base, str(result.adapter_dir)).eval()
    with torch.no_grad():
        expected = result.model(**batch).logits
        actual = reloaded(**batch).logits
        with reloaded.disable_adapter():
            plain = reloaded(**batch).logits
    assert torch.equal(expected, actual)
    assert not torch.allclose(plain, actual)  # the adapter learned something


def _hf(kb: Any, model: Path, adapters: Path, **more: Any) -> Any:  # type: ignore[no-untyped-def]
    from derm3r.engines.registry import build_engine

    extra = {"model": str(model), "adapters_dir": str(adapters), "max_pixels": MAX_PIXELS, **more}
    return build_engine("hf", EngineOptions(knowledge=kb, extra=extra))


def test_hf_serves_trained_adapters_and_refuses_mismatched_provenance(
    kb,
    trained: dict[str, Any],
    tiny_model: Path,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    adapters = trained["rec"].adapter_dir.parent
    engine = _hf(kb, tiny_model, adapters)
    assert [engine.adapter_for(agent) for agent in ("rec", "rep", "reason")] == ["rec", "rep", "reason"]

    swapped = tmp_path / "swapped"
    shutil.copytree(adapters / "rec", swapped / "rep")
    with pytest.raises(EngineError, match="trained for agent 'rec', cannot serve agent 'rep'"):
        _hf(kb, tiny_model, swapped)

    other_base = tmp_path / "other-base"
    shutil.copytree(adapters / "reason", other_base / "reason")
    meta_path = other_base / "reason" / "derm3r_adapter.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "base_config_hash": "0" * 16}), encoding="utf-8")
    with pytest.raises(EngineError, match="trained on base"):
        _hf(kb, tiny_model, other_base)

    prompts = tmp_path / "prompts"
    shutil.copytree(REPO / "prompts", prompts)
    user = prompts / "rec" / "user.md.j2"
    user.write_text(user.read_text(encoding="utf-8") + "\n请简要回答。", encoding="utf-8")
    with pytest.raises(EngineError, match="trained with agent 'rec' prompts"):
        _hf(kb, tiny_model, adapters, prompts_dir=str(prompts))


def test_cli_trains_from_yaml_with_flag_overrides(tiny_model: Path, prepared: Path, tmp_path: Path) -> None:
    config = tmp_path / "reason.yaml"
    config.write_text(
        f"agent: reason\ndata_dir: {prepared}\nmodel_name_or_path: {tiny_model}\noutput_dir: {tmp_path / 'out'}\n"
        f"lora_r: 2\nlora_alpha: 4\nmax_steps: 50\nmax_pixels: {MAX_PIXELS}\ndisable_tqdm: true\n",
        encoding="utf-8",
    )
    assert cli_main(["finetune", "--config", str(config), "--max-steps", "2", "--lora_r", "3"]) == 0
    meta = json.loads((tmp_path / "out" / "reason" / "derm3r_adapter.json").read_text(encoding="utf-8"))
    assert meta["config"]["lora_r"] == 3 and meta["metrics"]["steps"] == 2 and meta["config"]["lora_alpha"] == 4
    config.write_text("agent: reason\nlora_rr: 3\n", encoding="utf-8")
    assert cli_main(["finetune", "--config", str(config)]) == 2  # unknown key: a bad-input exit


def test_old_setting_names_are_refused_naming_the_new_ones(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "old.yaml"
    config.write_text("agent: rec\nrank: 16\nepochs: 3\nbatch_size: 1\ngrad_accum: 8\n", encoding="utf-8")
    assert cli_main(["finetune", "--config", str(config)]) == 2
    error = capsys.readouterr().err
    for old, new in [("rank", "lora_r"), ("epochs", "num_train_epochs"), ("batch_size", "per_device_train_batch_size")]:
        assert f"{old} → {new}" in error
    assert "grad_accum → gradient_accumulation_steps" in error
    assert cli_main(["finetune", "--agent", "rec", "--rank", "4"]) == 2
    assert "--rank：已改名；请用 --lora_r" in capsys.readouterr().err  # Chinese is the default language
    assert cli_main(["finetune", "--lang", "en", "--agent", "rec", "--rank", "4"]) == 2
    assert "--rank: renamed; use --lora_r" in capsys.readouterr().err


def test_settings_reject_bad_values_naming_the_field(tmp_path: Path) -> None:
    from derm3r.training.settings import SettingsError, load_settings

    with pytest.raises(SettingsError, match="agent: expected rec, rep or reason"):
        load_settings(["--agent", "tongue"])
    config = tmp_path / "c.yaml"
    config.write_text("lora_r: sixteen\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="--lora_r/--lora-r: invalid int value: 'sixteen'"):
        load_settings(["--config", str(config)])
    settings = load_settings(["--agent", "reason", "--lora_dropout", "0.1", "--lora_modules_to_save", "norm"])
    assert settings.model.lora_modules_to_save == ["norm"] and settings.model.lora_dropout == 0.1
    assert settings.training.report_to in ("none", [], ["none"])  # nothing is reported unless asked
    assert settings.adapter_dir == Path("adapters") / "reason"


def test_train_lora_help_lists_the_trl_setting_names() -> None:
    code = (
        "import runpy, sys\n"
        "sys.argv = ['train_lora.py', '--help']\n"
        "try:\n"
        f"    runpy.run_path({str(REPO / 'finetune' / 'train_lora.py')!r}, run_name='__main__')\n"
        "except SystemExit as exit:\n"
        "    print('EXIT', exit.code)\n"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    for flag in ("--agent", "--lora_r", "--num_train_epochs", "--resume_from_checkpoint", "--report_to"):
        assert flag in output.stdout, flag
    assert output.stdout.strip().endswith("EXIT 0")


def test_early_stopping_keeps_the_best_validated_weights(tiny_model: Path, prepared: Path, tmp_path: Path) -> None:
    import torch

    from derm3r.training.train import collate, conversation, encode

    # A threshold so large that no later evaluation counts as better: stop after patience=1 more check.
    more = ["--max-steps", "10", "--eval-steps", "1", "--early-stopping-patience", "1"]
    result = _train(tiny_model, prepared, tmp_path, "rec", *more, "--early-stopping-threshold", "100")
    assert result.metrics["stopped_early"] and result.metrics["steps"] == 2
    assert result.metrics["best_checkpoint"].endswith("checkpoint-" + result.metrics["best_checkpoint"][-1])
    validation = load_samples(prepared / "rec.validation.jsonl")
    pad = result.processor.tokenizer.pad_token_id
    with torch.no_grad():
        losses = [
            float(result.model(**collate([encode(conversation(s), result.processor, MAX_PIXELS)], pad)).loss)
            for s in validation
        ]
    # The model in hand (and saved) is the best-evaluated checkpoint, whose validation loss was recorded.
    assert sum(losses) / len(losses) == pytest.approx(result.metrics["validation_loss"], abs=1e-5)


def test_training_resumes_from_its_last_checkpoint(tiny_model: Path, prepared: Path, tmp_path: Path) -> None:
    first = _train(tiny_model, prepared, tmp_path, "rep", "--max-steps", "2", "--eval-steps", "1")
    state_file = first.adapter_dir / "checkpoint-2" / "trainer_state.json"
    state = json.loads(state_file.read_text(encoding="utf-8"))
    # A mark only the first run's checkpoint carries: a resumed run continues that state, a fresh one would not.
    state["log_history"].append({"step": 2, "marker": "first run"})
    state_file.write_text(json.dumps(state), encoding="utf-8")
    more = ["--max-steps", "4", "--eval-steps", "1", "--resume-from-checkpoint", "last"]
    resumed = _train(tiny_model, prepared, tmp_path, "rep", *more)
    final = json.loads((resumed.adapter_dir / "checkpoint-4" / "trainer_state.json").read_text(encoding="utf-8"))
    assert resumed.metrics["steps"] == 4 and {"step": 2, "marker": "first run"} in final["log_history"]
    assert [entry["step"] for entry in final["log_history"] if "eval_loss" in entry] == [1, 2, 3, 4]


def test_a_text_only_base_trains_an_agent_that_the_hf_engine_serves_on_it(  # type: ignore[no-untyped-def]
    kb, tiny_model: Path, prepared: Path, tmp_path: Path
) -> None:
    """Reason trained on a text-only causal LM (a TCM language model's place), then served on that base beside the VL
    model that serves Rec and Rep."""
    from derm3r.testing.tiny_model import build_tiny_text_model
    from derm3r.training.settings import TrainingDataError

    text = build_tiny_text_model(tmp_path / "text")
    adapters = tmp_path / "adapters"
    result = _train(text, prepared, adapters, "reason", "--max-steps", "2")
    assert type(result.model.get_base_model()).__name__ == "Qwen2ForCausalLM"
    assert not hasattr(result.processor, "image_processor")  # trained through the tokenizer's plain-text chat
    config = json.loads((result.adapter_dir / "adapter_config.json").read_text(encoding="utf-8"))
    assert config["task_type"] == "CAUSAL_LM" and "language_model" not in str(config["target_modules"])
    engine = _hf(kb, tiny_model, adapters, models=json.dumps({"reason": str(text)}), max_new_tokens=2, fallback=False)
    backend = engine.backend
    assert backend.loaded[str(text)].adapters == ["reason"] and backend.loaded[str(tiny_model)].adapters == []
    request = engine.build_request(engine.specs["reason"], _reason_variables())
    backend.complete([request])
    assert list(backend.served)[-1] == ("reason", "reason") and list(backend.served_by)[-1] == ("reason", str(text))
    with pytest.raises(TrainingDataError, match="has images, but the base model is text-only"):
        _train(text, prepared, tmp_path / "rec-adapters", "rec", "--max-steps", "1")


def _reason_variables() -> dict[str, Any]:
    from derm3r.llm.prompts import reason_variables
    from derm3r.schemas.case import Case

    return reason_variables(Case(case_id="t", tongue="舌红"), "皮损鲜红", "血热", [])


def test_finetune_without_the_llm_extra_names_it_and_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    hidden = ("torch", "trl")
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name in hidden else real(name, *a))
    assert cli_main(["finetune", "--agent", "rec"]) == 2
    error = capsys.readouterr().err
    assert "derm3r finetune needs torch, trl" in error and "pip install 'derm3r[llm]'" in error
    assert "Traceback" not in error
    assert cli_main(["finetune", "export", "adapters", "--out", "served", "--mode", "merge", "--agent", "rep"]) == 2
    error = capsys.readouterr().err
    assert "derm3r finetune export needs torch, which" in error and "pip install 'derm3r[llm]'" in error
    # --help still lists the three subcommands, then says what the training flags need.
    assert cli_main(["--lang", "en", "finetune", "--help"]) == 2
    shown = capsys.readouterr()
    assert "derm3r finetune prepare" in shown.out and "derm3r finetune export" in shown.out
    assert "derm3r finetune needs torch, trl" in shown.err and "pip install 'derm3r[llm]'" in shown.err

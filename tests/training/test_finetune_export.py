"""Exporting adapters for serving, on the tiny random Qwen2.5-VL: the vLLM layout and merged checkpoints."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from derm3r.cli.main import main as cli_main
from derm3r.engines.base import EngineOptions
from derm3r.training.export import ExportError, agent_adapters, export_merged, export_vllm, vllm_problems

REPO = Path(__file__).resolve().parents[2]
PHOTO = REPO / "examples" / "cases" / "img" / "ps-blood-heat-1-elbow.jpg"
MAX_PIXELS = 64 * 28 * 28
RANK = 4


@pytest.fixture(scope="session")
def tiny_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from derm3r.testing.tiny_model import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("export-tiny") / "model")


@pytest.fixture(scope="session")
def adapters(tiny_base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One adapter per agent laid out as training saves it: peft LoRA on the language-model targets of
    ``derm3r.training.settings`` plus ``derm3r_adapter.json`` with the real base and prompt hashes.

    The LoRA B matrices are random rather than trained: export does not care how the weights were found, and
    training them needs ``prepare`` and its retrieval index, which ``tests/training/test_finetune.py`` already covers.
    """
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForImageTextToText

    from derm3r.llm.provenance import config_hash, write_metadata
    from derm3r.llm.specs import PromptRenderer, load_agent_specs
    from derm3r.training.data import prompt_hash
    from derm3r.training.settings import LANGUAGE_MODEL_TARGETS

    out = tmp_path_factory.mktemp("export-adapters")
    specs, renderer = load_agent_specs(), PromptRenderer()
    for index, agent in enumerate(("rec", "rep", "reason")):
        torch.manual_seed(index)
        base = AutoModelForImageTextToText.from_pretrained(str(tiny_base))
        model = get_peft_model(base, LoraConfig(r=RANK, lora_alpha=2 * RANK, target_modules=LANGUAGE_MODEL_TARGETS))
        with torch.no_grad():
            for name, parameter in model.named_parameters():
                if "lora_B" in name:
                    parameter.normal_(0, 0.2)
        model.save_pretrained(str(out / agent))
        write_metadata(
            out / agent,
            {
                "agent": agent,
                "base_model": str(tiny_base),
                "base_config_hash": config_hash(model.get_base_model().config),
                "prompt_hash": prompt_hash(specs[agent], renderer),
            },
        )
    return out


def _edit_config(folder: Path, **changes: Any) -> None:
    path = folder / "adapter_config.json"
    path.write_text(json.dumps({**json.loads(path.read_text(encoding="utf-8")), **changes}), encoding="utf-8")


def test_vllm_export_serves_each_agent_under_the_model_name_the_openai_engine_sends(
    adapters: Path, tiny_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from derm3r.llm.openai_backend import OpenAISettings

    source = adapters
    out = tmp_path / "serve"
    assert cli_main(["finetune", "export", str(source), "--out", str(out), "--mode", "vllm"]) == 0
    summary = json.loads(capsys.readouterr().out)
    served = sorted(summary["adapters"])
    assert served == sorted(agent_adapters().values()) == sorted(OpenAISettings().adapters)
    for name in served:
        for file_name in ("adapter_config.json", "adapter_model.safetensors", "derm3r_adapter.json"):
            assert (out / name / file_name).read_bytes() == (source / name / file_name).read_bytes()
    assert summary["base_model"] == str(tiny_base)
    assert summary["max_lora_rank"] == 8  # rank 4 rounded up to the smallest --max-lora-rank vLLM accepts
    command = summary["command"]
    assert command.startswith(f"vllm serve {tiny_base} --served-model-name base --enable-lora --max-lora-rank 8")
    assert "--max-loras 3 --lora-modules" in command
    assert all(f"{name}={(out / name).resolve()}" in command for name in served)

    only = export_vllm(source, tmp_path / "one", agent="reason")
    assert list(only.adapters) == ["reason"] and not (tmp_path / "one" / "rec").exists()


def test_serve_script_runs_the_command_with_its_own_paths_against_a_fake_vllm_binary(
    adapters: Path, tmp_path: Path
) -> None:
    """vLLM needs a GPU and real weights; a stand-in ``vllm`` that prints its arguments checks the script's quoting."""
    out = tmp_path / "export"
    result = export_vllm(adapters, out)
    moved = tmp_path / "moved"
    shutil.move(str(out), moved)  # the script finds its adapters relative to itself
    binary = tmp_path / "bin"
    binary.mkdir()
    (binary / "vllm").write_text('#!/bin/sh\nfor a in "$@"; do echo "$a"; done\n', encoding="utf-8")
    (binary / "vllm").chmod(0o755)
    env = {**os.environ, "PATH": f"{binary}{os.pathsep}{os.environ['PATH']}"}
    ran = subprocess.run(
        ["bash", str(moved / "serve.sh"), "--max-model-len", "4096"],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=True,
    )
    args = ran.stdout.splitlines()
    expected = [
        arg.split("=")[0] + f"={moved.resolve() / arg.split('=')[0]}" if "=" in arg else arg
        for arg in result.command[1:]
    ]
    assert args == [*expected, "--max-model-len", "4096"]


def test_vllm_export_refuses_what_vllm_cannot_serve_naming_the_agent(
    adapters: Path, tiny_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from safetensors.torch import load_file, save_file

    source = adapters
    cases: list[tuple[dict[str, Any], str]] = [
        ({"modules_to_save": ["lm_head"]}, "modules_to_save"),
        ({"use_dora": True}, "DoRA"),
        ({"r": 1024}, "rank r=1024"),
        ({"bias": "all"}, "bias"),
        ({"rank_pattern": {"q_proj": 8}}, "rank_pattern"),
    ]
    for index, (changes, problem) in enumerate(cases):
        adapters = tmp_path / f"a{index}"
        shutil.copytree(source, adapters)
        _edit_config(adapters / "rep", **changes)
        with pytest.raises(ExportError, match=rf"agent 'rep': vLLM cannot serve .*{problem}"):
            export_vllm(adapters, tmp_path / f"out{index}")

    # A fully trained head saved beside the LoRA matrices: vLLM's loader rejects such weights.
    adapters = tmp_path / "head"
    shutil.copytree(source, adapters)
    weights = adapters / "reason" / "adapter_model.safetensors"
    tensors = load_file(str(weights))
    tensors["base_model.model.lm_head.weight"] = next(iter(tensors.values())).clone()
    save_file(tensors, str(weights))
    assert any("lm_head" in problem for problem in vllm_problems(adapters / "reason"))
    code = cli_main(["finetune", "export", str(adapters), "--out", str(tmp_path / "o"), "--mode", "vllm"])
    assert code == 2 and "agent 'reason'" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()  # nothing half written

    # One server serves one base.
    mixed = tmp_path / "mixed"
    shutil.copytree(source, mixed)
    meta_path = mixed / "rec" / "derm3r_adapter.json"
    meta_path.write_text(
        json.dumps({**json.loads(meta_path.read_text(encoding="utf-8")), "base_config_hash": "0" * 16}),
        encoding="utf-8",
    )
    with pytest.raises(ExportError, match="trained on different bases"):
        export_vllm(mixed, tmp_path / "o2")

    other = tmp_path / "other-base"
    shutil.copytree(tiny_base, other)
    config_path = other / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["text_config"]["intermediate_size"] = 96
    config_path.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ExportError, match=r"--base-model: .* has config"):
        export_vllm(source, tmp_path / "o4", base_model=str(other))

    stale = tmp_path / "stale"
    shutil.copytree(source, stale)
    meta_path = stale / "rep" / "derm3r_adapter.json"
    meta_path.write_text(
        json.dumps({**json.loads(meta_path.read_text(encoding="utf-8")), "prompt_hash": "feedface"}), encoding="utf-8"
    )
    with pytest.raises(ExportError, match="agent 'rep': adapter trained with prompts 'feedface'"):
        export_vllm(stale, tmp_path / "o3")


def test_merged_checkpoint_gives_the_same_logits_and_greedy_output_as_base_plus_adapter(
    kb: Any, adapters: Path, tiny_base: Path, tmp_path: Path
) -> None:
    import torch
    from peft import PeftModel
    from transformers import AutoModelForImageTextToText

    from derm3r.engines.registry import build_engine
    from derm3r.llm.hf_backend import chat_messages as _messages
    from derm3r.llm.hf_processor import build_processor
    from derm3r.llm.request import ChatMessage, ChatRequest
    from derm3r.training.train import _load_image

    source = adapters
    out = tmp_path / "merged-rec"
    assert cli_main(["finetune", "export", str(source), "--out", str(out), "--mode", "merge", "--agent", "rec"]) == 0
    provenance = json.loads((out / "derm3r_merged.json").read_text(encoding="utf-8"))
    adapter_meta = json.loads((source / "rec" / "derm3r_adapter.json").read_text(encoding="utf-8"))
    assert provenance["agent"] == "rec" and provenance["base_model"] == str(tiny_base)
    assert provenance["base_config_hash"] == adapter_meta["base_config_hash"]
    assert provenance["adapter_metadata"]["prompt_hash"] == adapter_meta["prompt_hash"]
    assert not (out / "adapter_config.json").exists() and (out / "model.safetensors").is_file()

    # A photograph request; the merged folder's own processor encodes it exactly as the base's does.
    request = ChatRequest(
        agent="rec",
        adapter="rec",
        messages=(
            ChatMessage("system", "You are a dermatology assistant. Output one JSON object that matches the schema."),
            ChatMessage("user", "肘部红斑鳞屑，描述皮损。"),
        ),
        images=(_load_image(str(PHOTO), MAX_PIXELS),),
        max_new_tokens=12,
    )

    def encoded(model_dir: Path) -> Any:
        processor = build_processor(str(model_dir), MAX_PIXELS)
        prompt = processor.apply_chat_template(_messages(request), add_generation_prompt=True, tokenize=False)
        return processor(text=[prompt], images=list(request.images), return_tensors="pt")

    batch, reference = encoded(out), encoded(tiny_base)
    assert torch.equal(batch["input_ids"], reference["input_ids"])
    assert torch.equal(batch["pixel_values"], reference["pixel_values"])
    merged = AutoModelForImageTextToText.from_pretrained(str(out)).eval()
    base = AutoModelForImageTextToText.from_pretrained(str(tiny_base))
    adapted = PeftModel.from_pretrained(base, str(source / "rec")).eval()
    with torch.no_grad():
        expected = adapted(**batch).logits
        actual = merged(**batch).logits
        with adapted.disable_adapter():
            plain = adapted(**batch).logits
    assert torch.allclose(actual, expected, atol=1e-4, rtol=1e-4)
    assert not torch.allclose(actual, plain, atol=1e-3)  # the adapter is really in the merged weights

    # Served by the hf engine: the merged model alone answers what base + the rec adapter answers.
    options = {"max_pixels": MAX_PIXELS, "max_reask": 0, "fallback": False}
    with_adapter: Any = build_engine(
        "hf", EngineOptions(knowledge=kb, extra={**options, "model": str(tiny_base), "adapters_dir": str(source)})
    )
    merged_engine: Any = build_engine("hf", EngineOptions(knowledge=kb, extra={**options, "model": str(out)}))
    assert not merged_engine.backend.adapters
    assert merged_engine.backend.generate([request]) == with_adapter.backend.generate([request])


def test_merge_refuses_a_4bit_base_and_an_unnamed_agent(
    adapters: Path, tiny_base: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    quantized = tmp_path / "base-4bit"
    shutil.copytree(tiny_base, quantized)
    config_path = quantized / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["quantization_config"] = {"quant_method": "bitsandbytes", "load_in_4bit": True, "bnb_4bit_quant_type": "nf4"}
    config_path.write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(ExportError, match=r"4-bit checkpoint .* Merge into the full-precision"):
        export_merged(adapters, tmp_path / "m", agent="rep", base_model=str(quantized))
    assert not (tmp_path / "m").exists()

    code = cli_main(["finetune", "export", str(adapters), "--out", str(tmp_path / "m"), "--mode", "merge"])
    assert code == 2 and "--agent: merge 为每个智能体各生成一个完整模型" in capsys.readouterr().err  # Chinese default
    arguments = ["finetune", "--lang", "en", "export", str(adapters), "--out", str(tmp_path / "m"), "--mode", "merge"]
    assert cli_main(arguments) == 2
    assert "--agent: merge makes one full model per agent" in capsys.readouterr().err
    with pytest.raises(ExportError, match="--agent: expected one of"):
        export_merged(adapters, tmp_path / "m", agent="tongue")
    with pytest.raises(ExportError, match="is the adapters folder itself"):
        export_vllm(adapters, adapters)
    with pytest.raises(ExportError, match=r"adapters_dir: .* is not a folder"):
        export_vllm(tmp_path / "missing", tmp_path / "m")


def _text_request() -> Any:
    from derm3r.llm.request import ChatMessage, ChatRequest

    return ChatRequest(
        agent="rep",
        adapter="rep",
        messages=(
            ChatMessage("system", "You are a dermatology assistant. Output one JSON object that matches the schema."),
            ChatMessage("user", '双小腿红斑、丘疱疹3天，糜烂渗液；{"dose_g": 15.0}'),
        ),
        max_new_tokens=8,
    )


def test_language_model_only_export_is_a_qwen2_that_a_server_prompts_and_scores_as_training_did(
    adapters: Path, tiny_base: Path, tmp_path: Path
) -> None:
    """What `transformers serve` does with the export (AutoTokenizer, the saved chat template, AutoModelForCausalLM)
    gives the prompt ids the hf engine builds from the base, and the logits of base + adapter."""
    import torch
    from peft import PeftModel
    from transformers import AutoModelForCausalLM, AutoModelForImageTextToText, AutoTokenizer

    from derm3r.llm.chat import chat_messages
    from derm3r.llm.hf_processor import build_processor

    out = tmp_path / "rep"
    export_merged(adapters, out, agent="rep", language_model_only=True)
    assert json.loads((out / "config.json").read_text(encoding="utf-8"))["model_type"] == "qwen2"
    served_tokenizer = AutoTokenizer.from_pretrained(str(out))
    assert type(served_tokenizer).__name__ == "Qwen2Tokenizer"  # chosen by the model type, not tokenizer.json
    request = _text_request()
    # The server templates string contents; the hf engine templates a VL processor's parts.
    served_ids = served_tokenizer.apply_chat_template(
        chat_messages(request, multimodal=False), add_generation_prompt=True, tokenize=True, return_dict=True
    )["input_ids"]
    processor = build_processor(str(tiny_base), MAX_PIXELS)
    prompt = processor.apply_chat_template(chat_messages(request), add_generation_prompt=True, tokenize=False)
    engine_ids = processor(text=[prompt], return_tensors="pt")["input_ids"]
    assert list(served_ids) == engine_ids[0].tolist()

    served_model = AutoModelForCausalLM.from_pretrained(str(out)).eval()
    adapted = PeftModel.from_pretrained(
        AutoModelForImageTextToText.from_pretrained(str(tiny_base)), str(adapters / "rep")
    ).eval()
    with torch.no_grad():
        actual = served_model(input_ids=engine_ids).logits
        expected = adapted(input_ids=engine_ids, attention_mask=torch.ones_like(engine_ids)).logits
    assert torch.allclose(actual, expected, atol=1e-5, rtol=1e-5)


def test_export_refuses_a_tokenizer_that_loads_otherwise_under_the_exported_model_type(
    adapters: Path, tiny_base: Path, tmp_path: Path
) -> None:
    """A base whose tokenizer.json splits text otherwise than Qwen2's pattern: trusted under qwen2_5_vl, but
    a qwen2 export loads Qwen2Tokenizer, which rebuilds the split in code; served, the prompts would change."""
    base = tmp_path / "base-plain-bytelevel"
    shutil.copytree(tiny_base, base)
    tokenizer_json = base / "tokenizer.json"
    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    spec["normalizer"] = None
    spec["pre_tokenizer"] = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True}
    tokenizer_json.write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ExportError, match=r"loads as Qwen2Tokenizer .* tokens it was not trained on"):
        export_merged(adapters, tmp_path / "rep", agent="rep", base_model=str(base), language_model_only=True)
    assert not (tmp_path / "rep" / "derm3r_merged.json").exists()  # no provenance: not a finished export
    export_merged(adapters, tmp_path / "rep-vl", agent="rep", base_model=str(base))  # kept as Qwen2.5-VL: fine

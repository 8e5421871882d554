"""Any supported model per agent: a tiny random Qwen2.5-VL and a tiny random text-only Qwen2, built offline.

Random weights answer garbage, so every node falls back to the knowledge engine; what these tests check
is which auto class loaded each model, which model served each agent, the loading options, and how a
fallback reads in the trace and on the terminal.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")

from derm3r.cli.main import main as cli_main
from derm3r.engines.base import EngineOptions
from derm3r.engines.fallback import FALLBACK_ADAPTER, FallbackEngine, failure_reason
from derm3r.engines.registry import build_engine
from derm3r.errors import EngineError, EngineInputError
from derm3r.llm.structured import StructuredOutputError

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
PHOTO_CASE = CASES / "ps-blood-heat-1.json"  # two photographs
TEXT_CASE = CASES / "ps-blood-heat-3.json"  # text only
MAX_PIXELS = 64 * 28 * 28


@pytest.fixture(scope="module")
def models(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from derm3r.testing.tiny_model import build_tiny_model, build_tiny_text_model

    root = tmp_path_factory.mktemp("two-architectures")
    return {"vl": build_tiny_model(root / "vl"), "text": build_tiny_text_model(root / "text")}


def _options(model: Path, **more: Any) -> dict[str, object]:
    return {"model": str(model), "max_pixels": MAX_PIXELS, "max_new_tokens": 4, "max_reask": 0, **more}


def _backend(engine: Any) -> Any:
    return (engine.primary if isinstance(engine, FallbackEngine) else engine).backend


def _consult(kb: Any, case_file: Path, options: dict[str, object]) -> tuple[Any, Any]:
    from derm3r import Derm3R

    system = Derm3R(retrieval=False)
    system.engine = build_engine("hf", EngineOptions(knowledge=kb, extra=options))
    case = json.loads(case_file.read_text(encoding="utf-8"))
    return system.consult(case, case_dir=CASES), _backend(system.engine)


def test_a_vision_language_model_serves_every_agent_of_a_consultation(kb: Any, models: dict[str, Path]) -> None:
    from transformers import Qwen2_5_VLForConditionalGeneration

    consultation, backend = _consult(kb, PHOTO_CASE, _options(models["vl"]))
    assert isinstance(backend.model, Qwen2_5_VLForConditionalGeneration)
    assert hasattr(backend.processor, "image_processor")  # a processor, images included
    agents = [agent for agent, _ in backend.served_by]
    assert agents.count("rec") == 3 and {"rep", "reason"} <= set(agents)  # the text, two photographs, Rep, Reason
    assert {model for _, model in backend.served_by} == {str(models["vl"])}
    assert consultation.plan.formula is not None  # the fallback's plan, through the real graph and safety check


def test_a_text_only_model_serves_rep_and_reason_beside_a_vision_language_rec(kb: Any, models: dict[str, Path]) -> None:
    from transformers import Qwen2ForCausalLM

    text = str(models["text"])
    options = _options(models["vl"], models=json.dumps({"rep": text, "reason": text}))
    consultation, backend = _consult(kb, PHOTO_CASE, options)
    loaded = backend.loaded[text]
    assert isinstance(loaded.model, Qwen2ForCausalLM) and not loaded.multimodal
    assert not hasattr(loaded.processor, "image_processor")  # the tokenizer itself, no processor
    served = dict(backend.served_by)
    assert served == {"rec": str(models["vl"]), "rep": text, "reason": text}
    reasons = [entry for entry in consultation.trace if entry.node == "reason_holistically"]
    assert reasons[0].adapter == FALLBACK_ADAPTER  # random weights: the knowledge engine stood in, and says so


def test_a_text_only_model_alone_consults_a_text_case_and_refuses_images(kb: Any, models: dict[str, Path]) -> None:
    from PIL import Image

    from derm3r.llm.request import ChatMessage, ChatRequest

    consultation, backend = _consult(kb, TEXT_CASE, _options(models["text"]))
    assert set(backend.loaded) == {str(models["text"])}
    assert {agent for agent, _ in backend.served_by} == {"rec", "rep", "reason"}
    assert consultation.assessment.syndrome is not None
    photo = Image.open(CASES / "img" / "ps-blood-heat-1-elbow.jpg").convert("RGB")
    request = ChatRequest("rec", None, (ChatMessage("user", "看图"),), images=(photo,), max_new_tokens=2)
    with pytest.raises(EngineError, match="text-only model and cannot see the images sent to rec"):
        backend.complete([request])


def test_loading_options_reach_transformers(kb: Any, models: dict[str, Path]) -> None:
    import torch

    options = _options(models["text"], torch_dtype="bfloat16", attn_implementation="eager", local_files_only=True)
    backend = _backend(build_engine("hf", EngineOptions(knowledge=kb, extra=options)))
    assert backend.model.dtype == torch.bfloat16
    assert backend.model.config._attn_implementation == "eager"
    # Offline by construction: a hub id that is not in the local cache is refused without a download attempt.
    with pytest.raises(EngineError, match="cannot load model 'derm3r-test/no-such-model'"):
        missing = _options(Path("derm3r-test/no-such-model"), local_files_only=True)
        build_engine("hf", EngineOptions(knowledge=kb, extra=missing))
    with pytest.raises(EngineInputError, match="torch_dtype: expected auto, bfloat16, float16, float32, got 'fp8'"):
        build_engine("hf", EngineOptions(knowledge=kb, extra=_options(models["text"], torch_dtype="fp8")))
    with pytest.raises(EngineInputError, match="models: unknown agent"):
        build_engine("hf", EngineOptions(knowledge=kb, extra=_options(models["vl"], models='{"tongue": "x"}')))


def test_the_reply_cache_is_reply_cache_dir_and_the_old_name_is_refused(
    models: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["consult", str(TEXT_CASE), "--engine", "hf", "--json", "--engine-option", f"model={models['text']}"]
    assert cli_main([*argv, "--engine-option", f"cache_dir={tmp_path / 'cache'}"]) == 2
    assert "cache_dir: renamed reply_cache_dir" in capsys.readouterr().err
    more = ["--engine-option", f"reply_cache_dir={tmp_path / 'replies'}", "--engine-option", "max_new_tokens=2"]
    assert cli_main([*argv, *more, "--engine-option", "max_reask=0", "--no-retrieval"]) == 0
    assert any((tmp_path / "replies").rglob("*.json"))  # the replies were cached there


def test_a_fallback_node_is_marked_not_ticked_and_its_reply_quoted_briefly(
    models: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["consult", str(TEXT_CASE), "--engine", "hf", "--no-retrieval", "--engine-option", f"model={models['text']}"]
    argv += ["--engine-option", "max_new_tokens=3", "--engine-option", "max_reask=0"]
    capsys.readouterr()
    assert cli_main(argv) == 0
    err = capsys.readouterr().err
    for agent in ("DERM-Rec", "DERM-Rep", "DERM-Reason"):
        line = next(line for line in err.splitlines() if agent in line and "ms" in line)
        assert line.startswith("↺") and "✓" not in line, line
    assert any(line.startswith("✓") and "ms" in line for line in err.splitlines())  # the safety check did its job
    assert "FutureWarning" not in err and "Loading weights" not in err and "[transformers]" not in err
    assert cli_main([*argv, "--json"]) == 0
    trace = json.loads(capsys.readouterr().out)["trace"]
    notes = [entry["note"] for entry in trace if entry["adapter"] == FALLBACK_ADAPTER]
    assert len(notes) == 3 and all("fallback to knowledge: no valid output after 1 attempt(s)" in n for n in notes)


def test_a_failed_reply_is_quoted_in_at_most_200_characters() -> None:
    reply = "不是JSON " * 300
    reason = failure_reason(StructuredOutputError("rec", 3, "reply contains no parseable JSON object", reply))
    quoted = ast.literal_eval(reason.split("reply: ", 1)[1])  # a Python repr of the shortened reply
    assert len(quoted) == 200 and quoted.endswith("…") and reply.startswith(quoted[:-1])
    assert reason.startswith("no valid output after 3 attempt(s) (reply contains no parseable JSON object)")
    short = failure_reason(StructuredOutputError("rec", 1, "bad", '{"a": 1'))
    assert short.endswith("""reply: '{"a": 1'""")

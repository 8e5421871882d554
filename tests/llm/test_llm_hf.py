"""The hf engine on a tiny random Qwen2.5-VL with three LoRA adapters, built offline in the session.

Random weights generate garbage, so these tests assert loading, adapter routing, image preprocessing,
batching, re-ask and the typed-error and fallback paths, never the generated text.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("torch")
pytest.importorskip("transformers")
pytest.importorskip("peft")

from derm3r.engines.base import EngineOptions
from derm3r.engines.fallback import FALLBACK_ADAPTER, FallbackEngine
from derm3r.engines.llm import LLMEngine
from derm3r.engines.registry import build_engine
from derm3r.llm.structured import StructuredOutputError
from derm3r.schemas.case import Case

MAX_PIXELS = 64 * 28 * 28
REPO = Path(__file__).resolve().parents[2]
TEXT_CASE = json.loads((REPO / "examples" / "cases" / "ps-blood-heat-3.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def tiny_dirs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from derm3r.testing.tiny_model import build_tiny_adapters, build_tiny_model

    root = tmp_path_factory.mktemp("tiny-qwen")
    model = build_tiny_model(root / "model")
    return model, build_tiny_adapters(model, root / "adapters")


def _extra(model: Path, adapters: Path, **more: Any) -> dict[str, object]:
    return {
        "model": str(model),
        "adapters_dir": str(adapters),
        "max_pixels": MAX_PIXELS,
        "max_new_tokens": 4,
        "max_reask": 1,
        "batch_window_s": 0.05,
        "fallback": False,
        **more,
    }


@pytest.fixture(scope="session")
def hf_engine(kb, tiny_dirs: tuple[Path, Path]) -> LLMEngine:  # type: ignore[no-untyped-def]
    engine = build_engine("hf", EngineOptions(knowledge=kb, extra=_extra(*tiny_dirs)))
    assert isinstance(engine, LLMEngine)
    return engine


def _request(engine: LLMEngine, agent: str = "rec") -> Any:
    return engine.build_request(engine.specs["rec"], {"case_text": "皮损鲜红", "view": None, "site": None})


def test_hf_loads_the_base_and_one_adapter_per_agent(hf_engine: LLMEngine) -> None:
    from peft import PeftModel

    backend: Any = hf_engine.backend
    assert isinstance(backend.model, PeftModel)
    assert sorted(backend.model.peft_config) == ["reason", "rec", "rep"]
    assert [hf_engine.adapter_for(agent) for agent in ("rec", "rep", "reason")] == ["rec", "rep", "reason"]
    assert backend.device == "cpu" and str(next(backend.model.parameters()).dtype) == "torch.float32"


def test_hf_adapters_route_per_row_and_change_the_output(hf_engine: LLMEngine) -> None:
    backend: Any = hf_engine.backend
    base = _request(hf_engine)
    requests = [replace(base, adapter=name, max_new_tokens=6) for name in ("rec", "rep", "reason", None)]
    calls = backend.generate_calls
    replies = backend.complete(requests)
    assert backend.generate_calls == calls + 1  # one batched generate call for four rows
    assert list(backend.served)[-4:] == [("rec", "rec"), ("rec", "rep"), ("rec", "reason"), ("rec", None)]
    assert len(set(replies)) >= 3  # different adapters, different (garbage) text


def test_hf_image_is_preprocessed_within_max_pixels(hf_engine: LLMEngine) -> None:
    import numpy as np
    from PIL import Image

    from derm3r.llm.hf_backend import chat_messages as _messages

    backend: Any = hf_engine.backend
    image = Image.fromarray((np.random.default_rng(0).random((480, 640, 3)) * 255).astype("uint8"))
    request = replace(_request(hf_engine), images=(image,))
    text = backend.processor.apply_chat_template(_messages(request), add_generation_prompt=True, tokenize=False)
    inputs = backend.processor(text=[text], images=[image], return_tensors="pt")
    t, h, w = inputs["image_grid_thw"][0].tolist()
    assert t == 1 and h * w * 14 * 14 <= MAX_PIXELS
    assert inputs["pixel_values"].shape[0] == h * w
    image_token = backend.model.config.image_token_id
    assert int((inputs["input_ids"] == image_token).sum()) == h * w // 4  # 2x2 spatial merge
    assert isinstance(backend.complete([request])[0], str)


def _variant(engine: LLMEngine, *, fallback: bool = True, **settings: Any) -> Any:
    """The same loaded model and adapters under other LLM settings, wrapped in the fallback unless told not to."""
    from derm3r.engines.knowledge import KnowledgeEngine

    variant = LLMEngine(
        engine.backend,
        engine.options,
        settings=replace(engine.settings, **settings),
        specs=engine.specs,
        renderer=engine.renderer,
    )
    return FallbackEngine(variant, KnowledgeEngine(engine.options)) if fallback else variant


def test_hf_garbage_is_re_asked_then_a_typed_error(hf_engine: LLMEngine) -> None:
    strict = _variant(hf_engine, fallback=False, max_reask=1)
    backend: Any = hf_engine.backend
    before = len(backend.served)
    with pytest.raises(StructuredOutputError, match="agent rep: no valid output after 2 attempt"):
        strict.represent(Case(case_id="x", tongue="舌红"), [])
    assert list(backend.served)[before:] == [("rep", "rep"), ("rep", "rep")]


def test_hf_full_consult_completes_through_the_fallback(hf_engine: LLMEngine, tmp_path: Path) -> None:
    from derm3r import Derm3R

    system = Derm3R(retrieval=False)
    system.engine = _variant(hf_engine, max_reask=0, max_new_tokens=2)
    backend: Any = hf_engine.backend
    before = len(backend.served)
    result = system.consult(TEXT_CASE)
    assert result.engine == "hf"
    trace = {entry.node: (entry.engine, entry.adapter) for entry in result.trace}
    fell_back = ("knowledge", FALLBACK_ADAPTER)
    assert trace["recognize_lesions"] == trace["represent_lesions"] == trace["reason_holistically"] == fell_back
    served = list(backend.served)[before:]
    assert {agent for agent, _ in served} == {"rec", "rep", "reason"}
    assert all(agent == adapter for agent, adapter in served)  # each agent was served by its own adapter
    assert result.plan.herbs  # the knowledge engine's answer stands in, then the safety check ran
    assert result.trace[-1].node == "check_safety"


def test_hf_consult_many_batches_generation_across_cases(hf_engine: LLMEngine, tmp_path: Path) -> None:
    from derm3r import Derm3R

    system = Derm3R(retrieval=False)
    system.engine = _variant(hf_engine, max_reask=0, max_new_tokens=2)
    backend: Any = hf_engine.backend
    rows, calls = len(backend.served), backend.generate_calls
    cases = [{**TEXT_CASE, "case_id": f"hf-{i}"} for i in range(3)]
    results = system.consult_many(cases, concurrency=3)
    assert [r.case_id for r in results] == [c["case_id"] for c in cases]
    assert backend.generate_calls - calls < len(backend.served) - rows  # some calls carried several cases


def test_hf_missing_adapter_serves_the_base_model(kb, tiny_dirs: tuple[Path, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    model, adapters = tiny_dirs
    partial = tmp_path / "adapters"
    shutil.copytree(adapters / "rec", partial / "rec")
    engine = build_engine("hf", EngineOptions(knowledge=kb, extra=_extra(model, partial)))
    assert [engine.adapter_for(agent) for agent in ("rec", "rep", "reason")] == ["rec", None, None]
    assert isinstance(engine, LLMEngine)
    request = engine.build_request(
        engine.specs["reason"],
        {
            "passages": [],
            "representation_summary": "",
            "representation_pathogenesis": "",
            "case_text": "x",
        },
    )
    assert request.adapter is None
    engine.backend.complete([replace(request, max_new_tokens=2)])
    assert list(engine.backend.served)[-1] == ("reason", None)  # type: ignore[attr-defined]


def test_hf_reports_a_missing_model_as_a_typed_error(kb, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from derm3r.errors import EngineError

    with pytest.raises(EngineError, match="cannot load model"):
        build_engine("hf", EngineOptions(knowledge=kb, extra={"model": str(tmp_path / "nope")}))


def test_hf_greedy_and_sampled_requests_never_share_a_generate_call(hf_engine: LLMEngine) -> None:
    backend: Any = hf_engine.backend
    base = replace(_request(hf_engine), max_new_tokens=2)
    calls = backend.generate_calls
    replies = backend.complete([base, replace(base, temperature=0.8), base])
    assert len(replies) == 3 and replies[0] == replies[2]  # greedy rows agree with each other
    assert backend.generate_calls == calls + 2


def test_hf_refuses_pickled_model_weights(kb, tiny_dirs: tuple[Path, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import torch
    from safetensors.torch import load_file

    from derm3r.errors import EngineError

    model, _ = tiny_dirs
    pickled = tmp_path / "pickled-model"
    shutil.copytree(model, pickled)
    for weights in pickled.glob("*.safetensors"):
        torch.save(load_file(weights), pickled / "pytorch_model.bin")
        weights.unlink()
    with pytest.raises(EngineError, match="cannot load model"):
        build_engine("hf", EngineOptions(knowledge=kb, extra={"model": str(pickled)}))


def test_hf_refuses_an_adapter_without_safetensors(kb, tiny_dirs: tuple[Path, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from derm3r.errors import EngineError

    model, adapters = tiny_dirs
    copied = tmp_path / "adapters"
    shutil.copytree(adapters, copied)
    (copied / "rep" / "adapter_model.safetensors").rename(copied / "rep" / "adapter_model.bin")
    with pytest.raises(EngineError, match="only safetensors"):
        build_engine("hf", EngineOptions(knowledge=kb, extra=_extra(model, copied)))

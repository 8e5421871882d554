"""Train → serve, end to end: adapters overfit on two example cases, then `derm3r consult --engine hf` uses them.

Nothing here is hand-written model output: the three adapters are trained by `derm3r finetune` on the tiny
random Qwen2.5-VL (built locally, no download) until greedy decoding reproduces each agent's expert JSON,
and the consultation's syndrome, formula and herbs come out of the trained Reason adapter through the
real graph, the name resolution and the safety check.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from _servers import free_port, running_server

from derm3r.cli.main import main as cli_main
from derm3r.engines.base import EngineOptions

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "examples" / "cases"
DATA = REPO / "tests" / "data" / "finetune" / "overfit.jsonl"
CONFIG = REPO / "tests" / "data" / "finetune" / "overfit.yaml"
MAX_PIXELS = 25088  # as in overfit.yaml: the engine must show the model the images it was trained on


@pytest.fixture(scope="module")
def overfit(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Prepare the two cases (no retrieval, as the consultations below run), build the model, train 3 adapters."""
    from derm3r.testing.tiny_model import build_tiny_model
    from derm3r.training.data import load_samples

    root = tmp_path_factory.mktemp("overfit")
    data = root / "data"
    argv = ["finetune", "prepare", str(DATA), "--out", str(data), "--case-dir", str(CASES), "--no-retrieval"]
    assert cli_main([*argv, "--validation-fraction", "0"]) == 0
    samples = [s for agent in ("rec", "rep", "reason") for s in load_samples(data / f"{agent}.train.jsonl")]
    # A tokenizer that knows the domain text keeps the sequences, and so the training, short.
    corpus = [s.target for s in samples] + [m["content"] for s in samples for m in s.messages]
    model = build_tiny_model(root / "model", extra_corpus=corpus)
    adapters = root / "adapters"
    for agent in ("rec", "rep", "reason"):
        flags = ["--data-dir", str(data), "--model-name-or-path", str(model), "--output-dir", str(adapters)]
        assert cli_main(["finetune", "--agent", agent, "--config", str(CONFIG), *flags]) == 0
    return {"data": data, "model": model, "adapters": adapters}


def test_each_adapter_stopped_exact_and_greedy_decoding_reproduces_every_target(kb, overfit: dict[str, Path]) -> None:  # type: ignore[no-untyped-def]
    from derm3r.engines.registry import build_engine
    from derm3r.llm.request import ChatMessage, ChatRequest
    from derm3r.training.data import load_samples
    from derm3r.training.train import _load_image

    for agent in ("rec", "rep", "reason"):
        meta = json.loads((overfit["adapters"] / agent / "derm3r_adapter.json").read_text(encoding="utf-8"))
        assert meta["metrics"]["answers_exact"], agent
        assert meta["metrics"]["steps"] < 400, agent

    extra = {"model": str(overfit["model"]), "adapters_dir": str(overfit["adapters"]), "max_pixels": MAX_PIXELS}
    engine: Any = build_engine("hf", EngineOptions(knowledge=kb, extra=extra))
    samples = [s for agent in ("rec", "rep", "reason") for s in load_samples(overfit["data"] / f"{agent}.train.jsonl")]
    requests = [
        ChatRequest(
            agent=s.agent,
            adapter=s.agent,
            messages=tuple(ChatMessage(m["role"], m["content"]) for m in s.messages),  # type: ignore[arg-type]
            images=tuple(_load_image(path, MAX_PIXELS) for path in s.images),
            max_new_tokens=400,
        )
        for s in samples
    ]
    # One batched generate, each row on its own adapter, text and image rows left-padded together.
    backend = getattr(engine, "primary", engine).backend  # the LLM engine inside the fallback wrapper
    replies = backend.complete(requests)
    assert replies == [s.target for s in samples]
    assert all(isinstance(json.loads(reply), dict) for reply in replies)


@pytest.mark.parametrize("case_file", ["ps-blood-heat-1.json", "shichuang-damp-heat-1.json"])
def test_consult_with_the_trained_adapters_returns_the_trained_plan(
    kb: Any, overfit: dict[str, Path], case_file: str, capsys: pytest.CaptureFixture[str]
) -> None:
    options = [
        f"model={overfit['model']}",
        f"adapters_dir={overfit['adapters']}",
        f"max_pixels={MAX_PIXELS}",
        "max_reask=0",  # a wrong answer must fail here, not be repaired by a re-ask
    ]
    argv = ["consult", str(CASES / case_file), "--engine", "hf", "--no-retrieval", "--json"]
    for option in options:
        argv += ["--engine-option", option]
    capsys.readouterr()
    assert cli_main(argv) == 0
    consultation = json.loads(capsys.readouterr().out)

    served = {entry["agent"]: entry["adapter"] for entry in consultation["trace"]}
    assert served == {"DERM-Rec": "rec", "DERM-Rep": "rep", "DERM-Reason": "reason", "Safety": None}
    assert_the_trained_plan(kb, consultation, expert_of(case_file))


def expert_of(case_file: str) -> dict[str, Any]:
    """The expert annotation the adapters were trained on for that case."""
    return next(
        json.loads(text)["expert"]
        for text in DATA.read_text(encoding="utf-8").splitlines()
        if json.loads(text)["case"]["case_id"] == case_file.removesuffix(".json")
    )


def assert_the_trained_plan(kb: Any, consultation: dict[str, Any], expert: dict[str, Any]) -> None:
    """The consultation returns the expert's disease, syndrome, principle, formula and herbs with grams."""
    assessment, plan = consultation["assessment"], consultation["plan"]
    assert assessment["disease"] == expert["disease"]
    assert assessment["syndrome"]["name"] == expert["syndrome"] and assessment["syndrome"]["id"]
    assert assessment["treatment_principle"] == expert["treatment_principle"]
    assert plan["formula"]["name"] == expert["formula"] and plan["formula"]["id"]
    # The plan names herbs canonically (the expert's 萆薢 is the knowledge base's 粉萆薢): compare by id and grams.
    expected = [(kb.resolve_herb(h["name"]), h["dose_g"]) for h in expert["herbs"]]
    assert all(herb_id for herb_id, _ in expected)
    assert [(h["herb_id"], h["dose_g"]) for h in plan["herbs"]] == expected
    assert not consultation["safety"]["abstained"]


@contextmanager
def transformers_serve(folder: Path, timeout_s: float = 180.0) -> Iterator[str]:
    """Run a real `transformers serve` on 127.0.0.1 from ``folder`` (model names are folder names there).

    Bounded: it must answer /health within ``timeout_s``, and it is stopped (then killed) on the way out.
    """
    port = free_port()
    command = [str(Path(sys.executable).parent / "transformers"), "serve", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--device", "cpu", "--dtype", "float32", "--log-level", "warning"]
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    with running_server("transformers serve", command, port=port, ready_path="/health", log=folder / "serve.log",
                        cwd=folder, env=env, startup_s=timeout_s, stop_s=20) as url:
        yield f"{url}/v1"


@pytest.mark.slow
def test_transformers_serve_serves_the_merged_exports_and_consult_openai_returns_the_trained_plan(
    kb: Any, overfit: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each agent's adapter merged into its base (the language model alone: `transformers serve` loads a
    Qwen2.5-VL through a processor that needs torchvision), served by a real `transformers serve` under the
    agent's adapter name, and `derm3r consult --engine openai` against it returns the trained plan.

    No fallback and no re-ask: every node must be answered by the server, and a reply that left the
    trained target anywhere would fail the consultation or the plan's assertions.
    """
    case_file = "shichuang-damp-heat-1.json"  # text only: no agent sends an image
    served = tmp_path / "served"
    for agent in ("rec", "rep", "reason"):
        argv = ["finetune", "export", str(overfit["adapters"]), "--out", str(served / agent), "--mode", "merge"]
        assert cli_main([*argv, "--agent", agent, "--language-model-only"]) == 0
        assert json.loads((served / agent / "config.json").read_text(encoding="utf-8"))["model_type"] == "qwen2"
    capsys.readouterr()
    with transformers_serve(served) as base_url:
        argv = ["consult", str(CASES / case_file), "--engine", "openai", "--no-retrieval", "--json"]
        for option in (f"base_url={base_url}", "max_reask=0", "fallback=false", "timeout_s=300", "max_retries=0"):
            argv += ["--engine-option", option]
        assert cli_main(argv) == 0
    consultation = json.loads(capsys.readouterr().out)
    served_by = {entry["agent"]: (entry["engine"], entry["adapter"]) for entry in consultation["trace"]}
    assert {agent: served_by[agent] for agent in ("DERM-Rec", "DERM-Rep", "DERM-Reason")} == {
        "DERM-Rec": ("openai", "rec"),
        "DERM-Rep": ("openai", "rep"),
        "DERM-Reason": ("openai", "reason"),
    }
    assert_the_trained_plan(kb, consultation, expert_of(case_file))

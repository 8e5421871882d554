"""A wheel carries the declarative assets and finds them outside the repository; imports stay light."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def test_import_does_not_load_heavy_libraries() -> None:
    code = (
        "import sys, derm3r; "
        "print(json.dumps([m for m in ('torch','transformers','chromadb','langgraph','peft') if m in sys.modules]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", "import json; " + code], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert json.loads(result.stdout) == []


@pytest.mark.slow
def test_wheel_carries_assets_and_runs_outside_the_repo(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    wheel = next(tmp_path.glob("derm3r-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    for asset in (
        "knowledge/diseases/psoriasis.yaml",
        "knowledge/rules/red_flags.yaml",
        "knowledge/lexicon/tongue.yaml",
        "agents/reason.yaml",
        "prompts/reason/system.md.j2",
    ):
        assert f"derm3r/_assets/{asset}" in names
    unpacked = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(unpacked)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    case = elsewhere / "case.json"
    case.write_text(
        json.dumps(
            {"case_id": "w", "history": "银屑病，皮损鲜红，新发不断，咽痛", "tongue": "舌红苔黄"}, ensure_ascii=False
        ),
        encoding="utf-8",
    )
    code = (
        "import derm3r.paths as p, json, sys; from derm3r.cli.main import main; "
        "print(p.asset_dir('knowledge'), file=sys.stderr); "
        "sys.exit(main(['consult', 'case.json', '--json', '--no-retrieval']))"
    )
    env = {k: v for k, v in os.environ.items() if k != "DERM3R_KNOWLEDGE_DIR"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env={**env, "PYTHONPATH": str(unpacked)},
    )
    assert result.returncode == 0, result.stderr
    assert str(unpacked) in result.stderr  # the assets came from the wheel, not the checkout
    assert json.loads(result.stdout)["assessment"]["syndrome"]["name"] == "血热内蕴证"

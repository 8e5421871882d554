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


def _dependency_folder(target: Path) -> Path:
    """The installed dependencies, without derm3r itself, as a folder a fresh venv can put on its path (offline)."""
    import sysconfig

    site = Path(sysconfig.get_paths()["purelib"])
    target.mkdir()
    for entry in site.iterdir():
        name = entry.name.lower()
        if name.startswith(("derm3r", "_editable_impl_derm3r", "__editable__")) or name.endswith(".pth"):
            continue
        (target / entry.name).symlink_to(entry)
    return target


@pytest.mark.slow
def test_fresh_venv_installs_the_wheel_copies_an_example_and_consults_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path),
         str(REPO)],
        check=True, capture_output=True,
    )
    wheel = next(tmp_path.glob("derm3r-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "derm3r/_assets/examples/cases/ps-blood-stasis-1.json" in names
    assert "derm3r/_assets/examples/cases/img/ps-blood-stasis-1-shin.jpg" in names
    assert "derm3r/_assets/finetune/configs/rec.yaml" in names
    assert "derm3r/i18n/messages.yaml" in names
    assert "derm3r/i18n/details.yaml" in names  # the Chinese wording of error details
    assert "derm3r/i18n/training_flags.yaml" in names  # the Chinese help of TRL's and transformers' flags
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index", "-q",
                    str(wheel)], check=True, capture_output=True)
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "offline-deps.pth").write_text(str(_dependency_folder(tmp_path / "deps")) + "\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DERM3R_KNOWLEDGE_DIR", "VIRTUAL_ENV")}
    env["DERM3R_CACHE_DIR"] = str(tmp_path / "cache")
    derm3r = str(venv / "bin" / "derm3r")

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([derm3r, *args], capture_output=True, text=True, cwd=elsewhere, env=env, timeout=600)

    where = subprocess.run([str(python), "-c", "import derm3r; print(derm3r.__file__)"], capture_output=True,
                           text=True, cwd=elsewhere, env=env, check=True).stdout
    assert where.startswith(str(venv)), where  # the installed wheel, not the checkout
    copied = run("example", "ps-blood-stasis-1", "--out", "ex")
    assert copied.returncode == 0, copied.stderr
    assert (elsewhere / "ex" / "img" / "ps-blood-stasis-1-shin.jpg").is_file()
    assert (elsewhere / "ex" / "finetune-configs" / "reason.yaml").is_file()
    consulted = run("consult", "ex/ps-blood-stasis-1.json", "--json", "--no-retrieval")
    assert consulted.returncode == 0, consulted.stderr
    consultation = json.loads(consulted.stdout)
    assert consultation["assessment"]["syndrome"]["name"] == "气血瘀滞证"
    assert consultation["findings"][1]["measurements"]["outlines"]
    report = run("consult", "ex/ps-blood-stasis-1.json", "--no-retrieval", "--lang", "en")
    assert report.returncode == 0 and "treatment plan" in report.stdout
    assert "qi xue yu zhi zheng (气血瘀滞证)" in report.stdout  # clinical names in pinyin from the installed wheel
    refused = run("consult", "ex/missing.json")
    assert refused.returncode == 2 and "找不到病例文件" in refused.stderr

"""The error hierarchy: everything a user must fix is an InputError (exit 2), each kind with its own class."""

from __future__ import annotations

from pathlib import Path

import pytest

from derm3r.errors import CaseInputError, Derm3RError, EngineError, InputError, KnowledgeBaseError, OptionError
from derm3r.evaluation.judge import JudgeSpecError
from derm3r.evaluation.lines import EvaluationInputError
from derm3r.training.export import ExportError
from derm3r.training.settings import SettingsError
from derm3r.vision.errors import ImageInputError

CASES = Path(__file__).resolve().parents[1] / "examples" / "cases"


@pytest.mark.parametrize(
    "error", [CaseInputError, OptionError, EvaluationInputError, ImageInputError, SettingsError, ExportError,
              JudgeSpecError]
)
def test_every_input_error_is_an_input_error_and_a_value_error(error: type[Exception]) -> None:
    assert issubclass(error, InputError) and issubclass(error, ValueError) and issubclass(error, Derm3RError)


def test_input_errors_are_specific_rather_than_all_case_errors() -> None:
    from derm3r.errors import EngineInputError
    from derm3r.evaluation.run_lock import RunDirectoryBusyError
    from derm3r.kb.index_dir import IndexPathError
    from derm3r.training.settings import TrainingDataError

    for error in (OptionError, EvaluationInputError, ImageInputError, SettingsError, ExportError, EngineInputError,
                  RunDirectoryBusyError, IndexPathError, TrainingDataError):
        assert not issubclass(error, CaseInputError)
    for failure in (EngineError, KnowledgeBaseError):
        assert not issubclass(failure, InputError)


def test_the_cli_exits_2_for_each_kind_of_input_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from derm3r.cli.main import main

    runs = {
        "evaluation data": ["evaluate", str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "out")],
        "engine option": ["consult", str(CASES / "ps-blood-heat-1.json"), "--no-retrieval", "--engine-option", "x"],
    }
    for what, argv in runs.items():
        assert main(argv) == 2, what
        assert "Traceback" not in capsys.readouterr().err


def test_settings_and_engine_names_raise_option_errors_not_case_errors() -> None:
    from derm3r.engines.registry import build_engine
    from derm3r.graph.context import Settings

    with pytest.raises(OptionError, match="min_confidence") as setting:
        Settings(min_confidence=2.0)
    with pytest.raises(OptionError, match="no-such-engine") as engine:
        build_engine("no-such-engine", {})
    for raised in (setting.value, engine.value):
        assert not isinstance(raised, CaseInputError)


def test_cli_flag_mistakes_are_option_errors(tmp_path: Path) -> None:
    import argparse

    from derm3r.cli import example
    from derm3r.cli.consult import read_case

    with pytest.raises(OptionError, match="no-such-case"):
        example.run(argparse.Namespace(name="no-such-case", out=tmp_path, list=False, lang="en"))
    for args in (argparse.Namespace(text="  ", case=None), argparse.Namespace(text=None, case=None)):
        with pytest.raises(OptionError) as raised:
            read_case(args, "en")
        assert not isinstance(raised.value, CaseInputError)

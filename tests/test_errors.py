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
    for error in (OptionError, EvaluationInputError, ImageInputError, SettingsError, ExportError):
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

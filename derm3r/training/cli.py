"""``derm3r finetune``: ``prepare`` writes per-agent samples; anything else trains one agent's adapter."""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path


def _prepare_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="derm3r finetune prepare", description="Write per-agent SFT samples (JSONL) from evaluation lines."
    )
    parser.add_argument("data", type=Path, help="evaluation JSONL (DESIGN.md evaluation lines)")
    parser.add_argument("--out", type=Path, required=True, help="output folder for <agent>.{train,validation}.jsonl")
    parser.add_argument("--validation-fraction", type=float, default=0.2, help="share of patients held out")
    parser.add_argument("--case-dir", type=Path, default=None, help="folder image paths are relative to")
    parser.add_argument(
        "--patient-pattern",
        default=None,
        help="regex over case_id whose first group is the patient key (default strips a -v2/_visit2 suffix)",
    )
    return parser


def finetune_main(argv: Sequence[str]) -> int:
    """Run ``derm3r finetune prepare …`` or ``derm3r finetune --agent … --config …``.

    Args:
        argv: Arguments after ``finetune``.

    Returns:
        The exit code.
    """
    arguments = list(argv)
    if arguments[:1] == ["prepare"]:
        from derm3r.training.data import DEFAULT_PATIENT_PATTERN, prepare

        args = _prepare_parser().parse_args(arguments[1:])
        stats = prepare(
            args.data,
            args.out,
            validation_fraction=args.validation_fraction,
            patient_pattern=args.patient_pattern or DEFAULT_PATIENT_PATTERN,
            case_dir=args.case_dir,
        )
        summary = {
            agent: {k: v for k, v in asdict(s).items() if not k.startswith("patients")} for agent, s in stats.items()
        }
        print(json.dumps({"out": str(args.out), "agents": summary}, ensure_ascii=False))
        return 0
    from derm3r.training.train import main

    return main(arguments, prog="derm3r finetune")

"""``derm3r consult``: one case through the graph, printed as a report or as Consultation JSON."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from derm3r.cli.options import add_engine_arguments, parse_engine_options
from derm3r.errors import Derm3RError

AGENT_LABELS = {
    "recognize_lesions": "DERM-Rec 皮损识别",
    "represent_lesions": "DERM-Rep 皮损表征",
    "reason_holistically": "DERM-Reason 辨证论治",
    "check_safety": "安全核查",
}


def register(commands: Any) -> None:
    """Add the ``consult`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    consult = commands.add_parser("consult", help="run a consultation on a case JSON file")
    consult.add_argument("case", type=Path, help="case JSON file (DESIGN.md Case format)")
    add_engine_arguments(consult)
    consult.add_argument("--json", action="store_true", help="print the Consultation JSON instead of a report")
    consult.add_argument(
        "--min-confidence",
        type=float,
        default=None,
        help="abstain below this syndrome confidence (default: knowledge/rules/thresholds.yaml)",
    )
    consult.add_argument(
        "--allow-images-outside", action="store_true", help="accept image paths outside the case folder"
    )
    consult.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Consult the case and print the result.

    Args:
        args: The parsed ``consult`` arguments.

    Returns:
        The exit code.
    """
    from rich.console import Console

    from derm3r.api import Derm3R
    from derm3r.cli.report import render_consultation
    from derm3r.graph.context import Settings

    settings = Settings(min_confidence=args.min_confidence, allow_images_outside_case_dir=args.allow_images_outside)
    system = Derm3R(
        engine=args.engine,
        formula_scheme=args.scheme,
        settings=settings,
        retrieval=not args.no_retrieval,
        engine_options=parse_engine_options(args.engine_option),
    )
    if args.json:
        consultation = system.consult(args.case)
        print(consultation.model_dump_json(indent=2))
        return 0
    console = Console(stderr=True)
    result = None
    with console.status("会诊中…") as status:
        for node, update in system.stream(args.case):
            if node == "consultation":
                result = update["consultation"]
                continue
            ms = update.get("trace", [None])[-1]
            elapsed = f"{ms.ms:.0f} ms" if ms is not None else ""
            console.print(f"[green]✓[/] {AGENT_LABELS.get(node, node)} {elapsed}")
            status.update(f"{AGENT_LABELS.get(node, node)} 完成")
    if result is None:
        raise Derm3RError("the consultation graph finished without a result")
    render_consultation(result, Console())
    return 0

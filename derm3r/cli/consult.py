"""``derm3r consult``: one case (a file, standard input or free text) through the graph, as a report or JSON."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from derm3r.cli.options import add_engine_arguments, open_index_with_progress, parse_engine_options
from derm3r.cli.validate import probability
from derm3r.clinic.sign_labels import implications
from derm3r.errors import CaseInputError, Derm3RError, OptionError
from derm3r.i18n import t
from derm3r.printable import escape_json_text, printable_copy

#: The case id given to a free-text case.
TEXT_CASE_ID = "text"


def register(commands: Any) -> None:
    """Add the ``consult`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    consult = commands.add_parser("consult", help="run a consultation on a case JSON file, stdin or free text")
    consult.add_argument("case", nargs="?", default=None,
                         help="case JSON file (DESIGN.md Case format), or - to read the case JSON from stdin")
    consult.add_argument("--text", default=None, metavar="TEXT",
                         help="a free-text case (history, symptoms, tongue, pulse in one text); - reads it from stdin")
    add_engine_arguments(consult)
    consult.add_argument("--json", action="store_true", help="print the Consultation JSON instead of a report")
    consult.add_argument(
        "--min-confidence",
        type=probability,
        default=None,
        help="abstain below this syndrome confidence (default: knowledge/rules/thresholds.yaml)",
    )
    consult.add_argument(
        "--allow-images-outside", action="store_true", help="accept image paths outside the case folder"
    )
    consult.set_defaults(handler=run)


def read_case(args: argparse.Namespace, lang: str) -> tuple[Any, Path]:
    """The case the arguments name: a file path, a case read from stdin, or a free-text case.

    Args:
        args: The parsed ``consult`` arguments.
        lang: Language of the error messages.

    Returns:
        The case (a Case or a dict) and the folder its image paths are relative to.

    Raises:
        OptionError: When no case or two are given, or the free text is empty.
        CaseInputError: When the case (a file or stdin) is not a valid case.
    """
    if args.text is not None and args.case is not None:
        raise OptionError(t("error.case_and_text", lang))
    if args.text is not None:
        text = sys.stdin.read() if args.text == "-" else args.text
        if not text.strip():
            raise OptionError(t("error.empty_text", lang))
        return {"case_id": TEXT_CASE_ID, "history": text.strip()}, Path.cwd()
    if args.case is None:
        raise OptionError(t("error.no_case", lang))
    from derm3r.case_io import load_case, parse_case

    if args.case != "-":
        return load_case(args.case)  # validated before the index is opened or a model loaded
    try:
        data = json.loads(sys.stdin.read())
    except json.JSONDecodeError as error:
        detail = f"not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        raise CaseInputError(t("error.stdin_json", lang, detail=detail)) from None
    return parse_case(data, "stdin"), Path.cwd()


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

    lang = args.lang
    case, case_dir = read_case(args, lang)
    settings = Settings(min_confidence=args.min_confidence, allow_images_outside_case_dir=args.allow_images_outside)
    system = Derm3R(
        engine=args.engine,
        formula_scheme=args.scheme,
        settings=settings,
        retrieval=not args.no_retrieval,
        engine_options=parse_engine_options(args.engine_option),
    )
    open_index_with_progress(system.passage_store, lang)
    if args.json:
        consultation = system.consult(case, case_dir=case_dir)
        print(escape_json_text(consultation.model_dump_json(indent=2)))
        return 0
    console = Console(stderr=True)
    result = None
    with console.status(t("progress.consulting", lang)) as status:
        for node, update in system.stream(case, case_dir=case_dir):
            if node == "consultation":
                result = update["consultation"]
                continue
            ms = update.get("trace", [None])[-1]
            elapsed = f"{ms.ms:.0f} ms" if ms is not None else ""
            agent = t(f"agent.{node}", lang)
            if ms is not None and (ms.adapter or "").startswith("fallback:"):
                # Not a tick: the node's model failed and the knowledge engine stood in (the trace note says why).
                console.print(f"[yellow]↺[/] {agent} {elapsed} [yellow]{t('progress.fallback', lang)}[/]")
            else:
                console.print(f"[green]✓[/] {agent} {elapsed}")
            status.update(t("progress.done", lang, agent=agent))
    if result is None:
        raise Derm3RError(t("error.no_result", lang))
    kb = system.knowledge
    herb_pinyin, disease_western = kb.herb_pinyin(), kb.disease_western()
    render_consultation(printable_copy(result), Console(), lang, herb_pinyin, disease_western, implications(kb))
    return 0

"""The ``derm3r`` command line: consult, evaluate, compare and kb; exit codes 0 ok, 1 failure, 2 bad input."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from derm3r.errors import CaseInputError, Derm3RError, KnowledgeBaseError

AGENT_LABELS = {
    "recognize_lesions": "DERM-Rec 皮损识别",
    "represent_lesions": "DERM-Rep 皮损表征",
    "reason_holistically": "DERM-Reason 辨证论治",
    "check_safety": "安全核查",
}


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="derm3r", description="DERM-3R TCM dermatology consultation.")
    commands = parser.add_subparsers(dest="command", required=True)

    consult = commands.add_parser("consult", help="run a consultation on a case JSON file")
    consult.add_argument("case", type=Path, help="case JSON file (DESIGN.md Case format)")
    consult.add_argument("--engine", default="knowledge", help="engine name (default: knowledge)")
    consult.add_argument(
        "--engine-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="engine setting, repeatable (e.g. model=DIR, adapters_dir=DIR, base_url=URL, fallback=false)",
    )
    consult.add_argument("--json", action="store_true", help="print the Consultation JSON instead of a report")
    consult.add_argument("--scheme", default="textbook", choices=["textbook", "beijing"], help="formula school")
    consult.add_argument("--min-confidence", type=float, default=0.35, help="abstain below this syndrome confidence")
    consult.add_argument("--no-retrieval", action="store_true", help="skip the vector store")
    consult.add_argument(
        "--allow-images-outside", action="store_true", help="accept image paths outside the case folder"
    )

    evaluate = commands.add_parser("evaluate", help="evaluate against expert plans (DESIGN.md evaluation lines)")
    evaluate.add_argument("data", type=Path, help="JSONL file, one {case, expert} object per line")
    evaluate.add_argument("--out", type=Path, required=True, help="run directory for results and reports")
    evaluate.add_argument("--engine", default="knowledge", help="engine name (default: knowledge)")
    evaluate.add_argument(
        "--engine-option",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="engine setting, repeatable (e.g. model=DIR, adapters_dir=DIR, base_url=URL, fallback=false)",
    )
    evaluate.add_argument("--concurrency", type=int, default=1, help="cases consulted at once (default: 1)")
    evaluate.add_argument("--resume", action="store_true", help="keep results.jsonl and evaluate only the rest")
    evaluate.add_argument("--limit", type=int, default=None, help="evaluate only the first N lines")
    evaluate.add_argument("--case-dir", type=Path, default=None, help="folder image paths are relative to "
                          "(default: the data file's folder)")
    evaluate.add_argument("--scheme", default="textbook", choices=["textbook", "beijing"], help="formula school")
    evaluate.add_argument("--no-retrieval", action="store_true", help="skip the vector store")
    evaluate.add_argument("--no-progress", action="store_true", help="no progress bar")
    evaluate.add_argument("--judge", default=None, metavar="ENGINE_SPEC", help="also score each case with an LLM "
                          "judge, e.g. openai:base_url=http://127.0.0.1:8000/v1,model=judge-model")

    compare = commands.add_parser("compare", help="compare evaluation runs side by side")
    compare.add_argument("runs", type=Path, nargs="+", help="run directories written by derm3r evaluate")

    kb = commands.add_parser("kb", help="knowledge base tools")
    kb_commands = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_commands.add_parser("check", help="validate the knowledge base")
    check.add_argument("--json", action="store_true", help="print counts as JSON")
    check.add_argument("--path", type=Path, default=None, help="knowledge directory")
    build = kb_commands.add_parser("build", help="(re)build the vector index")
    build.add_argument("--path", type=Path, default=None, help="knowledge directory")
    search = kb_commands.add_parser("search", help="search the knowledge base")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--kind", choices=["disease", "syndrome", "formula", "herb"], default=None)
    search.add_argument("--disease", default=None, help="keep only passages of this disease id")
    search.add_argument("--mode", choices=["dense", "bm25", "hybrid"], default="hybrid", help="retriever")
    search.add_argument("--path", type=Path, default=None, help="knowledge directory")

    # Parsed by derm3r.training itself (main() hands the arguments over); listed here for `derm3r --help`.
    commands.add_parser(
        "finetune",
        help="`finetune prepare DATA.jsonl --out DIR`, `finetune --agent rec|rep|reason --config FILE` or "
        "`finetune export ADAPTERS --out DIR --mode vllm|merge`",
    )
    return parser


def parse_engine_options(items: Sequence[str]) -> dict[str, Any]:
    """Turn ``KEY=VALUE`` strings into engine options; values that read as JSON (true, 3, 0.5) are typed.

    Args:
        items: The ``--engine-option`` values.

    Returns:
        The options.

    Raises:
        CaseInputError: For an item without ``=``.
    """
    options: dict[str, Any] = {}
    for item in items:
        key, sep, raw = item.partition("=")
        if not sep or not key.strip():
            raise CaseInputError(f"--engine-option {item!r}: expected KEY=VALUE")
        try:
            options[key.strip()] = json.loads(raw)
        except json.JSONDecodeError:
            options[key.strip()] = raw
    return options


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Args:
        argv: Arguments (defaults to ``sys.argv[1:]``).

    Returns:
        The exit code.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["finetune"]:
        args = argparse.Namespace(command="finetune", rest=arguments[1:])
    else:
        args = build_parser().parse_args(arguments)
    try:
        if args.command == "finetune":
            return _finetune(args.rest)
        if args.command == "consult":
            return _consult(args)
        if args.command == "evaluate":
            return _evaluate(args)
        if args.command == "compare":
            return _compare(args)
        return _kb(args)
    except CaseInputError as error:
        print(f"derm3r: {error}", file=sys.stderr)
        return 2
    except KnowledgeBaseError as error:
        print(f"derm3r: {error}", file=sys.stderr)
        return 1
    except Derm3RError as error:
        print(f"derm3r: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # a user sees one line; DERM3R_DEBUG=1 shows the traceback for a bug report
        if os.environ.get("DERM3R_DEBUG"):
            raise
        print(f"derm3r: internal error ({type(error).__name__}: {error}); rerun with DERM3R_DEBUG=1 for details",
              file=sys.stderr)
        return 1


def _consult(args: argparse.Namespace) -> int:
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


def _evaluate(args: argparse.Namespace) -> int:
    from derm3r.api import Derm3R
    from derm3r.evaluation.lines import EvaluationInputError

    if args.concurrency < 1:
        raise EvaluationInputError(f"--concurrency: must be at least 1, got {args.concurrency}")
    if args.limit is not None and args.limit < 0:
        raise EvaluationInputError(f"--limit: must not be negative, got {args.limit}")
    if not args.data.is_file():
        raise EvaluationInputError(f"{args.data}: evaluation data file not found")
    system = Derm3R(
        engine=args.engine,
        formula_scheme=args.scheme,
        retrieval=not args.no_retrieval,
        engine_options=parse_engine_options(args.engine_option),
    )
    judge = None
    if args.judge:
        from derm3r.evaluation.judge import build_judge

        judge = build_judge(args.judge, args.out, system.knowledge)
    from derm3r.evaluation.runner import evaluate

    run = evaluate(system, args.data, args.out, concurrency=args.concurrency, resume=args.resume, limit=args.limit,
                   case_dir=args.case_dir, progress=not args.no_progress, judge=judge)
    metrics = run.metrics
    print(f"{metrics['cases']} cases ({run.evaluated} evaluated now, {run.skipped} resumed), "
          f"{metrics['errors']} errors; reports in {run.out_dir}")
    for name in ("disease_acc", "syndrome_acc", "syndrome_mc_acc", "formula_match", "herb_f1", "abstained"):
        if name in metrics["metrics"]:
            summary = metrics["metrics"][name]
            print(f"  {name:16} {summary['mean']:.3f} [{summary['ci_low']:.3f}, {summary['ci_high']:.3f}]")
    if "judge" in metrics:
        print(f"  judge {metrics['judge']['model']}: {metrics['judge']['judged']} judged, "
              f"{metrics['judge']['errors']} judge errors (0–10 means in metrics.json)")
    return 0


def _compare(args: argparse.Namespace) -> int:
    from rich.console import Console

    from derm3r.evaluation.compare import compare, render_compare_text

    titles, runs, path = compare(args.runs)
    console = Console()
    console.print(render_compare_text(titles, runs))
    console.print(f"written {path}")
    return 0


def _kb(args: argparse.Namespace) -> int:
    from derm3r.kb.check import check_knowledge_base
    from derm3r.kb.loader import load_knowledge_base
    from derm3r.paths import cache_dir, knowledge_dir

    kb = load_knowledge_base(args.path or knowledge_dir())
    if args.kb_command == "check":
        report = check_knowledge_base(kb)
        if args.json:
            print(json.dumps({**report.counts, "errors": len(report.errors), "warnings": len(report.warnings)}))
        else:
            for line in report.errors:
                print(f"error: {line}")
            for line in report.warnings:
                print(f"warning: {line}")
            counts = ", ".join(f"{key} {value}" for key, value in report.counts.items())
            verdict = "OK" if report.ok else "FAILED"
            print(f"{verdict}: {counts}; {len(report.errors)} errors, {len(report.warnings)} warnings")
        return 0 if report.ok else 1
    from derm3r.kb.store import KnowledgeStore

    store = KnowledgeStore(kb, cache_dir() / "index")
    if args.kb_command == "build":
        store.open()
        print(f"index {'rebuilt' if store.rebuilt else 'up to date'}: {store.count()} passages at {store.path}")
        return 0
    for passage in store.search(args.query, k=args.k, kind=args.kind, disease=args.disease, mode=args.mode):
        print(f"{passage.score:.4f}  {passage.id}  {passage.text[:80]}")
    return 0


def _finetune(rest: list[str]) -> int:
    from derm3r.training.cli import finetune_main

    return finetune_main(rest)


if __name__ == "__main__":
    sys.exit(main())

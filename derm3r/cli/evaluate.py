"""``derm3r evaluate``: a data file scored against its expert plans into a run directory."""

from __future__ import annotations

import argparse
from typing import Any

from derm3r.cli.options import add_engine_arguments, open_index_with_progress, parse_engine_options
from derm3r.cli.validate import file_path, whole_number
from derm3r.i18n import t
from derm3r.printable import printable


def register(commands: Any) -> None:
    """Add the ``evaluate`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    evaluate = commands.add_parser("evaluate", help="evaluate against expert plans (DESIGN.md evaluation lines)")
    evaluate.add_argument("data", type=file_path, help="JSONL file, one {case, expert} object per line")
    evaluate.add_argument("--out", type=file_path, required=True, help="run directory for results and reports")
    add_engine_arguments(evaluate)
    evaluate.add_argument("--concurrency", type=whole_number(1), default=1, help="cases consulted at once")
    evaluate.add_argument("--resume", action="store_true", help="keep results.jsonl's records of unchanged lines "
                          "and evaluate only the rest")
    evaluate.add_argument("--overwrite", action="store_true", help="discard the results already in --out")
    evaluate.add_argument("--limit", type=whole_number(0), default=None, help="evaluate only the first N lines")
    evaluate.add_argument("--case-dir", type=file_path, default=None, help="folder image paths are relative to "
                          "(None: the data file's folder)")
    evaluate.add_argument("--no-progress", action="store_true", help="no progress bar")
    evaluate.add_argument("--judge", default=None, metavar="ENGINE_SPEC", help="also score each case with an LLM "
                          "judge, e.g. openai:base_url=http://127.0.0.1:8000/v1,model=judge-model")
    evaluate.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Evaluate and print a summary of the metrics.

    Args:
        args: The parsed ``evaluate`` arguments.

    Returns:
        The exit code.
    """
    from derm3r.evaluation.lines import EvaluationInputError

    if args.concurrency < 1:
        raise EvaluationInputError(f"--concurrency: must be at least 1, got {args.concurrency}")
    if args.limit is not None and args.limit < 0:
        raise EvaluationInputError(f"--limit: must not be negative, got {args.limit}")
    if not args.data.is_file():
        raise EvaluationInputError(f"{args.data}: evaluation data file not found")
    from derm3r.evaluation.resume import refuse_unasked_overwrite
    from derm3r.evaluation.run_lock import RunLock, open_run_directory

    # The run directory is locked and checked before the engine loads (seconds to minutes for a model), so
    # a second run on the same --out, or one that would discard results, is refused at once.
    with RunLock(open_run_directory(args.out)) as lock:
        refuse_unasked_overwrite(lock.path.parent, resume=args.resume, overwrite=args.overwrite)
        return _evaluate_held(args, lock)


def _evaluate_held(args: argparse.Namespace, lock: Any) -> int:
    """Load the engine and evaluate into the run directory whose lock is held."""
    from derm3r.api import Derm3R

    system = Derm3R(
        engine=args.engine,
        formula_scheme=args.scheme,
        retrieval=not args.no_retrieval,
        engine_options=parse_engine_options(args.engine_option),
    )
    open_index_with_progress(system.passage_store, args.lang)
    judge = None
    if args.judge:
        from derm3r.evaluation.judge import build_judge

        judge = build_judge(args.judge, args.out, system.knowledge)
    from derm3r.evaluation.runner import evaluate

    run = evaluate(system, args.data, args.out, concurrency=args.concurrency, resume=args.resume,
                   overwrite=args.overwrite, limit=args.limit, case_dir=args.case_dir, progress=not args.no_progress,
                   judge=judge, lang=args.lang, held_lock=lock)
    metrics = run.metrics
    print(t("evaluate.summary", args.lang, cases=metrics["cases"], evaluated=run.evaluated, skipped=run.skipped,
            errors=metrics["errors"], out=printable(run.out_dir)))
    if run.stale:
        shown = printable(", ".join(run.stale[:10])) + (" …" if len(run.stale) > 10 else "")
        print("  " + t("evaluate.stale", args.lang, count=len(run.stale), cases=shown))
    for name in ("disease_acc", "syndrome_acc", "syndrome_mc_acc", "formula_match", "herb_f1", "abstained"):
        if name in metrics["metrics"]:
            summary = metrics["metrics"][name]
            print(f"  {name:16} {summary['mean']:.3f} [{summary['ci_low']:.3f}, {summary['ci_high']:.3f}]")
    if "judge" in metrics:
        judged = metrics["judge"]
        print("  " + t("evaluate.judge", args.lang, model=judged["model"], judged=judged["judged"],
                       errors=judged["errors"]))
    return 0

"""``derm3r kb check|build|search``: knowledge-base tools."""

from __future__ import annotations

import argparse
import json
from typing import Any

from derm3r.cli.validate import file_path, whole_number
from derm3r.errors import KnowledgeBaseError, OptionError
from derm3r.i18n import t
from derm3r.printable import printable


def register(commands: Any) -> None:
    """Add the ``kb`` subcommand and its own subcommands.

    Args:
        commands: The top-level parser's subparsers action.
    """
    kb = commands.add_parser("kb", help="knowledge base tools")
    kb.set_defaults(handler=run)
    kb_commands = kb.add_subparsers(dest="kb_command", required=True)
    check = kb_commands.add_parser("check", help="validate the knowledge base")
    check.add_argument("--json", action="store_true", help="print counts as JSON")
    check.add_argument("--path", type=file_path, default=None, help="knowledge directory")
    build = kb_commands.add_parser("build", help="(re)build the vector index")
    build.add_argument("--path", type=file_path, default=None, help="knowledge directory")
    export = kb_commands.add_parser("export", help="write a review sheet: one table per kind")
    export.add_argument("--review", action="store_true", required=True, help="the review sheet (the only export)")
    export.add_argument("--format", choices=["html", "csv"], default="html", help="file format of the tables")
    export.add_argument("--out", type=file_path, required=True, help="folder for the tables")
    export.add_argument("--path", type=file_path, default=None, help="knowledge directory")
    search = kb_commands.add_parser("search", help="search the knowledge base")
    search.add_argument("query", help="what to look for, in Chinese or English")
    search.add_argument("-k", type=whole_number(1), default=5, help="passages to show")
    search.add_argument("--kind", choices=["disease", "syndrome", "formula", "herb"], default=None,
                        help="keep only passages of this kind")
    search.add_argument("--disease", default=None, help="keep only passages of this disease id")
    search.add_argument("--mode", choices=["dense", "bm25", "hybrid"], default="hybrid", help="retriever")
    search.add_argument("--path", type=file_path, default=None, help="knowledge directory")


def run(args: argparse.Namespace) -> int:
    """Run the chosen kb subcommand.

    Args:
        args: The parsed ``kb`` arguments.

    Returns:
        The exit code: 1 when ``kb check`` finds errors.
    """
    from derm3r.kb.loader import load_knowledge_base
    from derm3r.paths import knowledge_dir

    if args.path is None:
        kb = load_knowledge_base(knowledge_dir())
    else:  # a folder the user named: whatever is wrong with it is bad input
        try:
            kb = load_knowledge_base(args.path)
        except (KnowledgeBaseError, OSError) as error:
            raise OptionError(f"--path {printable(args.path)}: {printable(error)}") from None
    if args.path is not None and not kb.diseases:
        raise OptionError(f"--path {printable(args.path)}: not a knowledge directory (no knowledge entries found)")
    if args.kb_command == "check":
        return _check(kb, as_json=args.json, lang=args.lang)
    if args.kb_command == "export":
        from derm3r.kb.review import write_review

        paths = write_review(kb, args.out, args.format)
        print(t("kb.exported", args.lang, count=len(paths), out=printable(args.out)))
        return 0
    from derm3r.kb.store import KnowledgeStore
    from derm3r.paths import cache_dir

    store = KnowledgeStore(kb, cache_dir() / "index")
    if args.kb_command == "build":
        from derm3r.cli.options import open_index_with_progress

        open_index_with_progress(store, args.lang)
        key = "kb.index_rebuilt" if store.rebuilt else "kb.index_current"
        print(t(key, args.lang, count=store.count(), path=printable(store.path)))
        return 0
    for passage in store.search(args.query, k=args.k, kind=args.kind, disease=args.disease, mode=args.mode):
        print(printable(f"{passage.score:.4f}  {passage.id}  {passage.text[:80]}"))
    return 0


def _check(kb: Any, *, as_json: bool, lang: str) -> int:
    from derm3r.kb.check import check_knowledge_base

    report = check_knowledge_base(kb)
    if as_json:
        print(json.dumps({**report.counts, "errors": len(report.errors), "warnings": len(report.warnings)}))
    else:
        for line in report.errors:
            print(t("kb.check_error", lang, line=printable(line)))
        for line in report.warnings:
            print(t("kb.check_warning", lang, line=printable(line)))
        counts = ", ".join(f"{key} {value}" for key, value in report.counts.items())
        print(t("kb.check_ok" if report.ok else "kb.check_failed", lang, counts=counts, errors=len(report.errors),
                warnings=len(report.warnings)))
    return 0 if report.ok else 1

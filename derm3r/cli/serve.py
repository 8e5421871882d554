"""``derm3r serve``: the REST API and the clinician's web page (needs the ``serve`` extra)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from derm3r.cli.options import parse_engine_options
from derm3r.cli.validate import probability
from derm3r.i18n import t
from derm3r.printable import printable
from derm3r.server.settings import ServerConfigError, ServerSettings


def register(commands: Any) -> None:
    """Add the ``serve`` subcommand.

    Args:
        commands: The top-level parser's subparsers action.
    """
    serve = commands.add_parser("serve", help="web page + REST API on 127.0.0.1:8765 (patient record in --data-dir)")
    serve.add_argument("--host", default="127.0.0.1", help="interface to bind (any other than 127.0.0.1 "
                        "needs --token or DERM3R_TOKEN)")
    serve.add_argument("--port", type=int, default=8765, help="TCP port")
    serve.add_argument("--data-dir", type=Path, default=ServerSettings().data_dir,
                        help="folder of the SQLite patient record")
    serve.add_argument("--database-url", default=os.environ.get("DERM3R_DATABASE_URL"),
                        help="SQLAlchemy URL of the record instead of SQLite, e.g. "
                        "postgresql+psycopg://user@host/db (or DERM3R_DATABASE_URL)")
    serve.add_argument("--token", default=None, help="bearer token /api requests must carry (prefer the "
                        "DERM3R_TOKEN variable: a flag is visible to other users in the process list)")
    serve.add_argument("--engine", default="knowledge", help="engine name")
    serve.add_argument("--engine-option", action="append", default=[], metavar="KEY=VALUE",
                        help="engine setting, repeatable (as for derm3r consult)")
    serve.add_argument("--scheme", default="textbook", choices=["textbook", "beijing"], help="formula school")
    serve.add_argument(
        "--min-confidence",
        type=probability,
        default=None,
        help="abstain below this syndrome confidence (default: knowledge/rules/thresholds.yaml)",
    )
    serve.add_argument("--no-retrieval", action="store_true", help="skip the vector store in consultations")
    serve.add_argument("--index-path", type=Path, default=None,
                       help="folder of the vector index (default: the user cache directory)")
    serve.add_argument("--max-images", type=int, default=12, help="images one request may upload")
    serve.add_argument("--no-photo-record", action="store_true",
                       help="analyse the photos uploaded with a visit but keep only their findings, not the photos")
    serve.add_argument("--photo-retention-days", type=int, default=None, metavar="DAYS",
                       help="delete a visit's photos this many days after the visit (its findings stay); "
                       "default: keep them until a clinician deletes them")
    serve.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"],
                       help="server log level")
    serve.set_defaults(handler=run)


def settings_from_args(args: argparse.Namespace) -> ServerSettings:
    """Turn parsed flags (and DERM3R_TOKEN) into validated settings.

    Raises:
        ServerConfigError: For unsafe or malformed settings.
        OptionError: For a malformed --engine-option.
    """
    settings = ServerSettings(
        host=args.host,
        port=args.port,
        data_dir=args.data_dir,
        database_url=args.database_url,
        token=args.token or os.environ.get("DERM3R_TOKEN") or None,
        engine=args.engine,
        engine_options=parse_engine_options(args.engine_option),
        retrieval=not args.no_retrieval,
        index_path=args.index_path,
        formula_scheme=args.scheme,
        min_confidence=args.min_confidence,
        max_images=args.max_images,
        keep_photos=not args.no_photo_record,
        photo_retention_days=args.photo_retention_days,
    )
    settings.validate()
    return settings


def migrate_or_explain(settings: ServerSettings) -> str:
    """Connect to the record and apply its migrations now, so a bad URL is one line, not a startup traceback.

    Args:
        settings: The server's settings.

    Returns:
        "" when the record is ready, else what went wrong.
    """
    from sqlalchemy.exc import ArgumentError, SQLAlchemyError

    from derm3r.server.db.migrate import upgrade
    from derm3r.server.db.session import make_engine

    try:
        engine = make_engine(settings.sqlalchemy_url)
    except (ArgumentError, ImportError, ValueError) as error:
        return f"--database-url: cannot use it ({type(error).__name__}: {error})"
    try:
        upgrade(engine)
    except (SQLAlchemyError, OSError) as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"--database-url/--data-dir: the patient record cannot be opened ({first})"
    finally:
        engine.dispose()
    return ""


def run(args: argparse.Namespace) -> int:
    """Refuse unsafe settings (exit 2), then serve until interrupted; migrations run at startup.

    Args:
        args: The parsed ``serve`` arguments.

    Returns:
        The exit code.
    """
    try:
        settings = settings_from_args(args)
    except ServerConfigError as error:
        print(t("serve.error", args.lang, detail=printable(error)), file=sys.stderr)
        return 2
    try:
        import uvicorn

        from derm3r.server.app import create_app
    except ImportError as error:
        print(t("serve.needs_extra", args.lang, detail=printable(error)), file=sys.stderr)
        return 1
    error_line = migrate_or_explain(settings)
    if error_line:
        print(t("serve.error", args.lang, detail=printable(error_line)), file=sys.stderr)
        return 2
    app = create_app(settings)
    shown = f"[{settings.host}]" if ":" in settings.host else settings.host
    record = t("serve.record_url", args.lang) if settings.database_url else settings.sqlalchemy_url
    print(t("serve.listening", args.lang, host=shown, port=settings.port, record=record), file=sys.stderr)
    uvicorn.run(app, host=settings.host, port=settings.port, log_level=args.log_level, access_log=False)
    return 0

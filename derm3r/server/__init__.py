"""``derm3r serve``: a FastAPI app (REST API + the clinician's web page) over the same graph as the CLI.

Needs the ``serve`` extra (fastapi, uvicorn, sqlalchemy, alembic …): ``pip install 'derm3r[serve]'``.
Importing this package is cheap; FastAPI loads with :func:`create_app`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from derm3r.server.settings import ServerConfigError, ServerSettings

__all__ = ["ServerConfigError", "ServerSettings", "create_app"]

if TYPE_CHECKING:
    from derm3r.server.app import create_app


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from derm3r.server.app import create_app

        return create_app
    raise AttributeError(f"module 'derm3r.server' has no attribute {name!r}")

"""The FastAPI application: ``create_app(settings)`` builds it; its lifespan builds the services once."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from derm3r import __version__
from derm3r.server.deps import Services
from derm3r.server.errors import install_error_handlers
from derm3r.server.routes import consult, health, kb, page_text, patients, safety
from derm3r.server.settings import ServerSettings

if TYPE_CHECKING:
    from derm3r.api import Derm3R

STATIC_DIR = Path(__file__).resolve().parent / "static"
FORM_OVERHEAD_BYTES = 4_000_000


def build_services(settings: ServerSettings, system: Derm3R | None = None) -> Services:
    """Build what every request shares: the Derm3R system, the migrated database and the retriever.

    Args:
        settings: The server's settings.
        system: A Derm3R already built (tests share one); built from ``settings`` when None.

    Returns:
        The services.
    """
    from derm3r.api import Derm3R
    from derm3r.graph.context import Settings
    from derm3r.kb.store import KnowledgeStore
    from derm3r.paths import cache_dir
    from derm3r.server.db.migrate import upgrade
    from derm3r.server.db.session import make_engine, make_sessions
    from derm3r.server.retention import PhotoRetention

    if system is None:
        system = Derm3R(
            engine=settings.engine,
            index_path=settings.index_path,
            retrieval=settings.retrieval,
            formula_scheme=settings.formula_scheme,
            settings=Settings(min_confidence=settings.min_confidence),
            engine_options=settings.engine_options,
        )
    engine = make_engine(settings.sqlalchemy_url)
    upgrade(engine)
    store = system.store or KnowledgeStore(system.knowledge, settings.index_path or cache_dir() / "index")
    sessions = make_sessions(engine)
    retention = PhotoRetention(settings.photo_retention_days)
    retention.enforce(sessions)
    return Services(settings=settings, system=system, sessions=sessions, store=store, retention=retention)


def create_app(settings: ServerSettings | None = None, *, system: Derm3R | None = None) -> FastAPI:
    """Build the app: API routers, the web page, JSON errors; services are created at startup.

    Args:
        settings: The server's settings (defaults: loopback, SQLite in the default data folder).
        system: A Derm3R to use instead of building one at startup.

    Returns:
        The FastAPI application.

    Raises:
        ServerConfigError: When the settings are unsafe (e.g. a network host without a token).
    """
    settings = settings or ServerSettings()
    settings.validate()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = build_services(settings, system)
        app.state.services = services
        try:
            yield
        finally:
            services.sessions.kw["bind"].dispose()

    app = FastAPI(
        title="derm3r",
        version=__version__,
        description="DERM-3R TCM dermatology consultation: REST API and clinician's web page.",
        lifespan=lifespan,
        max_body_size=settings.max_images * settings.max_image_bytes + FORM_OVERHEAD_BYTES,
    )
    install_error_handlers(app)
    for module in (health, consult, safety, kb, patients, page_text):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html", headers={"Cache-Control": "no-cache"})

    return app

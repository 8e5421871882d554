"""GET /healthz: liveness, version and engine (no token needed; it says nothing about patients)."""

from __future__ import annotations

from fastapi import APIRouter

from derm3r import __version__
from derm3r.server.deps import ServicesDep
from derm3r.server.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/healthz")
def healthz(services: ServicesDep) -> Health:
    """Say the server is up, and with which engine and database."""
    backend = services.sessions.kw["bind"].url.get_backend_name()
    return Health(version=__version__, engine=services.system.engine.name, database=backend,
                  auth=services.settings.token is not None, photos_kept=services.settings.keep_photos,
                  photo_retention_days=services.settings.photo_retention_days)

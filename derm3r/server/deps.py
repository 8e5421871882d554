"""Request dependencies: the objects built once at startup, handed to routes with ``Depends``."""

from __future__ import annotations

import hmac
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session, sessionmaker

from derm3r.api import Derm3R
from derm3r.kb.store import KnowledgeStore
from derm3r.server.retention import PhotoRetention
from derm3r.server.settings import ServerSettings


@dataclass
class Services:
    """What the lifespan builds: the settings, the consultation system and the record's sessions."""

    settings: ServerSettings
    system: Derm3R
    sessions: sessionmaker[Session]
    store: KnowledgeStore
    retention: PhotoRetention


def get_services(request: Request) -> Services:
    """The services of the running app (built by its lifespan)."""
    services: Services = request.app.state.services
    return services


def get_settings(services: Annotated[Services, Depends(get_services)]) -> ServerSettings:
    """The server's settings."""
    return services.settings


def get_system(services: Annotated[Services, Depends(get_services)]) -> Derm3R:
    """The Derm3R system every consultation runs on."""
    return services.system


def get_session(services: Annotated[Services, Depends(get_services)]) -> Iterator[Session]:
    """A database session for one request, closed after it."""
    with services.sessions() as session:
        yield session


_bearer = HTTPBearer(auto_error=False, description="The server's token (--token / DERM3R_TOKEN), when it has one.")


def require_token(
    settings: Annotated[ServerSettings, Depends(get_settings)],
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> None:
    """Refuse a request without the server's bearer token, when the server has one.

    Raises:
        HTTPException: 401 when the token is missing or wrong.
    """
    if settings.token is None:
        return
    given = credentials.credentials if credentials is not None else ""
    if not hmac.compare_digest(given.encode(), settings.token.encode()):
        raise HTTPException(
            status_code=401,
            detail="Authorization: a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )


def enforce_photo_retention(services: Annotated[Services, Depends(get_services)]) -> None:
    """Delete photos past the retention period before a record request reads them (at most hourly)."""
    services.retention.enforce(services.sessions)


ServicesDep = Annotated[Services, Depends(get_services)]
SystemDep = Annotated[Derm3R, Depends(get_system)]
SettingsDep = Annotated[ServerSettings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]

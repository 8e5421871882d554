"""What one ``derm3r serve`` process is configured with, and the rule that keeps it safe by default."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from derm3r.errors import Derm3RError

LOOPBACK_NAMES = frozenset({"localhost"})
#: Per-file byte cap of uploads: the image intake's own default (derm3r.vision.intake.load_image).
INTAKE_MAX_FILE_BYTES = 30_000_000


class ServerConfigError(Derm3RError, ValueError):
    """The server was asked to start in a way that is unsafe or malformed; the message names the setting."""


@dataclass(frozen=True)
class ServerSettings:
    """Settings of one server process.

    Attributes:
        host: Interface to bind; anything but loopback needs ``token``.
        port: TCP port.
        data_dir: Folder of the SQLite patient record (and nothing else of the patient's).
        database_url: An SQLAlchemy URL (e.g. ``postgresql+psycopg://…``) used instead of the SQLite file.
        token: Bearer token every /api request must carry; None means no authentication (loopback only).
        engine: Engine name handed to Derm3R.
        engine_options: Engine settings handed to Derm3R.
        retrieval: Retrieve knowledge passages (the vector store) for the agents.
        index_path: Where the vector index lives (default: the user cache directory).
        formula_scheme: Preferred school of formulas.
        min_confidence: Abstain below this syndrome confidence; None uses the knowledge base's
            ``threshold.min_confidence`` (knowledge/rules/thresholds.yaml), as the CLI and Python API do.
        max_images: Images one request may upload.
        max_image_bytes: Bytes one uploaded image may have.
        max_image_pixels: Working pixel cap handed to the image intake.
        keep_photos: Keep the photos uploaded with a patient's visit in the record (False: analyse them, keep
            only their findings).
        photo_retention_days: Days a visit's photos are kept before the server deletes them (their findings
            stay); None keeps them until a clinician deletes them.
    """

    host: str = "127.0.0.1"
    port: int = 8765
    data_dir: Path = field(default_factory=lambda: Path.home() / ".local" / "share" / "derm3r")
    database_url: str | None = None
    token: str | None = None
    engine: str = "knowledge"
    engine_options: dict[str, Any] = field(default_factory=dict)
    retrieval: bool = True
    index_path: Path | None = None
    formula_scheme: str = "textbook"
    min_confidence: float | None = None
    max_images: int = 12
    max_image_bytes: int = INTAKE_MAX_FILE_BYTES
    max_image_pixels: int = 4_000_000
    keep_photos: bool = True
    photo_retention_days: int | None = None

    @property
    def sqlalchemy_url(self) -> str:
        """The database URL: ``database_url`` or the SQLite file in ``data_dir``."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'derm3r.sqlite3').resolve()}"

    def validate(self) -> None:
        """Refuse settings that would expose patient data or cannot work.

        Raises:
            ServerConfigError: For a non-loopback host without a token, a bad port or bad limits.
        """
        if not is_loopback(self.host) and not self.token:
            raise ServerConfigError(
                f"--host {self.host}: binding to a non-loopback address needs a bearer token "
                "(--token or DERM3R_TOKEN); refusing to serve patient data unauthenticated"
            )
        if self.token is not None and len(self.token) < 16:
            raise ServerConfigError("--token: use at least 16 characters")
        if not 0 <= self.port <= 65535:
            raise ServerConfigError(f"--port: expected 0–65535, got {self.port}")
        if self.max_images < 0 or self.max_image_bytes < 1 or self.max_image_pixels < 1:
            raise ServerConfigError("upload limits: expected positive numbers")
        if self.photo_retention_days is not None:
            if self.photo_retention_days < 1:
                raise ServerConfigError(f"--photo-retention-days: expected a whole number of days >= 1, "
                                        f"got {self.photo_retention_days}")
            if not self.keep_photos:
                raise ServerConfigError("--photo-retention-days: the server keeps no photos (--no-photo-record), "
                                        "so there is nothing to retain; drop one of the two")
        if self.database_url is not None and "://" not in self.database_url:
            raise ServerConfigError(f"--database-url: expected an SQLAlchemy URL, got {self.database_url!r}")


def is_loopback(host: str) -> bool:
    """Say whether ``host`` names only this machine (127.0.0.0/8, ::1 or localhost)."""
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False

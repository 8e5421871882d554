"""Alembic environment: migrations run on the connection handed over by derm3r.server.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from derm3r.server.db.models import Base

target_metadata = Base.metadata


def run_migrations() -> None:
    """Run the migrations online, on the caller's connection when there is one."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.begin() as own_connection:
        context.configure(connection=own_connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


run_migrations()

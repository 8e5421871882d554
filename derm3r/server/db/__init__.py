"""The patient record: SQLAlchemy models, engine/session setup and Alembic migrations."""

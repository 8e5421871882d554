"""The photos uploaded with each visit.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the visit_photos table."""
    op.create_table(
        "visit_photos",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("visit_id", sa.Integer(), sa.ForeignKey("visits.id", ondelete="CASCADE"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.UniqueConstraint("visit_id", "name", name="uq_visit_photo_name"),
    )
    op.create_index("ix_visit_photos_visit_id", "visit_photos", ["visit_id"])


def downgrade() -> None:
    """Drop the visit_photos table."""
    op.drop_index("ix_visit_photos_visit_id", "visit_photos")
    op.drop_table("visit_photos")

"""time zones

The studio's zone (``studios.time_zone``, an IANA name; existing studios keep UTC, the zone
their working hours were read in until now) and each user's display zone (``users.time_zone``;
NULL: the studio's).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-10 10:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMNs: a batch copy of users on SQLite would drop the tables pointing at it.
    op.add_column(
        "studios",
        sa.Column("time_zone", sa.String(length=64), server_default="UTC", nullable=False),
    )
    op.add_column("users", sa.Column("time_zone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "time_zone")
    op.drop_column("studios", "time_zone")

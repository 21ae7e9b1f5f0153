"""task placements

Each task keeps where the last schedule run placed it: its float towards its project's end
(``computed_float_seconds``) and whether it is on the critical path (``computed_critical``), so
the task page reads them instead of walking the whole project. They are filled by the next run.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 14:30:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD/DROP COLUMNs: a batch copy of tasks on SQLite would drop the table its time
    # logs, versions and reviews point at.
    op.add_column("tasks", sa.Column("computed_float_seconds", sa.Float(), nullable=True))
    op.add_column(
        "tasks",
        sa.Column("computed_critical", sa.Boolean(), server_default=sa.false(), nullable=False),
    )


def downgrade() -> None:
    op.drop_column("tasks", "computed_critical")
    op.drop_column("tasks", "computed_float_seconds")

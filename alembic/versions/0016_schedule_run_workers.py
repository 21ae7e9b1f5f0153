"""schedule runs: the worker carrying each out

The host name and process id of the worker that claimed a run, so a worker starting on that host
(and its watchdog) can tell a run whose worker is gone and end it. New nullable columns only.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 02:50:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_runs") as batch_op:
        batch_op.add_column(sa.Column("worker_host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("worker_pid", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("schedule_runs") as batch_op:
        batch_op.drop_column("worker_pid")
        batch_op.drop_column("worker_host")

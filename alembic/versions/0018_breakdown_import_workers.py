"""breakdown imports: the worker carrying each out

The host name and process id of the worker that claimed an import, so a worker starting on that
host (and its watchdog) can end an import whose worker is gone, which frees its project. New
nullable columns only.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 03:45:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("breakdown_imports") as batch_op:
        batch_op.add_column(sa.Column("worker_host", sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column("worker_pid", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("breakdown_imports") as batch_op:
        batch_op.drop_column("worker_pid")
        batch_op.drop_column("worker_host")

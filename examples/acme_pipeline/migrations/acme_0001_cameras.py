"""acme: the cameras of a shot

The first revision of ACME's own branch: it starts from nothing of its own and needs the app's
revision 0015 (tasks exist long before; 0015 is the app's schema it was written against).

Revision ID: acme_0001
Revises:
Create Date: 2026-12-05 00:00:00
"""

import sqlalchemy as sa

import stalker_web.models.meta
from alembic import op

revision = "acme_0001"
down_revision = None
branch_labels = ("acme_pipeline",)
depends_on = "0015"


def upgrade() -> None:
    op.create_table(
        "acme_cameras",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("focal_length", sa.Float(), nullable=False),
        sa.Column("sensor_width", sa.Float(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_acme_cameras_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acme_cameras")),
    )  # fmt: skip
    op.create_index(op.f("ix_acme_cameras_task_id"), "acme_cameras", ["task_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_acme_cameras_task_id"), table_name="acme_cameras")
    op.drop_table("acme_cameras")

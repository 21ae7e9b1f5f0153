"""breakdown imports: large breakdown files imported by the worker

Who imported which file into which project, its progress (lines checked, the stage) and its
outcome (tasks created and updated, or the refused lines); ``lock_project_id`` (UNIQUE) allows
one active import per project. A new table only.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 03:00:00.000000
"""

import sqlalchemy as sa

import stalker_web.models.meta
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "breakdown_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("lock_project_id", sa.Integer(), nullable=True),
        sa.Column("started_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "queued",
                "running",
                "succeeded",
                "failed",
                name="importstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "stage",
            sa.Enum(
                "queued",
                "checking",
                "saving",
                "done",
                name="importstage",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("csv_text", sa.Text(), nullable=False),
        sa.Column("total_lines", sa.Integer(), nullable=False),
        sa.Column("checked_lines", sa.Integer(), nullable=False),
        sa.Column("created_count", sa.Integer(), nullable=False),
        sa.Column("updated_count", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("started_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("finished_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_breakdown_imports_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["started_by_id"],
            ["users.id"],
            name=op.f("fk_breakdown_imports_started_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_breakdown_imports")),
        sa.UniqueConstraint("lock_project_id", name=op.f("uq_breakdown_imports_lock_project_id")),
    )
    with op.batch_alter_table("breakdown_imports", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_breakdown_imports_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_breakdown_imports_started_by_id"), ["started_by_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("breakdown_imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_breakdown_imports_started_by_id"))
        batch_op.drop_index(batch_op.f("ix_breakdown_imports_project_id"))
    op.drop_table("breakdown_imports")

"""schedule baselines: each successful run's computed dates per project

``schedule_baselines`` holds one row per project of a successful run (when, whose run);
``schedule_baseline_tasks`` each task's computed start and end in it. Both go with their project,
a baseline's rows with the baseline and a task's rows with the task; a deleted run or user only
clears the reference.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 23:10:00.000000
"""

import sqlalchemy as sa

import stalker_web.models.meta
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "schedule_baselines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("requested_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("task_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_schedule_baselines_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["requested_by_id"],
            ["users.id"],
            name=op.f("fk_schedule_baselines_requested_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["schedule_runs.id"],
            name=op.f("fk_schedule_baselines_run_id_schedule_runs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_schedule_baselines")),
    )
    with op.batch_alter_table("schedule_baselines", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_baselines_project_id"), ["project_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_schedule_baselines_requested_by_id"), ["requested_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_schedule_baselines_run_id"), ["run_id"], unique=False)

    op.create_table(
        "schedule_baseline_tasks",
        sa.Column("baseline_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("computed_start", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("computed_end", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["baseline_id"],
            ["schedule_baselines.id"],
            name=op.f("fk_schedule_baseline_tasks_baseline_id_schedule_baselines"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_schedule_baseline_tasks_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("baseline_id", "task_id", name=op.f("pk_schedule_baseline_tasks")),
    )
    with op.batch_alter_table("schedule_baseline_tasks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_schedule_baseline_tasks_task_id"), ["task_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("schedule_baseline_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_baseline_tasks_task_id"))
    op.drop_table("schedule_baseline_tasks")
    with op.batch_alter_table("schedule_baselines", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_schedule_baselines_run_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_baselines_requested_by_id"))
        batch_op.drop_index(batch_op.f("ix_schedule_baselines_project_id"))
    op.drop_table("schedule_baselines")

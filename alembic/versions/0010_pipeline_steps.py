"""pipeline steps

Types get a colour and an order; ``pipeline_steps`` holds what a task type means to the pipeline
(department, default effort); ``project_steps`` holds each project's board columns for shots and
for assets; the ends of tasks are indexed per project for the late and at-risk lists.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 06:18:20.297776
"""

import sqlalchemy as sa

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pipeline_steps",
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("default_schedule_timing", sa.Float(), nullable=True),
        sa.Column(
            "default_schedule_unit",
            sa.Enum("min", "h", "d", "w", "m", "y", name="timeunit", native_enum=False, length=16),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_pipeline_steps_department_id_departments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["types.id"],
            name=op.f("fk_pipeline_steps_type_id_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("type_id", name=op.f("pk_pipeline_steps")),
    )
    with op.batch_alter_table("pipeline_steps", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_pipeline_steps_department_id"), ["department_id"], unique=False
        )

    op.create_table(
        "project_steps",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("target", sa.String(length=16), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_project_steps_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["type_id"],
            ["types.id"],
            name=op.f("fk_project_steps_type_id_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("project_id", "target", "type_id", name=op.f("pk_project_steps")),
    )
    with op.batch_alter_table("project_steps", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_project_steps_type_id"), ["type_id"], unique=False)

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_tasks_project_id_computed_end", ["project_id", "computed_end"], unique=False
        )
        batch_op.create_index("ix_tasks_project_id_end", ["project_id", "end"], unique=False)

    op.add_column("types", sa.Column("color", sa.String(length=7), nullable=True))
    op.add_column("types", sa.Column("position", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    # Plain DROP COLUMNs: on SQLite a batch copy's DROP TABLE types would set every task's and
    # project's type to NULL through their foreign keys.
    op.drop_column("types", "position")
    op.drop_column("types", "color")

    with op.batch_alter_table("tasks", schema=None) as batch_op:
        batch_op.drop_index("ix_tasks_project_id_end")
        batch_op.drop_index("ix_tasks_project_id_computed_end")

    with op.batch_alter_table("project_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_project_steps_type_id"))

    op.drop_table("project_steps")
    with op.batch_alter_table("pipeline_steps", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pipeline_steps_department_id"))

    op.drop_table("pipeline_steps")

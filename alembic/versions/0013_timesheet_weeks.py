"""timesheet weeks

A person's week of time logs once submitted (``state`` submitted) and once a lead of their
department locks it (``locked``, with who and when): locked weeks' logs cannot be added to,
changed or removed until a lead unlocks the week. ``starts_at``/``ends_at`` are the UTC moments
of the week's local Monday midnights in the person's zone when submitted.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10 11:00:00.000000
"""

import sqlalchemy as sa

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "timesheet_weeks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("submitted", "locked", name="weekstate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("submitted_at", sa.DateTime(), nullable=False),
        sa.Column("locked_by_id", sa.Integer(), nullable=True),
        sa.Column("locked_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_timesheet_weeks_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["locked_by_id"], ["users.id"], name=op.f("fk_timesheet_weeks_locked_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timesheet_weeks")),
        sa.UniqueConstraint(
            "user_id", "week_start", name=op.f("uq_timesheet_weeks_user_id_week_start")
        ),
    )  # fmt: skip
    op.create_index(
        "ix_timesheet_weeks_state_week_start", "timesheet_weeks", ["state", "week_start"]
    )


def downgrade() -> None:
    op.drop_index("ix_timesheet_weeks_state_week_start", table_name="timesheet_weeks")
    op.drop_table("timesheet_weeks")

"""review counter on tasks, no overlapping time logs on PostgreSQL

``tasks.review_number`` counts the task's finalised review rounds (Stalker's
Task.review_number), so a new round is always that count + 1 instead of being re-read from the
reviews left. Existing tasks get the highest round of theirs whose reviews are all answered (a
round still waiting for an answer is the open one, not a finalised one).

On PostgreSQL, ``ex_time_logs_resource_id_no_overlap`` refuses two logs of one resource whose
[start, end) ranges overlap (touching is fine), with the btree_gist extension for the equality
on ``resource_id``. SQLite keeps the service's check only.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 23:10:00
"""

import sqlalchemy as sa

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

NO_OVERLAP = "ex_time_logs_resource_id_no_overlap"

FINALISED_ROUNDS = """
UPDATE tasks SET review_number = COALESCE((
    SELECT MAX(answered.review_number) FROM reviews AS answered
    WHERE answered.task_id = tasks.id
      AND NOT EXISTS (
        SELECT 1 FROM reviews AS waiting
        WHERE waiting.task_id = answered.task_id
          AND waiting.review_number = answered.review_number
          AND waiting.status = 'NEW'
      )
), 0)
"""


def upgrade() -> None:
    # Plain ALTER TABLE on both databases: a batch copy of ``tasks`` on SQLite would drop the
    # old table, and with foreign keys on that deletes every row that cascades from a task.
    op.add_column(
        "tasks", sa.Column("review_number", sa.Integer(), server_default="0", nullable=False)
    )
    op.execute(FINALISED_ROUNDS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
        op.execute(
            f"ALTER TABLE time_logs ADD CONSTRAINT {NO_OVERLAP} EXCLUDE USING gist "
            "(resource_id WITH =, tsrange(start, \"end\", '[)') WITH &&)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"ALTER TABLE time_logs DROP CONSTRAINT {NO_OVERLAP}")
    op.execute("ALTER TABLE tasks DROP COLUMN review_number")

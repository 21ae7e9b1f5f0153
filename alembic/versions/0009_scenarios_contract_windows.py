"""what-if scenarios, contract windows, baseline reasons

``scenarios`` with their temporary people (``scenario_people``), per-task overrides
(``scenario_task_changes``) and computed results (``scenario_task_results``); a run may belong
to a scenario (``schedule_runs.scenario_id``, locked per scenario by ``lock_scenario_id``);
users get a contract window (``available_from``/``available_until``); a baseline says why it
was kept when not simply by a run (``reason``).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 01:59:47.425293
"""

import sqlalchemy as sa

import stalker_web.models.meta
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("studio_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum("open", "promoted", name="scenariostate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("changed_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("scheduled_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("results_now", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("results_fingerprint", sa.String(length=64), nullable=True),
        sa.Column("promoted_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("promoted_by_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("generic_data", sa.JSON(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("date_updated", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_scenarios_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["promoted_by_id"],
            ["users.id"],
            name=op.f("fk_scenarios_promoted_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["studio_id"],
            ["studios.id"],
            name=op.f("fk_scenarios_studio_id_studios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_scenarios_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenarios")),
    )
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenarios_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scenarios_promoted_by_id"), ["promoted_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scenarios_state"), ["state"], unique=False)
        batch_op.create_index(batch_op.f("ix_scenarios_studio_id"), ["studio_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_scenarios_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "scenario_people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=256), nullable=False),
        sa.Column("department_id", sa.Integer(), nullable=True),
        sa.Column("efficiency", sa.Float(), nullable=False),
        sa.Column("rate", sa.Float(), nullable=False),
        sa.Column("available_from", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("available_until", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["department_id"],
            ["departments.id"],
            name=op.f("fk_scenario_people_department_id_departments"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_people_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_scenario_people_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_people")),
    )
    with op.batch_alter_table("scenario_people", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenario_people_department_id"), ["department_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scenario_people_scenario_id"), ["scenario_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_scenario_people_user_id"), ["user_id"], unique=False)

    op.create_table(
        "scenarios_tags",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["scenarios.id"],
            name=op.f("fk_scenarios_tags_entity_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_scenarios_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entity_id", "tag_id", name=op.f("pk_scenarios_tags")),
    )
    with op.batch_alter_table("scenarios_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_scenarios_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "scenario_task_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=False),
        sa.Column("left_out", sa.Boolean(), nullable=False),
        sa.Column("priority", sa.Integer(), nullable=True),
        sa.Column("schedule_timing", sa.Float(), nullable=True),
        sa.Column(
            "schedule_unit",
            sa.Enum("min", "h", "d", "w", "m", "y", name="timeunit", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("pins_changed", sa.Boolean(), nullable=False),
        sa.Column(
            "schedule_constraint",
            sa.Enum(
                "none",
                "start",
                "end",
                "both",
                name="scheduleconstraint",
                native_enum=False,
                length=16,
            ),
            nullable=True,
        ),
        sa.Column("start", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("end", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("resource_ids", sa.JSON(), nullable=True),
        sa.Column("person_ids", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_task_changes_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_scenario_task_changes_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scenario_task_changes")),
        sa.UniqueConstraint(
            "scenario_id", "task_id", name=op.f("uq_scenario_task_changes_scenario_id_task_id")
        ),
    )
    with op.batch_alter_table("scenario_task_changes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenario_task_changes_scenario_id"), ["scenario_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_scenario_task_changes_task_id"), ["task_id"], unique=False
        )

    op.create_table(
        "scenario_task_results",
        sa.Column("scenario_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("computed_start", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("computed_end", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("resource_ids", sa.JSON(), nullable=False),
        sa.Column("person_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"],
            ["scenarios.id"],
            name=op.f("fk_scenario_task_results_scenario_id_scenarios"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_scenario_task_results_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("scenario_id", "task_id", name=op.f("pk_scenario_task_results")),
    )
    with op.batch_alter_table("scenario_task_results", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_scenario_task_results_task_id"), ["task_id"], unique=False
        )

    with op.batch_alter_table("schedule_baselines", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("reason", sa.String(length=256), server_default="", nullable=False)
        )

    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scenario_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("lock_scenario_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_schedule_runs_scenario_id"), ["scenario_id"], unique=False
        )
        batch_op.create_unique_constraint(
            batch_op.f("uq_schedule_runs_lock_scenario_id"), ["lock_scenario_id"]
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_schedule_runs_scenario_id_scenarios"),
            "scenarios",
            ["scenario_id"],
            ["id"],
            ondelete="CASCADE",
        )

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("available_from", stalker_web.models.meta.UTCDateTime(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("available_until", stalker_web.models.meta.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    # Not a batch: on SQLite that would copy and drop ``users``, which the foreign keys of every
    # other table forbid. Plain column drops work on both databases (SQLite 3.35+).
    op.drop_column("users", "available_until")
    op.drop_column("users", "available_from")

    with op.batch_alter_table("schedule_runs", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_schedule_runs_scenario_id_scenarios"), type_="foreignkey"
        )
        batch_op.drop_constraint(batch_op.f("uq_schedule_runs_lock_scenario_id"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_schedule_runs_scenario_id"))
        batch_op.drop_column("lock_scenario_id")
        batch_op.drop_column("scenario_id")

    with op.batch_alter_table("schedule_baselines", schema=None) as batch_op:
        batch_op.drop_column("reason")

    with op.batch_alter_table("scenario_task_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_task_results_task_id"))

    op.drop_table("scenario_task_results")
    with op.batch_alter_table("scenario_task_changes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_task_changes_task_id"))
        batch_op.drop_index(batch_op.f("ix_scenario_task_changes_scenario_id"))

    op.drop_table("scenario_task_changes")
    with op.batch_alter_table("scenarios_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenarios_tags_tag_id"))

    op.drop_table("scenarios_tags")
    with op.batch_alter_table("scenario_people", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenario_people_user_id"))
        batch_op.drop_index(batch_op.f("ix_scenario_people_scenario_id"))
        batch_op.drop_index(batch_op.f("ix_scenario_people_department_id"))

    op.drop_table("scenario_people")
    with op.batch_alter_table("scenarios", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_scenarios_updated_by_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_studio_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_state"))
        batch_op.drop_index(batch_op.f("ix_scenarios_promoted_by_id"))
        batch_op.drop_index(batch_op.f("ix_scenarios_created_by_id"))

    op.drop_table("scenarios")

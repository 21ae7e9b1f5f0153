"""the supervisor's loop: tickets, notes, dailies, activity and notifications

Tickets numbered per project (``projects.last_ticket_number`` is the counter) with their links,
related tickets and log; notes on a project or one of its tasks, versions, reviews, tickets or
dailies, with revisions, mentions and attachments; dailies and the versions they show; the
activity records of the feed; notifications, each person's channel per kind, and the mail outbox.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 19:30:10.859607
"""

import sqlalchemy as sa

import stalker_web.models.meta
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notification_preferences",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "inbox",
                "email",
                "digest",
                "off",
                name="notificationchannel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_notification_preferences_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "kind", name=op.f("pk_notification_preferences")),
    )
    op.create_table(
        "outgoing_mails",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=True),
        sa.Column("to_address", sa.String(length=256), nullable=False),
        sa.Column("subject", sa.String(length=256), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("message_id", sa.String(length=256), nullable=False),
        sa.Column(
            "state",
            sa.Enum("queued", "sent", "failed", name="mailstate", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("sent_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_outgoing_mails_recipient_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outgoing_mails")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outgoing_mails_message_id")),
    )
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_outgoing_mails_recipient_id"), ["recipient_id"], unique=False
        )
        batch_op.create_index("ix_outgoing_mails_state_id", ["state", "id"], unique=False)

    op.create_table(
        "dailies",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("summary_sent_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
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
            name=op.f("fk_dailies_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_dailies_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"], name=op.f("fk_dailies_status_id_statuses")
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_dailies_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dailies")),
    )
    with op.batch_alter_table("dailies", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dailies_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_dailies_project_id"), ["project_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_dailies_status_id"), ["status_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_dailies_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "tickets",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=256), nullable=False),
        sa.Column("type_id", sa.Integer(), nullable=True),
        sa.Column(
            "priority",
            sa.Enum(
                "TRIVIAL",
                "MINOR",
                "MAJOR",
                "CRITICAL",
                "BLOCKER",
                name="ticketpriority",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("status_id", sa.Integer(), nullable=False),
        sa.Column("resolution", sa.String(length=32), nullable=False),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("reporter_id", sa.Integer(), nullable=True),
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
            name=op.f("fk_tickets_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_tickets_owner_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_tickets_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reporter_id"],
            ["users.id"],
            name=op.f("fk_tickets_reporter_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["status_id"], ["statuses.id"], name=op.f("fk_tickets_status_id_statuses")
        ),
        sa.ForeignKeyConstraint(
            ["type_id"], ["types.id"], name=op.f("fk_tickets_type_id_types"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_tickets_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tickets")),
        sa.UniqueConstraint("project_id", "number", name=op.f("uq_tickets_project_id_number")),
    )
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_tickets_created_by_id"), ["created_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tickets_owner_id"), ["owner_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_priority"), ["priority"], unique=False)
        batch_op.create_index(
            "ix_tickets_project_id_status_id", ["project_id", "status_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_tickets_reporter_id"), ["reporter_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_status_id"), ["status_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_tickets_type_id"), ["type_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_tickets_updated_by_id"), ["updated_by_id"], unique=False
        )

    op.create_table(
        "dailies_tags",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["dailies.id"],
            name=op.f("fk_dailies_tags_entity_id_dailies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_dailies_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entity_id", "tag_id", name=op.f("pk_dailies_tags")),
    )
    with op.batch_alter_table("dailies_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dailies_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "ticket_logs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("from_status_id", sa.Integer(), nullable=True),
        sa.Column("to_status_id", sa.Integer(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_ticket_logs_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["from_status_id"], ["statuses.id"], name=op.f("fk_ticket_logs_from_status_id_statuses")
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_logs_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["to_status_id"], ["statuses.id"], name=op.f("fk_ticket_logs_to_status_id_statuses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_logs")),
    )
    with op.batch_alter_table("ticket_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_logs_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ticket_logs_from_status_id"), ["from_status_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ticket_logs_ticket_id"), ["ticket_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ticket_logs_to_status_id"), ["to_status_id"], unique=False
        )

    op.create_table(
        "ticket_relations",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("related_ticket_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "ticket_id <> related_ticket_id", name=op.f("ck_ticket_relations_not_itself")
        ),
        sa.ForeignKeyConstraint(
            ["related_ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_relations_related_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_relations_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("ticket_id", "related_ticket_id", name=op.f("pk_ticket_relations")),
    )
    with op.batch_alter_table("ticket_relations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_ticket_relations_related_ticket_id"), ["related_ticket_id"], unique=False
        )

    op.create_table(
        "tickets_tags",
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["tickets.id"],
            name=op.f("fk_tickets_tags_entity_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_tickets_tags_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("entity_id", "tag_id", name=op.f("pk_tickets_tags")),
    )
    with op.batch_alter_table("tickets_tags", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tickets_tags_tag_id"), ["tag_id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("noted_version_id", sa.Integer(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("daily_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("date_updated", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN task_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN noted_version_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN review_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN ticket_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN daily_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name=op.f("ck_notes_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_notes_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["daily_id"], ["dailies.id"], name=op.f("fk_notes_daily_id_dailies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["noted_version_id"],
            ["versions.id"],
            name=op.f("fk_notes_noted_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_notes_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_notes_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_notes_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_notes_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notes_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_daily_id"), ["daily_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_notes_noted_version_id"), ["noted_version_id"], unique=False
        )
        batch_op.create_index("ix_notes_project_id_id", ["project_id", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notes_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "ticket_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("linked_version_id", sa.Integer(), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(CASE WHEN task_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN linked_version_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN file_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_ticket_links_one_target"),
        ),
        sa.ForeignKeyConstraint(
            ["file_id"],
            ["files.id"],
            name=op.f("fk_ticket_links_file_id_files"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["linked_version_id"],
            ["versions.id"],
            name=op.f("fk_ticket_links_linked_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["tasks.id"],
            name=op.f("fk_ticket_links_task_id_tasks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_ticket_links_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ticket_links")),
    )
    with op.batch_alter_table("ticket_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ticket_links_file_id"), ["file_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_ticket_links_linked_version_id"), ["linked_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_ticket_links_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_ticket_links_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=True),
        sa.Column("task_id", sa.Integer(), nullable=True),
        sa.Column("about_version_id", sa.Integer(), nullable=True),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("daily_id", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["about_version_id"],
            ["versions.id"],
            name=op.f("fk_activities_about_version_id_versions"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_activities_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["daily_id"],
            ["dailies.id"],
            name=op.f("fk_activities_daily_id_dailies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_activities_note_id_notes"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_activities_project_id_projects"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_activities_review_id_reviews"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_activities_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["ticket_id"],
            ["tickets.id"],
            name=op.f("fk_activities_ticket_id_tickets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_activities_about_version_id"), ["about_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_activities_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activities_daily_id"), ["daily_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_activities_date_created"), ["date_created"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_activities_note_id"), ["note_id"], unique=False)
        batch_op.create_index("ix_activities_project_id_id", ["project_id", "id"], unique=False)
        # Notifications helper: the feed's filter by kind.
        batch_op.create_index(
            "ix_activities_project_id_kind_id", ["project_id", "kind", "id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_activities_review_id"), ["review_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activities_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_activities_ticket_id"), ["ticket_id"], unique=False)

    op.create_table(
        "daily_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("daily_id", sa.Integer(), nullable=False),
        sa.Column("daily_version_id", sa.Integer(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum("approved", "revision", name="dailyoutcome", native_enum=False, length=16),
            nullable=True,
        ),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        sa.Column("answered_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_daily_versions_answered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["daily_id"],
            ["dailies.id"],
            name=op.f("fk_daily_versions_daily_id_dailies"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["daily_version_id"],
            ["versions.id"],
            name=op.f("fk_daily_versions_daily_version_id_versions"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_daily_versions_note_id_notes"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_daily_versions")),
        sa.UniqueConstraint(
            "daily_id", "daily_version_id", name=op.f("uq_daily_versions_daily_id_daily_version_id")
        ),
    )
    with op.batch_alter_table("daily_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_daily_versions_answered_by_id"), ["answered_by_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_daily_versions_daily_version_id"), ["daily_version_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_daily_versions_note_id"), ["note_id"], unique=False)

    op.create_table(
        "note_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("relative_path", sa.String(length=1024), nullable=False),
        sa.Column("original_filename", sa.String(length=256), nullable=False),
        sa.Column("mime_type", sa.String(length=128), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("thumbnail_path", sa.String(length=1024), nullable=True),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_note_attachments_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_attachments")),
        sa.UniqueConstraint("relative_path", name=op.f("uq_note_attachments_relative_path")),
    )
    with op.batch_alter_table("note_attachments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_attachments_note_id"), ["note_id"], unique=False)

    op.create_table(
        "note_mentions",
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_note_mentions_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_note_mentions_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("note_id", "user_id", name=op.f("pk_note_mentions")),
    )
    with op.batch_alter_table("note_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_mentions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "note_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("edited_by_id", sa.Integer(), nullable=True),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["edited_by_id"],
            ["users.id"],
            name=op.f("fk_note_revisions_edited_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"],
            ["notes.id"],
            name=op.f("fk_note_revisions_note_id_notes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_revisions")),
    )
    with op.batch_alter_table("note_revisions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_note_revisions_edited_by_id"), ["edited_by_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_note_revisions_note_id"), ["note_id"], unique=False)

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column(
            "channel",
            sa.Enum(
                "inbox",
                "email",
                "digest",
                "off",
                name="notificationchannel",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("read_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("digested_at", stalker_web.models.meta.UTCDateTime(), nullable=True),
        sa.Column("date_created", stalker_web.models.meta.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_notifications_activity_id_activities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"],
            ["users.id"],
            name=op.f("fk_notifications_recipient_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_notifications_activity_id"), ["activity_id"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_recipient_id_id", ["recipient_id", "id"], unique=False
        )
        batch_op.create_index(
            "ix_notifications_recipient_id_read_at", ["recipient_id", "read_at"], unique=False
        )
        # Notifications helper: the daily digest's notifications not yet digested.
        batch_op.create_index(
            "ix_notifications_channel_digested_at", ["channel", "digested_at"], unique=False
        )

    # Plain ADD/DROP COLUMNs: a batch copy of projects on SQLite would drop the tables pointing
    # at it.
    op.add_column(
        "projects",
        sa.Column("last_ticket_number", sa.Integer(), server_default="0", nullable=False),
    )
    # A batch copy of reviews on SQLite drops the old table, which deletes the rows pointing at
    # it: only this migration's tables do, and they are empty yet.
    with op.batch_alter_table("reviews") as batch_op:
        batch_op.add_column(sa.Column("request_note_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_reviews_request_note_id_notes"),
            "notes",
            ["request_note_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_reviews_request_note_id"), ["request_note_id"])


def downgrade() -> None:
    with op.batch_alter_table("reviews") as batch_op:
        batch_op.drop_index(batch_op.f("ix_reviews_request_note_id"))
        batch_op.drop_constraint(batch_op.f("fk_reviews_request_note_id_notes"), "foreignkey")
        batch_op.drop_column("request_note_id")
    op.drop_column("projects", "last_ticket_number")

    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.drop_index("ix_notifications_channel_digested_at")
        batch_op.drop_index("ix_notifications_recipient_id_read_at")
        batch_op.drop_index("ix_notifications_recipient_id_id")
        batch_op.drop_index(batch_op.f("ix_notifications_activity_id"))

    op.drop_table("notifications")
    with op.batch_alter_table("note_revisions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_revisions_note_id"))
        batch_op.drop_index(batch_op.f("ix_note_revisions_edited_by_id"))

    op.drop_table("note_revisions")
    with op.batch_alter_table("note_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_mentions_user_id"))

    op.drop_table("note_mentions")
    with op.batch_alter_table("note_attachments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_attachments_note_id"))

    op.drop_table("note_attachments")
    with op.batch_alter_table("daily_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daily_versions_note_id"))
        batch_op.drop_index(batch_op.f("ix_daily_versions_daily_version_id"))
        batch_op.drop_index(batch_op.f("ix_daily_versions_answered_by_id"))

    op.drop_table("daily_versions")
    with op.batch_alter_table("activities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activities_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_activities_task_id"))
        batch_op.drop_index(batch_op.f("ix_activities_review_id"))
        batch_op.drop_index("ix_activities_project_id_kind_id")
        batch_op.drop_index("ix_activities_project_id_id")
        batch_op.drop_index(batch_op.f("ix_activities_note_id"))
        batch_op.drop_index(batch_op.f("ix_activities_date_created"))
        batch_op.drop_index(batch_op.f("ix_activities_daily_id"))
        batch_op.drop_index(batch_op.f("ix_activities_actor_id"))
        batch_op.drop_index(batch_op.f("ix_activities_about_version_id"))

    op.drop_table("activities")
    with op.batch_alter_table("ticket_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_links_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_links_task_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_links_linked_version_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_links_file_id"))

    op.drop_table("ticket_links")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notes_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_notes_task_id"))
        batch_op.drop_index(batch_op.f("ix_notes_review_id"))
        batch_op.drop_index("ix_notes_project_id_id")
        batch_op.drop_index(batch_op.f("ix_notes_noted_version_id"))
        batch_op.drop_index(batch_op.f("ix_notes_daily_id"))
        batch_op.drop_index(batch_op.f("ix_notes_author_id"))

    op.drop_table("notes")
    with op.batch_alter_table("tickets_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_tags_tag_id"))

    op.drop_table("tickets_tags")
    with op.batch_alter_table("ticket_relations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_relations_related_ticket_id"))

    op.drop_table("ticket_relations")
    with op.batch_alter_table("ticket_logs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ticket_logs_to_status_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_logs_ticket_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_logs_from_status_id"))
        batch_op.drop_index(batch_op.f("ix_ticket_logs_actor_id"))

    op.drop_table("ticket_logs")
    with op.batch_alter_table("dailies_tags", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dailies_tags_tag_id"))

    op.drop_table("dailies_tags")
    with op.batch_alter_table("tickets", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tickets_updated_by_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_type_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_status_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_reporter_id"))
        batch_op.drop_index("ix_tickets_project_id_status_id")
        batch_op.drop_index(batch_op.f("ix_tickets_priority"))
        batch_op.drop_index(batch_op.f("ix_tickets_owner_id"))
        batch_op.drop_index(batch_op.f("ix_tickets_created_by_id"))

    op.drop_table("tickets")
    with op.batch_alter_table("dailies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dailies_updated_by_id"))
        batch_op.drop_index(batch_op.f("ix_dailies_status_id"))
        batch_op.drop_index(batch_op.f("ix_dailies_project_id"))
        batch_op.drop_index(batch_op.f("ix_dailies_created_by_id"))

    op.drop_table("dailies")
    with op.batch_alter_table("outgoing_mails", schema=None) as batch_op:
        batch_op.drop_index("ix_outgoing_mails_state_id")
        batch_op.drop_index(batch_op.f("ix_outgoing_mails_recipient_id"))

    op.drop_table("outgoing_mails")
    op.drop_table("notification_preferences")

"""Each person's channel per kind: the defaults, saving a choice, refusing what is not one."""

import pytest
from sqlalchemy import select

from stalker_web.models import NotificationChannel, NotificationPreference
from stalker_web.services.errors import ValidationError
from stalker_web.services.notifications.preferences import (
    KINDS,
    NotificationKind,
    channels,
    preferences_of,
    save_preferences,
)


def test_mentions_and_reviews_are_mailed_the_rest_reaches_the_inbox_by_default(dbsession, factory):
    chosen = preferences_of(dbsession, factory.user())

    emailed = {kind for kind, channel in chosen.items() if channel is NotificationChannel.EMAIL}
    assert emailed == {
        NotificationKind.MENTION,
        NotificationKind.REVIEW_REQUEST,
        NotificationKind.REVIEW_ANSWER,
    }
    assert len(chosen) == len(KINDS) == len(NotificationKind)


def test_only_choices_away_from_the_default_are_stored(dbsession, factory):
    user = factory.user()
    save_preferences(dbsession, user, {"status": "digest", "mention": "email", "note": "off"})

    rows = dbsession.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    )
    assert {(row.kind, row.channel.value) for row in rows} == {
        ("status", "digest"),
        ("note", "off"),
    }
    assert preferences_of(dbsession, user)[NotificationKind.STATUS] is NotificationChannel.DIGEST

    save_preferences(dbsession, user, {"status": "inbox"})
    assert preferences_of(dbsession, user)[NotificationKind.STATUS] is NotificationChannel.INBOX
    assert preferences_of(dbsession, user)[NotificationKind.NOTE] is NotificationChannel.OFF


def test_channels_of_many_people_take_one_query(dbsession, factory, count_queries):
    users = [factory.user() for _ in range(5)]
    save_preferences(dbsession, users[0], {"status": "off"})
    wanted = [(user.id, NotificationKind.STATUS) for user in users]

    with count_queries() as counter:
        found = channels(dbsession, wanted)
    assert counter.count == 1
    assert found[(users[0].id, NotificationKind.STATUS)] is NotificationChannel.OFF
    assert found[(users[1].id, NotificationKind.STATUS)] is NotificationChannel.INBOX


def test_an_unknown_channel_is_refused_beside_its_kind(dbsession, factory):
    with pytest.raises(ValidationError) as refused:
        save_preferences(dbsession, factory.user(), {"status": "pigeon"})
    assert refused.value.field == "status"
    assert "Choose inbox" in refused.value.message

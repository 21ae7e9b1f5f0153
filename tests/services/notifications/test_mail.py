"""Mails are written in the transaction from templates that see plain values only, each with
a Message-ID of its own and a subject short enough for the outbox."""

from datetime import timedelta

import pytest
from jinja2.exceptions import SecurityError

from stalker_web.links import MailLinks
from stalker_web.services.notifications.mail import (
    NOTIFICATION_TEMPLATE,
    SUBJECT_LENGTH,
    Notice,
    Outbox,
)
from stalker_web.services.notifications.sending import STRANDED_AFTER, stranded_mail_ids
from stalker_web.services.notifications.settings import MailConfigError, MailSettings


def outbox(**settings) -> tuple[Outbox, list[int]]:
    handed: list[int] = []
    mail_settings = MailSettings.from_settings(
        {"mail.sender": "studio@example.com", "mail.base_url": "https://stalker.example.com/"}
        | settings
    )
    return Outbox(mail_settings, MailLinks(mail_settings.base_url), handed.append), handed


def test_a_mail_is_written_now_and_handed_over_only_after_the_commit(dbsession, factory):
    user = factory.user(name="Ana")
    box, handed = outbox()
    values = box.values(user, [Notice("Bob approved FLM / Animation", link="https://x/1")])

    mail = box.write(dbsession, user, "x" * 300, NOTIFICATION_TEMPLATE, values)
    other = box.write(dbsession, user, "Hello", NOTIFICATION_TEMPLATE, values)

    assert len(mail.subject) == SUBJECT_LENGTH and mail.subject.endswith("…")
    assert mail.message_id != other.message_id
    assert mail.message_id.endswith("@example.com>")
    assert "Bob approved FLM / Animation." in mail.body
    assert "https://stalker.example.com/inbox" in mail.body
    assert handed == []  # the test's transaction never commits


def test_a_studio_template_replaces_the_packaged_one(dbsession, factory, tmp_path):
    (tmp_path / NOTIFICATION_TEMPLATE).write_text("Hi {{ values.recipient }}!", encoding="utf-8")
    user = factory.user(name="Ana")
    box, _handed = outbox(**{"mail.templates": str(tmp_path)})

    mail = box.write(dbsession, user, "s", NOTIFICATION_TEMPLATE, box.values(user, []))
    assert mail.body == "Hi Ana!"


def test_a_template_cannot_reach_beyond_its_values(dbsession, factory, tmp_path):
    (tmp_path / NOTIFICATION_TEMPLATE).write_text(
        "{{ values.__class__.__init__.__globals__ }}", encoding="utf-8"
    )
    user = factory.user()
    box, _handed = outbox(**{"mail.templates": str(tmp_path)})

    with pytest.raises(SecurityError):
        box.write(dbsession, user, "s", NOTIFICATION_TEMPLATE, box.values(user, []))


@pytest.mark.parametrize(
    ("key", "value", "named"),
    [
        ("mail.mode", "pigeon", "mail.mode = 'pigeon'"),
        ("mail.port", "eighty", "mail.port = 'eighty'"),
        ("mail.digest_hour", "24", "mail.digest_hour = '24'"),
        ("mail.sender", "nobody", "mail.sender = 'nobody'"),
        ("mail.base_url", "example.com", "mail.base_url = 'example.com'"),
    ],
)
def test_a_bad_setting_is_refused_by_name(key, value, named):
    with pytest.raises(MailConfigError, match=named.replace(".", r"\.")):
        MailSettings.from_settings({key: value})


def test_mails_never_tried_long_after_their_commit_are_handed_over_again(dbsession, factory):
    user = factory.user()
    box, _handed = outbox()
    values = box.values(user, [])
    lost, tried, fresh = (
        box.write(dbsession, user, subject, NOTIFICATION_TEMPLATE, values)
        for subject in ("lost", "tried", "fresh")
    )
    now = lost.date_created + STRANDED_AFTER + timedelta(minutes=1)
    tried.attempts = 1
    fresh.date_created = now
    dbsession.flush()

    assert stranded_mail_ids(dbsession, now) == [lost.id]

"""Registering webhooks: every refusal in words, the secret, edits and deletion."""

import pytest

from stalker_web.models import Webhook
from stalker_web.services.errors import ValidationError
from stalker_web.services.webhooks.registration import (
    EVENT_KINDS,
    create_webhook,
    delete_webhook,
    hooks_of,
    renew_secret,
    update_webhook,
)

GOOD = {"name": "Farm", "url": "https://farm.example.com/hook", "kinds": ["version.published"]}


def refusal(dbsession, **values) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        create_webhook(dbsession, None, None, **{**GOOD, **values})
    return caught.value


def test_a_hook_is_created_with_a_secret_of_its_own(dbsession, factory):
    project = factory.project()
    first = create_webhook(dbsession, None, project, **GOOD)
    second = create_webhook(dbsession, None, None, **GOOD)
    assert first.project_id == project.id and second.project_id is None
    assert len(first.secret) >= 40 and first.secret != second.secret
    assert first.is_active and first.kinds == ["version.published"]


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"name": "  "}, "name", "A name is required."),
        ({"name": "x" * 65}, "name", "at most 64"),
        ({"url": ""}, "url", "A URL is required."),
        ({"url": "ftp://files.example.com/"}, "url", "https://"),
        ({"url": "javascript:alert(1)"}, "url", "https://"),
        ({"url": "https://"}, "url", "no host"),
        ({"url": "https://bob:pw@example.com/hook"}, "url", "no user name or password"),
        ({"url": "https://bob@example.com/hook"}, "url", "no user name or password"),
        ({"url": "https://example.com:99999999/"}, "url", "not a valid URL"),
        ({"url": "https://example.com/a b"}, "url", "no spaces"),
        ({"url": "https://example.com/" + "a" * 2048}, "url", "at most 2048"),
        ({"kinds": []}, "kinds", "at least one"),
        ({"kinds": ["task.deleted"]}, "kinds", "task.deleted"),
    ],
)
def test_bad_values_are_refused_in_words(dbsession, values, field, words):
    error = refusal(dbsession, **values)
    assert error.field == field
    assert words in error.message


def test_kinds_keep_the_fixed_order_without_repeats(dbsession):
    hook = create_webhook(
        dbsession, None, None, **{**GOOD, "kinds": [*reversed(EVENT_KINDS), "ticket.changed"]}
    )
    assert hook.kinds == list(EVENT_KINDS)


def test_an_edit_on_a_stale_page_is_refused(dbsession):
    hook = create_webhook(dbsession, None, None, **GOOD)
    values = {**GOOD, "name": "Chat", "is_active": False}
    update_webhook(dbsession, hook, submitted_version=hook.version_id, **values)
    assert (hook.name, hook.is_active) == ("Chat", False)
    with pytest.raises(ValidationError, match="changed by someone else"):
        update_webhook(dbsession, hook, submitted_version=hook.version_id - 1, **values)


def test_a_new_secret_replaces_the_old(dbsession):
    hook = create_webhook(dbsession, None, None, **GOOD)
    old = hook.secret
    assert renew_secret(dbsession, hook) != old


def test_lists_and_deletion_keep_to_the_scope(dbsession, factory):
    project = factory.project()
    studio_hook = create_webhook(dbsession, None, None, **GOOD)
    project_hook = create_webhook(dbsession, None, project, **GOOD)
    assert studio_hook in hooks_of(dbsession, None) and project_hook not in hooks_of(
        dbsession, None
    )
    assert hooks_of(dbsession, project.id) == [project_hook]
    delete_webhook(dbsession, project_hook)
    assert dbsession.get(Webhook, project_hook.id) is None

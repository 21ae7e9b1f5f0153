"""The subscriber: a delivery per active hook that chose the event's kind, of the event's project
or of the whole studio, with a plain JSON payload."""

import json

import pytest
from sqlalchemy import select

from stalker_web.events import (
    ReviewAnswered,
    ScheduleFinished,
    TaskStatusChanged,
    TicketChanged,
    dispatch_to,
    publish,
)
from stalker_web.models import ScheduleRun, WebhookDelivery
from stalker_web.services.versions.versions import set_published
from stalker_web.services.webhooks.registration import create_webhook
from stalker_web.subscribers import WebhookSubscriber


@pytest.fixture
def handed_over():
    """The delivery ids the subscriber hands to the queue (after the commit: never, here)."""
    return []


@pytest.fixture
def studio(dbsession, factory, handed_over):
    """Two projects, hooks of each and of the studio; the session's events go to the webhook
    subscriber alone (the events name rows that the activity feed would look for)."""
    dispatch_to(dbsession, WebhookSubscriber(handed_over.append))
    film, other = factory.project(name="Film", code="FLM"), factory.project(code="OTH")

    def hook(name, project, kinds, active=True):
        return create_webhook(
            dbsession,
            None,
            project,
            name=name,
            url=f"https://example.com/{name}",
            kinds=kinds,
            is_active=active,
        )

    hooks = {
        "film": hook("film", film, ["version.published", "task.status_changed"]),
        "film_tickets": hook("film-tickets", film, ["ticket.changed"]),
        "film_off": hook("film-off", film, ["version.published"], active=False),
        "other": hook("other", other, ["version.published", "schedule.finished"]),
        "studio": hook("studio", None, ["version.published", "schedule.finished"]),
    }
    return film, other, hooks


def deliveries(dbsession) -> list[WebhookDelivery]:
    return list(dbsession.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_a_published_version_reaches_its_project_hooks_and_the_studio_hooks(
    dbsession, factory, studio
):
    film, _other, hooks = studio
    task = factory.task(project=film, name="Animation")
    version = factory.version(task)
    set_published(dbsession, version, True, submitted_version=version.version_id)
    sent = deliveries(dbsession)
    assert {delivery.webhook_id for delivery in sent} == {hooks["film"].id, hooks["studio"].id}
    payload = sent[0].payload
    assert payload == json.loads(json.dumps(payload))  # plain JSON
    assert payload["event"] == "version.published"
    assert (payload["version_id"], payload["task_id"]) == (version.id, task.id)
    assert (payload["project_id"], payload["project_code"]) == (film.id, "FLM")
    assert payload["path"] == f"/versions/{version.id}"
    assert payload["occurred_at"].endswith("+00:00")
    assert all(delivery.state.value == "pending" and delivery.attempts == 0 for delivery in sent)


def test_only_hooks_choosing_the_kind_get_it(dbsession, studio):
    film, _other, hooks = studio
    publish(dbsession, TicketChanged(5, film.id, "accept", 9, "new", "accepted"))
    publish(dbsession, TaskStatusChanged(3, film.id, "RTS", "WIP"))
    publish(dbsession, ReviewAnswered(1, 3, film.id, 2, "APP"))  # nobody chose it
    sent = deliveries(dbsession)
    assert [(d.webhook_id, d.event_kind) for d in sent] == [
        (hooks["film_tickets"].id, "ticket.changed"),
        (hooks["film"].id, "task.status_changed"),
    ]
    assert sent[0].payload["path"] == "/tickets/5"
    assert sent[1].payload["path"] == "/tasks/3"
    assert (sent[1].payload["old_code"], sent[1].payload["new_code"]) == ("RTS", "WIP")


def test_a_schedule_run_reaches_the_hooks_of_the_projects_it_covered(dbsession, factory, studio):
    film, other, hooks = studio
    run = ScheduleRun(
        name="Run", studio=factory.studio(), status="succeeded", project_ids=[other.id]
    )
    dbsession.add(run)
    dbsession.flush()
    publish(dbsession, ScheduleFinished(run.id, "succeeded"))
    sent = deliveries(dbsession)
    assert {d.webhook_id for d in sent} == {hooks["other"].id, hooks["studio"].id}
    assert sent[0].payload["path"] == f"/schedule/runs/{run.id}"
    assert sent[0].payload["project_code"] is None


def test_a_session_without_hooks_for_the_event_writes_nothing(dbsession, studio):
    _film, other, _hooks = studio
    publish(dbsession, TicketChanged(5, other.id, "create", 9, None, "new"))
    assert deliveries(dbsession) == []


def test_nothing_is_handed_to_the_queue_before_the_commit(dbsession, studio, handed_over):
    film, _other, _hooks = studio
    publish(dbsession, TaskStatusChanged(3, film.id, "RTS", "WIP"))
    assert len(deliveries(dbsession)) == 1
    assert handed_over == []  # the test's transaction never commits

"""Deliveries leave through the real job queue after the commit: the worker (huey on SQLite
storage in a temporary directory) posts each to a real HTTP receiver started here, which checks
the signature; a failed try is tried again, a delivery is never sent twice, and a delivery of
the log can be sent again. A change that rolls back writes and queues nothing.

These tests commit, so each has a studio database of its own.
"""

import json

import pytest
from sqlalchemy import func, select

from stalker_web import main
from stalker_web.events import TaskStatusChanged, dispatch_to, publish
from stalker_web.models import DeliveryState, Webhook, WebhookDelivery
from stalker_web.queue import JobQueue, embedded_worker, job_queue
from stalker_web.services.webhooks.registration import create_webhook
from stalker_web.services.webhooks.sending import (
    WebhookSettings,
    hand_over_after_commit,
    replay,
    send_delivery,
)

from ...conftest import prepare_studio_database
from ...factories import Factory
from ...test_queue import queue_settings
from ..notifications.test_sending import wait_until


@pytest.fixture
def settings(app_settings, fresh_database_url, tmp_path):
    prepare_studio_database(fresh_database_url, "hookadmin", "Hook Admin")
    settings = queue_settings(app_settings, fresh_database_url, "sqlite", tmp_path)
    settings["webhooks.retry_delay_seconds"] = "0"
    yield settings
    queue = JobQueue(settings)
    queue.huey.flush()
    queue.close()


@pytest.fixture
def app(settings):
    """The app (committing), its queue closed afterwards."""
    app = main({}, **settings)
    yield app
    job_queue(app.registry).close()
    app.registry["dbsession_factory"].kw["bind"].dispose()


@pytest.fixture
def hooked(session_factory, studio_config, receiver) -> dict[str, int]:
    """Committed: a project with a hook (told of status changes) posting to the receiver."""
    with session_factory() as dbsession, dbsession.begin():
        factory = Factory(dbsession, studio_config)
        project = factory.project(name="Hook Film", code="HF")
        task = factory.task(project=project, name="Animation")
        hook = create_webhook(
            dbsession,
            None,
            project,
            name="Receiver",
            url=receiver.url,
            kinds=["task.status_changed"],
        )
        receiver.secret = hook.secret
        return {"project": project.id, "task": task.id, "hook": hook.id}


def change_status(app, hooked, commit: bool = True) -> None:
    """Publish a status change of the hooked project in an app session, committed or not."""
    dbsession = app.registry["dbsession_factory"]()
    dispatch_to(dbsession, app.registry.notify)
    with dbsession:
        dbsession.begin()
        publish(dbsession, TaskStatusChanged(hooked["task"], hooked["project"], "RTS", "WIP"))
        if commit:
            dbsession.commit()
        else:
            dbsession.rollback()


def the_delivery(session_factory, delivery_id=None) -> WebhookDelivery:
    with session_factory() as dbsession:
        statement = select(WebhookDelivery).order_by(WebhookDelivery.id)
        if delivery_id is not None:
            statement = statement.where(WebhookDelivery.id == delivery_id)
        delivery = dbsession.scalars(statement).first()
        delivery.tries  # noqa: B018 - loaded before the session ends
        return delivery


def worked_off(settings, session_factory, delivery_id: int) -> WebhookDelivery:
    """Run a worker of the queue until delivery ``delivery_id`` is no longer pending."""
    worker = JobQueue(settings)
    try:
        with embedded_worker(worker):
            wait_until(
                lambda: (
                    the_delivery(session_factory, delivery_id).state is not DeliveryState.PENDING
                )
            )
    finally:
        worker.close()
    return the_delivery(session_factory, delivery_id)


def test_a_failed_try_is_retried_and_delivered_with_a_valid_signature(
    app, settings, session_factory, hooked, receiver
):
    receiver.statuses = [500]
    change_status(app, hooked)
    queued = the_delivery(session_factory)
    assert queued.state is DeliveryState.PENDING and job_queue(app.registry).pending_count() == 1

    delivery = worked_off(settings, session_factory, queued.id)

    assert delivery.state is DeliveryState.DELIVERED and delivery.attempts == 2
    assert [attempt.response_status for attempt in delivery.tries] == [500, 200]
    assert [attempt.response_body for attempt in delivery.tries] == [
        "answered 500",
        "answered 200",
    ]
    assert delivery.response_status == 200 and delivery.delivered_at is not None
    assert len(receiver.requests) == 2 and all(request["signed"] for request in receiver.requests)
    headers = receiver.requests[1]["headers"]
    assert headers["Stalker-Event"] == "task.status_changed"
    assert headers["Stalker-Delivery"] == str(delivery.id)
    payload = json.loads(receiver.requests[1]["body"])
    assert (payload["task_id"], payload["new_code"]) == (hooked["task"], "WIP")
    assert payload["project_code"] == "HF"


def test_a_delivery_is_never_sent_twice(app, settings, session_factory, hooked, receiver):
    change_status(app, hooked)
    delivery = worked_off(settings, session_factory, the_delivery(session_factory).id)
    assert delivery.state is DeliveryState.DELIVERED
    outcome = send_delivery(session_factory, delivery.id, WebhookSettings(0))
    assert outcome.result == "already delivered"
    assert len(receiver.requests) == 1


def test_a_delivery_refused_at_every_try_ends_failed(
    app, settings, session_factory, hooked, receiver
):
    receiver.statuses = [503] * 10
    change_status(app, hooked)
    delivery = worked_off(settings, session_factory, the_delivery(session_factory).id)
    assert delivery.state is DeliveryState.FAILED and delivery.attempts == 6
    assert delivery.response_status == 503 and len(receiver.requests) == 6


def test_an_unreachable_receiver_is_recorded_as_the_error(session_factory, hooked):
    with session_factory() as dbsession, dbsession.begin():
        hook = dbsession.get(Webhook, hooked["hook"])
        hook.url = "http://127.0.0.1:9/nobody-listens"
        delivery = WebhookDelivery(webhook=hook, event_kind="task.status_changed", payload={})
        dbsession.add(delivery)
        dbsession.flush()
        delivery_id = delivery.id
    outcome = send_delivery(session_factory, delivery_id, WebhookSettings(60))
    assert outcome.result == "retry" and outcome.retry_in == 60
    delivery = the_delivery(session_factory, delivery_id)
    assert delivery.response_status is None and "Connection" in delivery.error
    assert send_delivery(session_factory, delivery_id, WebhookSettings(60)).result == "not due"


def test_a_change_that_rolls_back_writes_and_queues_nothing(app, session_factory, hooked, receiver):
    change_status(app, hooked, commit=False)
    with session_factory() as dbsession:
        assert dbsession.scalar(select(func.count()).select_from(WebhookDelivery)) == 0
    assert job_queue(app.registry).pending_count() == 0


def test_a_delivery_sent_again_is_a_new_delivery_of_the_same_payload(
    app, settings, session_factory, hooked, receiver
):
    change_status(app, hooked)
    first = worked_off(settings, session_factory, the_delivery(session_factory).id)
    queue = JobQueue(settings)
    try:
        with session_factory() as dbsession, dbsession.begin():
            copy = replay(dbsession, dbsession.get(WebhookDelivery, first.id))
            hand_over_after_commit(dbsession, [copy.id], queue.enqueue_webhook)
            copy_id = copy.id
    finally:
        queue.close()
    again = worked_off(settings, session_factory, copy_id)
    assert again.state is DeliveryState.DELIVERED and again.replay_of_id == first.id
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert receiver.requests[1]["headers"]["Stalker-Delivery"] == str(copy_id)

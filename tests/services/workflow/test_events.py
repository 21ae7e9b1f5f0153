"""The domain events the workflow and version services publish: one per change, with the ids
and codes a subscriber needs, and none for a refused action."""

from datetime import timedelta

import pytest

from stalker_web.events import (
    ReviewAnswered,
    ReviewRequested,
    TaskStatusChanged,
    TimeLogged,
    VersionPublished,
    dispatch_to,
)
from stalker_web.services.errors import ValidationError
from stalker_web.services.versions.versions import create_version, set_published
from stalker_web.services.workflow import reviews
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY


@pytest.fixture
def published(dbsession):
    """The events published on the test's session, in order."""
    events = []
    dispatch_to(dbsession, events.append)
    return events


@pytest.fixture
def supervisor(factory):
    return factory.user(name="Supervisor")


@pytest.fixture
def shot(factory, supervisor):
    return factory.task(
        name="Shot", responsible=[supervisor], schedule_timing=10, schedule_unit="h"
    )


def of_type(events, kind):
    return [event for event in events if isinstance(event, kind)]


def test_logging_time_publishes_the_log_and_the_status_change(
    dbsession, shot, artist, published, log_hours
):
    log = log_hours(shot, hours=3)

    assert published == [
        TaskStatusChanged(shot.id, shot.project_id, "RTS", "WIP"),
        TimeLogged(log.id, shot.id, shot.project_id, artist.id, 3 * 3600.0),
    ]


def test_a_second_log_publishes_no_status_change(dbsession, shot, published, log_hours):
    log_hours(shot)
    published.clear()

    log_hours(shot)

    assert of_type(published, TaskStatusChanged) == []
    assert len(of_type(published, TimeLogged)) == 1


def test_a_review_request_names_its_reviews_and_reviewers(
    dbsession, shot, artist, supervisor, published, log_hours
):
    log_hours(shot)
    published.clear()

    made = reviews.request_review(dbsession, shot, artist)

    assert published == [
        TaskStatusChanged(shot.id, shot.project_id, "WIP", "PREV"),
        ReviewRequested(shot.id, shot.project_id, 1, (made[0].id,), (supervisor.id,)),
    ]


def test_answers_publish_their_outcome_after_the_status_they_decide(
    dbsession, shot, artist, supervisor, published, log_hours
):
    log_hours(shot)
    (review,) = reviews.request_review(dbsession, shot, artist)
    published.clear()

    reviews.approve(dbsession, review)

    assert published == [
        TaskStatusChanged(shot.id, shot.project_id, "PREV", "CMPL"),
        ReviewAnswered(review.id, shot.id, shot.project_id, supervisor.id, "APP"),
    ]


def test_a_revision_publishes_rrev(dbsession, shot, artist, supervisor, published, log_hours):
    log_hours(shot)
    (review,) = reviews.request_review(dbsession, shot, artist)
    published.clear()

    reviews.request_revision(dbsession, review, 2, "h", "Softer light.")

    assert of_type(published, ReviewAnswered) == [
        ReviewAnswered(review.id, shot.id, shot.project_id, supervisor.id, "RREV")
    ]
    assert of_type(published, TaskStatusChanged)[-1].new_code == "HREV"


def test_a_refused_action_publishes_nothing(dbsession, shot, artist, published):
    with pytest.raises(ValidationError):
        reviews.request_review(dbsession, shot, artist)  # RTS: nothing was done yet

    assert published == []


def test_a_container_change_is_published_for_the_container(dbsession, factory, artist, published):
    parent = factory.task(name="Sequence")
    child = factory.task(name="Shot", parent=parent, schedule_timing=4, schedule_unit="h")
    published.clear()

    start = MONDAY + timedelta(days=1)
    create_time_log(dbsession, child, artist, start, start + timedelta(hours=1))

    changes = {(event.task_id, event.new_code) for event in of_type(published, TaskStatusChanged)}
    assert changes == {(child.id, "WIP"), (parent.id, "WIP")}


def test_publishing_a_version_is_published_once(dbsession, shot, published):
    version = create_version(dbsession, shot)

    set_published(dbsession, version, True, submitted_version=version.version_id)
    set_published(dbsession, version, True, submitted_version=version.version_id)
    set_published(dbsession, version, False, submitted_version=version.version_id)

    assert published == [VersionPublished(version.id, shot.id, shot.project_id)]

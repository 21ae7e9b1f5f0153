"""Review rounds: the per-task review counter (Stalker's Task.review_number) numbers each
round, and a reviewer may change an answer while the round is still open."""

import pytest

from stalker_web.models import ReviewStatus
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.progress import studio_calendar
from stalker_web.services.workflow import reviews


@pytest.fixture
def shot(factory, supervisor, lead):
    return factory.task(
        project=factory.project(),
        name="Shot",
        responsible=[supervisor, lead],
        schedule_timing=92,
        schedule_unit="h",
    )


def hours(dbsession, task):
    return task.schedule_seconds(studio_calendar(dbsession)) / 3600


def log_days(log_hours, task, days):
    for _ in range(days):
        log_hours(task, hours=8)


def test_each_finalised_round_counts_once_on_the_task(dbsession, shot, artist, log_hours):
    log_hours(shot)
    assert shot.review_number == 0
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, first)
    assert shot.review_number == 0
    reviews.request_revision(dbsession, second, 1, "h", "Again.")
    assert shot.review_number == 1
    log_hours(shot)
    assert {review.review_number for review in reviews.request_review(dbsession, shot, artist)} == {
        2
    }


def test_a_revision_before_anyone_answers_round_two_starts_no_old_revision_again(
    dbsession, shot, artist, supervisor, log_hours
):
    log_days(log_hours, shot, 10)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.request_revision(dbsession, first, 3, "h", "Fix the hands.")
    reviews.approve(dbsession, second)
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 92)
    log_days(log_hours, shot, 1)
    reviews.request_review(dbsession, shot, artist)
    revision = reviews.task_request_revision(dbsession, shot, supervisor, "Redo the comp.", 4)
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 92)
    assert (revision.review_number, shot.review_number) == (2, 2)
    history = reviews.task_reviews(dbsession, shot)
    assert [(review.review_number, review.status) for review in history] == [
        (2, ReviewStatus.REVISION_REQUESTED),
        (1, ReviewStatus.REVISION_REQUESTED),
        (1, ReviewStatus.APPROVED),
    ]


def test_an_approval_can_become_a_revision_while_the_round_is_open(
    dbsession, shot, artist, log_hours
):
    log_days(log_hours, shot, 11)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, first)
    reviews.request_revision(dbsession, first, 6, "h", "On second look, the hands.")
    assert (first.status, first.schedule_timing) == (ReviewStatus.REVISION_REQUESTED, 6)
    assert shot.status.code == "PREV"
    reviews.approve(dbsession, second)
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 94)


def test_a_revision_can_become_an_approval_while_the_round_is_open(
    dbsession, shot, artist, log_hours
):
    log_days(log_hours, shot, 11)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.request_revision(dbsession, first, 6, "h", "The hands.")
    reviews.approve(dbsession, first, "Fine after all.")
    assert (first.status, first.schedule_timing, first.description) == (
        ReviewStatus.APPROVED,
        0,
        "Fine after all.",
    )
    reviews.approve(dbsession, second)
    assert (shot.status.code, hours(dbsession, shot)) == ("CMPL", 88)


def test_answers_of_a_finalised_round_are_final(dbsession, shot, artist, log_hours):
    log_hours(shot)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, first)
    reviews.approve(dbsession, second)
    with pytest.raises(ValidationError, match="Round 1 is closed") as error:
        reviews.request_revision(dbsession, first, 1, "h", "Too late.")
    assert "already answered (approved)" in error.value.message
    assert first.status is ReviewStatus.APPROVED


def test_a_reviewer_s_changeable_answers_are_those_of_open_rounds(
    dbsession, factory, shot, artist, supervisor, log_hours
):
    other = factory.task(project=shot.project, name="Other", responsible=[supervisor])
    log_hours(shot)
    log_hours(other)
    mine = next(
        review
        for review in reviews.request_review(dbsession, shot, artist)
        if review.reviewer is supervisor
    )
    [alone] = reviews.request_review(dbsession, other, artist)
    reviews.approve(dbsession, mine)
    reviews.approve(dbsession, alone)
    [changeable] = reviews.changeable_answers(dbsession, supervisor)
    assert (changeable.review, changeable.waiting_for) == (mine, ("Lead",))

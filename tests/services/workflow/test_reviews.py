"""Reviews: requesting, answering and finalising review sets (reference 4.3), one and several
reviewers, revisions on completed tasks and the walk over the dependents."""

import pytest

from stalker_web.models import ReviewStatus, TaskDependency, Version
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.tasks.progress import studio_calendar
from stalker_web.services.workflow import reviews


@pytest.fixture
def project(factory):
    return factory.project()


@pytest.fixture
def task(factory, project, supervisor):
    def build(name="Task", responsible=None, **values):
        values.setdefault("schedule_timing", 10)
        values.setdefault("schedule_unit", "h")
        return factory.task(
            project=project,
            name=name,
            responsible=[supervisor] if responsible is None else responsible,
            **values,
        )

    return build


def refused(message):
    return pytest.raises(ValidationError, match=message)


def hours(dbsession, task):
    return task.schedule_seconds(studio_calendar(dbsession)) / 3600


def test_a_request_makes_one_review_per_responsible_user(
    dbsession, task, artist, supervisor, lead, log_hours
):
    shot = task(responsible=[supervisor, lead])
    log_hours(shot)
    made = reviews.request_review(dbsession, shot, artist)
    assert shot.status.code == "PREV"
    assert sorted(review.reviewer.name for review in made) == ["Lead", "Supervisor"]
    assert {review.review_number for review in made} == {1}
    assert {review.status for review in made} == {ReviewStatus.NEW}


def test_responsible_users_are_inherited_from_the_parents(
    dbsession, factory, task, artist, supervisor, log_hours
):
    parent = task("Parent")
    child = factory.task(parent=parent, responsible=[])
    log_hours(child)
    [review] = reviews.request_review(dbsession, child, artist)
    assert review.reviewer is supervisor


def test_a_request_without_any_responsible_user_is_refused(dbsession, task, artist, log_hours):
    alone = task("Alone", responsible=[])
    log_hours(alone)
    with refused("Nobody is responsible for Alone"):
        reviews.request_review(dbsession, alone, artist)
    assert alone.status.code == "WIP"


@pytest.mark.parametrize("before", ["WFD", "RTS", "PREV", "HREV", "DREV", "OH", "STOP", "CMPL"])
def test_a_request_is_only_allowed_in_wip(dbsession, task, put, artist, before):
    with refused("A review can only be requested for a task that is Work In Progress; "):
        reviews.request_review(dbsession, put(task(), before), artist)


def test_a_request_for_another_task_s_version_is_refused(dbsession, task, artist, log_hours):
    shot, other = task("Shot"), task("Other")
    log_hours(shot)
    version = Version(task=other, version_number=1)
    dbsession.add(version)
    dbsession.flush()
    with refused("Choose a version of this task"):
        reviews.request_review(dbsession, shot, artist, version)


def test_one_approval_completes_and_clamps_the_estimate(dbsession, task, artist, log_hours):
    shot = task(schedule_timing=10)
    log_hours(shot, hours=3)
    [review] = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, review)
    assert (shot.status.code, hours(dbsession, shot)) == ("CMPL", 3)
    assert (shot.bid_timing, review.status) == (10.0, ReviewStatus.APPROVED)


def test_one_revision_adds_the_extra_time(dbsession, task, artist, log_hours):
    shot = task(schedule_timing=4)
    log_hours(shot, hours=3)
    [review] = reviews.request_review(dbsession, shot, artist)
    reviews.request_revision(dbsession, review, 2, "h", "Fix the hands.")
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 5)
    assert review.description == "Fix the hands."


def test_a_revision_within_the_estimate_keeps_it(dbsession, task, artist, log_hours):
    shot = task(schedule_timing=10)
    log_hours(shot, hours=3)
    [review] = reviews.request_review(dbsession, shot, artist)
    reviews.request_revision(dbsession, review, 1, "h", "Tweak.")
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 10)


def test_a_revision_needs_a_description(dbsession, task, artist, log_hours):
    shot = task()
    log_hours(shot)
    [review] = reviews.request_review(dbsession, shot, artist)
    with refused("Say what needs to change") as error:
        reviews.request_revision(dbsession, review, 1, "h", "  ")
    assert error.value.field == "description"


def test_several_reviewers_all_must_answer(dbsession, task, artist, supervisor, lead, log_hours):
    shot = task(responsible=[supervisor, lead], schedule_timing=4)
    log_hours(shot, hours=4)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, first)
    assert shot.status.code == "PREV"
    reviews.approve(dbsession, second)
    assert shot.status.code == "CMPL"


def test_several_revisions_sum_their_extra_time(
    dbsession, task, artist, supervisor, lead, log_hours
):
    shot = task(responsible=[supervisor, lead], schedule_timing=4)
    log_hours(shot, hours=4)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.request_revision(dbsession, first, 1, "h", "Light.")
    assert shot.status.code == "PREV"
    reviews.request_revision(dbsession, second, 2, "h", "Comp.")
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 7)


def test_one_revision_among_approvals_sends_the_task_back(
    dbsession, task, artist, supervisor, lead, log_hours
):
    shot = task(responsible=[supervisor, lead], schedule_timing=4)
    log_hours(shot, hours=4)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, first)
    reviews.request_revision(dbsession, second, 1, "h", "Again.")
    assert (shot.status.code, hours(dbsession, shot)) == ("HREV", 5)


def test_an_answered_review_cannot_be_answered_again(dbsession, task, artist, log_hours):
    shot = task()
    log_hours(shot)
    [review] = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, review)
    with refused("already answered"):
        reviews.request_revision(dbsession, review, 1, "h", "Late.")


def test_a_second_round_gets_the_next_review_number(dbsession, task, artist, log_hours):
    shot = task()
    log_hours(shot)
    [first] = reviews.request_review(dbsession, shot, artist)
    reviews.request_revision(dbsession, first, 1, "h", "More.")
    log_hours(shot)
    assert shot.status.code == "WIP"
    [second] = reviews.request_review(dbsession, shot, artist)
    assert second.review_number == 2
    assert [review.review_number for review in reviews.task_reviews(dbsession, shot)] == [2, 1]


def test_approval_lets_the_dependents_start(dbsession, task, artist, log_hours):
    upstream, downstream = task("Upstream"), task("Downstream")
    add_dependency(dbsession, downstream, upstream)
    log_hours(upstream)
    [review] = reviews.request_review(dbsession, upstream, artist)
    reviews.approve(dbsession, review)
    assert downstream.status.code == "RTS"


def test_a_revision_on_a_completed_task_moves_its_dependents(
    dbsession, task, put, artist, supervisor, log_hours
):
    upstream = task("Upstream")
    ready, started, done = task("Ready"), task("Started"), task("Done")
    for downstream in (ready, started, done):
        add_dependency(dbsession, downstream, upstream)
    log_hours(upstream)
    [review] = reviews.request_review(dbsession, upstream, artist)
    reviews.approve(dbsession, review)
    log_hours(started)
    put(done, "CMPL")
    assert (ready.status.code, started.status.code) == ("RTS", "WIP")
    revision = reviews.task_request_revision(dbsession, upstream, supervisor, "Redo.", 2, "h")
    assert revision.review_number == 2 and upstream.status.code == "HREV"
    assert (ready.status.code, started.status.code, done.status.code) == ("WFD", "DREV", "DREV")
    targets = {
        dependency.dependency_target
        for dependency in dbsession.query(TaskDependency).filter_by(depends_on_id=upstream.id)
    }
    assert targets == {"onstart"}
    # Approving the revision lets them fall back (table 4.2: DREV with finished deps -> HREV).
    log_hours(upstream)
    [again] = reviews.request_review(dbsession, upstream, artist)
    reviews.approve(dbsession, again)
    assert (ready.status.code, started.status.code, done.status.code) == ("RTS", "HREV", "HREV")


def test_a_revision_on_a_pending_task_drops_the_waiting_reviews(
    dbsession, task, artist, supervisor, lead, log_hours
):
    shot = task(responsible=[supervisor, lead])
    log_hours(shot)
    first, second = reviews.request_review(dbsession, shot, artist)
    reviews.approve(dbsession, first)
    revision = reviews.task_request_revision(dbsession, shot, lead, "Stop there.")
    assert shot.status.code == "HREV"
    history = reviews.task_reviews(dbsession, shot)
    assert {review.status for review in history} == {"APP", "RREV"}
    assert {review.review_number for review in history} == {1} and revision in history


@pytest.mark.parametrize("before", ["WFD", "RTS", "WIP", "HREV", "DREV", "OH", "STOP"])
def test_a_task_revision_is_only_allowed_on_pending_or_completed_tasks(
    dbsession, task, put, supervisor, before
):
    with refused(
        "A revision can only be requested for a task that is Pending Review or Completed; "
    ):
        reviews.task_request_revision(dbsession, put(task(), before), supervisor, "No.")


def test_reviews_are_refused_on_containers(dbsession, factory, task, artist):
    container = task("Container")
    factory.task(parent=container)
    with refused("Container has child tasks"):
        reviews.request_review(dbsession, container, artist)

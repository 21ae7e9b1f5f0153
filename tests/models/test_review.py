"""Review: the model's defaults and checks (the workflow lives in the services)."""

import pytest
from sqlalchemy import delete, select

from stalker_web.models import Review, ReviewStatus, Version
from stalker_web.models.meta import InvalidValue
from stalker_web.models.schedule import TimeUnit

from ..factories.accounts import cheap_users


@pytest.fixture
def reviewer(dbsession):
    (user,) = cheap_users(dbsession, 1)
    user.name = "Sam Supervisor"
    return user


def test_a_review_starts_new_and_is_named(dbsession, make, reviewer):
    review = Review(task=make(name="Anim"), reviewer=reviewer)
    dbsession.add(review)
    dbsession.flush()
    assert review.name == "Review 1 of Anim by Sam Supervisor"
    assert (review.status, review.review_number) == (ReviewStatus.NEW, 1)
    assert (review.schedule_timing, review.schedule_unit) == (0.0, TimeUnit.HOUR)
    assert review.version is None


def test_a_review_needs_a_task_and_a_reviewer(make, reviewer):
    with pytest.raises(InvalidValue, match="needs a task"):
        Review(reviewer=reviewer)
    with pytest.raises(InvalidValue, match="needs a reviewer"):
        Review(task=make())


def test_the_status_is_one_of_stalkers(make, reviewer):
    review = Review(task=make(), reviewer=reviewer, status="rrev")
    assert review.status is ReviewStatus.REVISION_REQUESTED
    with pytest.raises(InvalidValue, match="NEW, APP, RREV"):
        review.status = "done"


def test_extra_time_cannot_be_negative(make, reviewer):
    with pytest.raises(InvalidValue, match="zero or more"):
        Review(task=make(), reviewer=reviewer, schedule_timing=-1)


def test_deleting_the_version_keeps_the_review(dbsession, make, reviewer):
    task = make()
    version = Version(task=task, version_number=1)
    review = Review(task=task, reviewer=reviewer, version=version)
    dbsession.add_all([version, review])
    dbsession.flush()
    dbsession.execute(delete(Version).where(Version.id == version.id))
    dbsession.expire_all()
    assert (
        dbsession.scalar(select(Review.reviewed_version_id).where(Review.id == review.id)) is None
    )

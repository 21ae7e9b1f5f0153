"""Version: what the model checks, its generated name, and the database's unique numbering."""

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from stalker_web.models import Version
from stalker_web.models.meta import InvalidValue


@pytest.fixture
def task(make):
    return make(name="Layout")


def add(dbsession, version):
    dbsession.add(version)
    dbsession.flush()
    return version


def test_a_version_is_named_from_its_task_revision_and_number(dbsession, task):
    version = add(dbsession, Version(task=task, version_number=3))
    assert (version.name, version.label) == ("Layout r01 v003", "r01 v003")
    assert (version.revision_number, version.is_published, version.created_with) == (1, False, "")


def test_a_version_needs_a_task_and_a_number(task):
    with pytest.raises(InvalidValue, match="needs a task") as error:
        Version(version_number=1)
    assert error.value.field == "task"
    with pytest.raises(InvalidValue, match="needs a version number"):
        Version(task=task)


@pytest.mark.parametrize("value", [0, -1, 1.5, True, "2"])
def test_numbers_are_whole_numbers_from_one(task, value):
    with pytest.raises(InvalidValue, match="whole number of 1 or more"):
        Version(task=task, version_number=value)
    with pytest.raises(InvalidValue, match="revision number"):
        Version(task=task, version_number=1, revision_number=value)


def test_the_database_refuses_a_number_twice_in_one_stream(dbsession, task):
    add(dbsession, Version(task=task, version_number=1))
    add(dbsession, Version(task=task, version_number=1, revision_number=2))
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        add(dbsession, Version(task=task, version_number=1))


def test_a_version_cannot_derive_from_itself_or_its_descendants(dbsession, task):
    first = add(dbsession, Version(task=task, version_number=1))
    second = add(dbsession, Version(task=task, version_number=2, parent=first))
    with pytest.raises(InvalidValue, match="derived from itself"):
        first.parent = second
    with pytest.raises(InvalidValue, match="derived from itself"):
        first.parent = first


def test_a_parent_from_another_project_is_refused(dbsession, task, factory):
    elsewhere = add(dbsession, Version(task=factory.task(), version_number=1))
    version = Version(task=task, version_number=1)
    with pytest.raises(InvalidValue, match="of its project"):
        version.parent = elsewhere


def test_deleting_a_parent_keeps_its_children(dbsession, task):
    first = add(dbsession, Version(task=task, version_number=1))
    second = add(dbsession, Version(task=task, version_number=2, parent=first))
    dbsession.execute(delete(Version).where(Version.id == first.id))
    dbsession.expire_all()
    assert dbsession.scalar(select(Version.parent_id).where(Version.id == second.id)) is None


def test_a_version_cannot_move_to_another_task(dbsession, task, make):
    version = add(dbsession, Version(task=task, version_number=1))
    with pytest.raises(InvalidValue, match="another task"):
        version.task = make(name="Other")

"""Editing a task: every refusal explained on its field, and nothing changed when refused."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.tasks.edit import update_task

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture
def project(factory):
    return factory.project(name="Foo")


def edit(dbsession, task, **changes):
    return update_task(dbsession, task, submitted_version=task.version_id, **changes)


@contextmanager
def refused(field: str, message: str):
    """Expect a ValidationError on ``field`` whose message matches ``message``."""
    with pytest.raises(ValidationError, match=message) as error:
        yield error
    assert error.value.field == field


def test_plain_fields_are_changed(dbsession, factory, project):
    task = factory.task(project=project, name="Model")
    modeling = factory.task_type("Task", "Modeling")
    edit(
        dbsession,
        task,
        name="  Model   the hero ",
        description=" Sculpt first ",
        type=modeling,
        priority=800,
        schedule_timing=3,
        schedule_unit="d",
        schedule_model="length",
        is_milestone=False,
    )
    assert (task.name, task.description, task.type) == ("Model the hero", "Sculpt first", modeling)
    assert (task.priority, task.schedule_timing, task.schedule_unit) == (800, 3.0, "d")


def test_a_stale_edit_is_refused(dbsession, factory, project):
    task = factory.task(project=project)
    with pytest.raises(ConflictError):
        update_task(dbsession, task, submitted_version=task.version_id + 1, name="Late")


def test_a_refusal_changes_nothing(dbsession, factory, project):
    task = factory.task(project=project, name="Before")
    with refused("priority", "The priority is a whole number from 0 to 1000"):
        edit(dbsession, task, name="After", priority=1001)
    assert (task.name, task.priority) == ("Before", 500)


def test_fields_of_other_kinds_are_not_editable(dbsession, factory, project):
    with pytest.raises(TypeError, match="Task has no editable cut_in"):
        edit(dbsession, factory.task(project=project), cut_in=1)
    with pytest.raises(TypeError, match="no editable status"):
        edit(dbsession, factory.task(project=project), status=None)


def test_a_container_gets_no_resources(dbsession, factory, project):
    container = factory.task(project=project, name="Hero")
    factory.task(parent=container)
    with refused("alternative_resources", "Hero has child tasks: a task with children has no"):
        edit(dbsession, container, alternative_resources=[factory.user()])
    edit(dbsession, container, watchers=[factory.user()], responsible=[factory.user()])


def test_resources_must_be_users(dbsession, factory, project):
    with refused("resources", "Resources are users"):
        edit(dbsession, factory.task(project=project), resources=["bob"])


def test_a_milestone_gets_no_resources(dbsession, factory, project):
    milestone = factory.task(project=project, is_milestone=True)
    with refused("is_milestone", "A milestone has no resources"):
        edit(dbsession, milestone, resources=[factory.user()])
    artist = factory.user()
    edit(dbsession, milestone, is_milestone=False, resources=[artist])
    assert milestone.resources == [artist]
    edit(dbsession, milestone, is_milestone=True, resources=[])
    assert milestone.is_milestone and milestone.resources == []


def test_a_shot_code_stays_unique_when_edited(dbsession, factory, project):
    factory.task("Shot", project=project, code="SH010")
    shot = factory.task("Shot", project=project, code="SH020")
    with refused("code", "Shot code SH010 is already used in project Foo"):
        edit(dbsession, shot, code="SH010")
    edit(dbsession, shot, code="SH020", name="Renamed")
    edit(dbsession, shot, code="SH030")
    assert shot.code == "SH030"


def test_a_new_cut_drags_sources_that_were_the_cut(dbsession, factory, project):
    shot = factory.task("Shot", project=project, cut_in=1, cut_out=10)
    edit(dbsession, shot, cut_in=101, cut_out=150)
    assert (shot.source_in, shot.source_out) == (101, 150)
    edit(dbsession, shot, source_in=110, source_out=140)
    with refused("source_in", "The source in frame must lie within the cut"):
        edit(dbsession, shot, cut_in=120)
    assert shot.cut_in == 101


def test_shot_settings_are_checked(dbsession, factory, project):
    shot = factory.task("Shot", project=project)
    with refused("fps", "The frame rate must be a number above zero"):
        edit(dbsession, shot, fps=0)
    with refused("sequence", "is in another project"):
        edit(dbsession, shot, sequence=factory.task("Sequence", project=factory.project()))
    sequence = factory.task("Sequence", project=project)
    edit(dbsession, shot, sequence=sequence, fps=50, record_in=1001)
    assert (shot.sequence, shot.fps, shot.record_in) == (sequence, 50.0, 1001)


def test_dates_move_together(dbsession, factory, project):
    task = factory.task(project=project, start=NOW, end=NOW + timedelta(days=1))
    edit(dbsession, task, start=NOW + timedelta(days=10), end=NOW + timedelta(days=12))
    assert task.end == NOW + timedelta(days=12)
    with refused("end", "The end cannot come before the start"):
        edit(dbsession, task, end=NOW)


def test_a_type_for_another_kind_is_refused(dbsession, factory, project):
    with refused("type", "is for Shot entities, not Task"):
        edit(dbsession, factory.task(project=project), type=factory.task_type("Shot", "Hero"))

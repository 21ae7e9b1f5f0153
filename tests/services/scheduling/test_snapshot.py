"""Reading a run's studio: the tasks come in tree order whatever the number of digits of their
ids (the checks and the TaskJuggler file rely on it)."""

from stalker_web.services.scheduling.snapshot import read_snapshot

from .conftest import NOW


def test_tasks_come_parents_first_and_siblings_by_id_as_numbers(dbsession, factory):
    project = factory.project()
    parent = factory.task(project=project, id=99_999_998)
    later = factory.task(parent=parent, id=100_000_000)
    earlier = factory.task(parent=parent, id=99_999_999)
    snapshot = read_snapshot(dbsession, factory.studio(), [project.id], NOW)
    assert [task.id for task in snapshot.tasks] == [parent.id, earlier.id, later.id]

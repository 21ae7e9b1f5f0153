"""The task graph's common questions: how many children tasks have, the names above a task, which
tasks wait for given ones (the walk itself is tested with the dependencies)."""

from sqlalchemy import select

from stalker_web.models import Task
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.tasks.graph import (
    ancestor_names,
    child_counts,
    has_children,
    tasks_waiting_for,
)


def test_child_counts_leave_out_the_tasks_without_children(dbsession, factory, count_queries):
    root = factory.task()
    middle = factory.task(parent=root)
    factory.task(parent=root)
    leaf = factory.task(parent=middle)
    with count_queries() as counter:
        counts = child_counts(dbsession, [root.id, middle.id, leaf.id])
    assert counts == {root.id: 2, middle.id: 1}
    assert counter.count == 1
    assert child_counts(dbsession, []) == {}


def test_only_a_task_with_children_has_children(dbsession, factory):
    parent = factory.task()
    child = factory.task(parent=parent)
    assert has_children(dbsession, parent)
    assert not has_children(dbsession, child)


def test_ancestor_names_come_root_first_in_one_query(dbsession, factory, count_queries):
    assets = factory.task(name="Assets")
    hero = factory.task(parent=assets, name="Hero")
    model = factory.task(parent=hero, name="Model")
    other = factory.task(name="Other")
    with count_queries() as counter:
        names = ancestor_names(dbsession, [model, hero, other])
    assert names == {model.id: ["Assets", "Hero"], hero.id: ["Assets"], other.id: []}
    assert counter.count == 1
    with count_queries() as counter:
        assert ancestor_names(dbsession, [assets, other]) == {assets.id: [], other.id: []}
    assert counter.count == 0


def test_the_tasks_waiting_for_some_tasks_come_by_id(dbsession, factory):
    project = factory.project()
    modeling, rigging, layout = (factory.task(project=project) for _ in range(3))
    animation, lighting = factory.task(project=project), factory.task(project=project)
    add_dependency(dbsession, animation, rigging)
    add_dependency(dbsession, lighting, layout)
    add_dependency(dbsession, rigging, modeling)
    waiting = dbsession.scalars(tasks_waiting_for([rigging.id, layout.id])).all()
    assert waiting == sorted([animation, lighting], key=lambda task: task.id)
    of_a_subquery = tasks_waiting_for(select(Task.id).where(Task.id == modeling.id))
    assert dbsession.scalars(of_a_subquery).all() == [rigging]

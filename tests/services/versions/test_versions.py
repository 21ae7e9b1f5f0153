"""Versions: numbering per stream (also under concurrent creation), publishing, latest, history,
inputs, and the task page's versions in a fixed number of queries."""

import threading

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine
from stalker_web.models import File, Task, Version
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.versions.versions import (
    create_version,
    input_choices,
    latest_published_version,
    latest_version,
    set_published,
    task_versions,
    version_details,
    version_history,
)

from ...conftest import prepare_studio_database
from ...factories import Factory


def add_file(dbsession, version, repository, relative_path, thumbnail=None):
    file = File(
        version=version,
        repository=repository,
        relative_path=relative_path,
        thumbnail_path=thumbnail,
    )
    dbsession.add(file)
    dbsession.flush()
    return file


def published(dbsession, version):
    return set_published(dbsession, version, True, submitted_version=version.version_id)


def test_numbers_count_up_per_task_and_revision(dbsession, factory):
    task = factory.task(name="Layout")
    numbers = [create_version(dbsession, task).version_number for _ in range(3)]
    other = create_version(dbsession, task, revision_number=2)
    elsewhere = create_version(dbsession, factory.task())
    assert numbers == [1, 2, 3]
    assert (other.revision_number, other.version_number, other.name) == (2, 1, "Layout r02 v001")
    assert elsewhere.version_number == 1


@pytest.mark.parametrize("revision", [0, -2, "1"])
def test_a_bad_revision_number_is_refused(dbsession, factory, revision):
    with pytest.raises(ValidationError) as error:
        create_version(dbsession, factory.task(), revision_number=revision)
    assert error.value.field == "revision_number"


def test_versions_are_allowed_on_any_task_as_in_stalker(dbsession, factory):
    container = factory.task()
    factory.task(parent=container)
    assert create_version(dbsession, container).version_number == 1


def test_a_parent_and_inputs_of_the_project_are_recorded(dbsession, factory):
    model = factory.task(name="Model")
    rig = factory.task(name="Rig", project=model.project)
    source = create_version(dbsession, model)
    scene = add_file(dbsession, source, factory.repository(), "model/v001.ma")
    version = create_version(
        dbsession,
        rig,
        parent_id=source.id,
        input_file_ids=[scene.id, scene.id],
        created_with=" Maya 2025 ",
        description=" first rig ",
    )
    assert (version.parent, version.inputs) == (source, [scene])
    assert (version.created_with, version.description) == ("Maya 2025", "first rig")


def test_a_parent_or_input_from_another_project_is_refused(dbsession, factory):
    task = factory.task()
    foreign = create_version(dbsession, factory.task())
    foreign_file = add_file(dbsession, foreign, factory.repository(), "x/a.ma")
    with pytest.raises(ValidationError, match="does not exist in this project") as error:
        create_version(dbsession, task, parent_id=foreign.id)
    assert error.value.field == "parent_id"
    with pytest.raises(ValidationError, match="another project") as error:
        create_version(dbsession, task, input_file_ids=[foreign_file.id])
    assert error.value.field == "input_file_ids"
    assert dbsession.scalar(select(func.count()).where(Version.task_id == task.id)) == 0


def test_publishing_and_unpublishing(dbsession, factory):
    version = create_version(dbsession, factory.task())
    published(dbsession, version)
    assert version.is_published
    set_published(dbsession, version, False, submitted_version=version.version_id)
    assert not version.is_published


def test_publishing_from_a_stale_page_is_refused(dbsession, factory):
    version = create_version(dbsession, factory.task())
    stale = version.version_id
    published(dbsession, version)
    with pytest.raises(ConflictError):
        set_published(dbsession, version, False, submitted_version=stale)
    assert version.is_published


def test_latest_and_latest_published(dbsession, factory):
    task = factory.task()
    assert latest_version(dbsession, task) is None
    first, second = create_version(dbsession, task), create_version(dbsession, task)
    revised = create_version(dbsession, task, revision_number=2)
    assert latest_version(dbsession, task, 1) == second
    assert latest_version(dbsession, task) == revised
    assert latest_published_version(dbsession, task) is None
    published(dbsession, first)
    assert latest_published_version(dbsession, task) == first
    assert latest_published_version(dbsession, task, 2) is None
    published(dbsession, revised)
    assert latest_published_version(dbsession, task) == revised


def test_history_walks_the_parents_and_lists_the_children(dbsession, factory, count_queries):
    task = factory.task()
    root = create_version(dbsession, task)
    middle = create_version(dbsession, task, parent_id=root.id)
    leaf = create_version(dbsession, task, parent_id=middle.id)
    branch = create_version(dbsession, task, parent_id=middle.id)
    dbsession.expire_all()
    assert leaf.parent_id == middle.id  # loaded before counting
    with count_queries() as counter:
        history = version_history(dbsession, leaf)
    assert counter.count == 2
    assert history.ancestors == [root, middle]
    assert version_history(dbsession, middle).children == [leaf, branch]
    assert version_history(dbsession, root).ancestors == []


def test_inputs_offered_are_the_latest_published_files_upstream(dbsession, factory):
    model = factory.task(name="Model")
    rig = factory.task(name="Rig", project=model.project)
    rig.depends_on.append(model)  # the dependency row itself; its rules are tested elsewhere
    repository = factory.repository()
    old, new, draft = (create_version(dbsession, model) for _ in range(3))
    add_file(dbsession, old, repository, "m/v1.ma")
    wanted = add_file(dbsession, new, repository, "m/v2.ma")
    add_file(dbsession, draft, repository, "m/v3.ma")
    published(dbsession, old)
    published(dbsession, new)
    assert input_choices(dbsession, rig) == [wanted]
    assert input_choices(dbsession, model) == []


def _versions_with_files(dbsession, factory, task, count):
    repository = factory.repository()
    for _ in range(count):
        version = create_version(dbsession, task)
        add_file(dbsession, version, repository, f"t{task.id}/v{version.version_number}.png")


def test_the_task_page_versions_take_the_same_queries_for_few_or_many(
    dbsession, factory, count_queries
):
    few, many = factory.task(), factory.task()
    _versions_with_files(dbsession, factory, few, 2)
    _versions_with_files(dbsession, factory, many, 25)
    counts = []
    for task in (few, many):
        dbsession.expire_all()
        with count_queries() as counter:
            page = task_versions(dbsession, task)
            assert all(version.files[0].repository.code for version in page.items)
            assert all(version.created_by is None for version in page.items)
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert [version.version_number for version in page.items][:3] == [25, 24, 23]
    assert (page.total, len(page.items)) == (25, 20)


def test_the_version_page_details_take_the_same_queries_for_few_or_many(
    dbsession, factory, count_queries
):
    task = factory.task()
    repository = factory.repository()
    source = create_version(dbsession, task)
    inputs = [add_file(dbsession, source, repository, f"in/{n}.ma") for n in range(6)]
    small = create_version(dbsession, task, input_file_ids=[inputs[0].id])
    large = create_version(
        dbsession, task, parent_id=small.id, input_file_ids=[i.id for i in inputs]
    )
    for number in range(5):
        add_file(dbsession, large, repository, f"out/{number}.png")
    counts = []
    for version in (small, large):
        dbsession.expire_all()
        with count_queries() as counter:
            details = version_details(dbsession, version)
            assert all(file.repository.code for file in details.version.files)
            assert all(file.version.task.name for file in details.inputs)
        counts.append(counter.count)
    assert counts[0] == counts[1]
    assert (len(details.inputs), details.history.ancestors, details.latest) == (6, [small], large)


# Concurrent creation on a committed database


def _create_in_threads(engine, task_id: int, threads: int) -> tuple[list[int], int]:
    """Create one version per thread, each in its own committed session; returns the numbers
    and how many INSERTs into versions were sent (more than ``threads`` means retries)."""
    start = threading.Barrier(threads, timeout=20)
    before_insert = threading.Barrier(threads, timeout=20)
    on_postgresql = engine.dialect.name == "postgresql"
    inserts, numbers, errors, waited = [], [], [], threading.local()
    lock = threading.Lock()

    def count_inserts(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("INSERT INTO versions "):
            with lock:
                inserts.append(statement)
            # On PostgreSQL every thread reads the same maximum before any inserts, so all but
            # one collide on the unique constraint and must retry. (SQLite serialises writers:
            # the second waits for the first to commit before it reads.)
            if on_postgresql and not getattr(waited, "done", False):
                waited.done = True
                before_insert.wait()

    event.listen(engine, "before_cursor_execute", count_inserts)

    def work():
        try:
            with Session(engine) as session:
                task = session.get(Task, task_id)
                start.wait()
                version = create_version(session, task)
                session.commit()
                with lock:
                    numbers.append(version.version_number)
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    event.remove(engine, "before_cursor_execute", count_inserts)
    assert errors == []
    return sorted(numbers), len(inserts)


def test_concurrent_creations_get_distinct_numbers(fresh_database_url):
    prepare_studio_database(fresh_database_url, "admin", "Admin")
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    try:
        with Session(engine) as session:
            factory = Factory(session, load_studio_config())
            task_id = factory.task().id
            session.commit()
        numbers, inserts = _create_in_threads(engine, task_id, threads=3)
        assert numbers == [1, 2, 3]
        if engine.dialect.name == "postgresql":
            assert inserts > 3  # the collisions really happened and were retried
        with Session(engine) as session:
            stored = session.scalars(
                select(Version.version_number).where(Version.task_id == task_id)
            ).all()
        assert sorted(stored) == [1, 2, 3]
    finally:
        engine.dispose()

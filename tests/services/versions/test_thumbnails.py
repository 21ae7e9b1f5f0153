"""The picture standing for a task in lists: its latest version's thumbnail, or its children's,
for any number of tasks in one query."""

from stalker_web.services.versions.thumbnails import latest_thumbnails


def first_file_id(version) -> int:
    return version.files[0].id


def test_a_task_shows_its_latest_version(factory):
    task = factory.task()
    factory.version(task)
    latest = factory.version(task)
    assert latest_thumbnails(factory.dbsession, [task.id]) == {task.id: first_file_id(latest)}


def test_a_latest_version_without_a_thumbnail_shows_none(factory):
    task = factory.task()
    factory.version(task)
    factory.version(task, thumbnail=False)
    assert latest_thumbnails(factory.dbsession, [task.id]) == {}


def test_a_shot_shows_the_latest_version_of_its_step_tasks(factory):
    shot = factory.task("Shot")
    layout = factory.task(parent=shot, name="Layout")
    animation = factory.task(parent=shot, name="Animation")
    layout_version = factory.version(layout)
    latest = factory.version(animation)
    found = latest_thumbnails(factory.dbsession, [shot.id, layout.id])
    assert found == {shot.id: first_file_id(latest), layout.id: first_file_id(layout_version)}


def test_published_only_skips_newer_unpublished_versions(factory):
    task = factory.task()
    published = factory.version(task, published=True)
    factory.version(task)
    assert latest_thumbnails(factory.dbsession, [task.id], published_only=True) == {
        task.id: first_file_id(published)
    }
    assert latest_thumbnails(factory.dbsession, [task.id]) != {task.id: first_file_id(published)}


def test_tasks_without_versions_are_left_out_and_no_ids_cost_no_query(factory, count_queries):
    task = factory.task()
    assert latest_thumbnails(factory.dbsession, [task.id]) == {}
    with count_queries() as counter:
        assert latest_thumbnails(factory.dbsession, []) == {}
    assert counter.count == 0


def test_one_query_for_any_number_of_tasks(factory, count_queries):
    tasks = [factory.task() for _ in range(12)]
    for task in tasks:
        factory.version(task)
    counts = []
    for some in (tasks[:1], tasks):
        with count_queries() as counter:
            found = latest_thumbnails(factory.dbsession, [task.id for task in some])
        counts.append(counter.count)
        assert len(found) == len(some)
    assert counts == [1, 1]

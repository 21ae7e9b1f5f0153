"""Tasks named by their full path: the project's code, then the names from the root down."""

from stalker_web.services.tasks.paths import task_path, task_paths


def test_task_paths_name_each_task_from_its_projects_code(dbsession, factory, count_queries):
    film, spot = factory.project(name="Film", code="FLM"), factory.project(name="Spot", code="SPT")
    assets = factory.task(project=film, name="Assets")
    characters = factory.task(parent=assets, name="Characters")
    hero = factory.task(parent=characters, name="Hero")
    shots = factory.task(project=spot, name="Shots")
    tasks = [hero, assets, shots]
    with count_queries() as counter:
        paths = task_paths(dbsession, tasks)
    assert paths == {
        hero.id: "FLM / Assets / Characters / Hero",
        assets.id: "FLM / Assets",
        shots.id: "SPT / Shots",
    }
    assert counter.count == 1  # the ancestors' names and the projects' codes together
    assert task_path(dbsession, characters) == "FLM / Assets / Characters"


def test_task_paths_of_no_tasks_need_no_query(dbsession, count_queries):
    with count_queries() as counter:
        assert task_paths(dbsession, []) == {}
    assert counter.count == 0

"""The move page: searching a new parent, moving under it or to the root, and the refusals."""

import pytest

from stalker_web.services.tasks.dependencies import add_dependency

from ...conftest import login
from ...factories.projects import member
from ...pages import button_form, csrf_token


@pytest.fixture
def project(factory):
    return factory.project(name="Film", code="FLM")


@pytest.fixture
def producer_app(testapp, factory, project):
    """Logged in as a member of ``project`` holding the Supervisor role."""
    login(testapp, member(project, factory.user(), factory.role("Supervisor")).login)
    return testapp


@pytest.fixture
def tree(factory, project):
    """Assets / Characters / Hero / Model, and Environments / Forest (name → task)."""
    assets = factory.task(project=project, name="Assets")
    characters = factory.task(parent=assets, name="Characters", code="CHR")
    hero = factory.task(parent=characters, name="Hero")
    model = factory.task(parent=hero, name="Model")
    environments = factory.task(project=project, name="Environments")
    forest = factory.task(parent=environments, name="Forest")
    return {task.name: task for task in (assets, characters, hero, model, environments, forest)}


def move_url(task, q=None) -> str:
    return f"/tasks/{task.id}/move" + (f"?q={q}" if q is not None else "")


def candidate_paths(page) -> list[str]:
    table = page.html.find(id="parent-candidates")
    return [row.th.get_text(strip=True) for row in table.tbody("tr")] if table else []


def error_text(page) -> str:
    errors = page.html.find(id="move-errors")
    return errors.get_text(" ", strip=True) if errors else ""


def move_here(page, path: str):
    """The "Move here" form of the candidate row showing ``path``."""
    [row] = [
        row
        for row in page.html.find(id="parent-candidates").tbody("tr")
        if row.th.get_text(strip=True) == path
    ]
    parent_id = row.find("input", attrs={"name": "parent"})["value"]
    [form] = [
        form
        for form in page.forms.values()
        if "parent" in form.fields and form["parent"].value == parent_id
    ]
    return form


def test_the_page_lists_other_tasks_with_their_paths(producer_app, tree):
    page = producer_app.get(move_url(tree["Hero"]))
    assert page.html.find(id="current-path").get_text() == "FLM / Assets / Characters / Hero"
    # Not itself, nothing inside it, not its current parent; shallow tasks first.
    assert candidate_paths(page) == [
        "FLM / Assets",
        "FLM / Environments",
        "FLM / Environments / Forest",
    ]


def test_the_search_matches_name_or_code_without_case(producer_app, tree):
    assert candidate_paths(producer_app.get(move_url(tree["Model"], "ENV"))) == [
        "FLM / Environments"
    ]
    assert candidate_paths(producer_app.get(move_url(tree["Forest"], "chr"))) == [
        "FLM / Assets / Characters"
    ]
    page = producer_app.get(move_url(tree["Forest"], "nothing"))
    assert "No other task of Film matches “nothing”." in page.text


def test_at_most_twenty_candidates_are_listed(producer_app, factory, project):
    task = factory.task(project=project, name="Mover")
    for number in range(25):
        factory.task(project=project, name=f"Box {number:02d}")
    page = producer_app.get(move_url(task, "box"))
    assert len(candidate_paths(page)) == 20
    assert "narrow the search" in page.text


def test_moving_under_a_new_parent_takes_the_subtree_along(producer_app, tree):
    hero, forest = tree["Hero"], tree["Forest"]
    page = producer_app.get(move_url(hero, "forest"))
    response = move_here(page, "FLM / Environments / Forest").submit(status=303)
    assert response.location.endswith(f"/tasks/{hero.id}")
    assert (
        "FLM / Assets / Characters / Hero moved under FLM / Environments / Forest."
        in response.follow().text
    )
    assert hero.parent is forest
    assert tree["Model"].path == f"{forest.path}{hero.id}/{tree['Model'].id}/"


def test_making_a_task_a_root_task(producer_app, tree):
    hero = tree["Hero"]
    page = producer_app.get(move_url(hero))
    response = button_form(page, "Make it a root task").submit(status=303)
    assert (
        "FLM / Assets / Characters / Hero moved to the root of the project."
        in response.follow().text
    )
    assert (hero.parent, hero.depth) == (None, 0)


def test_a_root_task_is_not_offered_the_root(producer_app, tree):
    page = producer_app.get(move_url(tree["Assets"]))
    assert page.html.find(id="make-root") is None


def test_a_dependency_cannot_become_the_parent(producer_app, dbsession, tree):
    hero = tree["Hero"]
    add_dependency(dbsession, hero, tree["Forest"])
    page = move_here(
        producer_app.get(move_url(hero, "forest")), "FLM / Environments / Forest"
    ).submit(status=400)
    assert "A dependency cannot become the parent: Hero waits for Forest." in error_text(page)
    assert hero.parent is tree["Characters"]


def test_a_move_closing_a_loop_is_refused(producer_app, dbsession, tree):
    hero, forest = tree["Hero"], tree["Forest"]
    # Forest waits for the end of Hero, which ends after Model; under Forest, Hero could not
    # start before Forest starts: a loop.
    add_dependency(dbsession, forest, hero)
    page = move_here(
        producer_app.get(move_url(hero, "forest")), "FLM / Environments / Forest"
    ).submit(status=400)
    assert "Hero cannot go under Forest: with their dependencies the tasks would wait" in (
        error_text(page)
    )
    assert hero.parent is tree["Characters"]


def test_a_task_with_resources_cannot_become_a_container(producer_app, factory, dbsession, tree):
    forest = tree["Forest"]
    forest.resources.append(factory.user())
    dbsession.flush()
    page = move_here(
        producer_app.get(move_url(tree["Hero"], "forest")), "FLM / Environments / Forest"
    )
    page = page.submit(status=400)
    assert "Forest has resources: remove them before giving it child tasks" in error_text(page)
    assert tree["Hero"].parent is tree["Characters"]


def test_a_task_cannot_go_inside_itself(producer_app, tree):
    hero, model = tree["Hero"], tree["Model"]
    page = producer_app.post(
        move_url(hero),
        {"csrf_token": csrf_token(producer_app), "parent": model.id, "version_id": hero.version_id},
        status=400,
    )
    assert "Model is inside Hero, so it cannot be its parent." in error_text(page)
    assert hero.parent is tree["Characters"]


def test_a_parent_in_another_project_is_refused(producer_app, factory, tree):
    hero = tree["Hero"]
    elsewhere = factory.task(project=factory.project(), name="Elsewhere")
    page = producer_app.post(
        move_url(hero),
        {
            "csrf_token": csrf_token(producer_app),
            "parent": elsewhere.id,
            "version_id": hero.version_id,
        },
        status=400,
    )
    assert "Elsewhere is in another project." in error_text(page)


def test_a_stale_page_is_refused(producer_app, dbsession, tree):
    hero = tree["Hero"]
    page = producer_app.get(move_url(hero, "forest"))
    hero.priority = 100  # somebody else saves meanwhile
    dbsession.flush()
    page = move_here(page, "FLM / Environments / Forest").submit(status=400)
    assert "This task was changed by someone else" in error_text(page)
    assert hero.parent is tree["Characters"]
    # The refusal page keeps the search and offers the buttons again, now up to date.
    assert candidate_paths(page) == ["FLM / Environments / Forest"]
    move_here(page, "FLM / Environments / Forest").submit(status=303)
    assert hero.parent is tree["Forest"]


@pytest.mark.parametrize("role", [None, "Artist"])
def test_members_without_a_manager_role_and_outsiders_are_refused(
    testapp, factory, project, tree, role
):
    hero = tree["Hero"]
    user = factory.user()
    if role is not None:
        member(project, user, factory.role(role))
    login(testapp, user.login)
    testapp.get(move_url(hero), status=403)
    testapp.post(
        move_url(hero),
        {"csrf_token": csrf_token(testapp), "parent": "", "version_id": hero.version_id},
        status=403,
    )
    assert hero.parent is tree["Characters"]


def test_the_page_takes_the_same_queries_for_a_small_and_a_ten_times_bigger_project(
    admin_app, factory, dbsession, project, count_queries
):
    mover = factory.task(project=project, name="Mover")

    def grow(count):
        for number in range(count):
            root = factory.task(project=project, name=f"Group {count} {number}")
            factory.task(parent=factory.task(parent=root, name=f"Inner {count}"), name="Leaf")
        dbsession.flush()
        dbsession.expire_all()  # each request starts from an empty session, as in production

    grow(2)
    with count_queries() as small:
        page = admin_app.get(move_url(mover, "leaf"))
    assert len(candidate_paths(page)) == 2
    grow(18)
    with count_queries() as big:
        page = admin_app.get(move_url(mover, "leaf"))
    paths = candidate_paths(page)
    assert len(paths) == 20
    assert all(path.endswith(" / Leaf") and path.count(" / ") == 3 for path in paths)
    assert big.count == small.count

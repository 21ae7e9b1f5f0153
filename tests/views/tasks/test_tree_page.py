"""The task tree page: levels, lazy subtrees, filters, sorting, permissions and query counts."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from stalker_web.models import ProjectUser, Task
from stalker_web.services.tasks.dependencies import add_dependency

from ...conftest import login
from ...factories.tasks import production


def tree_url(project, **query) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/projects/{project.id}/tasks" + (f"?{suffix}" if suffix else "")


def row_names(page) -> list[str]:
    return [
        row.th.find("a").get_text(strip=True) for row in page.html.select("#task-tree tbody tr")
    ]


@pytest.fixture
def project_tree(factory):
    """Two sequences (the first with three shots, each with two tasks) and an asset."""
    project = factory.project(name="Tree")
    seq_a = factory.task("Sequence", project=project, name="SEQ A", code="SQA")
    seq_b = factory.task("Sequence", project=project, name="SEQ B", code="SQB")
    shots = [
        factory.task("Shot", parent=seq_a, name=f"Shot {n}", code=f"SH{n}0") for n in (3, 1, 2)
    ]
    for shot in shots:
        factory.task(parent=shot, name="Animation")
        factory.task(parent=shot, name="Lighting")
    asset = factory.task("Asset", project=project, name="Hero", code="HERO")
    return project, seq_a, seq_b, shots, asset


def test_root_level_lists_only_root_tasks_with_their_child_counts(admin_app, project_tree):
    project, seq_a, seq_b, shots, asset = project_tree
    page = admin_app.get(tree_url(project))
    assert row_names(page) == ["Hero", "SEQ A", "SEQ B"]
    row = page.html.find("tr", attrs={"data-task-id": str(seq_a.id)})
    toggle = row.find("button", class_="toggle")
    assert toggle["data-children-url"].startswith(f"/tasks/{seq_a.id}/children?")
    assert row.find("a", class_="count").get_text() == "(3)"
    assert page.html.find("tr", attrs={"data-task-id": str(seq_b.id)}).find("button") is None


def test_expanding_a_sequence_returns_its_shots_as_rows(admin_app, project_tree):
    project, seq_a, _, shots, _ = project_tree
    fragment = admin_app.get(f"/tasks/{seq_a.id}/children")
    rows = fragment.html.find_all("tr")
    assert [row.th.find("a").get_text(strip=True) for row in rows] == [
        "Shot 1",
        "Shot 2",
        "Shot 3",
    ]
    assert {row["data-depth"] for row in rows} == {"1"}
    assert "<html" not in fragment.text


def test_children_pages_end_with_a_show_more_row(admin_app, factory):
    project = factory.project()
    sequence = factory.task("Sequence", project=project)
    for number in range(105):
        factory.task("Shot", parent=sequence, name=f"Shot {number:03d}")
    first = admin_app.get(f"/tasks/{sequence.id}/children")
    assert len(first.html.find_all("tr", attrs={"data-task-id": True})) == 100
    more = first.html.find("button", attrs={"data-more-url": True})
    assert "5 more (100 of 105 shown)" in more.get_text()
    second = admin_app.get(more["data-more-url"])
    assert len(second.html.find_all("tr", attrs={"data-task-id": True})) == 5
    assert second.html.find("button", attrs={"data-more-url": True}) is None


def test_drilling_down_without_script_shows_a_level_with_its_breadcrumb(admin_app, project_tree):
    project, seq_a, _, shots, _ = project_tree
    page = admin_app.get(tree_url(project, parent=shots[0].id))
    assert row_names(page) == ["Animation", "Lighting"]
    crumbs = page.html.find("nav", class_="breadcrumb").get_text(" ", strip=True)
    assert "SEQ A" in crumbs and "Shot 3" in crumbs


def test_a_parent_of_another_project_is_not_found(admin_app, project_tree, factory):
    project = project_tree[0]
    elsewhere = factory.task()
    admin_app.get(tree_url(project, parent=elsewhere.id), status=404)


def test_text_filter_lists_matches_anywhere_with_their_path(admin_app, project_tree):
    project = project_tree[0]
    page = admin_app.get(tree_url(project, q="anim"))
    assert row_names(page) == ["Animation"] * 3
    paths = {
        row.th.find("span", class_="tree-path").get_text(strip=True)
        for row in page.html.select("tbody tr")
    }
    assert paths == {"SEQ A / Shot 1 /", "SEQ A / Shot 2 /", "SEQ A / Shot 3 /"}


def test_text_filter_treats_wildcards_literally(admin_app, project_tree, factory):
    project = project_tree[0]
    factory.task(project=project, name="100% done")
    assert row_names(admin_app.get(tree_url(project, q="%"))) == ["100% done"]
    assert row_names(admin_app.get(tree_url(project, q="_"))) == []


def test_kind_status_type_and_resource_filters(admin_app, project_tree, factory, dbsession):
    project, seq_a, _, shots, asset = project_tree
    assert row_names(admin_app.get(tree_url(project, kind="Shot"))) == [
        "Shot 1",
        "Shot 2",
        "Shot 3",
    ]
    assert row_names(admin_app.get(tree_url(project, type=asset.type_id))) == ["Hero"]
    artist = factory.user(name="Ann Artist")
    project.members.append(ProjectUser(user=artist))
    animation = shots[0].children[0]
    animation.resources.append(artist)
    dbsession.flush()
    page = admin_app.get(tree_url(project, resource=artist.id))
    assert row_names(page) == ["Animation"]
    assert "Ann Artist" in page.html.find("select", id="filter-resource").get_text()
    status_id = animation.status_id
    names = row_names(admin_app.get(tree_url(project, status=status_id, kind="Sequence")))
    assert names == ["SEQ A", "SEQ B"]


def test_no_match_says_so(admin_app, project_tree):
    page = admin_app.get(tree_url(project_tree[0], q="nothing like this"))
    assert "No task matches these filters." in page.text


def test_malformed_filters_are_ignored(admin_app, project_tree):
    page = admin_app.get(tree_url(project_tree[0], status="x", sort="drop", kind="Nope"))
    assert row_names(page) == ["Hero", "SEQ A", "SEQ B"]


def test_sorting_by_code_descending(admin_app, project_tree):
    project, seq_a, *_ = project_tree
    page = admin_app.get(f"/tasks/{seq_a.id}/children?sort=code&desc=1")
    names = [row.th.find("a").get_text(strip=True) for row in page.html.find_all("tr")]
    assert names == ["Shot 3", "Shot 2", "Shot 1"]


def test_status_badges_carry_the_status_colour(admin_app, project_tree):
    project, seq_a, *_ = project_tree
    badge = admin_app.get(tree_url(project)).html.find("span", class_="status")
    colour = seq_a.status.color
    assert f"status-colour-{colour[1:]}" in badge["class"]
    stylesheet = admin_app.get("/status-colours.css").text
    assert f"{{ --status-color: {colour}; --status-ink: " in stylesheet


def test_a_member_sees_the_tree_but_no_create_buttons(testapp, project_tree, factory):
    project = project_tree[0]
    user = factory.user()
    project.members.append(ProjectUser(user=user))
    login(testapp, user.login)
    page = testapp.get(tree_url(project))
    assert row_names(page) == ["Hero", "SEQ A", "SEQ B"]
    assert page.html.find("a", string="Import CSV") is None


def test_a_manager_member_gets_the_create_buttons(testapp, project_tree, factory):
    project = project_tree[0]
    user = factory.user()
    project.members.append(ProjectUser(user=user, role=factory.role("Supervisor")))
    login(testapp, user.login)
    page = testapp.get(tree_url(project))
    assert page.html.find("a", string="Import CSV") is not None


def test_a_non_member_is_refused_the_tree_and_its_fragments(testapp, project_tree, factory):
    project, seq_a, *_ = project_tree
    login(testapp, factory.user().login)
    testapp.get(tree_url(project), status=403)
    testapp.get(f"/tasks/{seq_a.id}/children", status=403)


NOW = datetime.now(UTC)


def scheduled(factory, scale: int):
    """``production(factory, scale)`` with computed dates: every task ended two days ago (late)
    but the lighting tasks, due next week after a planned end of tomorrow (at risk), and a
    milestone waiting for each lighting task."""
    project, sequence, lighting = production(factory, scale)
    dbsession = factory.dbsession
    for task in dbsession.scalars(select(Task).where(Task.project_id == project.id)):
        task.computed_start = NOW - timedelta(days=5)
        task.computed_end = NOW - timedelta(days=2)
        if task.name == "Lighting":
            task.end = NOW + timedelta(days=1)
            task.computed_end = NOW + timedelta(days=7)
            milestone = factory.task(project=project, is_milestone=True, start=NOW)
            add_dependency(dbsession, milestone, task)
    dbsession.flush()
    return project, sequence, lighting


def marks(page) -> dict[str, str]:
    """The Late / At risk mark of each row, by task name."""
    return {
        row.th.find("a").get_text(strip=True): (
            row.find(class_="standing").get_text() if row.find(class_="standing") else ""
        )
        for row in page.html.select("#task-tree tbody tr")
    }


def test_rows_show_computed_dates_planned_end_and_late_marks(admin_app, factory):
    _, sequence, lighting = scheduled(factory, 1)
    shot = lighting.parent
    page = admin_app.get(f"/projects/{shot.project_id}/tasks?parent={shot.id}")
    assert marks(page) == {"Animation": "Late", "Lighting": "At risk"}
    row = page.html.find("tr", attrs={"data-task-id": str(lighting.id)})
    dates = [cell.get_text(" ", strip=True) for cell in row("td", class_="task-dates")]
    computed_start = (NOW - timedelta(days=5)).strftime("%d %b %Y %H:%M UTC")
    computed_end = (NOW + timedelta(days=7)).strftime("%d %b %Y %H:%M UTC")
    assert dates == [
        f"{computed_start} → {computed_end}",
        (NOW + timedelta(days=1)).strftime("%d %b %Y %H:%M UTC"),
    ]


def test_a_task_never_scheduled_says_so_and_has_no_mark(admin_app, project_tree):
    project, *_ = project_tree
    page = admin_app.get(tree_url(project))
    assert set(marks(page).values()) == {""}
    assert "not scheduled" in page.html.find(id="task-tree").tbody.get_text()


def test_marks_take_the_same_queries_for_a_ten_times_larger_project(admin_app, factory, queries_of):
    small, large = scheduled(factory, 2)[1], scheduled(factory, 6)[1]
    small_url, large_url = (f"/tasks/{sequence.id}/children" for sequence in (small, large))
    admin_app.get(small_url)
    assert queries_of(admin_app, large_url) == queries_of(admin_app, small_url)
    assert "Late" in admin_app.get(large_url).text


@pytest.mark.parametrize("query", [{}, {"q": "Lighting"}])
def test_tree_root_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, queries_of, query
):
    small, large = (
        tree_url(scheduled(factory, 2)[0], **query),
        tree_url(scheduled(factory, 6)[0], **query),
    )
    admin_app.get(small)
    # A ceiling: the statements it takes today (15, one more with a search), so none creeps in.
    assert queries_of(admin_app, large) == queries_of(admin_app, small) <= 16


def test_expanded_sequence_takes_the_same_queries_for_ten_times_more_shots(
    admin_app, factory, queries_of
):
    small = f"/tasks/{production(factory, 2)[1].id}/children"
    large = f"/tasks/{production(factory, 6)[1].id}/children"
    admin_app.get(small)
    assert queries_of(admin_app, large) == queries_of(admin_app, small) <= 15

"""The production board page, its CSV export and its bulk form, as a producer and an artist."""

import csv
import io

import pytest

from stalker_web.models import ProjectUser

from ...conftest import login
from ...services.board.builders import board_project


@pytest.fixture
def producer(factory):
    return factory.user(name="Paula Producer")


@pytest.fixture
def artist(factory):
    return factory.user(name="Ann Lee")


@pytest.fixture
def built(factory, producer, artist):
    built = board_project(factory, scale=2, users=[artist, factory.user(name="Bob Kay")])
    built.project.members.append(ProjectUser(user=producer, role=factory.role("Lead")))
    factory.dbsession.flush()
    return built


def board_url(built, **query) -> str:
    text = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/projects/{built.project.id}/board" + (f"?{text}" if text else "")


def bulk_post(app, built, task_ids, action, status=303, **fields):
    page = app.get(board_url(built))
    token = page.html.select_one("#board-bulk input[name=csrf_token]")["value"]
    params = [("csrf_token", token), ("action", action), ("next", board_url(built, q="SH"))]
    params += [("task_ids", str(task_id)) for task_id in task_ids]
    for name, value in fields.items():
        params += [(name, str(item)) for item in (value if isinstance(value, list) else [value])]
    return app.post(f"/projects/{built.project.id}/board/bulk", params, status=status)


def test_an_artist_sees_the_board_without_bulk_controls(testapp, built, artist):
    login(testapp, artist.login)
    page = testapp.get(board_url(built))
    assert page.html.select_one("h1").get_text(" ", strip=True).startswith("Production board")
    headers = [th.get_text(strip=True) for th in page.html.select("thead th")]
    assert headers == ["Shot", "Animation", "Lighting"]
    assert "step-colour-3366cc" in page.html.select("thead th")[1]["class"]
    cells = page.html.select("td.board-cell")
    assert len(cells) == 8
    first = cells[0]
    assert "status-colour-" in " ".join(first["class"])
    assert first.select_one("a.board-status").get_text(strip=True) == "Ready To Start"
    assert first.select_one(".board-people")["title"] == "Ann Lee"
    assert first.select_one(".board-people").get_text() == "AL"
    assert page.html.select("tr.board-group")
    assert page.html.select_one("#board-bulk") is None
    assert not page.html.select("input[name=task_ids]")


def test_an_artist_may_not_post_bulk_changes(testapp, built, artist):
    login(testapp, artist.login)
    testapp.get(board_url(built))
    token = testapp.get("/").html.select_one("input[name=csrf_token]")["value"]
    testapp.post(
        f"/projects/{built.project.id}/board/bulk",
        {"csrf_token": token, "action": "hold", "task_ids": "1"},
        status=403,
    )


def test_the_assets_tab(testapp, built, producer):
    login(testapp, producer.login)
    page = testapp.get(board_url(built, tab="assets"))
    assert [th.get_text(strip=True) for th in page.html.select("thead th")] == ["Asset", "Model"]
    assert len(page.html.select("td.board-cell")) == 2


def test_filters_stay_in_the_url_and_narrow_the_rows(testapp, built, producer):
    login(testapp, producer.login)
    shot = built.shots[3]
    page = testapp.get(board_url(built, q=shot.code, step=built.lighting.id))
    assert [a.get_text() for a in page.html.select("th.board-entity a")] == [shot.name]
    assert page.html.select_one("#board-q")["value"] == shot.code
    export = page.html.select_one("a[href*='board.csv']")["href"]
    assert f"q={shot.code}" in export
    empty = testapp.get(board_url(built, late="1"))
    assert "No shots match these filters" in empty.text


def test_the_csv_export_has_a_line_per_row_with_each_step(testapp, built, producer):
    login(testapp, producer.login)
    response = testapp.get(f"/projects/{built.project.id}/board.csv")
    assert response.content_type == "text/csv"
    lines = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert lines[0][:5] == ["Path", "Sequence", "Status", "Frame range", "Animation status"]
    assert len(lines) == 1 + 4
    sequence = built.sequences[0]
    assert lines[1][0] == f"{built.project.code} / {sequence.name} / {built.shots[0].name}"
    assert lines[1][4:6] == ["Ready To Start", "Ann Lee"]


def test_a_producer_assigns_people_to_ticked_cells(testapp, built, producer):
    login(testapp, producer.login)
    tasks = [built.cells[(shot.id, "Animation")] for shot in built.shots]
    bob = built.users[1]
    response = bulk_post(testapp, built, [t.id for t in tasks], "assign", user_ids=[bob.id])
    assert response.location.endswith(board_url(built, q="SH"))
    page = response.follow()
    assert "Assigned Bob Kay to 4 tasks." in page.text
    assert all(task.resources == [bob] for task in tasks)


def test_without_javascript_the_assign_picker_takes_typed_logins(testapp, built, producer):
    login(testapp, producer.login)
    page = testapp.get(board_url(built))
    assert page.html.select_one("#board-bulk #user_ids-search")["name"] == "user_ids_logins"
    tasks = [built.cells[(shot.id, "Lighting")] for shot in built.shots[:2]]
    ann, bob = built.users
    response = bulk_post(
        testapp, built, [t.id for t in tasks], "assign", user_ids_logins=f"{bob.login}"
    )
    assert "Assigned Bob Kay to 2 tasks." in response.follow().text
    assert all(task.resources == [bob] for task in tasks)
    page = bulk_post(
        testapp, built, [t.id for t in tasks], "assign", status=400, user_ids_logins="nobody-here"
    )
    assert "nobody-here" in page.html.select_one(".flash").text
    assert all(task.resources == [bob] for task in tasks)
    assert ann not in tasks[0].resources


def test_a_refused_bulk_action_lists_each_task_and_changes_nothing(testapp, built, producer):
    login(testapp, producer.login)
    tasks = [built.cells[(shot.id, "Animation")] for shot in built.shots[:2]]
    page = bulk_post(testapp, built, [t.id for t in tasks], "stop", status=400)
    items = [li.get_text(" ", strip=True) for li in page.html.select("ul.refusals li")]
    assert len(items) == 2
    assert items[0].startswith(f"{built.project.code} / ")
    assert "can be stopped" in items[0]
    assert page.html.select_one("a.button")["href"] == board_url(built, q="SH")
    assert {task.status.code for task in tasks} == {"RTS"}


def test_a_bulk_form_error_says_what_to_fix(testapp, built, producer):
    login(testapp, producer.login)
    page = bulk_post(testapp, built, [], "priority", status=400, priority=5000)
    assert "The priority is a whole number from 0 to 1000." in page.html.select_one(".flash").text


def test_next_must_be_on_this_site(testapp, built, producer):
    login(testapp, producer.login)
    page = testapp.get(board_url(built))
    token = page.html.select_one("#board-bulk input[name=csrf_token]")["value"]
    task = built.cells[(built.shots[0].id, "Animation")]
    response = testapp.post(
        f"/projects/{built.project.id}/board/bulk",
        {
            "csrf_token": token,
            "action": "priority",
            "priority": "700",
            "task_ids": str(task.id),
            "next": "https://elsewhere.example/",
        },
        status=303,
    )
    assert response.location.endswith(board_url(built))
    assert task.priority == 700


def test_empty_states(testapp, factory, producer):
    project = factory.project()
    project.members.append(ProjectUser(user=producer, role=factory.role("Lead")))
    factory.dbsession.flush()
    login(testapp, producer.login)
    page = testapp.get(f"/projects/{project.id}/board")
    assert "No shots yet: create a shot range" in page.html.select_one(".empty").get_text()
    assert page.html.select_one(".empty a")["href"].endswith(
        f"/projects/{project.id}/shots/new-range"
    )
    factory.task("Shot", project=project)
    page = testapp.get(f"/projects/{project.id}/board")
    assert "No board columns" in page.html.select_one(".empty").get_text()
    link = page.html.select_one(".empty a")
    assert link["href"].endswith(f"/projects/{project.id}/settings/steps")
    built = board_project(factory, scale=0)
    built.project.members.append(ProjectUser(user=producer, role=factory.role("Lead")))
    factory.dbsession.flush()
    page = testapp.get(f"/projects/{built.project.id}/board")
    assert "No shots yet: create a shot range" in page.html.select_one(".empty").get_text()


def test_the_board_takes_the_same_number_of_queries_at_ten_times_the_size(
    admin_app, factory, queries_of
):
    small = board_project(factory, scale=1)
    large = board_project(factory, scale=10)
    # A ceiling, not the goal (15): the statements it takes today, so none creeps back in.
    assert queries_of(admin_app, board_url(large)) == queries_of(admin_app, board_url(small)) <= 22
    assert queries_of(admin_app, board_url(large, late="1", q="S")) == queries_of(
        admin_app, board_url(small, late="1", q="S")
    )


def test_a_bulk_post_without_the_csrf_token_changes_nothing(testapp, built, producer):
    login(testapp, producer.login)
    task = built.cells[(built.shots[0].id, "Animation")]
    testapp.post(
        f"/projects/{built.project.id}/board/bulk",
        {"action": "priority", "priority": "700", "task_ids": str(task.id)},
        status=400,
    )
    assert task.priority == 500

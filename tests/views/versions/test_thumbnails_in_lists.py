"""Task lists show each task's latest version's thumbnail (lazy, named after the task) or a
neutral placeholder: My tasks, the task tree and the rows it expands, the review inbox and the
lateness lists; one query for the page's pictures, never one per row."""

from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from ...factories.projects import member
from ..workflow.helpers import logged_in


@pytest.fixture(name="film")
def film_fixture(factory):
    """A project with a shot holding a Layout task with a version (and a thumbnail) and an
    Animation task without any, both the artist's and late, the supervisor responsible."""
    project = factory.project(name="Film", code="FLM")
    artist = member(project, factory.user(name="Artist"))
    supervisor = member(project, factory.user(name="Supervisor"))
    shot = factory.task("Shot", project=project, name="SH010")
    yesterday = datetime.now(UTC) - timedelta(days=1)
    tasks = {
        name: factory.task(
            parent=shot, name=name, resources=[artist], responsible=[supervisor], end=yesterday
        )
        for name in ("Layout", "Animation")
    }
    version = factory.version(tasks["Layout"])
    return {
        "project": project,
        "artist": artist,
        "supervisor": supervisor,
        "shot": shot,
        "version": version,
        **tasks,
    }


def picture_of(row):
    """The row's picture: the thumbnail image, or the placeholder."""
    return row.select_one(".task-thumb")


def assert_thumbnail(row, version, name):
    image = picture_of(row)
    assert image.name == "img"
    assert image["src"].endswith(f"/files/{version.files[0].id}/thumbnail")
    assert image["loading"] == "lazy"
    assert image["alt"] == f"Latest version of {name}"


def assert_placeholder(row, name):
    placeholder = picture_of(row)
    assert placeholder.name == "span" and "task-thumb-none" in placeholder["class"]
    assert placeholder["aria-label"] == f"No picture of {name} yet"


def test_my_tasks_show_the_latest_version_s_thumbnail(testapp, film):
    page = logged_in(testapp, film["artist"]).get("/my/tasks")
    rows = {row["data-task-id"]: row for row in page.html.select("#my-tasks tbody tr")}
    assert_thumbnail(rows[str(film["Layout"].id)], film["version"], "FLM / SH010 / Layout")
    assert_placeholder(rows[str(film["Animation"].id)], "FLM / SH010 / Animation")


def test_the_tree_shows_a_shot_with_its_step_tasks_picture(admin_app, film):
    page = admin_app.get(f"/projects/{film['project'].id}/tasks")
    row = page.html.select_one(f"#task-tree tr[data-task-id='{film['shot'].id}']")
    assert_thumbnail(row, film["version"], "SH010")


def test_the_rows_the_tree_expands_show_their_pictures(admin_app, film):
    fragment = admin_app.get(f"/tasks/{film['shot'].id}/children")
    rows = {row["data-task-id"]: row for row in fragment.html.select("tr[data-task-id]")}
    assert_thumbnail(rows[str(film["Layout"].id)], film["version"], "Layout")
    assert_placeholder(rows[str(film["Animation"].id)], "Animation")


def test_the_review_inbox_shows_the_reviewed_task_s_picture(dbsession, testapp, film):
    layout = film["Layout"]
    create_time_log(dbsession, layout, film["artist"], MONDAY, MONDAY + timedelta(hours=1))
    request_review(dbsession, layout, film["artist"])
    page = logged_in(testapp, film["supervisor"]).get("/reviews")
    review = page.html.select_one("article.review")
    assert_thumbnail(review, film["version"], "FLM / SH010 / Layout")


def test_the_lateness_lists_show_pictures(admin_app, film):
    project = film["project"]
    for url in (f"/projects/{project.id}/lateness?standing=late", f"/projects/{project.id}"):
        rows = admin_app.get(url).html.select("table.lateness-table tbody tr")
        by_path = {row.th.a.get_text(strip=True): row for row in rows}
        assert_thumbnail(by_path["FLM / SH010 / Layout"], film["version"], "FLM / SH010 / Layout")
        assert_placeholder(by_path["FLM / SH010 / Animation"], "FLM / SH010 / Animation")


def test_pictures_cost_the_same_queries_for_ten_times_more_rows(factory, testapp, film, queries_of):
    artist, project = film["artist"], film["project"]
    logged_in(testapp, artist)
    urls = ("/my/tasks", f"/projects/{project.id}/tasks", f"/tasks/{film['shot'].id}/children")
    before = {url: queries_of(testapp, url) for url in urls}
    for number in range(10):
        task = factory.task(parent=film["shot"], name=f"Extra {number}", resources=[artist])
        factory.version(task)
        factory.task("Shot", project=project, name=f"SH{number:03d}")
    after = {url: queries_of(testapp, url) for url in urls}
    assert after == before

"""A write checks project membership exactly as a read does: someone who left a project while
still a resource of its tasks, responsible for them or the reviewer of one of their reviews
cannot write to it any more (403), though every row naming them is still there."""

from datetime import timedelta

import pytest

from stalker_web.models import ProjectUser
from stalker_web.models.task import status_changes
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.versions.versions import create_version
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.statuses import task_status
from stalker_web.services.workflow.time_logs import create_time_log

from ...pages import csrf_token
from ..workflow.helpers import MONDAY, logged_in


@pytest.fixture
def work(dbsession, shot, artist):
    """The artist's time log on the shot, a review waiting for the supervisor and a version."""
    time_log = create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    version = create_version(dbsession, shot)
    [review] = request_review(dbsession, shot, artist)
    return {"time_log": time_log, "version": version, "review": review}


def leave(dbsession, project, user) -> None:
    """Take ``user`` out of ``project`` alone: their tasks, reviews and logs still name them (as
    after a removal made before removals took people off tasks)."""
    membership = dbsession.get(ProjectUser, (project.id, user.id))
    project.members.remove(membership)
    dbsession.flush()


def moment(value) -> str:
    return value.strftime("%Y-%m-%dT%H:%M")


def later(hours: int) -> dict:
    start = MONDAY + timedelta(days=1)
    return {"start": moment(start), "end": moment(start + timedelta(hours=hours))}


# (who acts, method, url, extra form values): every object-level write of a task's people.
WRITES = {
    "create a version": ("artist", "POST", "/tasks/{shot}/versions/new", {}),
    "open the version form": ("artist", "GET", "/tasks/{shot}/versions/new", {}),
    "upload a file": ("artist", "POST", "/versions/{version}/files", {}),
    "publish a version": ("artist", "POST", "/versions/{version}/publish", {}),
    "log time": ("artist", "POST", "/tasks/{shot}/time-logs", later(1)),
    "request a review": ("artist", "POST", "/tasks/{shot}/status/request_review", {}),
    "edit a time log": ("artist", "POST", "/time-logs/{time_log}/edit", later(2)),
    "delete a time log": ("artist", "POST", "/time-logs/{time_log}/delete", {}),
    "answer a review": ("supervisor", "POST", "/reviews/{review}/answer", {"answer": "approve"}),
    "send the task back": (
        "supervisor",
        "POST",
        "/tasks/{shot}/status/request_revision",
        {"description": "Arcs.", "schedule_timing": "1", "schedule_unit": "h"},
    ),
}


def attempt(testapp, write: str, ids: dict, people: dict):
    """Do ``write`` as whoever it belongs to; returns the response (any status)."""
    who, method, url, values = WRITES[write]
    logged_in(testapp, people[who])
    url = url.format(**ids)
    if method == "GET":
        return testapp.get(url, expect_errors=True)
    return testapp.post(url, {**values, "csrf_token": csrf_token(testapp)}, expect_errors=True)


@pytest.fixture
def setting(shot, work, artist, supervisor):
    ids = {"shot": shot.id, **{key: row.id for key, row in work.items()}}
    return ids, {"artist": artist, "supervisor": supervisor}


@pytest.mark.parametrize("write", WRITES)
def test_members_may_do_each_write(testapp, setting, write):
    ids, people = setting
    assert attempt(testapp, write, ids, people).status_int != 403


@pytest.mark.parametrize("write", WRITES)
def test_someone_who_left_the_project_may_not(testapp, dbsession, project, setting, write):
    ids, people = setting
    leave(dbsession, project, people[WRITES[write][0]])
    assert attempt(testapp, write, ids, people).status_int == 403


def test_the_timesheet_refuses_a_task_of_a_project_left(testapp, dbsession, project, shot, artist):
    leave(dbsession, project, artist)
    logged_in(testapp, artist)
    values = {"task": str(shot.id), **later(1), "csrf_token": csrf_token(testapp)}
    page = testapp.post("/my/timesheet", values, status=400)
    assert len(shot.time_logs) == 0
    assert shot.name not in page.html.find(id="task-errors").get_text()


def test_the_task_page_offers_no_writes_after_leaving(testapp, dbsession, project, shot, artist):
    leave(dbsession, project, artist)
    logged_in(testapp, artist).get(f"/tasks/{shot.id}", status=403)


def test_a_manager_still_answers_for_someone_who_left(
    testapp, dbsession, factory, project, setting
):
    """Only the object-level rights of the one who left go: a producer answers in their place."""
    ids, people = setting
    leave(dbsession, project, people["supervisor"])
    producer = factory.user()
    project.members.append(ProjectUser(user=producer, role=factory.role("Producer")))
    logged_in(testapp, producer)
    values = {"answer": "approve", "csrf_token": csrf_token(testapp)}
    testapp.post(f"/reviews/{ids['review']}/answer", values, status=303)


# What a refusal may name: a task of another project only when the user may read that project.


@pytest.fixture
def keeper(factory):
    """Task "Keeper" of project Secret, dated over the shot's Monday."""
    secret = factory.project(name="Secret")
    return factory.task(
        project=secret,
        name="Keeper",
        start=MONDAY - timedelta(days=7),
        end=MONDAY + timedelta(days=3),
    )


def log_on(testapp, task, start, hours: int):
    form = testapp.get(f"/tasks/{task.id}/time-logs").forms["time-log-form"]
    form["start"], form["end"] = moment(start), moment(start + timedelta(hours=hours))
    return form.submit(status=400)


@pytest.mark.parametrize("reads_secret", [True, False])
def test_an_overlap_names_the_other_task_only_when_its_project_is_readable(
    testapp, dbsession, keeper, shot, artist, reads_secret
):
    create_time_log(dbsession, keeper, artist, MONDAY, MONDAY + timedelta(hours=4))
    if reads_secret:
        keeper.project.members.append(ProjectUser(user=artist))
    page = log_on(logged_in(testapp, artist), shot, MONDAY + timedelta(hours=1), 1)
    error = page.html.find(id="start-errors").get_text(" ", strip=True)
    place = "on Keeper;" if reads_secret else "on a task in a project you cannot see;"
    assert place in error
    assert ("Keeper" in page.text) is reads_secret


def test_editing_a_log_hides_the_other_project_of_the_overlap(
    testapp, dbsession, keeper, shot, artist
):
    create_time_log(dbsession, keeper, artist, MONDAY, MONDAY + timedelta(hours=4))
    mine = create_time_log(
        dbsession, shot, artist, MONDAY + timedelta(hours=5), MONDAY + timedelta(hours=6)
    )
    form = logged_in(testapp, artist).get(f"/time-logs/{mine.id}/edit").forms["time-log-form"]
    form["start"] = moment(MONDAY + timedelta(hours=3))
    page = form.submit(status=400)
    assert "on a task in a project you cannot see" in page.text
    assert "Keeper" not in page.text


@pytest.mark.parametrize("reads_secret", [True, False])
def test_a_dependency_of_another_project_is_named_only_when_readable(
    testapp, dbsession, keeper, shot, artist, reads_secret
):
    add_dependency(dbsession, shot, keeper)
    if reads_secret:
        keeper.project.members.append(ProjectUser(user=artist))
    workflow_ready(dbsession, keeper, shot)
    page = log_on(logged_in(testapp, artist), shot, MONDAY, 1)
    error = page.html.find(id="start-errors").get_text(" ", strip=True)
    upstream = "Keeper" if reads_secret else "a task in a project you cannot see"
    assert error.startswith(f"Animation waits for {upstream}, which ends on")
    assert ("Keeper" in page.text) is reads_secret


def workflow_ready(dbsession, upstream, task) -> None:
    """Put ``upstream`` in CMPL and ``task`` in RTS (test setup only), so only the dates stand in
    the way of logging time on ``task``."""
    for each, code in ((upstream, "CMPL"), (task, "RTS")):
        with status_changes():
            each.status = task_status(dbsession, code)
    dbsession.flush()


def test_removing_a_dependency_that_is_not_there_names_no_task_of_another_project(
    testapp, factory, keeper, project, shot
):
    lead = factory.user()
    project.members.append(ProjectUser(user=lead, role=factory.role("Lead")))
    logged_in(testapp, lead)
    url = f"/tasks/{shot.id}/dependencies/{keeper.id}/remove"
    page = testapp.post(url, {"csrf_token": csrf_token(testapp)}, status=303).follow()
    assert "Animation does not depend on a task in a project you cannot see." in page.text
    assert "Keeper" not in page.text


def test_the_timesheet_hides_the_other_project_of_an_overlap(
    testapp, dbsession, keeper, shot, artist
):
    create_time_log(dbsession, keeper, artist, MONDAY, MONDAY + timedelta(hours=4))
    logged_in(testapp, artist)
    values = {
        "task": str(shot.id),
        "start": moment(MONDAY + timedelta(hours=1)),
        "end": moment(MONDAY + timedelta(hours=2)),
        "csrf_token": csrf_token(testapp),
    }
    page = testapp.post("/my/timesheet?week=2026-W10", values, status=400)
    error = page.html.find(id="start-errors").get_text(" ", strip=True)
    assert "on a task in a project you cannot see;" in error  # (the grid lists their own logs)

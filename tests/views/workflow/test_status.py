"""Status actions on a task: each action's permission, the refusals flashed with nothing
saved, and the task page's workflow data (services.workflow_pages)."""

from datetime import timedelta

import pytest

from stalker_web.models import Review
from stalker_web.services.tasks.commands import responsible_users
from stalker_web.services.workflow.pages import task_workflow_details
from stalker_web.services.workflow.time_logs import create_time_log

from ...pages import csrf_token
from .helpers import MONDAY, flashes, logged_in


def post(testapp, task, action, **values):
    values["csrf_token"] = csrf_token(testapp)
    return testapp.post(
        f"/tasks/{task.id}/status/{action}", values, status=values.pop("status", 303)
    )


@pytest.fixture
def started(dbsession, shot, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    return shot


def test_the_artist_requests_a_review(dbsession, testapp, project, started, artist, supervisor):
    response = post(logged_in(testapp, artist), started, "request_review")
    assert f"Review requested for {project.code} / Animation." in flashes(response.follow())
    assert started.status.code == "PREV"
    [review] = dbsession.query(Review).filter_by(task_id=started.id).all()
    assert review.reviewer is supervisor


def test_a_review_without_responsible_users_is_refused_and_nothing_saved(
    dbsession, testapp, factory, project, artist
):
    alone = factory.task(project=project, name="Alone", resources=[artist])
    create_time_log(dbsession, alone, artist, MONDAY, MONDAY + timedelta(hours=1))
    assert responsible_users(dbsession, [alone])[alone.id] == []
    response = post(logged_in(testapp, artist), alone, "request_review")
    assert response.headers["X-Tm"] == "abort"
    assert "Nobody is responsible for Alone" in flashes(response.follow())
    assert alone.status.code == "WIP"


def test_a_request_in_the_wrong_status_is_refused(testapp, shot, artist):
    response = post(logged_in(testapp, artist), shot, "request_review")
    message = "A review can only be requested for a task that is Work In Progress; this one is"
    assert f"{message} Ready To Start." in flashes(response.follow())


def test_hold_stop_and_resume_are_for_managers(testapp, started, artist, lead):
    logged_in(testapp, artist)
    for action in ("hold", "stop", "resume"):
        post(testapp, started, action, status=403)
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    logged_in(testapp, lead)
    post(testapp, started, "hold")
    assert (started.status.code, started.priority) == ("OH", 0)
    post(testapp, started, "resume")
    assert (started.status.code, started.priority) == ("WIP", 500)
    post(testapp, started, "stop")
    assert started.status.code == "STOP"


def test_the_next_page_is_kept_when_it_is_on_this_site(testapp, started, lead):
    logged_in(testapp, lead)
    assert post(testapp, started, "hold", next="/my/tasks").location.endswith("/my/tasks")
    away = post(testapp, started, "resume", next="//evil.example/")
    assert away.location.endswith(f"/tasks/{started.id}")


def test_a_manager_sends_a_pending_task_back(dbsession, testapp, started, artist, lead):
    post(logged_in(testapp, artist), started, "request_review")
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    logged_in(testapp, lead)
    refused = post(
        testapp, started, "request_revision", description="", schedule_timing="2", status=400
    )
    errors = refused.html.find(id="revision-description-errors")
    assert errors.get_text(strip=True) == "Say what needs to change."
    assert started.status.code == "PREV"
    post(
        testapp,
        started,
        "request_revision",
        description="Faster.",
        schedule_timing="2",
        schedule_unit="h",
    )
    assert started.status.code == "HREV"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"description": "", "schedule_timing": "2"}, "description", "Say what needs to change."),
        # Spaces pass the form; the service refuses them, under the same field.
        ({"description": "   ", "schedule_timing": "2"}, "description", "Say what"),
        ({"description": "Faster.", "schedule_timing": "soon"}, "schedule_timing", "such as 2"),
        (
            {"description": "Faster.", "schedule_timing": "2", "schedule_unit": "parsec"},
            "schedule_unit",
            "parsec",
        ),
    ],
)
def test_a_refused_revision_request_shows_the_error_under_its_field(
    dbsession, testapp, started, artist, lead, values, field, message
):
    post(logged_in(testapp, artist), started, "request_review")
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    page = post(logged_in(testapp, lead), started, "request_revision", status=400, **values)
    form = page.html.find(id="task-revision-form")
    errors = form.find(class_="has-error")
    assert errors.find(id=f"revision-{field}")["aria-invalid"] == "true"
    assert message in errors.find(id=f"revision-{field}-errors").get_text()
    assert page.html.h1.get_text().startswith("Animation")
    assert started.status.code == "PREV"
    assert dbsession.query(Review).filter_by(task_id=started.id).count() == 1


def test_an_artist_cannot_send_a_task_back(testapp, started, artist):
    post(logged_in(testapp, artist), started, "request_revision", description="x", status=403)


def test_an_unknown_action_is_not_found(testapp, started, lead):
    post(logged_in(testapp, lead), started, "publish", status=404)


def test_the_task_page_data_says_what_is_allowed_and_why_not(
    dbsession, started, artist, count_queries
):
    with count_queries() as counter:
        details = task_workflow_details(dbsession, started, artist)
    assert counter.count <= 10
    assert details.action("request_review").allowed
    assert details.action("log_time").allowed
    assert (
        "Only a task that is On Hold or Stopped can be resumed" in details.action("resume").reason
    )
    assert [log.resource for log in details.time_logs] == [artist]
    assert details.progress.logged_seconds == 7200

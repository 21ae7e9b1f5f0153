"""Who may start and read a schedule run: a project's managers schedule their own project and
read its runs; studio-wide Create_ScheduleRun holders read the runs they may start."""

from sqlalchemy import select

from stalker_web.models import ScheduleRun
from stalker_web.services.scheduling.runs import request_run

from ...conftest import login
from ...factories.projects import member
from ...pages import csrf_token
from .test_runs import finished_run, run_count


def manager_of(factory, project):
    """A member of ``project`` whose role manages projects (its flag, not its name)."""
    role = factory.role("Line Producer", manages_project=True)
    return member(project, factory.user(name="Lina Producer"), role)


def test_a_project_manager_schedules_their_project_and_follows_the_run(testapp, factory, dbsession):
    project = factory.project(name="Lighthouse")
    login(testapp, manager_of(factory, project).login)

    page = testapp.get(f"/projects/{project.id}")
    response = page.forms["schedule-project-form"].submit(status=303)

    run = dbsession.scalars(select(ScheduleRun)).one()
    assert run.project_ids == [project.id]
    assert response.location.endswith(f"/schedule/runs/{run.id}")
    run_page = response.follow()
    assert "Schedule run" in run_page.text
    back = run_page.html.find("p", id="run-back").find("a")
    assert back["href"].endswith(f"/projects/{project.id}") and back.text == "← Lighthouse"
    testapp.get(f"/schedule/runs/{run.id}/status.json", status=200)


def test_a_plain_member_gets_no_schedule_button_and_may_not_post(testapp, factory, dbsession):
    project = factory.project()
    login(testapp, member(project, factory.user(), factory.role("Artist")).login)
    assert "schedule-project-form" not in testapp.get(f"/projects/{project.id}").forms
    testapp.post(
        f"/projects/{project.id}/schedule", {"csrf_token": csrf_token(testapp)}, status=403
    )
    assert run_count(dbsession) == 0


def test_a_project_manager_may_not_schedule_the_studio_or_another_project(
    testapp, factory, dbsession
):
    project, other = factory.project(), factory.project()
    login(testapp, manager_of(factory, project).login)
    token = csrf_token(testapp)
    testapp.post("/schedule/start", {"csrf_token": token, "scope": "studio"}, status=403)
    testapp.post(f"/projects/{other.id}/schedule", {"csrf_token": token}, status=403)
    assert run_count(dbsession) == 0


def test_a_project_manager_reads_only_runs_of_projects_they_manage(testapp, factory):
    project, other = factory.project(), factory.project()
    login(testapp, manager_of(factory, project).login)
    own = finished_run(factory, project_ids=[project.id])
    testapp.get(f"/schedule/runs/{own.id}", status=200)
    for project_ids in (None, [other.id], [project.id, other.id]):
        run = finished_run(factory, project_ids=project_ids)
        testapp.get(f"/schedule/runs/{run.id}", status=403)
        testapp.get(f"/schedule/runs/{run.id}/status.json", status=403)


def test_a_project_manager_is_told_when_another_run_is_active(testapp, factory, dbsession):
    project = factory.project()
    request_run(dbsession, None)  # the whole studio, which the manager may not read
    login(testapp, manager_of(factory, project).login)

    page = testapp.get(f"/projects/{project.id}")
    response = page.forms["schedule-project-form"].submit(status=303)

    assert response.location.endswith(f"/projects/{project.id}")
    assert "Another schedule run is queued" in response.follow().text
    assert run_count(dbsession) == 1


def test_whoever_may_start_a_run_may_read_it(testapp, factory):
    run = finished_run(factory)
    login(testapp, factory.user_allowed("Create_ScheduleRun").login)
    testapp.get(f"/schedule/runs/{run.id}", status=200)
    testapp.get(f"/schedule/runs/{run.id}/status.json", status=200)

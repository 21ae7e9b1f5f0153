"""The schedule pages: run history with "schedule now", a run's progress and result, its status
JSON, the project overview's button and the navigation. (The worker itself: tests/test_queue.py.)"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from stalker_web.models import ScheduleRun
from stalker_web.models.meta import utcnow
from stalker_web.models.schedule_run import RunPhase, RunStatus
from stalker_web.services.scheduling.messages import Names, check_message, parse_tj3_output
from stalker_web.services.scheduling.runner import TJ3_MISSING

from ...conftest import login
from ...pages import csrf_token


def run_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(ScheduleRun))


def finished_run(factory, **values) -> ScheduleRun:
    now = utcnow()
    values = {
        "name": "A run",
        "studio": factory.studio(),
        "status": RunStatus.SUCCEEDED,
        "phase": RunPhase.DONE,
        "started_at": now - timedelta(seconds=3),
        "finished_at": now,
        "duration_seconds": 3.25,
        "render_seconds": 0.5,
        "tj3_seconds": 2.0,
        "parse_seconds": 0.25,
        "write_seconds": 0.5,
        **values,
    }
    run = ScheduleRun(**values)
    factory.dbsession.add(run)
    factory.dbsession.flush()
    return run


def shot_task(factory, project=None):
    """Sequence SQ010 / Shot SH040 / Animation of a new project."""
    project = project or factory.project()
    sequence = factory.task("Sequence", project=project, name="SQ010", code="SQ010")
    shot = factory.task("Shot", project=project, parent=sequence, name="SH040", code="SH040")
    return factory.task(project=project, parent=shot, name="Animation")


def tj3_messages(task, names: Names) -> list[dict]:
    """What tj3 writes about ``task`` (its .tjp path names it), read by the real parser."""
    tjp_path = f"Studio.Project_{task.project_id}." + ".".join(
        f"Task_{i}" for i in [*task.ancestor_ids, task.id]
    )
    stderr = (
        f"studio.tjp:40: Warning: Task {tjp_path} has no resources assigned\n"
        '    task Task_9 "Animation" {\n'
        f"studio.tjp:41: Error: Task {tjp_path} has no duration specification\n"
    )
    return [message.to_dict() for message in parse_tj3_output(stderr, names)]


# The history and "schedule now" -------------------------------------------------------------


def test_the_history_lists_runs_with_who_scope_status_and_message_counts(
    admin_app, factory, dbsession
):
    project = factory.project(name="Lighthouse", code="LHK")
    task = shot_task(factory, project)
    names = Names(tasks={task.id: task.name})
    asker = factory.user(name="Petra Producer")
    finished_run(
        factory, requested_by=asker, project_ids=[project.id], messages=tj3_messages(task, names)
    )
    finished_run(factory, status=RunStatus.FAILED, error="tj3 stopped", duration_seconds=1.5)

    page = admin_app.get("/schedule")

    rows = page.html.select("#schedule-runs tbody tr")
    assert len(rows) == 2
    failed, succeeded = (
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in rows
    )
    assert failed[1] == "the command line" and failed[3] == "the whole studio"
    assert failed[4] == "failed" and failed[5] == "1.5 s"
    assert succeeded[1] == "Petra Producer" and succeeded[3] == "LHK"
    assert succeeded[4] == "succeeded" and succeeded[5] == "3.2 s"
    assert succeeded[7:] == ["1", "1"]  # one error, one warning
    assert page.html.find("form", id="schedule-form") is not None


def test_the_history_takes_the_same_queries_for_few_and_many_runs(
    admin_app, factory, count_queries
):
    project = factory.project()
    task = shot_task(factory, project)
    finished_run(factory, project_ids=[project.id], messages=tj3_messages(task, Names()))
    admin_app.get("/schedule")
    with count_queries() as few:
        admin_app.get("/schedule")
    for _ in range(30):
        other = factory.project()
        finished_run(
            factory, project_ids=[other.id, project.id], messages=tj3_messages(task, Names())
        )
    with count_queries() as many:
        page = admin_app.get("/schedule")
    assert len(page.html.select("#schedule-runs tbody tr")) == 25
    assert many.count == few.count


def test_schedule_now_queues_a_run_of_the_whole_studio_and_opens_its_page(
    admin_app, admin, dbsession
):
    page = admin_app.get("/schedule")
    form = page.forms["schedule-form"]
    assert form["scope"].value == "studio"
    response = form.submit(status=303)

    run = dbsession.scalars(select(ScheduleRun)).one()
    assert (run.status, run.project_ids, run.requested_by_id) == (RunStatus.QUEUED, None, admin.id)
    assert response.location.endswith(f"/schedule/runs/{run.id}")
    run_page = response.follow()
    assert f"Schedule run {run.id} is queued" in run_page.text
    assert run_page.html.find(id="run-status").get_text() == "queued"
    # Without JavaScript the page refreshes itself while the run is active.
    assert run_page.html.select_one('noscript meta[http-equiv="refresh"]') is not None
    assert run_page.html.find(id="run-result") is None


def test_schedule_now_of_chosen_projects(admin_app, factory, dbsession):
    first, second, _third = factory.project(), factory.project(), factory.project()
    form = admin_app.get("/schedule").forms["schedule-form"]
    form["scope"] = "projects"
    form["project_ids"] = [str(first.id), str(second.id)]
    form.submit(status=303)
    run = dbsession.scalars(select(ScheduleRun)).one()
    assert run.project_ids == sorted([first.id, second.id])


def test_a_second_request_while_a_run_is_active_leads_to_that_run(admin_app, dbsession):
    first = admin_app.get("/schedule").forms["schedule-form"].submit(status=303)
    history = admin_app.get("/schedule")
    assert "follow its progress" in history.html.find(id="active-run").get_text()
    second = history.forms["schedule-form"].submit(status=303)

    assert second.location == first.location
    assert run_count(dbsession) == 1
    assert "A schedule run is already queued" in second.follow().text


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        (
            {"scope": "projects"},
            "project_ids",
            "Choose at least one project, or schedule the whole studio.",
        ),
        (
            {"scope": "projects", "project_ids": "987654"},
            "project_ids",
            "There is no project with id 987654.",
        ),
        (
            {"scope": "projects", "project_ids": "abc"},
            "project_ids",
            "Choose projects from the list.",
        ),
        ({"scope": "everything"}, "scope", "Choose the whole studio or some projects."),
    ],
)
def test_schedule_now_refuses_a_bad_scope(admin_app, dbsession, values, field, message):
    response = admin_app.post(
        "/schedule/start", {"csrf_token": csrf_token(admin_app), **values}, status=400
    )
    assert message in response.text
    assert run_count(dbsession) == 0


def test_the_history_needs_list_schedule_runs(testapp, factory):
    login(testapp, factory.user().login)
    testapp.get("/schedule", status=403)


def test_listing_without_create_shows_no_form_and_posting_is_refused(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("List_ScheduleRun").login)
    page = testapp.get("/schedule")
    assert page.html.find("form", id="schedule-form") is None
    testapp.post("/schedule/start", {"csrf_token": csrf_token(testapp)}, status=403)
    assert run_count(dbsession) == 0


def test_create_without_list_may_post(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("Create_ScheduleRun").login)
    testapp.post(
        "/schedule/start", {"csrf_token": csrf_token(testapp), "scope": "studio"}, status=303
    )
    assert run_count(dbsession) == 1


def test_schedule_now_needs_the_csrf_token(admin_app, dbsession):
    admin_app.post("/schedule/start", {"scope": "studio"}, status=400)
    assert run_count(dbsession) == 0


# A run's page -----------------------------------------------------------------------------


def test_a_finished_run_shows_phases_messages_grouped_and_tasks_as_links(admin_app, factory):
    project = factory.project(name="Lighthouse")
    task = shot_task(factory, project)
    names = Names(tasks={task.id: task.name})
    messages = tj3_messages(task, names) + [
        check_message(
            "info", f"{names.task(task.id)} was given 1 hour of effort.", [task.id]
        ).to_dict()
    ]
    run = finished_run(
        factory, project_ids=[project.id], messages=messages, task_count=12, exit_code=0
    )

    page = admin_app.get(f"/schedule/runs/{run.id}")

    assert page.html.find(id="run-status").get_text() == "succeeded"
    assert "12 tasks got computed dates." in page.html.find(id="run-succeeded").get_text()
    figures = page.html.find(id="run-figures").get_text(" ", strip=True)
    assert "Duration 3.2 s" in figures and "tj3" not in figures
    # The technical figures wait in a closed "Technical details".
    technical = page.html.find(id="run-technical")
    assert technical.name == "details" and not technical.has_attr("open")
    assert "tj3 2.00 s" in technical.get_text(" ", strip=True)
    assert page.html.select_one('noscript meta[http-equiv="refresh"]') is None
    label = "Sequence SQ010 / Shot SH040 / Animation"
    warning = page.html.select_one("#messages-warning li")
    link = warning.find("a")
    assert link.get_text() == label
    assert link["href"].endswith(f"/tasks/{task.id}")
    assert warning.get_text(" ", strip=True).startswith(f"{label} has nobody assigned to it.")
    # tj3's own words (ids, .tjp line and excerpt) are there for whoever fixes the .tjp, folded.
    own_words = warning.select_one("details.tj3-words")
    assert own_words.summary.get_text() == "tj3's own words"
    assert 'task Task_9 "Animation"' in own_words.pre.get_text()
    assert "(line 40 of the .tjp file)" in own_words.pre.get_text()
    shown = warning.get_text(" ", strip=True).split("tj3's own words")[0]
    assert "Task_" not in shown and ".tjp" not in shown
    assert page.html.select_one("#messages-error li a").get_text() == label
    note = page.html.select_one("#messages-info li")
    assert note.get_text(" ", strip=True).startswith(f"{label} was given 1 hour of effort.")
    assert "found before tj3 ran" in note.get_text()
    gantt = page.html.find(id="run-succeeded").find("a")
    assert gantt["href"].endswith(f"/projects/{project.id}/gantt")


def test_a_failed_run_shows_its_error_with_task_links(admin_app, factory):
    task = shot_task(factory)
    names = Names(tasks={task.id: task.name})
    error = f"Some tasks did not fit into the planning window: {names.task(task.id)}."
    run = finished_run(factory, status=RunStatus.FAILED, error=error)
    page = admin_app.get(f"/schedule/runs/{run.id}")
    box = page.html.find(id="run-error")
    assert box.get_text(" ", strip=True) == (
        "Some tasks did not fit into the planning window: Sequence SQ010 / Shot SH040 / Animation ."
    )
    assert box.find("a")["href"].endswith(f"/tasks/{task.id}")


def test_a_name_that_says_its_kind_is_not_labelled_twice(admin_app, factory):
    project = factory.project()
    sequence = factory.task("Sequence", project=project, name="Sequence 3", code="SQ3")
    shot = factory.task("Shot", project=project, parent=sequence, name="SH040", code="SH040")
    task = factory.task(project=project, parent=shot, name="Animation")
    run = finished_run(factory, messages=tj3_messages(task, Names(tasks={task.id: task.name})))
    page = admin_app.get(f"/schedule/runs/{run.id}")
    link = page.html.select_one("#messages-warning li a")
    assert link.get_text() == "Sequence 3 / Shot SH040 / Animation"


def test_a_task_deleted_since_stays_plain_text(admin_app, factory, dbsession):
    run = finished_run(factory, status=RunStatus.FAILED, error="Gone (task 987654) is late.")
    box = admin_app.get(f"/schedule/runs/{run.id}").html.find(id="run-error")
    assert box.find("a") is None
    assert box.get_text(strip=True) == "Gone (task 987654) is late."


def test_tj3_missing_is_said_clearly(admin_app, factory):
    run = finished_run(factory, status=RunStatus.FAILED, error=f"{TJ3_MISSING} (no program 'tj3')")
    page = admin_app.get(f"/schedule/runs/{run.id}")
    box = page.html.find(id="tj3-missing")
    assert "tj3 is not installed" in box.get_text()
    assert "apt-get install tj3" in box.get_text()


def test_an_active_run_polls_its_status(admin_app, factory, dbsession):
    run = finished_run(
        factory,
        status=RunStatus.RUNNING,
        phase=RunPhase.SCHEDULING,
        finished_at=None,
        duration_seconds=None,
        lock_studio_id=factory.studio().id,
    )
    page = admin_app.get(f"/schedule/runs/{run.id}")
    progress = page.html.find(id="run-progress")
    assert progress["data-active"] == "true"
    assert progress["data-status-url"].endswith(f"/schedule/runs/{run.id}/status.json")
    assert page.html.select_one('script[src*="schedule.js"]') is not None
    assert page.html.select_one('.run-phases li[aria-current="step"]').get_text() == (
        "Scheduling (tj3 is running)"
    )
    assert [li.get("class") for li in page.html.select(".run-phases li")][:2] == [["done"]] * 2

    status = admin_app.get(f"/schedule/runs/{run.id}/status.json").json
    assert status["status"] == "running" and status["phase"] == "scheduling"
    assert status["active"] is True and status["phase_index"] == 2
    assert status["seconds"] >= 3

    run.status, run.phase, run.lock_studio_id = RunStatus.SUCCEEDED, RunPhase.DONE, None
    dbsession.flush()
    status = admin_app.get(f"/schedule/runs/{run.id}/status.json").json
    assert (status["status"], status["active"]) == ("succeeded", False)


def test_a_run_waiting_long_for_a_worker_says_how_to_start_one(admin_app, factory):
    run = finished_run(
        factory,
        status=RunStatus.QUEUED,
        phase=RunPhase.QUEUED,
        started_at=None,
        finished_at=None,
        lock_studio_id=factory.studio().id,
        date_created=utcnow() - timedelta(minutes=2),
    )
    page = admin_app.get(f"/schedule/runs/{run.id}")
    assert "stalker-web <ini> worker" in page.html.find(id="no-worker").get_text()


def test_the_run_page_takes_the_same_queries_for_few_and_many_messages(
    admin_app, factory, dbsession, count_queries
):
    task = shot_task(factory)
    few_run = finished_run(factory, messages=tj3_messages(task, Names()))
    many_messages = []
    for _ in range(20):
        other = shot_task(factory)
        many_messages += tj3_messages(other, Names(tasks={other.id: other.name}))
    many_run = finished_run(factory, messages=many_messages)
    admin_app.get(f"/schedule/runs/{few_run.id}")
    with count_queries() as few:
        admin_app.get(f"/schedule/runs/{few_run.id}")
    with count_queries() as many:
        page = admin_app.get(f"/schedule/runs/{many_run.id}")
    assert len(page.html.select("#messages-warning li a")) == 20
    assert many.count == few.count


def test_run_pages_need_list_schedule_runs(testapp, factory):
    run = finished_run(factory)
    login(testapp, factory.user_allowed("Read_Project").login)
    testapp.get(f"/schedule/runs/{run.id}", status=403)
    testapp.get(f"/schedule/runs/{run.id}/status.json", status=403)


def test_an_unknown_run_is_not_found(admin_app):
    admin_app.get("/schedule/runs/987654", status=404)


# The project overview and the navigation -----------------------------------------------------


def test_the_project_overview_schedules_the_project(admin_app, factory, dbsession):
    project = factory.project()
    page = admin_app.get(f"/projects/{project.id}")
    assert page.html.find("a", string="Gantt chart")["href"].endswith(
        f"/projects/{project.id}/gantt"
    )
    response = page.forms["schedule-project-form"].submit(status=303)
    run = dbsession.scalars(select(ScheduleRun)).one()
    assert run.project_ids == [project.id]
    assert response.location.endswith(f"/schedule/runs/{run.id}")


def test_the_schedule_button_needs_create_schedule_run(testapp, factory):
    user = factory.user_allowed("Read_Project")
    project = factory.project()
    login(testapp, user.login)
    page = testapp.get(f"/projects/{project.id}")
    assert "schedule-project-form" not in page.forms
    nav = page.html.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Schedule") is None
    vacations = nav.find("a", string="Vacations")
    assert vacations["href"].endswith(f"/users/{user.id}/vacations")


def test_the_navigation_offers_schedule_and_the_studio_vacations_to_holders(testapp, factory):
    login(testapp, factory.user_allowed("List_ScheduleRun", "List_Vacation").login)
    nav = testapp.get("/").html.find("nav", attrs={"aria-label": "Main"})
    assert nav.find("a", string="Schedule")["href"].endswith("/schedule")
    assert nav.find("a", string="Vacations")["href"].endswith("/vacations")

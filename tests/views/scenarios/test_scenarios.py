"""The scenario list with "new scenario", a scenario's page, renaming, scheduling and discarding;
who may do what, and 404s for ids that name nothing."""

from datetime import timedelta

from sqlalchemy import func, select

from stalker_web.models import Scenario, ScenarioState, ScheduleRun
from stalker_web.models.schedule_run import RunStatus
from stalker_web.services.scenarios.editing import add_person, create_scenario, set_task_change

from ...conftest import login
from ...pages import button_form


def scenario_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(Scenario))


# The list -----------------------------------------------------------------------------------


def test_an_empty_list_says_what_a_scenario_is(producer_app):
    page = producer_app.get("/scenarios")
    assert page.html.find("h1").get_text() == "What-if scenarios"
    assert "a copy of the plan you can change freely" in page.html.find(id="no-scenarios").text
    assert page.html.find("form", id="scenario-form") is not None


def test_the_list_shows_who_made_each_scenario_and_whether_it_is_out_of_date(
    producer_app, dbsession, scenario, producer
):
    scheduled = create_scenario(dbsession, producer, "Trailer cut to 30 s")
    scheduled.scheduled_at = scheduled.changed_at - timedelta(hours=1)
    add_person(dbsession, scheduled, producer, name="Jo")  # changed after it was scheduled
    page = producer_app.get("/scenarios")
    rows = [
        [cell.get_text(" ", strip=True) for cell in row.select("th, td")]
        for row in page.html.select("#scenarios tbody tr")
    ]
    by_name = {row[0].split(" Hire")[0]: row for row in rows}
    assert by_name["Freelancer in March"][1:] == ["Petra Producer", "never", "open"]
    assert by_name["Trailer cut to 30 s"][2].endswith("out of date")


def test_the_list_paginates(producer_app, dbsession, producer):
    for number in range(30):
        create_scenario(dbsession, producer, f"Idea {number:02d}")
    page = producer_app.get("/scenarios")
    assert len(page.html.select("#scenarios tbody tr")) == 25
    assert "Page 1 of 2" in page.html.find("nav", class_="pager").text
    second = producer_app.get("/scenarios", {"page": "2"})
    assert len(second.html.select("#scenarios tbody tr")) == 5


def test_creating_a_scenario_opens_its_page(producer_app, dbsession, producer):
    form = producer_app.get("/scenarios").forms["scenario-form"]
    form["name"] = "Freelance lighter"
    form["description"] = "Ann is away in March"
    page = form.submit(status=303).follow()
    scenario = dbsession.scalars(select(Scenario)).one()
    assert (scenario.name, scenario.state, scenario.created_by_id) == (
        "Freelance lighter",
        ScenarioState.OPEN,
        producer.id,
    )
    assert page.html.find("h1").get_text() == "Scenario: Freelance lighter"
    assert "Scenario Freelance lighter created" in page.text
    assert page.html.find(id="never-scheduled") is not None


def test_a_refused_name_keeps_what_was_typed(producer_app, dbsession, scenario):
    form = producer_app.get("/scenarios").forms["scenario-form"]
    form["name"] = scenario.name
    form["description"] = "Another try"
    page = form.submit(status=400)
    assert "already exists" in page.html.select_one(".field.has-error .errors").text
    again = page.forms["scenario-form"]
    assert (again["name"].value, again["description"].value) == (scenario.name, "Another try")
    assert scenario_count(dbsession) == 1


def test_a_name_too_long_is_refused(producer_app, dbsession):
    form = producer_app.get("/scenarios").forms["scenario-form"]
    form["name"] = "x" * 257
    page = form.submit(status=400)
    assert "256 characters" in page.html.select_one(".field.has-error .errors").text
    assert scenario_count(dbsession) == 0


# Rights -------------------------------------------------------------------------------------


def test_people_without_the_scenario_rights_are_refused(testapp, factory, scenario):
    login(testapp, factory.user().login)
    for url in (
        "/scenarios",
        f"/scenarios/{scenario.id}",
        f"/scenarios/{scenario.id}/compare",
        f"/scenarios/{scenario.id}/promote",
        f"/scenarios/{scenario.id}/tasks",
    ):
        testapp.get(url, status=403)


def test_readers_see_a_scenario_without_the_buttons_that_change_it(testapp, factory, scenario):
    login(testapp, factory.user_allowed("List_Scenario").login)
    page = testapp.get(f"/scenarios/{scenario.id}")
    assert page.html.find("form", id="scenario-form") is None
    assert page.html.find(id="add-person") is None
    assert page.html.find("button", string="Schedule this scenario") is None
    assert page.html.find("a", string="Compare with the live plan") is not None
    assert testapp.get("/scenarios").html.find("form", id="scenario-form") is None


def test_unknown_scenarios_people_and_tasks_are_404(producer_app, factory, scenario):
    producer_app.get("/scenarios/999999", status=404)
    producer_app.get("/scenarios/99999999999999999999", status=404)
    producer_app.get(f"/scenarios/{scenario.id}/people/999999", status=404)
    producer_app.get(f"/scenarios/{scenario.id}/tasks/999999", status=404)
    other = create_scenario(factory.dbsession, None, "Someone else's")
    stranger = add_person(factory.dbsession, other, None, name="Not here")
    producer_app.get(f"/scenarios/{scenario.id}/people/{stranger.id}", status=404)


# Renaming -----------------------------------------------------------------------------------


def test_renaming_a_scenario(producer_app, scenario):
    form = producer_app.get(f"/scenarios/{scenario.id}/edit").forms["scenario-edit-form"]
    form["name"] = "Freelancer in April"
    form.submit(status=303)
    assert scenario.name == "Freelancer in April"


def test_renaming_a_stale_page_names_who_changed_it(producer_app, dbsession, scenario, factory):
    form = producer_app.get(f"/scenarios/{scenario.id}/edit").forms["scenario-edit-form"]
    add_person(dbsession, scenario, factory.user(name="Carl Coordinator"), name="Jo")
    dbsession.flush()
    form["name"] = "Mine"
    page = form.submit(status=400)
    assert "was changed by" in page.html.find(class_="flash error").text
    assert page.forms["scenario-edit-form"]["name"].value == "Mine"
    assert scenario.name == "Freelancer in March"


# Scheduling ---------------------------------------------------------------------------------


def test_scheduling_queues_a_run_of_the_scenario_and_opens_its_page(
    producer_app, dbsession, scenario, producer
):
    page = producer_app.get(f"/scenarios/{scenario.id}")
    response = button_form(page, "Schedule this scenario").submit(status=303)
    run = dbsession.scalars(select(ScheduleRun)).one()
    assert (run.scenario_id, run.status, run.requested_by_id) == (
        scenario.id,
        RunStatus.QUEUED,
        producer.id,
    )
    run_page = response.follow()
    assert run_page.html.find("h1").get_text() == (
        f"Schedule run {run.id} of scenario Freelancer in March"
    )
    assert "the live plan is not touched" in run_page.html.find(id="run-scenario").text
    back = run_page.html.select_one("#run-back a")
    assert back["href"].endswith(f"/scenarios/{scenario.id}")
    assert run_page.html.find(id="run-status").get_text() == "queued"
    # The scenario's page shows the run while it is active; asking again opens the same run.
    page = producer_app.get(f"/scenarios/{scenario.id}")
    assert f"run {run.id}" in page.html.find(id="scenario-running").text
    again = button_form(page, "Schedule this scenario").submit(status=303)
    assert again.location.endswith(f"/schedule/runs/{run.id}")
    assert dbsession.scalar(select(func.count()).select_from(ScheduleRun)) == 1


def test_a_scenario_run_is_read_by_who_may_see_scenarios(testapp, factory, dbsession, scenario):
    run = ScheduleRun(name="What-if", studio=factory.studio(), scenario_id=scenario.id)
    dbsession.add(run)
    dbsession.flush()
    for rights, status in (
        (("Create_ScheduleRun",), 403),  # may start live runs, not see scenarios
        (("List_Scenario",), 200),
        (("List_ScheduleRun",), 200),  # every run, as before
    ):
        login(testapp, factory.user_allowed(*rights).login)
        testapp.get(f"/schedule/runs/{run.id}", status=status)
        testapp.get(f"/schedule/runs/{run.id}/status.json", status=status)


# Discarding ---------------------------------------------------------------------------------


def test_discarding_deletes_the_scenario_and_leaves_the_live_task(
    producer_app, dbsession, scenario, shot
):
    add_person(dbsession, scenario, None, name="Jo")
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    page = producer_app.get(f"/scenarios/{scenario.id}")
    form = button_form(page, "Discard")
    assert "The live plan stays as it is" in form.html.find("button")["data-confirm"]
    listing = form.submit(status=303).follow()
    assert "Scenario Freelancer in March discarded" in listing.text
    assert scenario_count(dbsession) == 0
    assert shot.priority == 500


def test_discarding_is_refused_while_the_scenario_is_being_scheduled(
    producer_app, dbsession, scenario
):
    page = producer_app.get(f"/scenarios/{scenario.id}")
    button_form(page, "Schedule this scenario").submit(status=303)
    page = producer_app.get(f"/scenarios/{scenario.id}")
    refused = button_form(page, "Discard").submit(status=303).follow()
    assert "being scheduled right now" in refused.html.find(class_="flash error").text
    assert scenario_count(dbsession) == 1


# Query counts -------------------------------------------------------------------------------


def test_the_scenario_page_takes_the_same_queries_for_few_and_many_changes(
    producer_app, factory, dbsession, scenario, queries_of
):
    project = factory.project()

    def grow(count: int) -> None:
        for number in range(count):
            add_person(dbsession, scenario, None, name=f"Freelancer {number}", department_id=None)
            task = factory.task(project=project, parent=factory.task(project=project))
            set_task_change(
                dbsession, scenario, None, task.id, priority=600, timing=(3, "d"), left_out=False
            )

    grow(2)
    url = f"/scenarios/{scenario.id}"
    few = queries_of(producer_app, url)
    grow(20)
    many = queries_of(producer_app, url)
    assert len(producer_app.get(url).html.select("#scenario-changes tbody tr")) == 22
    assert many == few

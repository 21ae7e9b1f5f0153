"""Changing tasks in a scenario: the studio-wide search, the change form (effort, people with
temporary ones, pins and milestones, priority, leaving out), clearing; the live task never
changes, and a promoted scenario is read only."""

from datetime import UTC, datetime

from stalker_web.models import ScenarioState
from stalker_web.services.scenarios.editing import add_person, set_task_change

from ...pages import button_form


def change_form(app, scenario, task):
    return app.get(f"/scenarios/{scenario.id}/tasks/{task.id}").forms["task-change-form"]


def change_lines(page) -> list[str]:
    return [item.get_text(" ", strip=True) for item in page.html.select(".change-lines li")]


# Finding a task -----------------------------------------------------------------------------


def test_the_search_finds_tasks_of_every_project_by_name_or_path(producer_app, factory, scenario):
    first = factory.project(name="Lighthouse", code="LHK")
    second = factory.project(name="Fizz", code="FZZ")
    sequence = factory.task("Sequence", project=first, name="SQ010", code="SQ010")
    shot = factory.task("Shot", project=first, parent=sequence, name="SH040", code="SH040")
    lighting = factory.task(project=first, parent=shot, name="Lighting")
    other = factory.task(project=second, name="Lighting pass")
    factory.task(project=second, name="Comp")

    page = producer_app.get(f"/scenarios/{scenario.id}/tasks", {"q": "lighting"})
    rows = [row.th.get_text(" ", strip=True) for row in page.html.select("#found-tasks tbody tr")]
    assert rows == ["FZZ / Lighting pass", "LHK / SQ010 / SH040 / Lighting"]  # by project name
    page = producer_app.get(f"/scenarios/{scenario.id}/tasks", {"q": "sq010 light"})
    [row] = page.html.select("#found-tasks tbody tr")
    link = row.find("a")
    assert link["href"].endswith(f"/scenarios/{scenario.id}/tasks/{lighting.id}")
    assert other.id != lighting.id
    page = producer_app.get(f"/scenarios/{scenario.id}/tasks", {"q": "nothing like it"})
    assert 'holds "nothing like it"' in page.html.find(id="nothing-found").text


def test_the_search_paginates_with_the_same_queries(
    producer_app, factory, dbsession, scenario, queries_of
):
    project = factory.project()
    parent = factory.task(project=project, name="Layouts")
    for number in range(3):
        factory.task(project=project, parent=parent, name=f"Layout {number}")
    url = f"/scenarios/{scenario.id}/tasks?q=layout"
    few = queries_of(producer_app, url)
    with dbsession.no_autoflush:  # the parent's children were expired by the count
        for number in range(40):
            factory.task(parent=parent, name=f"Layout {number + 3}")
    many = queries_of(producer_app, url)
    page = producer_app.get(url)
    assert len(page.html.select("#found-tasks tbody tr")) == 25
    assert "Page 1 of 2" in page.html.find("nav", class_="pager").text
    assert many == few


# The change form ----------------------------------------------------------------------------


def test_the_form_starts_from_the_live_values(producer_app, scenario, shot, artist):
    form = change_form(producer_app, scenario, shot)
    assert form["priority"].value == "500"
    assert (form["schedule_timing"].value, form["schedule_unit"].value) == ("4.0", "h")
    assert form["resources"].value == [str(artist.id)]
    assert not form["change_people"].checked and not form["left_out"].checked


def test_changing_the_effort_and_giving_the_task_to_a_freelancer(
    producer_app, dbsession, scenario, shot, artist
):
    jo = add_person(dbsession, scenario, None, name="Freelancer Jo")
    form = change_form(producer_app, scenario, shot)
    form["schedule_timing"] = "2"
    form["schedule_unit"] = "d"
    form["change_people"] = True
    form["resources"] = []
    form["person_ids"] = [str(jo.id)]
    page = form.submit(status=303).follow()

    [change] = scenario.changes
    assert (change.schedule_timing, change.schedule_unit.value) == (2.0, "d")
    assert (change.resource_ids, change.person_ids, change.priority) == ([], [jo.id], None)
    assert change.base_version_id == shot.version_id
    assert change_lines(page) == [
        "Effort: 4 h → 2 d",
        "People: Artist → Freelancer Jo",
    ]
    # The live task is as it was.
    assert (shot.schedule_timing, [user.id for user in shot.resources]) == (4.0, [artist.id])
    # Coming back, the form shows the scenario's values.
    again = change_form(producer_app, scenario, shot)
    assert again["schedule_timing"].value == "2.0" and again["change_people"].checked
    assert again["person_ids"].value == [str(jo.id)]


def test_moving_a_milestone(producer_app, factory, project, scenario):
    milestone = factory.task(project=project, name="Delivery", is_milestone=True)
    page = producer_app.get(f"/scenarios/{scenario.id}/tasks/{milestone.id}")
    assert page.html.find("legend", string="Milestone date") is not None
    assert page.html.find(id="resources") is None  # a milestone has nobody working on it
    form = page.forms["task-change-form"]
    form["change_pins"] = True
    form["schedule_constraint"] = "start"
    form["start"] = "2026-05-04T09:00"
    form.submit(status=303)
    [change] = scenario.changes
    assert change.pins_changed and change.start == datetime(2026, 5, 4, 9, tzinfo=UTC)


def test_leaving_a_task_out_and_raising_a_priority(producer_app, scenario, lighting):
    form = change_form(producer_app, scenario, lighting)
    form["left_out"] = True
    form["priority"] = "800"
    page = form.submit(status=303).follow()
    [change] = scenario.changes
    assert change.left_out and change.priority == 800
    assert change_lines(page) == ["Left out of the scenario", "Priority: 500 → 800"]


def test_a_container_offers_no_effort_or_people(producer_app, factory, project, scenario):
    parent = factory.task(project=project, name="Assets")
    factory.task(project=project, parent=parent, name="Tree")
    page = producer_app.get(f"/scenarios/{scenario.id}/tasks/{parent.id}")
    form = page.forms["task-change-form"]
    assert "schedule_timing" not in form.fields and "resources" not in form.fields
    form["priority"] = "700"
    form.submit(status=303)
    assert scenario.changes[0].priority == 700


def test_nothing_changed_is_said_and_nothing_saved(producer_app, scenario, shot):
    page = change_form(producer_app, scenario, shot).submit(status=400)
    assert "Nothing differs from the live plan" in page.html.find(class_="flash error").text
    assert scenario.changes == []


def test_a_refused_change_keeps_what_was_typed(producer_app, scenario, shot):
    form = change_form(producer_app, scenario, shot)
    form["priority"] = "5000"
    form["schedule_timing"] = "3"
    page = form.submit(status=400)
    assert page.html.select_one(".field.has-error .errors") is not None
    kept = page.forms["task-change-form"]
    assert (kept["priority"].value, kept["schedule_timing"].value) == ("5000", "3")
    assert scenario.changes == []


def test_a_change_made_meanwhile_by_someone_else_is_not_overwritten(
    producer_app, dbsession, factory, scenario, shot
):
    form = change_form(producer_app, scenario, shot)
    form["priority"] = "700"
    set_task_change(dbsession, scenario, factory.user(name="Other Producer"), shot.id, priority=900)
    dbsession.flush()
    page = form.submit(status=400)
    assert "changed by Other Producer meanwhile" in page.html.find(class_="flash error").text
    assert [change.priority for change in scenario.changes] == [900]


def test_pinning_without_a_date_is_refused_under_the_date(producer_app, scenario, shot):
    form = change_form(producer_app, scenario, shot)
    form["change_pins"] = True
    form["schedule_constraint"] = "end"
    form["end"] = ""
    page = form.submit(status=400)
    assert "Give the end date" in page.html.select_one("#end-errors").text


def test_setting_everything_back_to_live_clears_the_change(producer_app, dbsession, scenario, shot):
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    form = change_form(producer_app, scenario, shot)
    form["priority"] = "500"
    page = form.submit(status=303).follow()
    assert "follows the live plan again" in page.text
    assert scenario.changes == []


def test_clearing_a_change(producer_app, dbsession, scenario, shot):
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    page = producer_app.get(f"/scenarios/{scenario.id}")
    page = button_form(page, "Clear").submit(status=303).follow()
    assert page.html.find(id="no-changes") is not None
    assert scenario.changes == []


def test_a_promoted_scenario_is_read_only(producer_app, dbsession, scenario, shot):
    scenario.state = ScenarioState.PROMOTED
    scenario.promoted_at = datetime(2026, 3, 2, 9, tzinfo=UTC)
    dbsession.flush()
    page = producer_app.get(f"/scenarios/{scenario.id}")
    assert "read only" in page.html.find(id="promoted").text
    assert page.html.find(id="add-person") is None and page.html.find(id="task-search") is None
    form = change_form(producer_app, scenario, shot)
    form["priority"] = "900"
    page = form.submit(status=400)
    assert "is read only" in page.html.find(class_="flash error").text

"""A scenario's temporary people: added on the scenario page, changed on their own page and
removed (off the scenario's tasks too); refused input keeps what was typed."""

from datetime import UTC, datetime

from stalker_web.services.scenarios.editing import add_person, set_task_change

from ...pages import button_form


def test_adding_a_freelancer_with_a_contract_and_a_rate(producer_app, factory, scenario):
    lighting = factory.department(name="Lighting")
    page = producer_app.get(f"/scenarios/{scenario.id}")
    assert page.html.find(id="no-people") is not None
    form = page.forms["person-add-form"]
    form["name"] = "Freelancer Jo"
    form["department_id"] = str(lighting.id)
    form["efficiency"] = "1.25"
    form["rate"] = "60"
    form["available_from"] = "2026-03-02T09:00"
    form["available_until"] = "2026-03-31T18:00"
    page = form.submit(status=303).follow()

    [person] = scenario.people
    assert (person.name, person.department_id, person.efficiency, person.rate) == (
        "Freelancer Jo",
        lighting.id,
        1.25,
        60.0,
    )
    assert person.available_from == datetime(2026, 3, 2, 9, tzinfo=UTC)
    assert person.available_until == datetime(2026, 3, 31, 18, tzinfo=UTC)
    row = [cell.get_text(" ", strip=True) for cell in page.html.select("#scenario-people td")]
    assert row[:4] == [
        "Lighting",
        "1.25",
        "60",
        "from 2026-03-02 09:00 UTC until 2026-03-31 18:00 UTC",
    ]


def test_a_contract_ending_before_it_starts_is_refused_and_the_form_kept(producer_app, scenario):
    form = producer_app.get(f"/scenarios/{scenario.id}").forms["person-add-form"]
    form["name"] = "Freelancer Jo"
    form["rate"] = "60"
    form["available_from"] = "2026-03-31T09:00"
    form["available_until"] = "2026-03-02T09:00"
    page = form.submit(status=400)
    assert page.html.find("details", id="add-person").has_attr("open")
    errors = page.html.select_one("#person-available_until-errors").text
    assert "must come after its start" in errors
    kept = page.forms["person-add-form"]
    assert (kept["name"].value, kept["rate"].value) == ("Freelancer Jo", "60")
    assert scenario.people == []


def test_a_bad_number_is_refused_under_its_field(producer_app, scenario):
    form = producer_app.get(f"/scenarios/{scenario.id}").forms["person-add-form"]
    form["name"] = "Freelancer Jo"
    form["efficiency"] = "-1"
    page = form.submit(status=400)
    assert "negative" in page.html.select_one("#person-efficiency-errors").text


def test_changing_a_temporary_person(producer_app, dbsession, scenario):
    person = add_person(dbsession, scenario, None, name="Jo")
    page = producer_app.get(f"/scenarios/{scenario.id}")
    page = page.click(description="Edit", href=f"/people/{person.id}$")
    form = page.forms["person-form"]
    assert form["name"].value == "Jo"
    form["name"] = "Jo Freelance"
    form["rate"] = "75"
    form.submit(status=303)
    assert (person.name, person.rate) == ("Jo Freelance", 75.0)


def test_removing_a_person_takes_them_off_the_scenario_tasks(
    producer_app, dbsession, scenario, shot, artist
):
    person = add_person(dbsession, scenario, None, name="Jo")
    change = set_task_change(
        dbsession, scenario, None, shot.id, resources=([artist.id], [person.id])
    )
    page = producer_app.get(f"/scenarios/{scenario.id}")
    form = button_form(page, "Remove")
    assert "taken off its tasks" in form.html.find("button")["data-confirm"]
    page = form.submit(status=303).follow()
    assert "Jo is no longer in scenario" in page.text
    assert scenario.people == [] and change.person_ids == []

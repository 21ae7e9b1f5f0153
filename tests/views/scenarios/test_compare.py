"""The comparison page: ends of projects and milestones with their differences in words,
load per department and week, cost, the warnings, and a query count that does not grow with
the studio. (The figures themselves: tests/services/scenarios/test_compare.py.)"""

from datetime import UTC, datetime

import pytest

from stalker_web.models import ScenarioTaskResult
from stalker_web.services.scenarios.editing import add_person
from stalker_web.services.scenarios.fingerprint import live_fingerprint


def at(day: int, hour: int = 9) -> datetime:
    """A moment of March 2026 (UTC); Monday is the 2nd."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def planned(dbsession, scenario, task, live, scenario_dates, users=(), people=()):
    """``task`` computed at ``live`` (start, end) live and at ``scenario_dates`` in the
    scenario."""
    task.computed_start, task.computed_end = live
    task.computed_resources = list(users)
    dbsession.add(
        ScenarioTaskResult(
            scenario_id=scenario.id,
            task_id=task.id,
            computed_start=scenario_dates[0],
            computed_end=scenario_dates[1],
            resource_ids=[user.id for user in users if not people],
            person_ids=[person.id for person in people],
        )
    )


def mark_scheduled(dbsession, scenario) -> None:
    dbsession.flush()
    scenario.scheduled_at = scenario.changed_at
    scenario.results_now = at(2)
    scenario.results_fingerprint = live_fingerprint(dbsession, scenario.studio)
    dbsession.flush()


def add_film(dbsession, factory, scenario, name: str, jo):
    """A project whose freelancer-done Model makes its Delivery two days earlier."""
    ann = factory.user(name=f"Ann of {name}", rate=50)
    department = factory.department(f"Animation of {name}", members=[ann])
    film = factory.project(name=name)
    model = factory.task(project=film, name="Model", resources=[ann])
    delivery = factory.task(project=film, name="Delivery", is_milestone=True)
    planned(dbsession, scenario, model, (at(2), at(4, 18)), (at(2), at(3, 18)), [ann], [jo])
    planned(dbsession, scenario, delivery, (at(5), at(5)), (at(3, 18), at(3, 18)))
    return film, department


@pytest.fixture
def compared(dbsession, factory, scenario):
    jo = add_person(dbsession, scenario, None, name="Jo", rate=40, available_from=at(2, 0))
    film, _ = add_film(dbsession, factory, scenario, "Film", jo)
    mark_scheduled(dbsession, scenario)
    return film


def cells(row) -> list[str]:
    return [cell.get_text(" ", strip=True) for cell in row.select("th, td")]


def test_ends_load_and_cost_beside_the_live_plan(producer_app, scenario, compared):
    page = producer_app.get(f"/scenarios/{scenario.id}/compare")
    assert page.html.find("h1").get_text() == "Scenario Freelancer in March beside the live plan"
    [project] = page.html.select("#compare-projects tbody tr")
    assert cells(project)[0] == "Film"
    assert project.find(class_="earlier").get_text() == "1 d earlier"
    [milestone] = page.html.select("#compare-milestones tbody tr")
    assert cells(milestone)[0] == "◆ Delivery"
    assert cells(milestone)[1:3] == ["2026-03-05 09:00 UTC", "2026-03-03 18:00 UTC"]
    # Earlier in words (and green): never colour alone.
    assert milestone.find(class_="earlier").get_text().endswith("earlier")
    load = page.html.find(id="compare-load-table")
    assert len(load.select("thead th")) == 1 + 12  # the department column and twelve weeks
    assert load.find("th", string="Animation of Film") is not None
    [cost] = page.html.select("#compare-costs tbody tr")
    assert cells(cost)[0] == "Film" and cells(cost)[3].endswith(("less", "more", "same"))
    for warning in ("compare-never-scheduled", "compare-out-of-date", "compare-live-moved"):
        assert page.html.find(id=warning) is None


def test_a_scenario_never_scheduled_says_so(producer_app, scenario):
    page = producer_app.get(f"/scenarios/{scenario.id}/compare")
    assert "never scheduled" in page.html.find(id="compare-never-scheduled").text


def test_out_of_date_and_live_moved_are_warned(
    producer_app, dbsession, factory, scenario, compared
):
    add_person(dbsession, scenario, None, name="Kim")  # the scenario changes
    factory.task(project=compared, name="New work")  # and so does the live plan
    dbsession.flush()
    page = producer_app.get(f"/scenarios/{scenario.id}/compare")
    assert "not up to date" in page.html.find(id="compare-out-of-date").text
    assert "live plan changed" in page.html.find(id="compare-live-moved").text


def test_the_comparison_takes_the_same_queries_for_a_small_and_a_large_studio(
    producer_app, dbsession, factory, scenario, compared, queries_of
):
    url = f"/scenarios/{scenario.id}/compare"
    few = queries_of(producer_app, url)
    jo = scenario.people[0]
    for number in range(10):
        add_film(dbsession, factory, scenario, f"Film {number}", jo)
    mark_scheduled(dbsession, scenario)
    many = queries_of(producer_app, url)
    assert len(producer_app.get(url).html.select("#compare-milestones tbody tr")) == 11
    assert many == few

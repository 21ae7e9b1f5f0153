"""Comparing a scenario with the live plan, on results written by hand and hand-computed figures.

Calendar: Monday to Friday 09:00-18:00 UTC, 9-hour days. The live plan and the scenario's results:

- Model (Film, a leaf under Assets): live Ann, Mon 2 09:00 to Wed 4 18:00 (27 h); in the
  scenario Jo (temporary), Mon 2 09:00 to Tue 3 18:00 (18 h).
- Light (Film): live Bob, Thu 5 09:00 to Tue 10 13:00 (18 h, then 13 h); in the scenario Bob,
  Wed 4 09:00 to Fri 6 13:00 (22 h).
- Delivery (Film), a milestone: live Tue 10 13:00; in the scenario Fri 6 13:00.
- Edit (Ad): Ann, Mon 9 (9 h), live and in the scenario.

Rates: Ann 50, Bob 30, Jo 40 an hour. Film ends 18 working hours (2 days) earlier.
"""

from datetime import UTC, datetime

import pytest

from stalker_web.models import RunStatus, Scenario, ScenarioTaskResult
from stalker_web.services.scenarios.compare import compare_scenario, difference
from stalker_web.services.scenarios.editing import add_person, create_scenario
from stalker_web.services.scenarios.fingerprint import live_fingerprint
from stalker_web.services.scheduling.settings import SchedulingSettings
from stalker_web.services.tasks.edit import update_task

from ..scheduling.conftest import schedule
from .test_scenario_runs import schedule_scenario

HOUR = 3600


def at(day: int, hour: int = 9) -> datetime:
    """A moment of March 2026 (UTC); Monday is the 2nd."""
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def dated(task, start, end, people=()):
    task.computed_start, task.computed_end = start, end
    task.computed_resources = list(people)
    return task


def result(scenario, task, start, end, users=(), people=()):
    return ScenarioTaskResult(
        scenario_id=scenario.id,
        task_id=task.id,
        computed_start=start,
        computed_end=end,
        resource_ids=[user.id for user in users],
        person_ids=[person.id for person in people],
    )


@pytest.fixture
def studio(dbsession, factory):
    """The live plan and the scenario of the module docstring, scheduled on the live plan as
    it is."""
    ann = factory.user(name="Ann", rate=50)
    bob = factory.user(name="Bob", rate=30)
    animation = factory.department("Animation", members=[ann])
    lighting = factory.department("Lighting", members=[bob])
    film, ad = factory.project(name="Film"), factory.project(name="Ad")
    assets = factory.task(project=film, name="Assets")
    model = factory.task(parent=assets, name="Model", resources=[ann])
    light = factory.task(project=film, name="Light", resources=[bob])
    delivery = factory.task(project=film, name="Delivery", is_milestone=True)
    edit = factory.task(project=ad, name="Edit", resources=[ann])
    dated(assets, at(2), at(4, 18))
    dated(model, at(2), at(4, 18), [ann])
    dated(light, at(5), at(10, 13), [bob])
    dated(delivery, at(10, 13), at(10, 13))
    dated(edit, at(9), at(9, 18), [ann])

    scenario = create_scenario(dbsession, ann, "Freelancer on Model")
    jo = add_person(
        dbsession,
        scenario,
        ann,
        name="Jo",
        department_id=animation.id,
        rate=40,
        available_from=at(2, 0),
    )
    dbsession.add_all(
        [
            result(scenario, assets, at(2), at(3, 18), people=[jo]),
            result(scenario, model, at(2), at(3, 18), people=[jo]),
            result(scenario, light, at(4), at(6, 13), users=[bob]),
            result(scenario, delivery, at(6, 13), at(6, 13)),
            result(scenario, edit, at(9), at(9, 18), users=[ann]),
        ]
    )
    dbsession.flush()
    scenario.scheduled_at = scenario.changed_at
    scenario.results_now = at(2)
    scenario.results_fingerprint = live_fingerprint(dbsession, scenario.studio)
    dbsession.flush()
    return {
        "scenario": scenario,
        "film": film,
        "ad": ad,
        "delivery": delivery,
        "light": light,
        "animation": animation,
        "lighting": lighting,
    }


def test_project_ends_differ_in_working_time(dbsession, studio):
    comparison = compare_scenario(dbsession, studio["scenario"])

    ends = {end.project_id: end for end in comparison.projects}
    film, ad = ends[studio["film"].id], ends[studio["ad"].id]
    assert (film.live_start, film.live_end, film.scenario_end) == (at(2), at(10, 13), at(6, 13))
    assert (film.difference.seconds, film.difference.text) == (-18 * HOUR, "2 d earlier")
    assert film.difference.is_earlier and not film.difference.is_later
    assert (ad.difference.seconds, ad.difference.text) == (0, "no change")


def test_milestones_differ_in_working_time(dbsession, studio):
    comparison = compare_scenario(dbsession, studio["scenario"])

    (milestone,) = [m for m in comparison.milestones if m.task_id == studio["delivery"].id]
    assert (milestone.task_name, milestone.path_names) == ("Delivery", [])
    assert (milestone.live_end, milestone.scenario_end) == (at(10, 13), at(6, 13))
    assert milestone.difference.text == "2 d earlier"


def test_differences_are_signed_and_skip_non_working_time():
    hours = {day: [[540, 1080]] for day in ("mon", "tue", "wed", "thu", "fri")}
    hours |= {"sat": [], "sun": []}
    later = difference(at(6, 13), at(9, 11), hours, 9)  # Friday 13:00 to Monday 11:00
    assert (later.seconds, later.text, later.is_later) == (7 * HOUR, "7 h later", True)
    assert difference(at(6, 18), at(9, 9), hours, 9).text == "no working time"
    assert difference(None, at(9), hours, 9) is None


def test_hours_per_department_and_week(dbsession, studio):
    comparison = compare_scenario(dbsession, studio["scenario"], weeks=2)

    assert comparison.weeks == [at(2, 0), at(9, 0)]
    rows = {row.department_id: row for row in comparison.load}
    animation = [
        (w.live_hours, w.scenario_hours, w.available_hours, w.scenario_available_hours)
        for w in rows[studio["animation"].id].weeks
    ]
    lighting = [
        (w.live_hours, w.scenario_hours, w.available_hours, w.scenario_available_hours)
        for w in rows[studio["lighting"].id].weeks
    ]
    # Jo works Model (not also the Assets container); Ann is free in week one.
    assert animation == [(27, 18, 45, 90), (9, 9, 45, 90)]
    assert lighting == [(18, 22, 45, 45), (13, 0, 45, 45)]
    assert rows[studio["animation"].id].department_name == "Animation"


def test_cost_is_rate_times_scheduled_hours(dbsession, studio):
    comparison = compare_scenario(dbsession, studio["scenario"])

    costs = {row.project_id: (row.live, row.scenario) for row in comparison.cost.projects}
    assert costs[studio["film"].id] == (27 * 50 + 31 * 30, 18 * 40 + 22 * 30)
    assert costs[studio["ad"].id] == (9 * 50, 9 * 50)
    total = comparison.cost.total
    assert (total.live, total.scenario) == (2280 + 450, 1380 + 450)
    assert total.difference == -900


def test_warnings_say_how_far_the_results_can_be_trusted(dbsession, factory, studio):
    scenario = studio["scenario"]
    comparison = compare_scenario(dbsession, scenario)
    assert not (comparison.never_scheduled or comparison.out_of_date or comparison.live_moved)

    add_person(dbsession, scenario, None, name="Kim")
    light = studio["light"]
    update_task(dbsession, light, submitted_version=light.version_id, priority=900)
    comparison = compare_scenario(dbsession, scenario)
    assert comparison.out_of_date and comparison.live_moved

    fresh = create_scenario(dbsession, None, "Never run")
    comparison = compare_scenario(dbsession, fresh)
    assert comparison.never_scheduled and not comparison.live_moved
    assert all(end.scenario_end is None for end in comparison.projects)


def test_the_same_queries_for_ten_times_the_studio(dbsession, factory, count_queries):
    def measure(size: int) -> int:
        people = [factory.user(rate=10) for _ in range(3)]
        factory.department(members=people[:2])
        scenario = create_scenario(dbsession, people[0], f"Size {size}")
        jo = add_person(dbsession, scenario, None, name="Jo", rate=20)
        for _ in range(size):
            project = factory.project()
            parent = factory.task(project=project)
            leaf = dated(factory.task(parent=parent), at(2), at(4), people[:2])
            milestone = dated(factory.task(project=project, is_milestone=True), at(4), at(4))
            dbsession.add_all(
                [
                    result(scenario, leaf, at(2), at(3), users=people[:1], people=[jo]),
                    result(scenario, milestone, at(3), at(3)),
                ]
            )
        scenario.scheduled_at = scenario.results_now = at(2)
        dbsession.flush()
        dbsession.expire_all()
        with count_queries() as counter:
            compare_scenario(dbsession, scenario)
        return counter.count

    assert measure(2) == measure(20)


def test_a_scheduled_scenario_compares_with_the_live_run(
    session_factory, hand_studio, freelancer_scenario
):
    """With the real tj3: Fred takes Rig from Wednesday, so Delivery ends Friday the 12th
    instead of Monday the 15th, one working day earlier; his 27 h cost 40 an hour."""
    settings = SchedulingSettings(heartbeat_seconds=1)
    assert schedule(session_factory, settings).status is RunStatus.SUCCEEDED
    run = schedule_scenario(session_factory, settings, freelancer_scenario.scenario_id)
    assert run.status is RunStatus.SUCCEEDED

    with session_factory() as dbsession:
        scenario = dbsession.get(Scenario, freelancer_scenario.scenario_id)
        comparison = compare_scenario(dbsession, scenario, weeks=2)

    assert not (comparison.never_scheduled or comparison.out_of_date or comparison.live_moved)
    (film,) = comparison.projects
    assert (film.live_end, film.scenario_end) == (
        datetime(2024, 1, 15, 18, tzinfo=UTC),
        datetime(2024, 1, 12, 18, tzinfo=UTC),
    )
    assert (film.difference.seconds, film.difference.text) == (-9 * HOUR, "1 d earlier")
    assert [(m.task_id, m.difference.text) for m in comparison.milestones] == [
        (hand_studio.delivery_id, "1 d earlier")
    ]
    assert (comparison.cost.total.live, comparison.cost.total.scenario) == (0, 27 * 40)
    (nobody,) = comparison.load  # neither Ann nor Fred is in a department
    # Live, Ann does Model and Rig's first 18 h in week one; in the scenario Fred does Rig
    # alongside, from Wednesday (27 h), and is there for 27 h in week one and 45 h in week two.
    assert [(w.live_hours, w.scenario_hours) for w in nobody.weeks] == [(45, 54), (9, 0)]
    extra = [w.scenario_available_hours - w.available_hours for w in nobody.weeks]
    assert extra == [27, 45]

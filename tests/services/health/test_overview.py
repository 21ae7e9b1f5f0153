"""The health section assembled: upcoming milestones with marks, the last schedule run of the
project, reviews waiting, the most loaded people, and the same number of queries for a small
and a ten times larger project."""

from stalker_web.models import ProjectUser, Review
from stalker_web.services.health.overview import project_health
from stalker_web.services.scheduling.lateness import Standing

from ...conftest import QueryCounter
from .conftest import DAY, HOUR, NOW
from .productions import dated_production, run


def test_upcoming_milestones_by_date_with_late_marks(factory, dbsession, calendar, put):
    project = factory.project(end=NOW + 60 * DAY)
    names = ["Delivery", "Animatic", "Done", "Lock", "Trailer", "Teaser", "Final", "Undated"]
    made = {name: factory.task(project=project, name=name, is_milestone=True) for name in names}
    made["Animatic"].end = NOW - 2 * DAY
    made["Lock"].end, made["Lock"].computed_end = NOW + 5 * DAY, NOW + 9 * DAY
    for offset, name in enumerate(["Trailer", "Teaser", "Delivery", "Final"], start=10):
        made[name].end = NOW + offset * DAY
    made["Done"].end = NOW - 9 * DAY
    put(made["Done"], "CMPL")

    milestones = project_health(dbsession, project, calendar, NOW).milestones

    assert [(m.task.name, m.standing) for m in milestones] == [
        ("Animatic", Standing.LATE),
        ("Lock", Standing.AT_RISK),
        ("Trailer", Standing.ON_TIME),
        ("Teaser", Standing.ON_TIME),
        ("Delivery", Standing.ON_TIME),
    ]
    assert milestones[1].planned == NOW + 5 * DAY and milestones[1].computed == NOW + 9 * DAY


def test_the_last_run_that_covered_the_project(factory, dbsession, calendar):
    project, other = factory.project(), factory.project()
    before = run(factory, NOW)
    before.date_created = project.date_created - DAY
    dbsession.flush()
    assert project_health(dbsession, project, calendar, NOW).last_run is None
    whole = run(factory, NOW)
    assert project_health(dbsession, project, calendar, NOW).last_run.run == whole
    mine = run(factory, NOW, project_ids=[other.id, project.id])
    run(factory, NOW, project_ids=[other.id])

    last = project_health(dbsession, project, calendar, NOW).last_run

    assert (last.run, last.result) == (mine, "succeeded")


def test_never_scheduled(factory, dbsession, calendar):
    project = factory.project()
    factory.task(project=project)

    health = project_health(dbsession, project, calendar, NOW)

    assert (health.scheduled, health.last_run, health.loads) == (False, None, [])


def test_reviews_waiting_on_the_project(factory, dbsession, calendar, worker):
    project = factory.project()
    task = factory.task(project=project)
    dbsession.add_all(
        [
            Review(task=task, reviewer=worker, date_created=NOW - 3 * DAY),
            Review(task=task, reviewer=worker, date_created=NOW - DAY),
            Review(task=task, reviewer=worker, status="APP"),
            Review(task=factory.task(), reviewer=worker),
        ]
    )
    dbsession.flush()

    reviews = project_health(dbsession, project, calendar, NOW).reviews

    assert (reviews.count, reviews.oldest) == (2, NOW - 3 * DAY)


def test_the_most_loaded_members_over_the_next_four_weeks(factory, dbsession, calendar):
    project = factory.project()
    busy, idle, outsider = factory.user(name="Busy"), factory.user(name="Idle"), factory.user()
    for user in (busy, idle):
        project.members.append(ProjectUser(user=user))
    monday = NOW.replace(hour=0) - 2 * DAY
    # Ten days of effort for two people over next week's working days: 45 h each.
    task = factory.task(project=project, schedule_timing=10, schedule_unit="d")
    start = monday + 7 * DAY + 9 * DAY / 24
    task.computed_start, task.computed_end = start, start + 4 * DAY + 9 * DAY / 24
    task.computed_resources = [busy, outsider]
    dbsession.flush()

    loads = project_health(dbsession, project, calendar, NOW).loads

    assert [(load.name, load.percent) for load in loads] == [("Busy", 25)]
    assert loads[0].scheduled_seconds == 45 * HOUR
    assert loads[0].available_seconds == 4 * 45 * HOUR


def test_the_same_queries_for_a_ten_times_larger_project(factory, dbsession, calendar):
    counts = []
    for scale in (2, 7):
        project = dated_production(factory, dbsession, scale, NOW)
        dbsession.expire_all()
        with QueryCounter(dbsession.get_bind()) as counter:
            health = project_health(dbsession, project, calendar, NOW)
        assert health.lateness.late_count == scale * scale + 1
        assert health.lateness.at_risk_count == scale * scale
        assert health.loads and health.milestones and health.burn_up.lines
        counts.append(counter.count)
    assert counts[0] == counts[1]

"""The burn-up chart: weekly running totals of scheduled, logged and completed work, its axes,
the today and project-end marks, and when there is nothing to draw."""

from stalker_web.models import Review
from stalker_web.models.review import ReviewStatus
from stalker_web.services.health.burnup import burn_up

from .conftest import DAY, NOW

# The Monday of NOW's week, and four weeks before it.
MONDAY = NOW.replace(hour=0) - 2 * DAY
START = MONDAY - 28 * DAY


def points(chart, kind):
    line = next(line for line in chart.lines if line.kind == kind)
    return [tuple(map(float, point.split(","))) for point in line.points.split()]


def test_three_lines_from_the_project_start_to_its_end(
    factory, dbsession, calendar, put, log, worker
):
    project = factory.project(start=START, end=MONDAY + 14 * DAY)
    early = factory.task(
        project=project, schedule_timing=4, schedule_unit="d", computed_end=START + 3 * DAY
    )
    factory.task(
        project=project, schedule_timing=3, schedule_unit="d", computed_end=MONDAY + 10 * DAY
    )
    put(early, "CMPL")
    dbsession.add(
        Review(
            task=early, reviewer=worker, status=ReviewStatus.APPROVED, date_updated=START + 8 * DAY
        )
    )
    log(early, START + DAY, 9)
    dbsession.flush()

    chart = burn_up(dbsession, project, calendar, NOW)

    assert [line.name for line in chart.lines] == ["Scheduled", "Logged", "Completed"]
    assert [line.total_seconds / 3600 for line in chart.lines] == [63, 9, 36]
    assert (chart.first_week, chart.last_week) == (START.date(), (MONDAY + 14 * DAY).date())
    scheduled = points(chart, "scheduled")
    # From zero at the origin, one point per week end: 7 weeks.
    assert len(scheduled) == 8
    # Logged work stops at now (in the fifth week), not at the chart's end.
    logged = points(chart, "logged")
    assert len(logged) == 6 and logged[-1][0] == chart.today_x
    # The approval in the second week dates the completed work.
    completed = points(chart, "completed")
    assert completed[1][1] == completed[0][1] and completed[2][1] < completed[1][1]
    assert chart.end_x is not None and chart.end_x < scheduled[-1][0]
    assert chart.unit == "working days"
    assert [tick.label for tick in chart.y_ticks][:2] == ["0 d", "2 d"]
    assert "approved review" in chart.dated_by


def test_nothing_to_draw_without_dates_or_work(factory, dbsession, calendar):
    project = factory.project()
    factory.task(project=project)

    assert burn_up(dbsession, project, calendar, NOW).lines == []


def test_small_projects_count_in_hours(factory, dbsession, calendar):
    project = factory.project(start=START, end=MONDAY - 7 * DAY)
    factory.task(project=project, schedule_timing=3, schedule_unit="h", computed_end=START + DAY)

    chart = burn_up(dbsession, project, calendar, NOW)

    assert chart.unit == "hours"
    assert chart.today_x is None
    assert chart.y_ticks[-1].label.endswith(" h")

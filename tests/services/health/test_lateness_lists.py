"""The late and at-risk lists: counts, the most late first, how late in words, pages of 50."""

from stalker_web.services.health.lateness_lists import (
    days_text,
    lateness_page,
    lateness_summary,
    parse_standing,
)
from stalker_web.services.scheduling.lateness import Standing

from .conftest import DAY, NOW


def test_counts_and_firsts_of_late_and_at_risk_leaves(factory, dbsession, put, worker):
    project = factory.project(end=NOW + 30 * DAY)
    shot = factory.task("Shot", project=project)
    late = factory.task(parent=shot, name="Layout", end=NOW - 3 * DAY, resources=[worker])
    later = factory.task(project=project, name="Anim", end=NOW - 8 * DAY)
    risky = factory.task(project=project, name="Light", end=NOW + DAY, computed_end=NOW + 3 * DAY)
    factory.task(project=project, name="Fine", end=NOW + DAY, computed_end=NOW + DAY)
    put(factory.task(project=project, name="Done", end=NOW - DAY), "CMPL")
    # A late container is not listed: its leaves are.
    shot.end = NOW - 5 * DAY
    dbsession.flush()

    summary = lateness_summary(dbsession, project, NOW)

    assert (summary.late_count, summary.at_risk_count) == (2, 1)
    assert [row.task for row in summary.late] == [later, late]
    assert [row.how_late for row in summary.late] == ["8 days late", "3 days late"]
    assert summary.late[1].path == f"{project.code} / {shot.name} / Layout"
    assert summary.late[1].assignees == [worker]
    assert [row.task for row in summary.at_risk] == [risky]
    assert summary.at_risk[0].how_late == "ends 2 days after its planned end"


def test_at_risk_against_the_project_end_and_sorted_by_the_slip(factory, dbsession):
    project = factory.project(end=NOW + 10 * DAY)
    small = factory.task(project=project, name="Small", computed_end=NOW + 11 * DAY)
    big = factory.task(project=project, name="Big", computed_end=NOW + 14 * DAY)
    planned = factory.task(
        project=project, name="Planned", end=NOW + 2 * DAY, computed_end=NOW + 5 * DAY
    )

    summary = lateness_summary(dbsession, project, NOW)

    assert [row.task for row in summary.at_risk] == [big, planned, small]
    assert [row.how_late for row in summary.at_risk] == [
        "ends 4 days after the project's end",
        "ends 3 days after its planned end",
        "ends 1 day after the project's end",
    ]


def test_a_page_of_the_late_list_holds_50_and_counts_them_all(factory, dbsession):
    project = factory.project()
    for days in range(1, 56):
        factory.task(project=project, name=f"Task {days:02d}", end=NOW - days * DAY)

    first = lateness_page(dbsession, project, Standing.LATE, NOW, 1)
    second = lateness_page(dbsession, project, Standing.LATE, NOW, 2)

    assert (first.total, len(first.items), len(second.items)) == (55, 50, 5)
    assert first.items[0].how_late == "55 days late"
    assert second.items[-1].how_late == "1 day late"
    assert second.query_for(1) == {"standing": "late", "page": 1}


def test_delays_in_words_and_standings_from_the_query_string():
    assert days_text(3 * 3600) == "3 h"
    assert days_text(600) == "1 h"
    assert days_text(86400 * 2.5) == "2 days"
    assert parse_standing("at_risk") is Standing.AT_RISK
    assert parse_standing("on_time") is None
    assert parse_standing(None) is None

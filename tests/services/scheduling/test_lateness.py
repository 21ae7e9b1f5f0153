"""Late and at-risk tasks: the Python rule and the SQL conditions agree, task by task."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from stalker_web.models import Task, TaskDependency
from stalker_web.services.scheduling.lateness import (
    Standing,
    TaskDates,
    at_risk_condition,
    late_condition,
    standing,
    standings,
)

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("dates", "expected"),
    [
        (TaskDates("WIP", end=None, computed_end=None), Standing.ON_TIME),
        (TaskDates("WIP", end=NOW + DAY, computed_end=NOW + DAY), Standing.ON_TIME),
        (TaskDates("WIP", end=NOW - DAY, computed_end=None), Standing.LATE),
        (TaskDates("RTS", end=None, computed_end=NOW - DAY), Standing.LATE),
        (TaskDates("CMPL", end=NOW - DAY, computed_end=NOW - DAY), Standing.ON_TIME),
        (TaskDates("STOP", end=NOW - DAY, computed_end=None), Standing.ON_TIME),
        (TaskDates("WIP", end=NOW + DAY, computed_end=NOW + 2 * DAY), Standing.AT_RISK),
        (
            TaskDates("WIP", end=None, computed_end=NOW + 2 * DAY, project_end=NOW + DAY),
            Standing.AT_RISK,
        ),
        (
            TaskDates("WFD", end=None, computed_end=NOW + 2 * DAY, milestone_date=NOW + DAY),
            Standing.AT_RISK,
        ),
        (
            TaskDates("WIP", end=None, computed_end=NOW + DAY, milestone_date=NOW + 2 * DAY),
            Standing.ON_TIME,
        ),
    ],
)
def test_the_standing_of_one_task(dates, expected):
    assert standing(dates, NOW) == expected


def test_sql_conditions_and_loaded_standings_agree(factory, dbsession):
    project = factory.project(end=NOW + 10 * DAY)
    made = {
        "on time": factory.task(project=project, end=NOW + DAY),
        "late by plan": factory.task(project=project, end=NOW - DAY),
        "late by schedule": factory.task(project=project),
        "after its planned end": factory.task(project=project, end=NOW + DAY),
        "after the project end": factory.task(project=project),
        "after a milestone": factory.task(project=project),
        "unscheduled": factory.task(project=project),
    }
    made["late by schedule"].computed_end = NOW - DAY
    made["after its planned end"].computed_end = NOW + 2 * DAY
    made["after the project end"].computed_end = NOW + 11 * DAY
    made["after a milestone"].computed_end = NOW + 3 * DAY
    milestone = factory.task(project=project, is_milestone=True, end=NOW + 2 * DAY)
    dbsession.add(TaskDependency(task=milestone, depends_on=made["after a milestone"]))
    dbsession.flush()

    def names(condition):
        statement = select(Task.id).where(Task.project_id == project.id, condition)
        found = set(dbsession.scalars(statement))
        return {name for name, task in made.items() if task.id in found}

    late = {"late by plan", "late by schedule"}
    at_risk = {"after its planned end", "after the project end", "after a milestone"}
    assert names(late_condition(NOW)) == late
    assert names(at_risk_condition(NOW)) == at_risk
    marked = standings(dbsession, made.values(), NOW)
    assert {name for name, task in made.items() if marked[task.id] is Standing.LATE} == late
    assert {name for name, task in made.items() if marked[task.id] is Standing.AT_RISK} == at_risk

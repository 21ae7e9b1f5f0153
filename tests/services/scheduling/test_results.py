"""tj3's leaf-only CSV report read back; containers and projects span their leaves."""

from datetime import UTC, datetime

import pytest

from stalker_web.models.schedule import (
    AllocationStrategy,
    ScheduleConstraint,
    ScheduleModel,
    TimeUnit,
)
from stalker_web.services.scheduling.results import ReportError, build_results, parse_time
from stalker_web.services.scheduling.snapshot import TaskRow


def row(task_id, path, project_id=1):
    parent = int(path.strip("/").split("/")[-2]) if path.count("/") > 2 else None
    return TaskRow(
        task_id, f"Task {task_id}", project_id, parent, path, 500, 1.0, TimeUnit.HOUR,
        ScheduleModel.EFFORT, ScheduleConstraint.NONE, None, None,
        AllocationStrategy.MINALLOCATED, True, False,
    )  # fmt: skip


TASKS = [row(1, "/1/"), row(2, "/1/2/"), row(3, "/1/3/"), row(4, "/4/"), row(7, "/7/", 2)]
REPORT = """\
"Id";"Start";"End";"Resources"
"Studio.Project_1.Task_1.Task_2";"2024-01-08-09:00";"2024-01-09-18:00";"User_3"
"Studio.Project_1.Task_1.Task_3";"2024-01-05-09:00";"2024-01-08-15:00";"User_3, User_4"
"Studio.Project_1.Task_4";"2024-01-12-18:00";"2024-01-12-18:00";""
"Studio.Outside.Task_9";"2024-01-01-09:00";"2024-01-02-18:00";"User_5"
"Studio.Project_2.Task_7";"2024-01-10-09:00";"2024-01-10-18:00";"User_4"
"""


def utc(day, hour):
    return datetime(2024, 1, day, hour, tzinfo=UTC)


def test_leaves_containers_and_projects(tmp_path):
    report = tmp_path / "schedule.csv"
    report.write_text(REPORT, encoding="utf-8")

    results = build_results(report, TASKS)

    assert results.task_dates == {
        2: (utc(8, 9), utc(9, 18)),
        3: (utc(5, 9), utc(8, 15)),
        4: (utc(12, 18), utc(12, 18)),
        7: (utc(10, 9), utc(10, 18)),
        1: (utc(5, 9), utc(9, 18)),  # the container spans its leaves
    }
    assert results.task_resources == {2: [3], 3: [3, 4], 4: [], 7: [4], 1: []}
    assert results.project_dates == {1: (utc(5, 9), utc(12, 18)), 2: (utc(10, 9), utc(10, 18))}


def test_a_report_lacking_a_task_or_in_another_shape_is_an_error(tmp_path):
    report = tmp_path / "schedule.csv"
    report.write_text(REPORT.replace('"Studio.Project_1.Task_4"', '"Elsewhere.Task_4"'))
    with pytest.raises(ReportError, match="lacks 1 task"):
        build_results(report, TASKS)
    report.write_text('"Name";"Start"\n')
    with pytest.raises(ReportError, match="does not start with Id, Start, End"):
        build_results(report, TASKS)
    with pytest.raises(ReportError, match="without writing its report"):
        build_results(tmp_path / "missing.csv", TASKS)
    with pytest.raises(ReportError, match="not YYYY-MM-DD-HH:MM"):
        parse_time("2024-01-08")

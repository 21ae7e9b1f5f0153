"""Reading tj3's CSV report back: leaf dates and resources, then containers and projects.

The report lists leaf tasks only (``hidetask ~isleaf()``), as ``"Id";"Start";"End";"Resources"``
with ids like ``Studio.Project_1.Task_4.Task_9``, dates as ``YYYY-MM-DD-HH:MM`` (UTC) and the
resources as plain ids (``User_3, User_7``; ``Temp_2`` is a scenario's temporary person 2, read
back as the snapshot's user -2, see ``resource_ids``). A container spans its leaves, so its
dates are the earliest start and latest end of the leaves inside it; a project's likewise.
Rows of the ``Studio.Outside`` anchors (tasks outside the run) are not results and are skipped.
"""

import csv
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .resource_ids import parse_resource_tj_id
from .snapshot import TaskRow

PROJECT_PREFIX = "Studio.Project_"


class ReportError(RuntimeError):
    """The report is missing or not what the template should have produced."""


@dataclass
class ScheduleResults:
    """Computed dates of every task and project of the run, and the people on each leaf."""

    task_dates: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)
    task_resources: dict[int, list[int]] = field(default_factory=dict)
    project_dates: dict[int, tuple[datetime, datetime]] = field(default_factory=dict)


def parse_time(text: str) -> datetime:
    """``2024-01-15-09:00`` (tj3's report time format here) as an aware UTC datetime."""
    try:
        return datetime(
            int(text[0:4]), int(text[5:7]), int(text[8:10]), int(text[11:13]), int(text[14:16]),
            tzinfo=UTC,
        )  # fmt: skip
    except (ValueError, IndexError) as error:
        raise ReportError(
            f"tj3's report has a date that is not YYYY-MM-DD-HH:MM: {text!r}"
        ) from error


def _user_ids(text: str) -> list[int]:
    ids = (parse_resource_tj_id(item) for item in text.split(","))
    return [user_id for user_id in ids if user_id is not None]


def read_leaf_rows(report: Path) -> dict[int, tuple[datetime, datetime, list[int]]]:
    """task id → (start, end, user ids) for the leaf rows of the run's projects (a temporary
    person's id is negative)."""
    if not report.exists():
        raise ReportError("tj3 finished without writing its report; check the template's report.")
    rows: dict[int, tuple[datetime, datetime, list[int]]] = {}
    with report.open(newline="", encoding="utf-8") as report_file:
        reader = csv.reader(report_file, delimiter=";")
        header = next(reader, None)
        if header is None or [column.lower() for column in header[:3]] != ["id", "start", "end"]:
            raise ReportError(f"tj3's report does not start with Id, Start, End: {header!r}")
        for row in reader:
            if not row or not row[0].startswith(PROJECT_PREFIX):
                continue
            task_id = int(row[0].rsplit(".", 1)[-1].rsplit("_", 1)[-1])
            resources = _user_ids(row[3]) if len(row) > 3 else []
            rows[task_id] = (parse_time(row[1]), parse_time(row[2]), resources)
    return rows


def build_results(report: Path, tasks: list[TaskRow]) -> ScheduleResults:
    """The results of the run whose tasks are ``tasks``: the leaves' rows from ``report``,
    and every container's and project's span over its leaves."""
    leaves = read_leaf_rows(report)
    results = ScheduleResults()
    spans: dict[int, list[datetime]] = {}
    projects: dict[int, list[datetime]] = {}

    def widen(table: dict[int, list[datetime]], key: int, start: datetime, end: datetime):
        span = table.get(key)
        if span is None:
            table[key] = [start, end]
        else:
            span[0] = min(span[0], start)
            span[1] = max(span[1], end)

    missing = []
    parents = {task.parent_id for task in tasks if task.parent_id is not None}
    for task in tasks:
        if task.id in parents:
            continue
        row = leaves.get(task.id)
        if row is None:
            missing.append(task.id)
            continue
        start, end, resources = row
        results.task_dates[task.id] = (start, end)
        results.task_resources[task.id] = resources
        for ancestor_id in task.ancestor_ids:
            widen(spans, ancestor_id, start, end)
        widen(projects, task.project_id, start, end)
    if missing:
        raise ReportError(
            f"tj3's report lacks {len(missing)} task(s) of the run, e.g. task {missing[0]}."
        )
    for task_id, (start, end) in spans.items():
        results.task_dates[task_id] = (start, end)
        results.task_resources.setdefault(task_id, [])
    results.project_dates = {key: (span[0], span[1]) for key, span in projects.items()}
    return results

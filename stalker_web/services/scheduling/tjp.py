"""Rendering the checked studio to a TaskJuggler .tjp with a Jinja2 template.

The packaged template is ``stalker_web/templates/tjp/studio.tjp.jinja2``; the studio config's
``scheduling.template`` may name another file (checked when the config loads). The context is
plain values with dates already written in tj3's format, so a template only lays them out.
"""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

import jinja2

from ...config import WEEKDAYS
from .plan import CheckedStudio, PlannedTask
from .resource_ids import resource_tj_id

TEMPLATE_DIRECTORY = Path(__file__).resolve().parents[2] / "templates" / "tjp"
DEFAULT_TEMPLATE = "studio.tjp.jinja2"
REPORT_NAME = "schedule"
TJ_TIME = "%Y-%m-%d-%H:%M-+0000"


def tj_time(moment: datetime) -> str:
    """A date as tj3 reads it, in UTC and saying so (``2026-03-09-13:00-+0000``), whatever the
    project's ``timezone``: a local time would be ambiguous on the night the clocks go back."""
    return moment.astimezone(UTC).strftime(TJ_TIME)


def tj_span(minutes: int) -> str:
    """A span in minutes as tj3 reads it: ``18h``, or ``90min`` when not whole hours."""
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}min"


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def working_hours_lines(working_hours: dict[str, list[list[int]]]) -> list[tuple[str, str]]:
    """(weekday, "09:00 - 13:00, 14:00 - 18:00" or "off") for the seven days."""
    lines = []
    for day in WEEKDAYS:
        intervals = working_hours.get(day) or []
        hours = ", ".join(f"{_clock(start)} - {_clock(end)}" for start, end in intervals)
        lines.append((day, hours or "off"))
    return lines


@dataclass(frozen=True)
class _Leave:
    kind: str
    name: str
    start: str
    end: str


@dataclass(frozen=True)
class _Resource:
    tj_id: str
    efficiency: float
    leaves: list[_Leave]


@dataclass(frozen=True)
class _Dependency:
    path: str
    target: str
    gap: str | None  # "gaplength 9h"


@dataclass(frozen=True)
class _Task:
    tj_id: str
    depth: int
    closes: int
    priority: int
    depends: list[_Dependency]
    start: str | None
    end: str | None
    milestone: bool
    timing: str | None  # "effort 18h"
    allocations: list[str]
    alternatives: list[str]
    strategy: str
    persistent: bool
    bookings: list[tuple[str, str, str]]


@dataclass(frozen=True)
class _Project:
    tj_id: str
    tasks: list[_Task]


@dataclass(frozen=True)
class _Anchor:
    tj_id: str
    start: str
    end: str
    milestone: bool


def _task(task: PlannedTask, next_depth: int) -> _Task:
    """A task of the template; ``closes`` is how many blocks end after it (itself, if it has
    no children, and the containers whose last task it is)."""
    return _Task(
        tj_id=task.tj_id,
        depth=task.depth,
        closes=task.depth + 1 - next_depth,
        priority=task.priority,
        depends=[
            _Dependency(
                d.path,
                d.target.value,
                f"{d.gap_keyword} {tj_span(d.gap_minutes)}" if d.gap_keyword else None,
            )
            for d in task.depends
        ],
        start=tj_time(task.start) if task.start else None,
        end=tj_time(task.end) if task.end else None,
        milestone=task.milestone,
        timing=f"{task.timing[0]} {tj_span(task.timing[1])}" if task.timing else None,
        allocations=[resource_tj_id(user_id) for user_id in task.allocations],
        alternatives=[resource_tj_id(user_id) for user_id in task.alternatives],
        strategy=task.strategy,
        persistent=task.persistent,
        bookings=[
            (resource_tj_id(u), tj_time(start), tj_time(end)) for u, start, end in task.bookings
        ],
    )


def template_context(studio: CheckedStudio) -> dict:
    """The template's variables (all dates as tj3 strings)."""
    projects = []
    for project in studio.projects:
        depths = [task.depth for task in project.tasks] + [0]
        tasks = [_task(task, depths[index + 1]) for index, task in enumerate(project.tasks)]
        projects.append(_Project(tj_id=project.tj_id, tasks=tasks))

    def leaves(items):
        return [_Leave(i.kind, i.name, tj_time(i.start), tj_time(i.end)) for i in items]

    return {
        "studio_id": studio.studio_id,
        "window_start": tj_time(studio.window_start),
        "window_end": tj_time(studio.window_end),
        "now": tj_time(studio.now),
        "resolution_minutes": studio.calendar.resolution_minutes,
        "time_zone": studio.calendar.time_zone,
        "daily_working_hours": studio.calendar.daily_working_hours,
        "working_hours": working_hours_lines(studio.calendar.working_hours),
        "holidays": leaves(studio.holidays),
        "resources": [
            _Resource(resource.tj_id, float(resource.efficiency), leaves(resource.leaves))
            for resource in studio.resources
        ],
        "projects": projects,
        "anchors": [
            _Anchor(
                anchor.tj_id,
                tj_time(anchor.start),
                tj_time(anchor.end),
                milestone=anchor.end <= anchor.start,
            )
            for anchor in studio.anchors
        ],
        "report_name": REPORT_NAME,
    }


@lru_cache(maxsize=8)
def _template(path: str) -> jinja2.Template:
    template_path = Path(path) if path else TEMPLATE_DIRECTORY / DEFAULT_TEMPLATE
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(template_path.parent)),
        autoescape=False,  # noqa: S701 - a .tjp holds ids only, never HTML
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    return environment.get_template(template_path.name)


def render_tjp(studio: CheckedStudio, template_path: str = "") -> str:
    """The .tjp text of ``studio``; ``template_path`` replaces the packaged template."""
    return _template(template_path).render(template_context(studio))

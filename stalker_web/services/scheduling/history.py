"""What the schedule pages show: the run history, one run's result with its messages naming
tasks as links, and the live status a run page polls.

Message counts of the history come from the JSON column in SQL (one query per page, whatever
the number of messages); a run's messages name tasks as ``Name (task 12)``, which become
segments linking to the task, labelled with its path ("Sequence SQ010 / Shot SH040 /
Animation").
"""

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    bindparam,
    cast,
    false,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.orm import Session, joinedload

from ...models import Project, ScheduleRun, Task
from ...models.meta import utcnow
from ...models.schedule_run import RunPhase, RunStatus
from ...pagination import Page, paginate
from ..names import with_kind
from ..tasks.paths import PATH_SEPARATOR
from .messages import LEVELS
from .runner import TJ3_MISSING

RUNS_PER_PAGE = 25
PHASES = (RunPhase.QUEUED, RunPhase.READING, RunPhase.SCHEDULING, RunPhase.WRITING, RunPhase.DONE)
PHASE_LABELS = {
    RunPhase.QUEUED: "Queued: waiting for a worker",
    RunPhase.READING: "Reading the studio",
    RunPhase.SCHEDULING: "Scheduling (tj3 is running)",
    RunPhase.WRITING: "Writing the computed dates",
    RunPhase.DONE: "Done",
}
STATUS_LABELS = {
    RunStatus.QUEUED: "queued",
    RunStatus.RUNNING: "running",
    RunStatus.SUCCEEDED: "succeeded",
    RunStatus.FAILED: "failed",
    RunStatus.TIMED_OUT: "timed out",
}
LEVEL_TITLES = {"fatal": "Fatal errors", "error": "Errors", "warning": "Warnings", "info": "Notes"}
# A run queued this long without a worker taking it gets a hint to start one.
WAITING_HINT_SECONDS = 10
_TASK_MENTION = re.compile(r"\(task (\d+)\)|\btask (\d+)\b")

_COUNTS_SQL = {
    "sqlite": (
        "SELECT r.id, json_extract(m.value, '$.level') AS level, count(*) "
        "FROM schedule_runs AS r, json_each(r.messages) AS m "
        "WHERE r.id IN :ids GROUP BY r.id, level"
    ),
    "postgresql": (
        "SELECT r.id, m.value ->> 'level' AS level, count(*) "
        "FROM schedule_runs AS r CROSS JOIN LATERAL json_array_elements(r.messages) AS m(value) "
        "WHERE r.id IN :ids GROUP BY r.id, level"
    ),
}

# Per database: the function naming a JSON value's type, and the one listing an array's items.
_JSON_FUNCTIONS = {
    "sqlite": ("json_type", "json_each"),
    "postgresql": ("json_typeof", "json_array_elements_text"),
}


@dataclass(frozen=True)
class RunRow:
    """One run of the history: the run, the projects of its scope and its message counts."""

    run: ScheduleRun
    projects: list[Project]
    counts: Counter

    @property
    def errors(self) -> int:
        return self.counts["error"] + self.counts["fatal"]

    @property
    def warnings(self) -> int:
        return self.counts["warning"]


@dataclass(frozen=True)
class Segment:
    """A piece of a message: plain text, or a task link (``task_id`` set) with its path."""

    text: str
    task_id: int | None = None
    title: str = ""


@dataclass
class MessageGroup:
    """The messages of one level, each as segments, with the .tjp line and source excerpt."""

    level: str
    title: str
    messages: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class RunDetails:
    """A run's page: its scope, the error summary as segments and the grouped messages."""

    run: ScheduleRun
    projects: list[Project]
    error: list[Segment]
    groups: list[MessageGroup]
    tj3_missing: bool
    waiting_for_worker: bool


def status_label(run: ScheduleRun) -> str:
    return STATUS_LABELS.get(run.status, str(run.status))


def phase_label(run: ScheduleRun) -> str:
    return PHASE_LABELS.get(run.phase, str(run.phase))


def message_counts(dbsession: Session, run_ids: list[int]) -> dict[int, Counter]:
    """Per run, how many messages it has of each level (one query)."""
    counts: dict[int, Counter] = {run_id: Counter() for run_id in run_ids}
    if not run_ids:
        return counts
    sql = _COUNTS_SQL[dbsession.get_bind().dialect.name]
    statement = text(sql).bindparams(bindparam("ids", expanding=True))
    for run_id, level, count in dbsession.execute(statement, {"ids": run_ids}):
        counts[run_id][level] = count
    return counts


def _projects_by_id(dbsession: Session, runs: list[ScheduleRun]) -> dict[int, Project]:
    ids = {project_id for run in runs for project_id in run.project_ids or ()}
    if not ids:
        return {}
    return {
        project.id: project
        for project in dbsession.scalars(select(Project).where(Project.id.in_(ids)))
    }


def _scope(run: ScheduleRun, projects: dict[int, Project]) -> list[Project]:
    return [projects[i] for i in run.project_ids or () if i in projects]


def run_history(dbsession: Session, number: int) -> Page:
    """One page of the live plan's runs (a scenario's runs are the scenario's own), newest
    first, as RunRows (four queries whatever the page holds)."""
    statement = (
        select(ScheduleRun)
        .where(ScheduleRun.scenario_id.is_(None))
        .options(joinedload(ScheduleRun.requested_by))
        .order_by(ScheduleRun.id.desc())
    )
    page = paginate(dbsession, statement, number, RUNS_PER_PAGE)
    counts = message_counts(dbsession, [run.id for run in page.items])
    projects = _projects_by_id(dbsession, page.items)
    page.items = [RunRow(run, _scope(run, projects), counts[run.id]) for run in page.items]
    return page


def runs_within(dbsession: Session, project_ids) -> ColumnElement[bool]:
    """The runs of chosen projects that are all among ``project_ids`` (never the whole
    studio's): the runs the managers of those projects read (``ScheduleRunResource``)."""
    if not project_ids:
        return false()
    type_of, elements_of = _JSON_FUNCTIONS[dbsession.get_bind().dialect.name]
    elements = getattr(func, elements_of)(ScheduleRun.project_ids).table_valued("value")
    outside = select(literal(1)).select_from(elements)
    outside = outside.where(cast(elements.c.value, Integer).not_in(list(project_ids)))
    return and_(getattr(func, type_of)(ScheduleRun.project_ids) == "array", ~outside.exists())


def schedulable_projects(dbsession: Session) -> list[Project]:
    """The projects the "schedule now" form offers, by name."""
    return list(dbsession.scalars(select(Project).order_by(Project.name, Project.id)))


def task_labels(dbsession: Session, task_ids) -> dict[int, str]:
    """Each existing task's path with the kinds of its non-plain levels, by id
    ("Sequence SQ010 / Shot SH040 / Animation"), in two queries."""
    task_ids = set(task_ids)
    if not task_ids:
        return {}
    tasks = list(dbsession.scalars(select(Task).where(Task.id.in_(task_ids))))
    ancestor_ids = {ancestor for task in tasks for ancestor in task.ancestor_ids}
    rows = {}
    if ancestor_ids:
        rows = {
            row.id: row
            for row in dbsession.execute(
                select(Task.id, Task.name, Task.entity_type).where(Task.id.in_(ancestor_ids))
            )
        }

    def level(name: str, entity_type: str) -> str:
        return name if entity_type == "Task" else with_kind(entity_type, name)

    return {
        task.id: PATH_SEPARATOR.join(
            [*(level(rows[i].name, rows[i].entity_type) for i in task.ancestor_ids if i in rows)]
            + [level(task.name, task.entity_type)]
        )
        for task in tasks
    }


def _mentioned(texts) -> set[int]:
    return {
        int(match.group(1) or match.group(2))
        for text in texts
        for match in _TASK_MENTION.finditer(text)
    }


def segments(message_text: str, labels: dict[int, str], names: dict[int, str]) -> list[Segment]:
    """``message_text`` cut into plain text and task links: ``Name (task 12)`` (the name as
    the task is called now) or ``task 12`` become one link labelled with the task's path; a
    task that is gone stays plain text."""
    result: list[Segment] = []
    position = 0
    for match in _TASK_MENTION.finditer(message_text):
        task_id = int(match.group(1) or match.group(2))
        label = labels.get(task_id)
        if label is None:
            continue
        start = match.start()
        name = names.get(task_id)
        if match.group(1) and name and message_text[position:start].endswith(f"{name} "):
            start -= len(name) + 1
        if start > position:
            result.append(Segment(message_text[position:start]))
        result.append(Segment(label, task_id, f"task {task_id}"))
        position = match.end()
    if position < len(message_text):
        result.append(Segment(message_text[position:]))
    return result


def run_details(dbsession: Session, run: ScheduleRun, now: datetime | None = None) -> RunDetails:
    """Everything a run's page shows (a fixed number of queries, whatever the messages)."""
    messages = run.messages or []
    texts = [message.get("readable") or message.get("text", "") for message in messages]
    mentioned = _mentioned([*texts, run.error or ""])
    for message in messages:
        mentioned.update(message.get("task_ids") or ())
    labels = task_labels(dbsession, mentioned)
    names = {}
    if labels:
        names = dict(dbsession.execute(select(Task.id, Task.name).where(Task.id.in_(labels))).all())
    groups = {level: MessageGroup(level, LEVEL_TITLES[level]) for level in LEVELS}
    for message, message_text in zip(messages, texts, strict=True):
        group = groups.get(message.get("level"), groups["info"])
        group.messages.append(
            {
                "segments": segments(message_text, labels, names),
                "text": message.get("text", "") if message_text != message.get("text") else "",
                "line": message.get("line"),
                "source": message.get("source") or [],
                "origin": message.get("origin", "tj3"),
            }
        )
    now = now or utcnow()
    waiting = (
        run.status == RunStatus.QUEUED
        and run.date_created is not None
        and (now - run.date_created).total_seconds() > WAITING_HINT_SECONDS
    )
    return RunDetails(
        run=run,
        projects=_scope(run, _projects_by_id(dbsession, [run])),
        error=segments(run.error or "", labels, names),
        groups=[group for group in groups.values() if group.messages],
        tj3_missing=TJ3_MISSING in (run.error or ""),
        waiting_for_worker=waiting,
    )


def run_status(run: ScheduleRun, now: datetime | None = None) -> dict:
    """The JSON the run page polls: status, phase, their labels and the seconds so far."""
    now = now or utcnow()
    began = run.started_at or run.date_created
    ended = run.finished_at or now
    return {
        "id": run.id,
        "status": run.status.value,
        "status_label": status_label(run),
        "phase": run.phase.value,
        "phase_label": phase_label(run),
        "phase_index": PHASES.index(run.phase) if run.phase in PHASES else 0,
        "active": run.is_active,
        "seconds": round((ended - began).total_seconds(), 1) if began else None,
        "task_count": run.task_count,
    }

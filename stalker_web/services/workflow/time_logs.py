"""Time logs: logging, moving and deleting a resource's time on a leaf task, with every rule.

The rules (reference, 3.4 and 5.5), checked in the application on both databases:

- the task is a leaf in RTS, WIP, PREV, HREV or DREV (editing or deleting a log needs the same,
  so the actuals of a completed, stopped or held task stay as they were);
- the resource's logs never overlap, touching is fine; a log inside another or around another
  counts (Stalker misses that one without PostgreSQL's EXCLUDE constraint). The resource's row
  is locked first on PostgreSQL so two requests at once cannot both pass, and PostgreSQL's
  exclusion constraint refuses an overlap whatever the code path; its refusal becomes the
  check's own message;
- the log starts no earlier than each dependency allows: the dependency's end (onend) or start
  (onstart), TaskJuggler's dates when scheduled, else the planned ones. A dependency without
  dates sets no limit (its status already keeps the task waiting until it is finished), and
  the gap is not added (Stalker ignores it too);
- nothing is added to, moved within, moved out of or removed from a week a lead locked
  (``timesheets.locks``).

Logging starts the work (RTS/HREV -> WIP). As Stalker did, a log that takes an effort task's
logged total past its estimate expands the estimate to the total (the bid keeps the original),
so the schedule stays consistent with what was booked. Deleting a WIP task's last log makes it
ready again (RTS, or WFD while it waits).
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, selectinload

from ...events import TimeLogged, publish
from ...models import Task, TaskDependency, TimeLog, User
from ...models.schedule import DependencyTarget, ScheduleModel
from ...models.time_log import NO_OVERLAP, check_range
from ..accounts.readable_projects import EVERY_PROJECT, ReadableProjects, readable_or_own
from ..errors import ValidationError, check_version, model_rules
from ..tasks.progress import studio_calendar
from ..timesheets.locks import check_unlocked
from ..transactions import savepoint
from . import actions as workflow
from . import rules


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class Slot:
    """The time a log takes: ``resource``'s [start, end], leaving out the log ``moving`` (the
    one being moved, which cannot overlap itself)."""

    resource: User
    start: datetime
    end: datetime
    moving: int | None = None


def overlap_refusal(
    dbsession: Session, slot: Slot, readable: ReadableProjects = EVERY_PROJECT
) -> ValidationError | None:
    """The refusal of ``slot`` when it overlaps another log of its resource (any overlap:
    partly, inside or around; logs that only touch are fine), naming the other log's task when
    its project is ``readable`` by whoever acts; None when nothing overlaps."""
    clash = (
        select(TimeLog)
        .where(
            TimeLog.resource_id == slot.resource.id,
            TimeLog.start < slot.end,
            TimeLog.end > slot.start,
        )
        .order_by(TimeLog.start)
        .limit(1)
    )
    if slot.moving is not None:
        clash = clash.where(TimeLog.id != slot.moving)
    other = dbsession.scalars(clash).first()
    if other is None:
        return None
    return ValidationError(
        f"{slot.resource.name} already logged time from {_when(other.start)} to "
        f"{_when(other.end)} on {readable.task_name(other.task)}; one person's time logs "
        "cannot overlap.",
        "start",
    )


def check_overlap(
    dbsession: Session, slot: Slot, readable: ReadableProjects = EVERY_PROJECT
) -> None:
    """Lock the resource's row, then refuse ``slot`` when it overlaps another of its logs."""
    dbsession.flush()
    dbsession.execute(select(User.id).where(User.id == slot.resource.id).with_for_update())
    refusal = overlap_refusal(dbsession, slot, readable)
    if refusal is not None:
        raise refusal


@contextmanager
def overlaps_refused(
    dbsession: Session, slot: Slot, readable: ReadableProjects = EVERY_PROJECT
) -> Iterator[None]:
    """On PostgreSQL, run the block in a savepoint and turn the exclusion constraint's refusal
    of an overlapping log (a request racing past ``check_overlap``) into its message."""
    if dbsession.get_bind().dialect.name != "postgresql":
        yield
        return
    try:
        with savepoint(dbsession):
            yield
    except IntegrityError as error:
        if getattr(getattr(error.orig, "diag", None), "constraint_name", None) != NO_OVERLAP:
            raise
        with dbsession.no_autoflush:
            refusal = overlap_refusal(dbsession, slot, readable)
        raise refusal or ValidationError(
            f"{slot.resource.name} already logged time between {_when(slot.start)} and "
            f"{_when(slot.end)}; one person's time logs cannot overlap.",
            "start",
        ) from error


def check_dependency_dates(
    dbsession: Session, task: Task, start: datetime, readable: ReadableProjects = EVERY_PROJECT
) -> None:
    """Refuse a log starting before a dependency ends (onend) or starts (onstart); the
    dependency is named when its project is ``readable`` by whoever acts."""
    upstream = aliased(Task)
    rows = dbsession.execute(
        select(TaskDependency.dependency_target, upstream)
        .join(upstream, upstream.id == TaskDependency.depends_on_id)
        .where(TaskDependency.task_id == task.id)
        .order_by(upstream.id)
    ).all()
    for target, other in rows:
        first, last = (
            (other.computed_start, other.computed_end)
            if other.is_scheduled
            else (other.start, other.end)
        )
        limit = last if target is DependencyTarget.ONEND else first
        if limit is not None and start < limit:
            what = "ends" if target is DependencyTarget.ONEND else "starts"
            raise ValidationError(
                f"{task.name} waits for {readable.task_name(other)}, which {what} on "
                f"{_when(limit)}: "
                "log time from then on.",
                "start",
            )


def _check_task(dbsession: Session, task: Task, what: str) -> None:
    workflow.refuse_containers(dbsession, task, what)
    if not rules.allowed(rules.LOG_TIME, task.status.code):
        raise ValidationError(workflow.why_not(task.status, rules.LOG_TIME))


def logged_seconds(dbsession: Session, task: Task) -> float:
    """The time logged on ``task`` in seconds (flushed logs)."""
    dbsession.flush()
    return sum(
        (log.end - log.start).total_seconds()
        for log in dbsession.scalars(select(TimeLog).where(TimeLog.task_id == task.id))
    )


def _expand_estimate(dbsession: Session, task: Task) -> None:
    """Grow an effort task's schedule to its logged total when the logs exceed it."""
    if task.schedule_model is not ScheduleModel.EFFORT:
        return
    calendar = studio_calendar(dbsession)
    logged = logged_seconds(dbsession, task)
    if logged > task.schedule_seconds(calendar):
        workflow.set_schedule_seconds(task, logged, calendar)


def create_time_log(
    dbsession: Session,
    task: Task,
    resource: User,
    start: datetime,
    end: datetime,
    description: str = "",
    *,
    readable: ReadableProjects | None = None,
) -> TimeLog:
    """Log ``resource``'s time on ``task`` from ``start`` to ``end``. A refusal names a task of
    another project only when it is ``readable`` by whoever acts (by default only the project
    of ``task`` is)."""
    if not isinstance(resource, User):
        raise ValidationError("Choose who worked (a user).", "resource")
    with model_rules():
        check_range(start, end)
    _check_task(dbsession, task, "log time")
    check_unlocked(dbsession, resource.id, start, end)
    readable = readable_or_own(readable, task)
    slot = Slot(resource, start, end)
    check_overlap(dbsession, slot, readable)
    check_dependency_dates(dbsession, task, start, readable)
    try:
        with overlaps_refused(dbsession, slot, readable):
            with model_rules():
                time_log = TimeLog(
                    task=task,
                    resource=resource,
                    start=start,
                    end=end,
                    description=(description or "").strip(),
                )
            dbsession.add(time_log)
            dbsession.flush()
    except ValidationError:
        dbsession.expire(task, ["time_logs"])  # forget a refused log
        raise
    _expand_estimate(dbsession, task)
    if workflow.set_status(dbsession, task, rules.after_time_log(task.status.code)):
        workflow.settle(dbsession, [task])
    dbsession.flush()
    publish(
        dbsession,
        TimeLogged(time_log.id, task.id, task.project_id, resource.id, time_log.seconds),
    )
    return time_log


def update_time_log(
    dbsession: Session,
    time_log: TimeLog,
    *,
    start: datetime,
    end: datetime,
    description: str | None = None,
    submitted_version: int | None,
    readable: ReadableProjects | None = None,
) -> TimeLog:
    """Move a log to [start, end] (and change its description), re-checking every rule with
    the log itself left out of the overlap check; ``readable`` as for ``create_time_log``."""
    check_version(time_log, submitted_version, "This time log")
    task = time_log.task
    _check_task(dbsession, task, "log time")
    with model_rules():
        check_range(start, end)
    check_unlocked(dbsession, time_log.resource_id, time_log.start, time_log.end)
    check_unlocked(dbsession, time_log.resource_id, start, end)
    readable = readable_or_own(readable, task)
    slot = Slot(time_log.resource, start, end, moving=time_log.id)
    check_overlap(dbsession, slot, readable)
    check_dependency_dates(dbsession, task, start, readable)
    with overlaps_refused(dbsession, slot, readable):
        with model_rules():
            time_log.set_range(start, end)
        if description is not None:
            time_log.description = description.strip()
        dbsession.flush()
    _expand_estimate(dbsession, task)
    dbsession.flush()
    return time_log


def delete_time_log(
    dbsession: Session, time_log: TimeLog, *, submitted_version: int | None
) -> None:
    """Delete a log; a WIP task left without logs is ready to start again."""
    check_version(time_log, submitted_version, "This time log")
    task = time_log.task
    _check_task(dbsession, task, "delete time logs")
    check_unlocked(dbsession, time_log.resource_id, time_log.start, time_log.end)
    dbsession.delete(time_log)
    dbsession.flush()
    dbsession.expire(task, ["time_logs"])
    if task.status.code == rules.WIP and not workflow.logged_task_ids(dbsession, [task.id]):
        codes = workflow.dependency_codes(dbsession, [task.id])[task.id]
        result = rules.reevaluate(rules.RTS, codes, has_time_logs=False)
        if workflow.set_status(dbsession, task, result.code):
            workflow.settle(dbsession, [task])
    dbsession.flush()


def time_logs_between(
    dbsession: Session, resource: User, start: datetime, end: datetime
) -> list[TimeLog]:
    """``resource``'s logs overlapping [start, end], by start, with their tasks (two queries)."""
    return list(
        dbsession.scalars(
            select(TimeLog)
            .where(TimeLog.resource_id == resource.id, TimeLog.start < end, TimeLog.end > start)
            .options(selectinload(TimeLog.task))
            .order_by(TimeLog.start)
        )
    )


def total_seconds(time_logs) -> float:
    """The summed length of ``time_logs``."""
    return sum(log.seconds for log in time_logs)

"""The scheduling API: ask for a run (one active run per studio) and carry one out.

A run of a what-if scenario (``scenario_id``) goes the same way, with a lock of its own (one
active run per scenario, never blocking the live runs nor blocked by them): what it schedules
and where its results go come from ``services.scenarios.runs`` (``RunInput``); it never writes
live rows. That package asks for its runs through ``queue_run``.

``request_run`` is called in a web request (or by the CLI): it records a queued run holding the
studio's lock and returns it, or returns the run already active. The caller commits, then hands
the run id to a worker, which calls ``execute_run``. That commits each phase as it goes
(reading, scheduling, writing, done) with heartbeats, so a page can poll the run, and writes the
results in one transaction at the end: a failure anywhere changes nothing but the run's record.

The lock is the UNIQUE ``schedule_runs.lock_studio_id`` (``lock_scenario_id`` for a scenario's
runs): the run is inserted with
``ON CONFLICT DO NOTHING`` (PostgreSQL and SQLite alike), so of two simultaneous requests one
inserts and the other finds the first one's run. A run whose heartbeat is older than
``stale_after_seconds`` counts as crashed: the next request marks it failed and takes the lock.
"""

import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ...events import ScheduleFinished, publish
from ...models import Project, ScheduleRun, Studio, User
from ...models.meta import utcnow
from ...models.schedule_run import RunPhase, RunStatus
from ..errors import ValidationError
from ..worker_processes import this_worker
from .checks import check_studio
from .critical_path import store_placements
from .failures import failure_text
from .messages import Message, parse_tj3_output, summary
from .messages import capped as capped_messages
from .plan import CheckedStudio
from .results import ReportError, ScheduleResults, build_results
from .runner import Tj3Missing, Tj3Outcome, run_tj3
from .settings import SchedulingSettings, scheduling_settings
from .snapshot import StudioSnapshot, read_snapshot
from .tjp import REPORT_NAME, render_tjp
from .writer import write_results

log = logging.getLogger(__name__)
_runs = ScheduleRun.__table__
TJP_NAME = "studio.tjp"
# Each run's folder is named this, the run's id, "_" and random letters.
RUN_FOLDER_PREFIX = "stalker_web_run"
# How long a run that ended tries to record its end while the database cannot be reached.
FINISH_RETRY_SECONDS = 600


class LockLost(RuntimeError):
    """The run was marked failed by someone else (its heartbeat looked stale) while it ran."""


# Requesting a run ---------------------------------------------------------------------------


def active_run(dbsession: Session, studio_id: int | None = None) -> ScheduleRun | None:
    """The queued or running live run of the studio (the first studio when not given), if any
    (a scenario's run holds no studio lock: it is not one)."""
    query = select(ScheduleRun).where(ScheduleRun.lock_studio_id.is_not(None))
    if studio_id is not None:
        query = query.where(ScheduleRun.lock_studio_id == studio_id)
    return dbsession.scalars(query.order_by(ScheduleRun.id).limit(1)).first()


def active_scenario_run(dbsession: Session, scenario_id: int) -> ScheduleRun | None:
    """The queued or running run of the scenario, if any."""
    query = select(ScheduleRun).where(ScheduleRun.lock_scenario_id == scenario_id)
    return dbsession.scalars(query.limit(1)).first()


def _lock_column(scenario_id: int | None):
    """The run lock a run takes: the studio's, or its scenario's."""
    return _runs.c.lock_studio_id if scenario_id is None else _runs.c.lock_scenario_id


def _checked_project_ids(dbsession: Session, project_ids) -> list[int] | None:
    if project_ids is None:
        return None
    wanted = sorted({int(project_id) for project_id in project_ids})
    if not wanted:
        raise ValidationError("Choose at least one project, or schedule the whole studio.")
    found = set(dbsession.scalars(select(Project.id).where(Project.id.in_(wanted))))
    missing = [str(project_id) for project_id in wanted if project_id not in found]
    if missing:
        raise ValidationError(f"There is no project with id {', '.join(missing)}.", "project_ids")
    return wanted


def recover_stale_runs(
    dbsession: Session,
    studio_id: int,
    stale_after_seconds: float,
    now: datetime | None = None,
    *,
    scenario_id: int | None = None,
) -> int:
    """Mark failed the studio's (or, given ``scenario_id``, the scenario's) active run whose
    heartbeat is older than the limit (its worker crashed or was stopped), releasing the lock;
    return how many were marked."""
    now = now or utcnow()
    limit = now - timedelta(seconds=stale_after_seconds)
    lock = _lock_column(scenario_id)
    result = dbsession.execute(
        update(_runs)
        .where(lock == (studio_id if scenario_id is None else scenario_id))
        .where(_runs.c.heartbeat_at < limit)
        .values(
            status=RunStatus.FAILED,
            lock_studio_id=None,
            lock_scenario_id=None,
            finished_at=now,
            error=(
                f"The run stopped answering (no heartbeat for over {stale_after_seconds:g} s): "
                "its worker crashed or was stopped. It was marked failed so that a new run "
                "could start; the schedule was not changed by it."
            ),
            version_id=_runs.c.version_id + 1,
        )
        .execution_options(synchronize_session=False)
    )
    return result.rowcount


def _run_name(project_ids: list[int] | None, now: datetime) -> str:
    scope = (
        "the whole studio"
        if project_ids is None
        else f"{len(project_ids)} project{'s' if len(project_ids) > 1 else ''}"
    )
    return f"Schedule of {scope}, {now:%Y-%m-%d %H:%M} UTC"


def _insert_if_unlocked(dbsession: Session, values: dict, lock) -> int | None:
    """INSERT the run unless its ``lock`` (column) is taken; its id, or None when it was."""
    dialect = dbsession.connection().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}.get(dialect)
    if insert is None:
        raise RuntimeError(f"Scheduling supports PostgreSQL and SQLite, not {dialect}.")
    statement = (
        insert(_runs)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[lock])
        .returning(_runs.c.id)
    )
    return dbsession.execute(statement).scalar()


def request_run(
    dbsession: Session,
    user: User | None,
    project_ids=None,
    *,
    settings: SchedulingSettings | None = None,
) -> tuple[ScheduleRun, bool]:
    """A queued run of ``project_ids`` (None: every project) asked for by ``user``, and True;
    or, when a run is already queued or running, that run and False.

    A stale active run (see ``recover_stale_runs``) is marked failed first. The caller commits
    and then starts ``execute_run`` for the run (in a worker: it can take minutes).
    """
    studio = dbsession.scalars(select(Studio).order_by(Studio.id).limit(1)).first()
    if studio is None:
        raise ValidationError("The studio is not set up yet: run stalker-web <ini> init.")
    ids = _checked_project_ids(dbsession, project_ids)
    return queue_run(
        dbsession, user, studio.id, name=_run_name(ids, utcnow()), project_ids=ids,
        settings=settings,
    )  # fmt: skip


def queue_run(
    dbsession: Session,
    user: User | None,
    studio_id: int,
    *,
    name: str,
    project_ids: list[int] | None = None,
    scenario_id: int | None = None,
    settings: SchedulingSettings | None = None,
) -> tuple[ScheduleRun, bool]:
    """A queued run named ``name`` holding its lock (the studio's; the scenario's given
    ``scenario_id``), and True; or the run already holding that lock, and False. A stale run
    holding it is marked failed first."""
    settings = settings or scheduling_settings()
    dbsession.flush()
    now = utcnow()
    recover_stale_runs(
        dbsession, studio_id, settings.stale_after_seconds, now, scenario_id=scenario_id
    )
    user_id = user.id if user is not None else None
    values = {
        "name": name,
        "description": "",
        "generic_data": {},
        "date_created": now,
        "date_updated": now,
        "version_id": 1,
        "created_by_id": user_id,
        "updated_by_id": user_id,
        "studio_id": studio_id,
        "lock_studio_id": studio_id if scenario_id is None else None,
        "scenario_id": scenario_id,
        "lock_scenario_id": scenario_id,
        "requested_by_id": user_id,
        "project_ids": project_ids,
        "status": RunStatus.QUEUED,
        "phase": RunPhase.QUEUED,
        "heartbeat_at": now,
        "timeout_seconds": float(settings.timeout_seconds),
        "messages": [],
        "error": "",
        "task_count": 0,
    }
    for _ in range(3):
        run_id = _insert_if_unlocked(dbsession, values, _lock_column(scenario_id))
        if run_id is not None:
            return dbsession.get(ScheduleRun, run_id), True
        existing = (
            active_run(dbsession, studio_id)
            if scenario_id is None
            else active_scenario_run(dbsession, scenario_id)
        )
        if existing is not None:
            return existing, False
        # The run holding the lock ended in between: the lock is free again.
    raise RuntimeError("The scheduling lock kept changing hands; try again.")


# Carrying a run out -------------------------------------------------------------------------


def _update_run(
    session_factory: sessionmaker, run_id: int, values: dict, *, status=RunStatus.RUNNING
) -> bool:
    """Update the run in its own committed transaction if it is still ``status``."""
    with session_factory() as dbsession, dbsession.begin():
        result = dbsession.execute(
            update(_runs)
            .where(_runs.c.id == run_id, _runs.c.status == status)
            .values(**values, version_id=_runs.c.version_id + 1)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount == 1


def _finish(session_factory, run_id: int, status: RunStatus, started: float, **values) -> None:
    """End the run as ``status`` (releasing the lock), unless someone else already ended it."""
    now = utcnow()
    values |= {
        "status": status,
        "lock_studio_id": None,
        "lock_scenario_id": None,
        "finished_at": now,
        "heartbeat_at": now,
        "duration_seconds": time.monotonic() - started,
    }
    if "messages" in values:
        values["messages"] = [message.to_dict() for message in capped_messages(values["messages"])]
    if not _when_reachable(lambda: _update_run(session_factory, run_id, values), run_id):
        log.warning("schedule run %s had already been ended by someone else", run_id)


def _when_reachable(update: Callable[[], bool], run_id: int) -> bool:
    """``update()``, tried again while the database cannot be reached (a run that could not
    record its end would hold the lock until its heartbeat went stale), for up to
    ``FINISH_RETRY_SECONDS``."""
    deadline = time.monotonic() + FINISH_RETRY_SECONDS
    delay = 0.5
    while True:
        try:
            return update()
        except OperationalError:
            if time.monotonic() + delay > deadline:
                raise
            log.warning("schedule run %s: database unreachable, its end is retried", run_id)
            time.sleep(delay)
            delay = min(delay * 2, 15)


def execute_run(
    session_factory: sessionmaker,
    run_id: int,
    settings: "SchedulingSettings | dict | None" = None,
    *,
    now: datetime | None = None,
) -> ScheduleRun:
    """Carry out the queued run ``run_id`` and return it as it ended.

    ``settings`` are SchedulingSettings or the app's ini settings (whose studio config is
    read); ``now`` is the schedule's "now" (default: the current time). A run that is not
    queued any more (taken by another worker, or marked failed as stale) is left alone.
    """
    settings = scheduling_settings(settings)
    started = time.monotonic()
    claimed = _update_run(
        session_factory,
        run_id,
        {"status": RunStatus.RUNNING, "phase": RunPhase.READING}
        | {"started_at": utcnow(), "heartbeat_at": utcnow()}
        | this_worker(),
        status=RunStatus.QUEUED,
    )
    if claimed:
        ended_here = True
        try:
            _execute(session_factory, run_id, settings, now or utcnow(), started)
        except LockLost:
            log.warning("schedule run %s lost its lock while running; nothing written", run_id)
            ended_here = False
        except Tj3Missing as error:
            _finish(session_factory, run_id, RunStatus.FAILED, started, error=str(error))
        except OperationalError:
            log.exception("schedule run %s lost the database", run_id)
            _finish(
                session_factory,
                run_id,
                RunStatus.FAILED,
                started,
                error="The connection to the database was lost during the run, so its results "
                "were not saved; the schedule is unchanged. Ask for a new run.",
            )
        except Exception as error:
            log.exception("schedule run %s failed", run_id)
            _finish(
                session_factory,
                run_id,
                RunStatus.FAILED,
                started,
                error=f"The run failed unexpectedly ({type(error).__name__}: {error}); the "
                "schedule is unchanged.",
            )
        except BaseException:  # interrupted (Ctrl-C, worker shutdown): release the lock
            _finish(
                session_factory,
                run_id,
                RunStatus.FAILED,
                started,
                error="The run was interrupted; the schedule is unchanged.",
            )
            raise
        if ended_here:
            _publish_end(session_factory, run_id)
    with session_factory() as dbsession:
        run = dbsession.get(ScheduleRun, run_id)
        if run is not None:
            dbsession.expunge(run)
        return run


def _publish_end(session_factory, run_id: int) -> None:
    """Tell the subscribers how the run ended, in a transaction of their own (the run's end
    is already committed, so what they write cannot undo it)."""
    with session_factory() as dbsession, dbsession.begin():
        run = dbsession.get(ScheduleRun, run_id)
        if run is not None and not run.is_active:
            publish(dbsession, ScheduleFinished(run.id, run.status.value))


def _heartbeat(session_factory, run_id: int, **values) -> Callable:
    def beat(*_args) -> None:
        try:
            still_ours = _update_run(session_factory, run_id, {"heartbeat_at": utcnow(), **values})
        except OperationalError:
            # The database is out of reach for now: tj3 goes on, the next beat tries again.
            log.warning("schedule run %s: heartbeat missed, database unreachable", run_id)
            return
        if not still_ours:
            raise LockLost(run_id)

    return beat


@dataclass(frozen=True)
class RunInput:
    """What a run schedules and where its results go: the ``snapshot`` to check and render,
    and ``write(dbsession, results, schedule_now)``, which writes the results in the run's
    last transaction and returns how many tasks it wrote."""

    snapshot: StudioSnapshot
    write: Callable[[Session, ScheduleResults, datetime], int]


def _live_input(dbsession: Session, run: ScheduleRun, studio: Studio, now, settings) -> RunInput:
    """A live run: the projects in its scope, written to the live rows with baselines."""
    project_ids = run.project_ids

    def write(dbsession: Session, results: ScheduleResults, schedule_now: datetime) -> int:
        written = write_results(
            dbsession,
            project_ids,
            results,
            run_id=run.id,
            baselines_kept=settings.baselines_kept,
        )
        store_placements(dbsession, project_ids, schedule_now)
        return written

    return RunInput(read_snapshot(dbsession, studio, project_ids, now), write)


def _run_input(dbsession: Session, run: ScheduleRun, studio: Studio, now, settings) -> RunInput:
    if run.scenario_id is None:
        return _live_input(dbsession, run, studio, now, settings)
    # The scenario package builds on this module, so it is imported when a run needs it.
    from ..scenarios.runs import scenario_run_input

    return scenario_run_input(dbsession, run, studio, now)


@dataclass(frozen=True)
class _RenderedRun:
    """A claimed run whose studio was read, checked and rendered into ``directory``: what
    running tj3 and writing its results need."""

    session_factory: sessionmaker
    run_id: int
    settings: SchedulingSettings
    started: float  # time.monotonic() when the run was claimed
    directory: Path
    checked: CheckedStudio
    run_input: RunInput

    @property
    def tjp_path(self) -> Path:
        return self.directory / TJP_NAME

    def record(self, values: dict) -> None:
        """Record ``values`` on the run while it is still running; LockLost when it is not."""
        if not _update_run(self.session_factory, self.run_id, values):
            raise LockLost(self.run_id)

    def finish(self, status: RunStatus, **values) -> None:
        """End the run as ``status`` (see ``_finish``)."""
        _finish(self.session_factory, self.run_id, status, self.started, **values)


def _execute(session_factory, run_id: int, settings, now: datetime, started: float) -> None:
    """Read, check and render the run's studio, then schedule it (``_schedule``)."""
    clock = time.perf_counter()
    with session_factory() as dbsession:
        run = dbsession.get(ScheduleRun, run_id)
        studio = dbsession.get(Studio, run.studio_id)
        run_input = _run_input(dbsession, run, studio, now, settings)
    checked = check_studio(run_input.snapshot, now, settings.horizon_days)
    messages = list(checked.messages)
    if not checked.ok:
        _finish(
            session_factory,
            run_id,
            RunStatus.FAILED,
            started,
            phase=RunPhase.READING,
            schedule_now=checked.now,
            messages=messages,
            error=summary(messages) + " tj3 was not started; the schedule is unchanged.",
            render_seconds=time.perf_counter() - clock,
        )
        return
    tjp_text = render_tjp(checked, settings.template)
    directory = Path(
        tempfile.mkdtemp(prefix=f"{RUN_FOLDER_PREFIX}{run_id}_", dir=settings.work_directory)
    )
    rendered = _RenderedRun(
        session_factory, run_id, settings, started, directory, checked, run_input
    )
    rendered.tjp_path.write_text(tjp_text, encoding="utf-8")
    rendered.record(
        {
            "phase": RunPhase.SCHEDULING,
            "heartbeat_at": utcnow(),
            "schedule_now": checked.now,
            "render_seconds": time.perf_counter() - clock,
        }
    )
    try:
        _schedule(rendered)
    except BaseException:
        shutil.rmtree(directory, ignore_errors=True)
        raise


def _schedule(run: _RenderedRun) -> None:
    """Run tj3 on the rendered studio, read its report and write what it computed; a failure
    ends the run with the schedule unchanged."""
    messages = list(run.checked.messages)
    outcome = _run_tj3(run)
    messages += parse_tj3_output(outcome.stderr, run.checked.names)
    if not outcome.succeeded:
        run.finish(
            RunStatus.TIMED_OUT if outcome.timed_out else RunStatus.FAILED,
            exit_code=outcome.exit_code,
            tj3_seconds=outcome.seconds,
            messages=messages,
            error=failure_text(outcome, messages, run.settings, run.checked),
            input_path=str(run.tjp_path),
        )
        return
    run.record(
        {
            "phase": RunPhase.WRITING,
            "heartbeat_at": utcnow(),
            "exit_code": outcome.exit_code,
            "tj3_seconds": outcome.seconds,
        }
    )
    clock = time.perf_counter()
    try:
        results = build_results(run.directory / f"{REPORT_NAME}.csv", run.run_input.snapshot.tasks)
    except ReportError as error:
        run.finish(
            RunStatus.FAILED,
            messages=messages,
            error=f"{error} The schedule is unchanged.",
            input_path=str(run.tjp_path),
        )
        return
    _write(run, results, messages, parse_seconds=time.perf_counter() - clock)
    shutil.rmtree(run.directory, ignore_errors=True)


def _run_tj3(run: _RenderedRun) -> Tj3Outcome:
    """tj3 on the run's file, with a heartbeat at its start (with its pid) and every tick."""
    return run_tj3(
        run.settings.tj3_command,
        run.tjp_path,
        run.directory,
        timeout_seconds=run.settings.timeout_seconds,
        tick_seconds=run.settings.heartbeat_seconds,
        on_start=lambda pid: _heartbeat(run.session_factory, run.run_id, tj3_pid=pid)(),
        on_tick=_heartbeat(run.session_factory, run.run_id),
    )


def _write(
    run: _RenderedRun, results: ScheduleResults, messages: list[Message], parse_seconds: float
) -> None:
    """Write the computed schedule and end the run as succeeded, in one transaction that first
    checks the run still holds its lock."""
    clock = time.perf_counter()
    with run.session_factory() as dbsession, dbsession.begin():
        still_ours = dbsession.execute(
            update(_runs)
            .where(_runs.c.id == run.run_id, _runs.c.status == RunStatus.RUNNING)
            .values(heartbeat_at=utcnow(), version_id=_runs.c.version_id + 1)
            .execution_options(synchronize_session=False)
        )
        if still_ours.rowcount != 1:
            raise LockLost(run.run_id)
        task_count = run.run_input.write(dbsession, results, run.checked.now)
        finished = utcnow()
        dbsession.execute(
            update(_runs)
            .where(_runs.c.id == run.run_id)
            .values(
                status=RunStatus.SUCCEEDED,
                phase=RunPhase.DONE,
                lock_studio_id=None,
                lock_scenario_id=None,
                finished_at=finished,
                heartbeat_at=finished,
                duration_seconds=time.monotonic() - run.started,
                parse_seconds=parse_seconds,
                write_seconds=time.perf_counter() - clock,
                task_count=task_count,
                messages=[message.to_dict() for message in capped_messages(messages)],
                error="",
                version_id=_runs.c.version_id + 1,
            )
            .execution_options(synchronize_session=False)
        )

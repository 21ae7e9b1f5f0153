"""Large breakdown files imported by the worker: the record of each (``BreakdownImport``), one
import at a time per project, its progress while the lines are checked, and its outcome.

The import itself is ``csv_files.import_breakdown``, unchanged: every line is checked first,
nothing is saved on any error, and the tasks are written in one transaction, which also records
the outcome. Progress goes to the record in short transactions of their own, so the page shows
it while the import's transaction is still open.

An import holds its project (one at a time) until it ends. When its worker dies the import's
transaction dies with it, so nothing was imported, but the record would stay "running": the
worker records its host and process id (``worker_processes``) and ``reap_orphaned_imports`` (a
worker starting on that host, and its watchdog every minute) ends it once that process is gone.
An import that could not be handed to the worker is ended at once (``mark_not_queued``); one
that no worker took, or whose worker on another host went silent, is ended after
``STALLED_AFTER`` by the next import of its project.
"""

import logging
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from ...db import set_current_user
from ...models import BreakdownImport, ImportStage, ImportStatus, Project, User
from ...models.breakdown_import import ACTIVE_IMPORTS
from ...models.meta import utcnow
from ..errors import ValidationError
from ..transactions import savepoint
from ..worker_processes import this_host, this_worker, worker_is_gone
from .csv_files import SAVING, import_breakdown
from .rows import BreakdownImportError

log = logging.getLogger(__name__)

# A file of more lines than this is imported by the worker, with a progress page; a smaller one
# within the request.
BACKGROUND_ABOVE_LINES = 500
# An import queued or running for longer than this has no worker, or lost it.
STALLED_AFTER = timedelta(hours=1)
ALREADY_RUNNING = (
    "A breakdown import of {project} is already running: wait until it has finished, then "
    "import this file."
)


def line_count(text: str) -> int:
    """About how many task lines ``text`` holds (its lines after the header)."""
    return max(0, len(text.splitlines()) - 1)


def runs_in_background(text: str) -> bool:
    """Whether the file ``text`` is large enough to be imported by the worker."""
    return line_count(text) > BACKGROUND_ABOVE_LINES


def active_import(dbsession: Session, project: Project) -> BreakdownImport | None:
    """The import of ``project`` queued or running, if any."""
    return dbsession.scalar(
        select(BreakdownImport).where(
            BreakdownImport.project_id == project.id, BreakdownImport.status.in_(ACTIVE_IMPORTS)
        )
    )


def import_of(dbsession: Session, project: Project, import_id: int) -> BreakdownImport | None:
    """The import ``import_id`` of ``project`` (None: no such import of this project)."""
    record = dbsession.get(BreakdownImport, import_id)
    return record if record is not None and record.project_id == project.id else None


def end_stalled_imports(dbsession: Session, project: Project) -> int:
    """Fail the imports of ``project`` queued or running for longer than ``STALLED_AFTER``:
    no worker took them, or their worker stopped (an import of 20,000 lines takes seconds) and
    their transaction, hence everything they wrote, is gone; their lock goes with them. How
    many were ended."""
    limit = utcnow() - STALLED_AFTER
    stalled = {
        ImportStatus.QUEUED: (
            BreakdownImport.date_created < limit,
            "No worker took the import within an hour: ask an administrator to check that the "
            "worker runs, then import the file again.",
        ),
        ImportStatus.RUNNING: (
            BreakdownImport.started_at < limit,
            "The worker stopped during the import.",
        ),
    }
    ended = 0
    for status, (too_old, message) in stalled.items():
        ended += dbsession.execute(
            update(BreakdownImport)
            .where(
                BreakdownImport.project_id == project.id,
                BreakdownImport.status == status,
                too_old,
            )
            .values(
                status=ImportStatus.FAILED,
                stage=ImportStage.DONE,
                lock_project_id=None,
                finished_at=utcnow(),
                message=message,
            )
        ).rowcount
    return ended


def refuse_while_importing(dbsession: Session, project: Project) -> None:
    """Refuse another import of ``project`` while one is queued or running (one that stalled
    is ended first)."""
    end_stalled_imports(dbsession, project)
    if active_import(dbsession, project) is not None:
        raise ValidationError(ALREADY_RUNNING.format(project=project.name))


def start_import(
    dbsession: Session, project: Project, user: User | None, text: str
) -> BreakdownImport:
    """Record an import of ``text`` into ``project`` for the worker; refused while another
    import of the project is queued or running (the record's UNIQUE lock decides a race)."""
    refuse_while_importing(dbsession, project)
    record = BreakdownImport(
        project_id=project.id,
        lock_project_id=project.id,
        started_by_id=user.id if user is not None else None,
        csv_text=text,
        total_lines=line_count(text),
    )
    try:
        with savepoint(dbsession):
            dbsession.add(record)
            dbsession.flush()
    except IntegrityError:
        raise ValidationError(ALREADY_RUNNING.format(project=project.name)) from None
    return record


def _finish(
    dbsession: Session, import_id: int, *, only_if: ImportStatus | None = None, **values
) -> bool:
    """End the import with ``values`` (when ``only_if``: only if it still has that status),
    releasing its project; whether it was ended here."""
    statement = update(BreakdownImport).where(BreakdownImport.id == import_id)
    if only_if is not None:
        statement = statement.where(BreakdownImport.status == only_if)
    return (
        dbsession.execute(
            statement.values(
                lock_project_id=None, stage=ImportStage.DONE, finished_at=utcnow(), **values
            )
        ).rowcount
        == 1
    )


def _claim(sessions: sessionmaker, import_id: int) -> BreakdownImport | None:
    """Mark the queued import running; None when it is gone or was already taken."""
    with sessions() as dbsession, dbsession.begin():
        claimed = dbsession.execute(
            update(BreakdownImport)
            .where(BreakdownImport.id == import_id, BreakdownImport.status == ImportStatus.QUEUED)
            .values(
                status=ImportStatus.RUNNING,
                stage=ImportStage.CHECKING,
                started_at=utcnow(),
                **this_worker(),
            )
        ).rowcount
        record = dbsession.get(BreakdownImport, import_id) if claimed else None
        if record is not None:
            dbsession.expunge(record)
        return record


def run_import(sessions: sessionmaker, import_id: int) -> ImportStatus | None:
    """Carry out the queued import ``import_id`` (the worker's job) and record its outcome;
    returns its final status, None when there was nothing to do."""
    record = _claim(sessions, import_id)
    if record is None:
        return None

    def progress(stage: str, done: int, total: int) -> None:
        with sessions() as progress_session, progress_session.begin():
            progress_session.execute(
                update(BreakdownImport)
                .where(BreakdownImport.id == import_id)
                .values(
                    stage=ImportStage.SAVING if stage == SAVING else ImportStage.CHECKING,
                    checked_lines=done,
                    total_lines=total,
                )
            )

    try:
        with sessions() as dbsession, dbsession.begin():
            set_current_user(dbsession, record.started_by_id)
            project = dbsession.get(Project, record.project_id)
            if project is None:
                raise ValidationError("The project was deleted before its breakdown was imported.")
            counts = import_breakdown(dbsession, project, record.csv_text, progress)
            _finish(
                dbsession,
                import_id,
                status=ImportStatus.SUCCEEDED,
                created_count=counts["created"],
                updated_count=counts["updated"],
            )
        return ImportStatus.SUCCEEDED
    except BreakdownImportError as error:
        outcome = {"errors": [list(each) for each in error.errors]}
    except ValidationError as error:
        outcome = {"message": error.message}
    except Exception:
        log.exception("breakdown import %s failed", import_id)
        outcome = {"message": "The import stopped on an unexpected error."}
    with sessions() as dbsession, dbsession.begin():
        _finish(dbsession, import_id, status=ImportStatus.FAILED, **outcome)
    return ImportStatus.FAILED


def mark_not_queued(sessions: sessionmaker, import_id: int, reason: str) -> None:
    """End the still-queued import ``import_id`` as failed because no worker could be told,
    which frees its project at once."""
    with sessions() as dbsession, dbsession.begin():
        _finish(
            dbsession,
            import_id,
            only_if=ImportStatus.QUEUED,
            status=ImportStatus.FAILED,
            message=(
                f"The import could not be handed to the worker ({reason}): try again later or "
                "ask an administrator to check the worker."
            ),
        )


def reap_orphaned_imports(sessions: sessionmaker, *, starting: bool = False) -> list[int]:
    """End this host's running imports whose worker process is gone (``starting``: also those
    recorded with this process's id, see ``worker_is_gone``), freeing their projects; the ids
    of the imports ended here. An import of another host is ended by ``end_stalled_imports``."""
    host = this_host()
    with sessions() as dbsession:
        running = dbsession.execute(
            select(BreakdownImport.id, BreakdownImport.worker_pid).where(
                BreakdownImport.status == ImportStatus.RUNNING,
                BreakdownImport.worker_host == host,
                BreakdownImport.worker_pid.is_not(None),
            )
        ).all()
    reaped = []
    for import_id, worker_pid in running:
        if not worker_is_gone(worker_pid, starting=starting):
            continue
        with sessions() as dbsession, dbsession.begin():
            # A running import is never claimed again: still running, it is still the one seen.
            ended = _finish(
                dbsession,
                import_id,
                only_if=ImportStatus.RUNNING,
                status=ImportStatus.FAILED,
                message=(
                    f"The worker stopped during the import (process {worker_pid} on {host} is "
                    "gone): import the file again."
                ),
            )
        if ended:
            log.warning(
                "breakdown import %s: its worker %s is gone; marked failed", import_id, host
            )
            reaped.append(import_id)
    return reaped

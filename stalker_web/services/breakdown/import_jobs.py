"""Large breakdown files imported by the worker: the record of each (``BreakdownImport``), one
import at a time per project, its progress while the lines are checked, and its outcome.

The import itself is ``csv_files.import_breakdown``, unchanged: every line is checked first,
nothing is saved on any error, and the tasks are written in one transaction, which also records
the outcome. Progress goes to the record in short transactions of their own, so the page shows
it while the import's transaction is still open.
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
from .csv_files import SAVING, import_breakdown
from .rows import BreakdownImportError

log = logging.getLogger(__name__)

# A file of more lines than this is imported by the worker, with a progress page; a smaller one
# within the request.
BACKGROUND_ABOVE_LINES = 500
# A running import older than this has lost its worker.
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
    """Fail the imports of ``project`` running for longer than ``STALLED_AFTER``: their worker
    stopped (an import of 20,000 lines takes seconds), and their transaction, hence everything
    they wrote, is gone; their lock goes with them. How many were ended."""
    return dbsession.execute(
        update(BreakdownImport)
        .where(
            BreakdownImport.project_id == project.id,
            BreakdownImport.status == ImportStatus.RUNNING,
            BreakdownImport.started_at < utcnow() - STALLED_AFTER,
        )
        .values(
            status=ImportStatus.FAILED,
            stage=ImportStage.DONE,
            lock_project_id=None,
            finished_at=utcnow(),
            message="The worker stopped during the import.",
        )
    ).rowcount


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


def _finish(dbsession: Session, import_id: int, **values) -> None:
    dbsession.execute(
        update(BreakdownImport)
        .where(BreakdownImport.id == import_id)
        .values(lock_project_id=None, stage=ImportStage.DONE, finished_at=utcnow(), **values)
    )


def _claim(sessions: sessionmaker, import_id: int) -> BreakdownImport | None:
    """Mark the queued import running; None when it is gone or was already taken."""
    with sessions() as dbsession, dbsession.begin():
        claimed = dbsession.execute(
            update(BreakdownImport)
            .where(BreakdownImport.id == import_id, BreakdownImport.status == ImportStatus.QUEUED)
            .values(status=ImportStatus.RUNNING, stage=ImportStage.CHECKING, started_at=utcnow())
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
    """End the still-queued import ``import_id`` as failed because no worker could be told."""
    with sessions() as dbsession, dbsession.begin():
        _finish(
            dbsession,
            import_id,
            status=ImportStatus.FAILED,
            message=(
                f"The import could not be handed to the worker ({reason}). Nothing was "
                "imported; try again later or ask an administrator to check the worker."
            ),
        )

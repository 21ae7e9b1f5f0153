"""The app's one job queue: huey on SQLite (one host) or Redis (several hosts).

Its jobs:

- schedule runs: the web app records a queued ``ScheduleRun`` (``request_run``) and, once its
  transaction has committed, puts the run's id on the queue (``enqueue_after_commit``), so a
  worker always finds the row; the worker carries the run out with ``execute_run``, on a
  database session of its own built from the same ini settings, whose domain events
  (``events.py``) go to the app's subscribers;
- e-mails: the notifications write ``OutgoingMail`` rows and hand their ids over once their
  transaction has committed (``services/notifications/mail.py``); the worker sends each once
  (``services/notifications/sending.py``), trying again ``mail.retries`` times
  ``mail.retry_delay_seconds`` apart;
- webhook deliveries: the subscriber writes ``WebhookDelivery`` rows and hands their ids over
  once their transaction has committed; the worker sends each once
  (``services/webhooks/sending.py``) and, after a failed try, puts it back on the queue after a
  growing delay (from ``webhooks.retry_delay_seconds``);
- breakdown imports of large files: the page records a queued ``BreakdownImport`` and hands its
  id over once committed (``enqueue_import_after_commit``); the worker imports the file
  (``services/breakdown/import_jobs.py``), writing its progress as it checks the lines;
- every hour (periodic): the daily digests when the studio's day reaches ``mail.digest_hour``,
  and the mails and webhook deliveries whose hand-over failed;
- every minute, and once as a worker starts: the watchdog ending the schedule runs and the
  breakdown imports whose worker is gone (``services/scheduling/reaping.py``,
  ``services/breakdown/import_jobs.reap_orphaned_imports``).

A worker is ``stalker-web <ini> worker`` (or ``embedded_worker`` in tests). Settings:

- ``huey.storage = sqlite`` (default) with ``huey.path`` (default ``var/huey.sqlite`` beside the
  database's working directory), or ``huey.storage = redis`` with ``huey.url``
  (default ``redis://127.0.0.1:6379/0``);
- ``huey.name``: the queue's name (default ``stalker_web``), so several studios may share one
  Redis server.
"""

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from huey import RedisHuey, SqliteHuey, crontab
from huey.api import Huey
from huey.consumer import Consumer
from sqlalchemy import update
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import sessionmaker
from zope.sqlalchemy import mark_changed

from .api.idempotency import forget_old_answers
from .db import get_engine, get_session_factory
from .events import Dispatcher, dispatching_sessions
from .links import MailLinks
from .models import ScheduleRun
from .models.meta import utcnow
from .models.schedule_run import RunStatus
from .services.breakdown.import_jobs import mark_not_queued as mark_import_not_queued
from .services.breakdown.import_jobs import reap_orphaned_imports, run_import
from .services.notifications.digest import digest_due, send_digests
from .services.notifications.mail import Outbox
from .services.notifications.sending import send_mail, stranded_mail_ids
from .services.notifications.settings import MailSettings
from .services.scheduling.reaping import reap_orphaned_runs
from .services.scheduling.runs import execute_run, request_run
from .services.scheduling.settings import scheduling_settings
from .services.webhooks.sending import WebhookSettings, send_delivery, stranded_delivery_ids

log = logging.getLogger(__name__)

SCHEDULE_TASK_NAME = "stalker_web.schedule_run"
MAIL_TASK_NAME = "stalker_web.send_mail"
WEBHOOK_TASK_NAME = "stalker_web.send_webhook"
IMPORT_TASK_NAME = "stalker_web.breakdown_import"
HOURLY_TASK_NAME = "stalker_web.hourly_mail"
HOUSEKEEPING_TASK_NAME = "stalker_web.hourly_housekeeping"
WATCHDOG_TASK_NAME = "stalker_web.watchdog"
DEFAULT_NAME = "stalker_web"
DEFAULT_SQLITE_PATH = "var/huey.sqlite"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"
REGISTRY_KEY = "job_queue"
STORAGES = ("sqlite", "redis")


class QueueConfigError(ValueError):
    """The ini's huey settings name no storage this app knows."""


def huey_from_settings(settings: Mapping[str, Any]) -> Huey:
    """The Huey instance the ini ``settings`` describe (see the module's docstring)."""
    storage = (settings.get("huey.storage") or "sqlite").strip().lower()
    name = settings.get("huey.name") or DEFAULT_NAME
    if storage == "sqlite":
        path = Path(settings.get("huey.path") or DEFAULT_SQLITE_PATH)
        path.parent.mkdir(parents=True, exist_ok=True)
        return SqliteHuey(name, filename=str(path), results=False)
    if storage == "redis":
        return RedisHuey(name, url=settings.get("huey.url") or DEFAULT_REDIS_URL, results=False)
    raise QueueConfigError(
        f"huey.storage = {storage!r} is not supported: use one of {', '.join(STORAGES)}."
    )


class JobQueue:
    """The app's job queue: ``enqueue(run_id)``, ``enqueue_mail(mail_id)`` and
    ``enqueue_webhook(delivery_id)`` on the web side,
    ``consumer()`` on the worker side, where each job runs with a session factory from the same
    settings; the events its sessions publish go to ``dispatcher`` (the app's
    ``registry.notify``)."""

    def __init__(self, settings: Mapping[str, Any], dispatcher: Dispatcher | None = None) -> None:
        self.settings = dict(settings)
        self.mail_settings = MailSettings.from_settings(self.settings)
        self.webhook_settings = WebhookSettings.from_settings(self.settings)
        self.huey = huey_from_settings(self.settings)
        self.dispatcher = dispatcher
        self._session_factory: sessionmaker | None = None
        self._lock = threading.Lock()
        self._task = self.huey.task(name=SCHEDULE_TASK_NAME)(self._schedule_run)
        self._mail_task = self.huey.task(
            name=MAIL_TASK_NAME,
            retries=self.mail_settings.retries,
            retry_delay=self.mail_settings.retry_delay_seconds,
        )(self._send_mail)
        self._webhook_task = self.huey.task(name=WEBHOOK_TASK_NAME)(self._send_webhook)
        self._import_task = self.huey.task(name=IMPORT_TASK_NAME)(self._import_breakdown)
        self.huey.periodic_task(crontab(minute="0"), name=HOURLY_TASK_NAME)(self.hourly_mail)
        self.huey.periodic_task(crontab(minute="30"), name=HOUSEKEEPING_TASK_NAME)(
            self.hourly_housekeeping
        )
        self.huey.periodic_task(crontab(), name=WATCHDOG_TASK_NAME)(self.watchdog)

    def session_factory(self) -> sessionmaker:
        """Sessions on the settings' database (the engine is built at the first run)."""
        with self._lock:
            if self._session_factory is None:
                self._session_factory = get_session_factory(get_engine(self.settings))
            return self._session_factory

    def _schedule_run(self, run_id: int) -> str:
        sessions = self.session_factory()
        if self.dispatcher is not None:
            sessions = dispatching_sessions(sessions, self.dispatcher)
        run = execute_run(sessions, run_id, self.settings)
        if run is None:
            log.warning("schedule run %s is gone; nothing to do", run_id)
            return "missing"
        log.info("schedule run %s ended %s", run_id, run.status.value)
        return run.status.value

    def _send_mail(self, mail_id: int) -> str:
        outcome = send_mail(self.session_factory(), mail_id, self.mail_settings)
        log.info("mail %s: %s", mail_id, outcome)
        return outcome

    def _send_webhook(self, delivery_id: int) -> str:
        outcome = send_delivery(self.session_factory(), delivery_id, self.webhook_settings)
        log.info("webhook delivery %s: %s", delivery_id, outcome.result)
        if outcome.retry_in is not None:
            self._webhook_task.schedule(args=(delivery_id,), delay=outcome.retry_in)
        return outcome.result

    def _import_breakdown(self, import_id: int) -> str:
        sessions = self.session_factory()
        if self.dispatcher is not None:
            sessions = dispatching_sessions(sessions, self.dispatcher)
        status = run_import(sessions, import_id)
        log.info("breakdown import %s: %s", import_id, status or "nothing to do")
        return str(status or "missing")

    def outbox(self) -> Outbox:
        """The composer of the worker's own mails (digests), handing them to this queue."""
        links = MailLinks(self.mail_settings.base_url)
        return Outbox(self.mail_settings, links, self.enqueue_mail)

    def send_digests(self, now: datetime | None = None) -> int:
        """Write everybody's daily digest now and queue it; how many were written."""
        with self.session_factory()() as dbsession, dbsession.begin():
            return send_digests(dbsession, self.outbox(), now or utcnow())

    def hourly_mail(self) -> None:
        """The periodic job: the digests at their hour, and mails and webhook deliveries lost
        on their way here."""
        now = utcnow()
        with self.session_factory()() as dbsession:
            due = digest_due(dbsession, now, self.mail_settings.digest_hour)
            stranded = stranded_mail_ids(dbsession, now)
            stranded_deliveries = stranded_delivery_ids(dbsession, now)
        if due:
            log.info("daily digests: %s written", self.send_digests(now))
        for mail_id in stranded:
            self.enqueue_mail(mail_id)
        for delivery_id in stranded_deliveries:
            self.enqueue_webhook(delivery_id)

    def hourly_housekeeping(self) -> int:
        """The periodic job forgetting the API's Idempotency-Key answers once they are old;
        how many went."""
        with self.session_factory()() as dbsession, dbsession.begin():
            forgotten = forget_old_answers(dbsession)
        log.info("idempotency answers forgotten: %s", forgotten)
        return forgotten

    def reap_orphaned_runs(self, starting: bool = False) -> list[int]:
        """The watchdog (every minute, and once as the worker starts): end the schedule runs
        whose worker is gone (``services/scheduling/reaping.py``); their ids."""
        settings = scheduling_settings(self.settings)
        reaped = reap_orphaned_runs(self.session_factory(), settings, starting=starting)
        if reaped:
            log.warning("orphaned schedule runs ended: %s", reaped)
        return reaped

    def reap_orphaned_imports(self, starting: bool = False) -> list[int]:
        """End the breakdown imports whose worker is gone, freeing their projects; their ids."""
        reaped = reap_orphaned_imports(self.session_factory(), starting=starting)
        if reaped:
            log.warning("orphaned breakdown imports ended: %s", reaped)
        return reaped

    def watchdog(self, starting: bool = False) -> None:
        """The periodic job (every minute, and once as the worker starts): end the schedule
        runs and breakdown imports whose worker is gone."""
        self.reap_orphaned_runs(starting)
        self.reap_orphaned_imports(starting)

    def enqueue(self, run_id: int) -> None:
        """Hand the (committed) run ``run_id`` to a worker."""
        self._task(run_id)

    def enqueue_mail(self, mail_id: int) -> None:
        """Hand the (committed) mail ``mail_id`` to a worker."""
        self._mail_task(mail_id)

    def enqueue_webhook(self, delivery_id: int) -> None:
        """Hand the (committed) webhook delivery ``delivery_id`` to a worker."""
        self._webhook_task(delivery_id)

    def enqueue_import(self, import_id: int) -> None:
        """Hand the (committed) breakdown import ``import_id`` to a worker."""
        self._import_task(import_id)

    def pending_count(self) -> int:
        """How many jobs wait for a worker."""
        return self.huey.pending_count()

    def consumer(self, workers: int = 1, max_delay: float = 1.0, periodic: bool = True) -> Consumer:
        """A huey consumer running jobs in ``workers`` threads, polling the queue at least
        every ``max_delay`` seconds when it is empty; ``periodic``: with the hourly job."""
        return self.huey.create_consumer(
            workers=workers, worker_type="thread", periodic=periodic, max_delay=max_delay
        )

    def close(self) -> None:
        """Close the queue's storage and the workers' database connections."""
        if self._session_factory is not None:
            self._session_factory.kw["bind"].dispose()
        self.huey.storage.close()


def job_queue(registry) -> JobQueue:
    """The app's queue, built from its settings at first use and kept in the registry."""
    queue = registry.get(REGISTRY_KEY)
    if queue is None:
        queue = registry.setdefault(
            REGISTRY_KEY, JobQueue(registry.settings, dispatcher=registry.notify)
        )
    return queue


def mark_not_queued(session_factory: sessionmaker, run_id: int, reason: str) -> None:
    """End the still-queued run ``run_id`` as failed because it could not reach the queue,
    releasing its lock (the studio's or its scenario's) so that a new run can be asked for."""
    runs = ScheduleRun.__table__
    now = utcnow()
    with session_factory() as dbsession, dbsession.begin():
        dbsession.execute(
            update(runs)
            .where(runs.c.id == run_id, runs.c.status == RunStatus.QUEUED)
            .values(
                status=RunStatus.FAILED,
                lock_studio_id=None,
                lock_scenario_id=None,
                finished_at=now,
                heartbeat_at=now,
                error=(
                    f"The run could not be handed to the scheduling worker ({reason}). Check "
                    "the huey settings of the ini file and that their storage is reachable; "
                    "the schedule is unchanged."
                ),
                version_id=runs.c.version_id + 1,
            )
        )


NotQueued = Callable[[Any, int, str], None]


def enqueue_after_commit(request, run_id: int, not_queued: NotQueued | None = None) -> None:
    """Put ``run_id`` on the app's queue once the request's transaction has committed (a
    rolled-back request enqueues nothing). When the queue cannot be reached the run is marked
    failed with the reason, instead of waiting forever, and ``not_queued(request, run_id,
    reason)`` tells the person who asked (default: a flash message replacing "queued")."""
    registry = request.registry
    tell = not_queued or _flash_not_queued

    def hand_over(committed: bool) -> None:
        if not committed:
            return
        try:
            job_queue(registry).enqueue(run_id)
        except Exception as error:
            log.exception("could not enqueue schedule run %s", run_id)
            reason = f"{type(error).__name__}: {error}"
            mark_not_queued(registry["dbsession_factory"], run_id, reason)
            tell(request, run_id, reason)

    request.tm.get().addAfterCommitHook(hand_over)


def enqueue_import_after_commit(request, import_id: int) -> None:
    """Put the breakdown import ``import_id`` on the app's queue once the request's transaction
    has committed; when the queue cannot be reached the import is marked failed, saying why."""
    registry = request.registry

    def hand_over(committed: bool) -> None:
        if not committed:
            return
        try:
            job_queue(registry).enqueue_import(import_id)
        except Exception as error:
            log.exception("could not enqueue breakdown import %s", import_id)
            mark_import_not_queued(
                registry["dbsession_factory"], import_id, f"{type(error).__name__}: {error}"
            )

    request.tm.get().addAfterCommitHook(hand_over)


def _flash_not_queued(request, run_id: int, reason: str) -> None:
    """Tell the person who asked that the run did not start. The page flashed "queued" before
    the commit (after-commit hooks run before the session cookie is written): that message,
    the only one the request flashed, is taken back."""
    if "session" not in request.__dict__:
        return
    request.session.pop_flash()
    request.session.flash(
        f"Schedule run {run_id} could not start: the scheduling worker's queue cannot be "
        "reached, so the run was marked failed and the schedule is unchanged. Tell an "
        "administrator, and ask again once it is back."
    )


def queue_schedule_run(
    request, project_ids: list[int] | None, not_queued: NotQueued | None = None
) -> tuple[ScheduleRun, bool]:
    """Ask for a run of ``project_ids`` (None: the whole studio) for the worker, which gets it
    once the request has committed (the page's "schedule now" and the API share it); returns
    (run, created), the active run when one is. ``not_queued``: see ``enqueue_after_commit``."""
    run, created = request_run(
        request.dbsession,
        request.user,
        project_ids,
        settings=scheduling_settings(request.registry.settings),
    )
    # request_run inserts with a Core statement, which zope.sqlalchemy does not notice:
    # without this the transaction would end without committing the run.
    mark_changed(request.dbsession)
    if created:
        enqueue_after_commit(request, run.id, not_queued)
    return run, created


@contextmanager
def embedded_worker(
    queue: JobQueue, max_delay: float = 0.2, periodic: bool = False
) -> Iterator[Consumer]:
    """Run a huey consumer of ``queue`` in threads of this process while the block runs (tests,
    single-process set-ups), without the hourly job unless ``periodic``; unlike ``Consumer.run``
    it installs no signal handlers. On exit it waits for the job in progress to end."""
    consumer = queue.consumer(max_delay=max_delay, periodic=periodic)
    consumer.scheduler.start()
    for _worker, thread in consumer.worker_threads:
        thread.start()
    try:
        yield consumer
    finally:
        consumer.stop(graceful=True)


def run_worker(
    settings: Mapping[str, Any], workers: int = 1, dispatcher: Dispatcher | None = None
) -> None:
    """Run the huey consumer of the ini ``settings`` (every job, the hourly one too) until it
    is stopped (SIGINT/SIGTERM); the runs' events go to ``dispatcher``."""
    queue = JobQueue(settings, dispatcher)
    try:
        try:
            queue.watchdog(starting=True)
        except OperationalError:
            log.exception("database unreachable at start; the watchdog reaps orphaned jobs later")
        queue.consumer(workers=workers).run()
    finally:
        queue.close()

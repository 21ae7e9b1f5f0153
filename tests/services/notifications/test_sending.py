"""E-mails leave through the real job queue after the commit: the worker (huey on SQLite storage
in a temporary directory, or Redis) sends each to a real SMTP server started here (aiosmtpd)
exactly once, tries again after a refusal, and writes .eml files in files mode. A request that
fails after publishing leaves no record, notification or mail, and queues nothing.

These tests commit, so each has a studio database of its own.
"""

import email
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
import webtest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from stalker_web import main
from stalker_web.cli import main as cli
from stalker_web.db import set_current_user
from stalker_web.events import dispatch_to
from stalker_web.models import Activity, MailState, Notification, OutgoingMail, Task, User
from stalker_web.queue import JobQueue, embedded_worker, job_queue
from stalker_web.services.notifications.preferences import save_preferences
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...conftest import login, prepare_studio_database
from ...factories import Factory
from ...factories.calendar import MONDAY
from ...factories.projects import member
from ...pages import csrf_token
from ...test_queue import queue_settings

ADMIN_LOGIN = "mailadmin"
TIMEOUT_SECONDS = 60


class SmtpServer:
    """An aiosmtpd handler keeping what it accepts; it answers 451 (try again later) to the
    first ``refusals`` messages."""

    def __init__(self) -> None:
        self.refusals = 0
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refusals:
            self.refusals -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"

    def received(self, message_id: str) -> list[email.message.Message]:
        return [message for message in self.messages if message["Message-ID"] == message_id]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    """A real SMTP server on 127.0.0.1 and a free port, for the test's length."""
    handler = SmtpServer()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


@pytest.fixture(params=["sqlite"])
def settings(request, app_settings, fresh_database_url, tmp_path, smtp):
    """A committed studio database, the queue (SQLite storage unless a test asks for Redis too)
    and mail to the test's server."""
    prepare_studio_database(fresh_database_url, ADMIN_LOGIN, "Mail Admin")
    settings = queue_settings(app_settings, fresh_database_url, request.param, tmp_path)
    settings.update(
        {
            "mail.mode": "smtp",
            "mail.host": "127.0.0.1",
            "mail.port": str(smtp[1]),
            "mail.retries": "2",
            "mail.retry_delay_seconds": "0",
            "mail.folder": str(tmp_path / "mail"),
        }
    )
    yield settings
    queue = JobQueue(settings)
    queue.huey.flush()  # a Redis queue outlives the test: leave nothing behind
    queue.close()


@pytest.fixture
def app(settings):
    """The app (committing), its queue closed afterwards."""
    app = main({}, **settings)
    yield app
    job_queue(app.registry).close()
    app.registry["dbsession_factory"].kw["bind"].dispose()


@pytest.fixture
def crew(session_factory, studio_config) -> dict[str, int]:
    """Committed: a project whose artist works on Animation (one hour logged, so in progress),
    which the supervisor is responsible for and the watcher watches."""
    with session_factory() as dbsession:
        factory = Factory(dbsession, studio_config)
        project = factory.project(name="Mail Film", code="MF")
        artist = member(project, factory.user(name="Ana Artist"))
        supervisor = member(project, factory.user(name="Sam Supervisor"))
        watcher = member(project, factory.user(name="Wes Watcher"))
        shot = factory.task(
            project=project,
            name="Animation",
            resources=[artist],
            responsible=[supervisor],
            watchers=[watcher],
        )
        create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=1))
        waiting = factory.task(project=project, name="Lighting", resources=[artist])
        dbsession.commit()
        return {
            "project": project.id,
            "artist": artist.id,
            "supervisor": supervisor.id,
            "watcher": watcher.id,
            "shot": shot.id,
            "waiting": waiting.id,
        }


def ask_for_review(app, session_factory, crew) -> None:
    """The artist asks for a review of Animation in a session of the app (as the worker's are),
    committed: the supervisor's mail is handed to the queue after the commit."""
    with session_factory() as dbsession:
        dispatch_to(dbsession, app.registry.notify)
        set_current_user(dbsession, crew["artist"])
        shot, artist = dbsession.get(Task, crew["shot"]), dbsession.get(User, crew["artist"])
        request_review(dbsession, shot, artist)
        dbsession.commit()


def prefer(session_factory, user_id: int, **chosen: str) -> None:
    """Commit a person's channels."""
    with session_factory() as dbsession:
        save_preferences(dbsession, dbsession.get(User, user_id), chosen)
        dbsession.commit()


def the_mail(session_factory, recipient_id: int) -> OutgoingMail:
    with session_factory() as dbsession:
        (mail,) = dbsession.scalars(
            select(OutgoingMail).where(OutgoingMail.recipient_id == recipient_id)
        )
        dbsession.expunge(mail)
        return mail


def wait_for(condition) -> bool:
    """Whether ``condition()`` came true within the time the tests allow."""
    deadline = time.monotonic() + TIMEOUT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def wait_until(condition) -> None:
    assert wait_for(condition), f"not true within {TIMEOUT_SECONDS} s"


def worked_off(settings, session_factory, mail_id: int) -> OutgoingMail:
    """Run a worker of the queue (as in another process) until mail ``mail_id`` is done."""
    worker = JobQueue(settings)
    try:
        with embedded_worker(worker):
            wait_until(
                lambda: the_state(session_factory, mail_id) in (MailState.SENT, MailState.FAILED)
            )
    finally:
        worker.close()
    with session_factory() as dbsession:
        mail = dbsession.get(OutgoingMail, mail_id)
        dbsession.expunge(mail)
        return mail


def the_state(session_factory, mail_id: int) -> MailState:
    with session_factory() as dbsession:
        return dbsession.get(OutgoingMail, mail_id).state


@pytest.mark.parametrize("settings", ["sqlite", "redis"], indirect=True)
def test_a_mail_is_queued_at_the_commit_and_sent_once_by_the_worker(
    app, settings, session_factory, crew, smtp
):
    server, _port = smtp
    ask_for_review(app, session_factory, crew)

    mail = the_mail(session_factory, crew["supervisor"])
    assert (mail.state, mail.attempts) == (MailState.QUEUED, 0)
    assert job_queue(app.registry).pending_count() == 1

    sent = worked_off(settings, session_factory, mail.id)
    assert (sent.state, sent.attempts, sent.last_error) == (MailState.SENT, 1, "")
    assert sent.sent_at is not None
    (message,) = server.received(mail.message_id)
    assert message["Subject"] == "[MF] Ana Artist asked you to review MF / Animation"
    assert message["To"] == mail.to_address and message["From"] == "stalker@example.com"
    assert "Hello Sam Supervisor," in message.get_payload(decode=True).decode()
    assert job_queue(app.registry).pending_count() == 0


def test_a_refused_attempt_is_tried_again_and_delivered_exactly_once(
    app, settings, session_factory, crew, smtp
):
    server, _port = smtp
    server.refusals = 1
    ask_for_review(app, session_factory, crew)
    mail = the_mail(session_factory, crew["supervisor"])

    sent = worked_off(settings, session_factory, mail.id)

    assert (sent.state, sent.attempts) == (MailState.SENT, 2)
    assert len(server.received(mail.message_id)) == 1
    assert server.refusals == 0


def test_a_mail_refused_at_every_attempt_ends_failed_with_the_reason(
    app, settings, session_factory, crew, smtp
):
    server, _port = smtp
    server.refusals = 10
    ask_for_review(app, session_factory, crew)
    mail = the_mail(session_factory, crew["supervisor"])

    failed = worked_off(settings, session_factory, mail.id)

    assert (failed.state, failed.attempts) == (MailState.FAILED, 3)  # once, then two retries
    assert "451" in failed.last_error and "Try again later" in failed.last_error
    assert server.received(mail.message_id) == []


def test_a_request_failing_after_its_change_leaves_nothing_and_queues_nothing(
    app, session_factory, crew
):
    prefer(session_factory, crew["watcher"], status="email")
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(client, ADMIN_LOGIN)
    bulk = f"/projects/{crew['project']}/board/bulk"
    token = csrf_token(client)

    # Animation can go on hold, Lighting (not started) cannot: nothing is changed.
    fields = {"csrf_token": token, "action": "hold", "task_ids": [crew["shot"], crew["waiting"]]}
    client.post(bulk, fields, status=400)

    with session_factory() as dbsession:
        for table in (Activity, Notification, OutgoingMail):
            assert dbsession.scalar(select(func.count()).select_from(table)) == 0
    assert job_queue(app.registry).pending_count() == 0

    client.post(bulk, {**fields, "task_ids": [crew["shot"]]}, status=303)
    with session_factory() as dbsession:
        assert dbsession.scalar(select(func.count()).select_from(Activity)) == 1
        assert dbsession.scalar(select(func.count()).select_from(OutgoingMail)) == 1
    assert job_queue(app.registry).pending_count() == 1


def test_files_mode_writes_each_mail_as_an_eml_file(app, settings, session_factory, crew):
    settings["mail.mode"] = "files"
    ask_for_review(app, session_factory, crew)
    mail = the_mail(session_factory, crew["supervisor"])

    worked_off(settings, session_factory, mail.id)

    written = Path(settings["mail.folder"]) / f"{mail.id:08d}.eml"
    message = email.message_from_bytes(written.read_bytes())
    assert message["Message-ID"] == mail.message_id
    assert list(written.parent.glob("*.part")) == []


def worker_ini(settings, directory: Path) -> Path:
    keys = ("sqlalchemy.url", "session.secret", "huey.storage", "huey.path")
    mail = {"mail.mode": "files", "mail.folder": settings["mail.folder"], "mail.digest_hour": "7"}
    ini = directory / "worker.ini"
    ini.write_text(
        "[app:main]\nuse = egg:stalker_web\n"
        + "".join(f"{key} = {settings[key]}\n" for key in keys)
        + "".join(f"{key} = {value}\n" for key, value in mail.items()),
        encoding="utf-8",
    )
    return ini


def test_send_digests_and_the_worker_command_deliver_the_daily_digest(
    app, settings, session_factory, crew, tmp_path
):
    prefer(session_factory, crew["watcher"], status="digest")
    ask_for_review(app, session_factory, crew)  # the watcher is told of PREV, for the digest
    with session_factory() as dbsession:
        assert (
            dbsession.scalars(
                select(OutgoingMail).where(OutgoingMail.recipient_id == crew["watcher"])
            ).all()
            == []
        )
    ini = worker_ini(settings, tmp_path)

    assert cli([str(ini), "send-digests"]) == 0
    digest = the_mail(session_factory, crew["watcher"])
    assert digest.subject == "Your daily digest: 1 notification"

    command = [str(Path(sys.executable).with_name("stalker-web")), str(ini), "worker"]
    worker = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        sent = wait_for(lambda: the_state(session_factory, digest.id) is MailState.SENT)
    finally:
        worker.send_signal(signal.SIGINT)  # huey's graceful stop
        output, _ = worker.communicate(timeout=30)
    assert sent, output
    assert worker.returncode == 0, output
    written = Path(settings["mail.folder"]) / f"{digest.id:08d}.eml"
    body = email.message_from_bytes(written.read_bytes()).get_payload(decode=True).decode()
    assert "Ana Artist moved MF / Animation from Work In Progress to Pending Review." in body

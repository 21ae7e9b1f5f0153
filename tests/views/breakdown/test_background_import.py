"""Large breakdown files go to the worker: the import page starts the job and sends the user to
a page showing its progress, then its outcome; the real huey worker (SQLite storage in a
temporary directory) imports the file; a second import of the project is refused meanwhile.

These tests commit, so each has a studio database of its own.
"""

import csv
import io
from datetime import timedelta

import pytest
import webtest
from sqlalchemy import event, func, select

from stalker_web import main
from stalker_web.db import get_engine
from stalker_web.models import BreakdownImport, ImportStatus, Project, Task
from stalker_web.models.meta import utcnow
from stalker_web.queue import JobQueue, embedded_worker, job_queue
from stalker_web.services.breakdown.import_jobs import (
    BACKGROUND_ABOVE_LINES,
    STALLED_AFTER,
    run_import,
    start_import,
)
from stalker_web.services.breakdown.rows import COLUMNS

from ...conftest import login, prepare_studio_database
from ...factories import Factory
from ...test_queue import queue_settings, wait_until

ADMIN_LOGIN = "importadmin"
SHOTS_PER_SEQUENCE = 20


@pytest.fixture
def settings(app_settings, fresh_database_url, tmp_path):
    prepare_studio_database(fresh_database_url, ADMIN_LOGIN, "Import Admin")
    settings = queue_settings(app_settings, fresh_database_url, "sqlite", tmp_path)
    yield settings
    queue = JobQueue(settings)
    queue.huey.flush()
    queue.close()


@pytest.fixture
def served(settings):
    """The app (committing) and a WebTest client logged in as an admin."""
    app = main({}, **settings)
    client = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    login(client, ADMIN_LOGIN)
    yield app, client
    job_queue(app.registry).close()
    app.registry["dbsession_factory"].kw["bind"].dispose()


@pytest.fixture
def project_id(session_factory, studio_config) -> int:
    """A committed, empty project with the Layout and Animation task types."""
    with session_factory() as dbsession, dbsession.begin():
        factory = Factory(dbsession, studio_config)
        for name in ("Layout", "Animation"):
            factory.task_type("Task", name)
        return factory.project(name="Big Import", code="BI").id


def breakdown_text(lines: int, wrong_every: int = 0) -> str:
    """``lines`` task lines: sequences of shots, each shot with Layout then Animation waiting
    for it; with ``wrong_every``, every such line gets a priority out of range."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    written = 0

    def line(path, kind, name, code="", type_name="", depends="", cut=("", "")):
        nonlocal written
        written += 1
        priority = "5000" if wrong_every and written % wrong_every == 0 else ""
        writer.writerow(
            [path, kind, name, code, type_name, "", "", "", "", priority, *cut, "", depends]
        )

    sequence = 0
    while written < lines:
        sequence += 1
        sq = f"SQ{sequence:03d}"
        line(sq, "Sequence", f"Sequence {sequence}", sq)
        for number in range(1, SHOTS_PER_SEQUENCE + 1):
            if written >= lines:
                break
            shot = f"{sq}_SH{number * 10:04d}"
            line(f"{sq}/{shot}", "Shot", shot, shot, cut=("1001", "1048"))
            for step, after in (("Layout", ""), ("Animation", "Layout")):
                if written < lines:
                    depends = f"{sq}/{shot}/{after}" if after else ""
                    line(f"{sq}/{shot}/{step}", "Task", step, "", step, depends)
    return output.getvalue()


def submit(client, project_id: int, text: str, status: int = 303):
    page = client.get(f"/projects/{project_id}/breakdown/import")
    form = page.forms["import-form"]
    form["text"] = text
    return form.submit(status=status)


def task_count(session_factory, project_id: int) -> int:
    with session_factory() as dbsession:
        return dbsession.scalar(select(func.count(Task.id)).where(Task.project_id == project_id))


def the_import(session_factory, import_id: int) -> BreakdownImport:
    with session_factory() as dbsession:
        record = dbsession.get(BreakdownImport, import_id)
        dbsession.expunge(record)
        return record


def run_worker_until_done(app, settings, session_factory, import_id: int) -> BreakdownImport:
    worker_queue = JobQueue(settings, dispatcher=app.registry.notify)
    try:
        with embedded_worker(worker_queue):
            wait_until(lambda: not the_import(session_factory, import_id).is_active)
    finally:
        worker_queue.close()
    return the_import(session_factory, import_id)


def test_a_large_file_is_imported_by_the_worker_behind_a_progress_page(
    served, settings, session_factory, project_id
):
    app, client = served
    lines = BACKGROUND_ABOVE_LINES + 100

    response = submit(client, project_id, breakdown_text(lines))

    import_id = int(response.location.rstrip("/").rsplit("/", 1)[1])
    page = response.follow()
    assert f"The file has {lines} lines: it is being imported in the background." in page.text
    assert "Waiting for the worker to start" in page.html.find(id="import-stage").get_text()
    assert page.html.find("meta", attrs={"http-equiv": "refresh"}) is not None
    # Committed and queued; the request imported nothing itself.
    assert the_import(session_factory, import_id).status == ImportStatus.QUEUED
    assert job_queue(app.registry).pending_count() == 1
    assert task_count(session_factory, project_id) == 0

    record = run_worker_until_done(app, settings, session_factory, import_id)

    assert (record.status, record.created_count, record.errors) == (
        ImportStatus.SUCCEEDED,
        lines,
        [],
    )
    assert record.lock_project_id is None
    assert task_count(session_factory, project_id) == lines
    page = client.get(response.location)
    assert page.html.find(id="import-result").get_text() == (
        f"Breakdown imported: {lines} tasks created, 0 updated."
    )
    assert page.html.find("meta", attrs={"http-equiv": "refresh"}) is None


def test_a_small_file_is_imported_within_the_request_and_committed(
    served, session_factory, project_id
):
    _app, client = served
    page = submit(client, project_id, breakdown_text(BACKGROUND_ABOVE_LINES)).follow()
    assert f"Breakdown imported: {BACKGROUND_ABOVE_LINES} tasks created, 0 updated." in page.text
    assert task_count(session_factory, project_id) == BACKGROUND_ABOVE_LINES
    with session_factory() as dbsession:
        assert dbsession.scalar(select(func.count(BreakdownImport.id))) == 0


def test_wrong_lines_of_a_large_file_are_listed_and_nothing_is_imported(
    served, settings, session_factory, project_id
):
    app, client = served
    response = submit(client, project_id, breakdown_text(BACKGROUND_ABOVE_LINES + 10, 100))
    import_id = int(response.location.rstrip("/").rsplit("/", 1)[1])

    record = run_worker_until_done(app, settings, session_factory, import_id)

    assert record.status == ImportStatus.FAILED
    assert [line for line, _message in record.errors] == [101, 201, 301, 401, 501]
    assert task_count(session_factory, project_id) == 0
    page = client.get(response.location)
    assert page.html.find(id="import-result").get_text() == (
        "Nothing was imported: 5 problems in the file. Fix the lines listed below and import "
        "the file again."
    )
    rows = page.html.find(id="import-errors").find("tbody").find_all("tr")
    assert rows[0].get_text(" ", strip=True) == (
        "line 101 the priority is a whole number from 0 to 1000."
    )
    # The failed import holds no lock: the corrected file is accepted.
    submit(client, project_id, breakdown_text(BACKGROUND_ABOVE_LINES + 10))


def test_a_second_import_of_the_project_is_refused_while_one_is_waiting(
    served, session_factory, project_id
):
    _app, client = served
    submit(client, project_id, breakdown_text(BACKGROUND_ABOVE_LINES + 1))

    for text in (breakdown_text(BACKGROUND_ABOVE_LINES + 1), breakdown_text(3)):
        page = submit(client, project_id, text, status=400)
        assert (
            "A breakdown import of Big Import is already running: wait until it has finished, "
            "then import this file."
        ) in page.html.find(id="error-summary").get_text()
    with session_factory() as dbsession:
        assert dbsession.scalar(select(func.count(BreakdownImport.id))) == 1
    assert task_count(session_factory, project_id) == 0
    # The import page links to the import waiting.
    link = client.get(f"/projects/{project_id}/breakdown/import").html.find(id="running-import")
    assert "see how far it got" in link.get_text()
    assert client.get(link.find("a")["href"]).html.find(id="import-stage") is not None


def test_an_import_whose_worker_stopped_long_ago_no_longer_blocks_the_project(
    served, session_factory, project_id
):
    _app, client = served
    with session_factory() as dbsession, dbsession.begin():
        project = dbsession.get(Project, project_id)
        stalled = start_import(dbsession, project, None, breakdown_text(600))
        stalled.status = ImportStatus.RUNNING
        stalled.started_at = utcnow() - STALLED_AFTER - timedelta(minutes=1)
        stalled_id = stalled.id
    submit(client, project_id, breakdown_text(3)).follow()
    record = the_import(session_factory, stalled_id)
    assert (record.status, record.lock_project_id) == (ImportStatus.FAILED, None)
    assert record.message == "The worker stopped during the import."
    assert task_count(session_factory, project_id) == 3
    page = client.get(f"/projects/{project_id}/breakdown/imports/{stalled_id}")
    assert page.html.find(id="import-result").get_text() == (
        "The worker stopped during the import. Nothing was imported."
    )


def test_progress_is_committed_while_the_lines_are_checked(settings, session_factory, project_id):
    """Another connection sees the lines checked go up, then the saving, before the end."""
    lines = 3 * 250 + 20
    with session_factory() as dbsession, dbsession.begin():
        project = dbsession.get(Project, project_id)
        import_id = start_import(dbsession, project, None, breakdown_text(lines)).id
    engine = get_engine(settings)
    seen = []

    def look(_session) -> None:
        with engine.connect() as connection:
            seen.append(
                tuple(
                    connection.execute(
                        select(
                            BreakdownImport.status,
                            BreakdownImport.stage,
                            BreakdownImport.checked_lines,
                        ).where(BreakdownImport.id == import_id)
                    ).one()
                )
            )

    event.listen(session_factory, "after_commit", look)
    try:
        assert run_import(session_factory, import_id) == ImportStatus.SUCCEEDED
    finally:
        event.remove(session_factory, "after_commit", look)
        engine.dispose()

    # Each state once, in order (a state may be seen again by a later commit).
    assert list(dict.fromkeys(seen)) == [
        ("running", "checking", 0),  # claimed
        ("running", "checking", 250),
        ("running", "checking", 500),
        ("running", "checking", 750),
        ("running", "saving", lines),
        ("succeeded", "done", lines),
    ]
    assert task_count(session_factory, project_id) == lines

"""Conflicts between transactions are retried: a serialization failure or a deadlock in a view
or at commit sends the request through again (``retry.attempts``), and the user sees the
result of the attempt that succeeded.

Each conflict is a real one, provoked on PostgreSQL by a second transaction that the test runs
on a connection of its own while the request is in its service call.
"""

import threading

import pytest
from sqlalchemy import select, text

from stalker_web.models import Studio
from stalker_web.services.studio import settings as studio_service

from .conftest import log_in, stored_studio_name, submit_studio_name

pytestmark = pytest.mark.usefixtures("postgresql_only")


class CountedUpdate:
    """``update_studio`` that counts its calls and runs ``interfere(dbsession, call)`` after
    the real update has reached the database."""

    def __init__(self, interfere) -> None:
        self.calls = 0
        self.interfere = interfere
        self.real_update = studio_service.update_studio

    def __call__(self, dbsession, studio, **values) -> None:
        self.calls += 1
        self.interfere(dbsession, self.calls, lambda: self.real_update(dbsession, studio, **values))


def write_skew_on_first_call(engine):
    """Make the request's SERIALIZABLE transaction fail when it commits, on the first call only:
    it read ``fault_marks`` and wrote the studio, while another transaction read the studio and
    wrote ``fault_marks`` and committed first (PostgreSQL cancels the request's "as a pivot,
    during commit attempt")."""

    def interfere(dbsession, call, update) -> None:
        dbsession.execute(text("SELECT count(*) FROM fault_marks")).scalar()
        update()
        dbsession.flush()
        if call == 1:
            with engine.connect() as other:
                other.execute(text("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE"))
                other.execute(select(Studio.name)).all()
                other.execute(text("INSERT INTO fault_marks VALUES (1)"))
                other.commit()

    return interfere


def concurrent_update_before(engine, failing_calls: int):
    """Make the request's REPEATABLE READ transaction fail in the view (at its flush) on the
    first ``failing_calls`` calls: another transaction changes the studio row after the request's
    snapshot was taken and commits first."""

    def interfere(dbsession, call, update) -> None:
        dbsession.execute(select(Studio.name)).scalar()  # the snapshot is taken by now
        if call <= failing_calls:
            with engine.begin() as other:
                other.execute(text("UPDATE studios SET daily_working_hours = daily_working_hours"))
        update()
        dbsession.flush()

    return interfere


@pytest.fixture
def fault_marks(make_committing_app):
    def create(engine) -> None:
        with engine.begin() as connection:
            connection.execute(text("CREATE TABLE fault_marks (mark integer)"))

    return create


def test_a_serialization_failure_at_commit_is_retried_and_saved(
    make_committing_app, fault_marks, monkeypatch
):
    testapp, engine = make_committing_app(**{"sqlalchemy.isolation_level": "SERIALIZABLE"})
    fault_marks(engine)
    log_in(testapp)
    update = CountedUpdate(write_skew_on_first_call(engine))
    monkeypatch.setattr(studio_service, "update_studio", update)
    page = submit_studio_name(testapp, "Saved On The Second Try", status=303).follow()
    assert update.calls == 2
    assert stored_studio_name(engine) == "Saved On The Second Try"
    assert "Studio settings saved." in page.text


def test_a_serialization_failure_in_a_view_is_retried_and_saved(make_committing_app, monkeypatch):
    testapp, engine = make_committing_app(**{"sqlalchemy.isolation_level": "REPEATABLE READ"})
    log_in(testapp)
    update = CountedUpdate(concurrent_update_before(engine, failing_calls=1))
    monkeypatch.setattr(studio_service, "update_studio", update)
    submit_studio_name(testapp, "Saved After A Conflict", status=303)
    assert update.calls == 2
    assert stored_studio_name(engine) == "Saved After A Conflict"


def test_a_conflict_on_every_attempt_ends_with_the_error_page_and_saves_nothing(
    make_committing_app, monkeypatch
):
    testapp, engine = make_committing_app(**{"sqlalchemy.isolation_level": "REPEATABLE READ"})
    log_in(testapp)
    before = stored_studio_name(engine)
    update = CountedUpdate(concurrent_update_before(engine, failing_calls=99))
    monkeypatch.setattr(studio_service, "update_studio", update)
    page = submit_studio_name(testapp, "Never Saved", status=500)
    assert update.calls == int(testapp.app.registry.settings["retry.attempts"]) == 3
    assert stored_studio_name(engine) == before
    assert "Something went wrong" in page.text


def test_a_deadlock_is_retried_and_saved(make_committing_app, monkeypatch):
    """The request locks a department and then wants the studio row, which the test holds; the
    test then wants the department: PostgreSQL finds the deadlock and cancels the request,
    whose retry goes through once the test has let go."""
    testapp, engine = make_committing_app()
    log_in(testapp)
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE fault_locks (name text PRIMARY KEY)"))
        connection.execute(text("INSERT INTO fault_locks VALUES ('first'), ('second')"))
    request_waits = threading.Event()
    holder_done = threading.Event()

    def interfere(dbsession, call, update) -> None:
        dbsession.execute(text("SELECT * FROM fault_locks WHERE name = 'first' FOR UPDATE"))
        if call == 1:
            request_waits.set()
        dbsession.execute(text("SELECT * FROM fault_locks WHERE name = 'second' FOR UPDATE"))
        update()

    def hold_the_second_then_want_the_first() -> None:
        with engine.connect() as holder:
            # The request, not this connection, is the one PostgreSQL cancels.
            holder.execute(text("SET deadlock_timeout = '30s'"))
            holder.execute(text("SELECT * FROM fault_locks WHERE name = 'second' FOR UPDATE"))
            holder_ready.set()
            request_waits.wait(timeout=30)
            holder.execute(text("SELECT * FROM fault_locks WHERE name = 'first' FOR UPDATE"))
            holder.rollback()
        holder_done.set()

    holder_ready = threading.Event()
    holder = threading.Thread(target=hold_the_second_then_want_the_first)
    holder.start()
    assert holder_ready.wait(timeout=30)
    update = CountedUpdate(interfere)
    monkeypatch.setattr(studio_service, "update_studio", update)
    try:
        submit_studio_name(testapp, "Saved After A Deadlock", status=303)
    finally:
        request_waits.set()
        holder.join(timeout=60)
    assert holder_done.is_set()
    assert update.calls == 2
    assert stored_studio_name(engine) == "Saved After A Deadlock"

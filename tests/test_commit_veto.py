"""Production transaction handling: a refused request saves nothing, a 303 success commits.

The shared ``testapp`` never commits, so these tests build their own application on a fresh
database and read what really reached it through a separate connection.
"""

import pytest
import webtest
from sqlalchemy import event, func, select, text

from stalker_web import main
from stalker_web.db import get_engine
from stalker_web.models import AuthenticationLog, Department, Studio
from stalker_web.services.errors import ValidationError
from stalker_web.services.studio import settings as studio_service

from .conftest import prepare_studio_database
from .factories import Factory


@pytest.fixture
def committing_app(app_settings, fresh_database_url):
    """A WebTest app run as in production (pyramid_tm commits or vetoes) and its engine."""
    prepare_studio_database(fresh_database_url, "boss", "Studio Admin")
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    app = main({}, **{**app_settings, "sqlalchemy.url": fresh_database_url})
    testapp = webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"})
    yield testapp, engine
    app.registry["dbsession_factory"].kw["bind"].dispose()
    engine.dispose()


def stored_studio(engine) -> tuple:
    with engine.connect() as connection:
        return connection.execute(
            select(Studio.name, Studio.daily_working_hours, Studio.version_id)
        ).one()


def log_count(engine, action: str) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).where(AuthenticationLog.action == action))


def department_names(engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(Department.name).order_by(Department.name)))


def create_department(testapp, name: str, status: int):
    form = testapp.get("/departments/new").forms["department-form"]
    form["name"] = name
    form["description"] = "Made through the page"
    return form.submit(status=status)


def log_in(testapp, password: str = Factory.PASSWORD, status: int = 303):
    form = testapp.get("/login").forms["login-form"]
    form["login"] = "boss"
    form["password"] = password
    return form.submit(status=status)


def test_a_successful_form_is_committed(committing_app):
    testapp, engine = committing_app
    log_in(testapp)
    form = testapp.get("/studio").forms["studio-form"]
    form["name"] = "Committed Studio"
    form["daily_working_hours"] = "7"
    form.submit(status=303)
    name, daily_hours, _ = stored_studio(engine)
    assert (name, daily_hours) == ("Committed Studio", 7)


def test_a_refused_form_leaves_the_database_unchanged(committing_app):
    testapp, engine = committing_app
    log_in(testapp)
    before = stored_studio(engine)
    form = testapp.get("/studio").forms["studio-form"]
    form["name"] = "Half Saved Studio"
    form["mon"] = "18:00-09:00"
    form.submit(status=400)
    assert stored_studio(engine) == before


def test_a_refusal_after_a_write_rolls_the_write_back(committing_app, monkeypatch):
    """A service that wrote before refusing leaves nothing behind: the 400 vetoes the commit."""
    testapp, engine = committing_app
    log_in(testapp)
    before = stored_studio(engine)
    real_update = studio_service.update_studio

    def update_then_refuse(dbsession, studio, **values):
        real_update(dbsession, studio, **values)  # flushed to the database
        raise ValidationError("Refused after writing.")

    monkeypatch.setattr(studio_service, "update_studio", update_then_refuse)
    form = testapp.get("/studio").forms["studio-form"]
    form["name"] = "Written Then Refused"
    assert "Refused after writing." in form.submit(status=400).text
    assert stored_studio(engine) == before


def test_a_failed_login_is_kept_in_the_log_although_the_answer_is_400(committing_app):
    testapp, engine = committing_app
    log_in(testapp, password="not the password", status=400)
    assert log_count(engine, "failed") == 1
    log_in(testapp)
    assert log_count(engine, "login") == 1


def test_a_created_department_is_committed_and_a_duplicate_name_saves_nothing(committing_app):
    testapp, engine = committing_app
    log_in(testapp)
    create_department(testapp, "Lighting", status=303)
    assert department_names(engine) == ["Lighting"]
    create_department(testapp, " lighting ", status=400)
    assert department_names(engine) == ["Lighting"]


def transaction_ends(testapp) -> list[str]:
    """How each transaction on the app's own engine ends from now on: "commit" or "rollback"."""
    app_engine = testapp.app.registry["dbsession_factory"].kw["bind"]
    ends: list[str] = []
    event.listen(app_engine, "commit", lambda connection: ends.append("commit"))
    event.listen(app_engine, "rollback", lambda connection: ends.append("rollback"))
    return ends


def test_a_page_that_only_reads_ends_with_commit(committing_app):
    """A read-only request ends with COMMIT: psycopg forgets its prepared statements on ROLLBACK."""
    testapp, _engine = committing_app
    log_in(testapp)
    ends = transaction_ends(testapp)
    testapp.get("/studio", status=200)
    assert ends == ["commit"]


def test_a_refused_page_still_ends_with_rollback(committing_app):
    testapp, _engine = committing_app
    log_in(testapp)
    ends = transaction_ends(testapp)
    testapp.get("/projects/999999", status=404)
    assert ends == ["rollback"]


def test_read_only_pages_keep_their_prepared_statements(committing_app):
    """PostgreSQL plans a statement once it is server-prepared (psycopg does it from the fifth
    run on one connection); ending each page with ROLLBACK would throw every plan away."""
    testapp, _engine = committing_app
    app_engine = testapp.app.registry["dbsession_factory"].kw["bind"]
    if app_engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no server-prepared statements")
    log_in(testapp)
    for _ in range(8):
        testapp.get("/studio", status=200)
    with app_engine.connect() as connection:
        prepared = connection.scalar(text("SELECT count(*) FROM pg_prepared_statements"))
    assert prepared > 0

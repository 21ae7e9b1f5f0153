"""The database out of reach: refused, lost in a view or while committing, too slow, or every
pooled connection taken. Each answers a 503 page (JSON under /api/) with Retry-After that needs
no database, says what happened to what was sent, and the app serves again once it is back."""

import time

import pytest
from sqlalchemy import event, select, text

from stalker_web.models import Studio
from stalker_web.services.studio import settings as studio_service

from .conftest import log_in, stored_studio_name, submit_studio_name

pytestmark = pytest.mark.usefixtures("postgresql_only")


def assert_unavailable_page(response, says: str) -> None:
    assert response.headers["Retry-After"] == "30"
    assert response.content_type == "text/html"
    assert "/static/style.css" in response.text
    assert says in response.text
    assert "Internal Server Error" not in response.text


def terminate_own_backend(engine, dbsession) -> None:
    """Have PostgreSQL end the request's connection, as a server restart does."""
    backend = dbsession.execute(text("SELECT pg_backend_pid()")).scalar()
    with engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})


def test_a_refused_database_answers_503_and_the_app_serves_again_once_it_is_back(
    make_committing_app, database_proxy
):
    proxy, proxied_url = database_proxy
    testapp, _ = make_committing_app(**{"sqlalchemy.url": proxied_url})
    log_in(testapp)
    proxy.cut()
    page = testapp.get("/", status=503)
    assert_unavailable_page(page, "cannot be reached just now, so what you sent was not saved")
    # The page's stylesheet comes without the database too, although the browser sends the
    # cookie of a signed-in session with it.
    stylesheet = page.html.find("link", rel="stylesheet")["href"]
    assert testapp.get(stylesheet, status=200).content_type == "text/css"
    api = testapp.get(
        "/api/v1/projects", headers={"Authorization": "Bearer swt_0123abcd_unknown"}, status=503
    )
    assert api.json["error"]["code"] == "unavailable"
    assert api.headers["Retry-After"] == "30"
    proxy.restore()
    started = time.monotonic()
    testapp.get("/", status=200)
    assert time.monotonic() - started < 5


def test_a_connection_lost_in_a_view_answers_503_and_saves_nothing(
    make_committing_app, monkeypatch
):
    testapp, engine = make_committing_app()
    log_in(testapp)
    before = stored_studio_name(engine)
    real_update = studio_service.update_studio

    def update_after_losing_the_connection(dbsession, studio, **values):
        terminate_own_backend(engine, dbsession)
        real_update(dbsession, studio, **values)
        dbsession.flush()

    monkeypatch.setattr(studio_service, "update_studio", update_after_losing_the_connection)
    page = submit_studio_name(testapp, "Lost In The View", status=503)
    assert_unavailable_page(page, "what you sent was not saved")
    assert stored_studio_name(engine) == before
    testapp.get("/studio", status=200)


def test_a_connection_lost_while_committing_says_the_outcome_is_unknown(
    make_committing_app, monkeypatch
):
    testapp, engine = make_committing_app()
    log_in(testapp)
    real_update = studio_service.update_studio

    def update_then_lose_the_connection_at_commit(dbsession, studio, **values):
        real_update(dbsession, studio, **values)
        dbsession.flush()
        event.listen(
            dbsession, "before_commit", lambda session: terminate_own_backend(engine, session)
        )

    monkeypatch.setattr(studio_service, "update_studio", update_then_lose_the_connection_at_commit)
    page = submit_studio_name(testapp, "Lost While Committing", status=503)
    assert_unavailable_page(page, "it may or may not have been saved")
    assert "check before you send it again" in page.text


def test_a_statement_that_waits_too_long_is_stopped_and_answers_503(make_committing_app):
    testapp, engine = make_committing_app(**{"db.statement_timeout_seconds": "1"})
    log_in(testapp)
    form = testapp.get("/studio").forms["studio-form"]
    form["name"] = "Never Written"
    with engine.connect() as holder:
        holder.execute(select(Studio.id).with_for_update()).all()
        started = time.monotonic()
        page = form.submit(status=503)
        waited = time.monotonic() - started
        holder.rollback()
    assert waited < 10
    assert_unavailable_page(page, "what you sent was not saved")
    assert stored_studio_name(engine) != "Never Written"


def test_no_free_pooled_connection_answers_503(make_committing_app):
    testapp, _ = make_committing_app(
        **{
            "sqlalchemy.pool_size": "1",
            "sqlalchemy.max_overflow": "0",
            "sqlalchemy.pool_timeout": "1",
        }
    )
    log_in(testapp)
    app_engine = testapp.app.registry["dbsession_factory"].kw["bind"]
    with app_engine.connect():  # the pool's only connection
        page = testapp.get("/", status=503)
    assert_unavailable_page(page, "cannot be reached just now")
    testapp.get("/", status=200)

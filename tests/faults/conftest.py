"""Fixtures of the fault tests: apps that commit for real, on a database of their own."""

from collections.abc import Callable, Iterator

import pytest
import webtest
from sqlalchemy import select
from sqlalchemy.engine import Engine, make_url

from stalker_web import main
from stalker_web.db import get_engine
from stalker_web.models import Studio

from ..conftest import prepare_studio_database
from ..factories import Factory
from .tcp_proxy import TcpProxy

ADMIN_LOGIN = "boss"


@pytest.fixture
def postgresql_only(db_url) -> None:
    """Skip on SQLite: the fault needs PostgreSQL's locking and isolation levels."""
    if not db_url.startswith("postgresql"):
        pytest.skip("needs PostgreSQL")


@pytest.fixture
def make_committing_app(
    app_settings, fresh_database_url
) -> Iterator[Callable[..., tuple[webtest.TestApp, Engine]]]:
    """Build an app run as in production (pyramid_tm commits or vetoes, pyramid_retry retries)
    on a fresh studio database, with extra ini settings; returns (WebTest app, an engine of the
    test's own on the same database)."""
    prepare_studio_database(fresh_database_url, ADMIN_LOGIN, "Studio Admin")
    built = []

    def build(**extra_settings) -> tuple[webtest.TestApp, Engine]:
        app = main({}, **{**app_settings, "sqlalchemy.url": fresh_database_url, **extra_settings})
        engine = get_engine({"sqlalchemy.url": fresh_database_url})
        built.append((app, engine))
        return webtest.TestApp(app, extra_environ={"HTTP_HOST": "example.com"}), engine

    yield build
    for app, engine in built:
        app.registry["dbsession_factory"].kw["bind"].dispose()
        engine.dispose()


def log_in(testapp: webtest.TestApp, login: str = ADMIN_LOGIN) -> None:
    form = testapp.get("/login").forms["login-form"]
    form["login"] = login
    form["password"] = Factory.PASSWORD
    form.submit(status=303)


@pytest.fixture
def database_proxy(fresh_database_url) -> Iterator[tuple[TcpProxy, str]]:
    """A TCP proxy in front of the test's PostgreSQL server and the database URL through it."""
    url = make_url(fresh_database_url)
    proxy = TcpProxy((url.host or "127.0.0.1", url.port or 5432))
    yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    proxy.close()


def stored_studio_name(engine) -> str:
    """The studio's name as the database holds it, read on a connection of its own."""
    with engine.connect() as connection:
        return connection.scalar(select(Studio.name))


def submit_studio_name(testapp, name: str, status: int):
    """Send the studio settings form with a new name; the answer must have ``status``."""
    form = testapp.get("/studio").forms["studio-form"]
    form["name"] = name
    return form.submit(status=status)

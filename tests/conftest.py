"""Fixtures: a migrated database per run, a rolled-back transaction per test, a WebTest app.

The database is SQLite by default; give ``--db-url postgresql+psycopg://root@127.0.0.1/postgres``
(or STALKER_WEB_TEST_DB_URL) to run on PostgreSQL: a fresh database is created on that server for
the run and dropped afterwards.
"""

import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import transaction
import webtest
from pyramid.paster import get_appsettings
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.engine import make_url

from stalker_web import main
from stalker_web.config import load_studio_config
from stalker_web.db import get_engine, get_session_factory, get_tm_session
from stalker_web.migrations import upgrade
from stalker_web.models import Group
from stalker_web.services.accounts.users import create_user
from stalker_web.services.studio.initial_data import initialize_database

from .factories import Factory

# The live servers of the browser tests and of the client's end-to-end test.
pytest_plugins = ["tests.live", "tests.committing_queue"]

TESTING_INI = str(Path(__file__).resolve().parent.parent / "testing.ini")
DB_URL_ENV_VAR = "STALKER_WEB_TEST_DB_URL"


def pytest_addoption(parser):
    parser.addoption(
        "--db-url",
        default=os.environ.get(DB_URL_ENV_VAR, "sqlite"),
        help="'sqlite' (a temporary file) or a PostgreSQL server URL to create a test database on",
    )


def pytest_report_header(config):
    return f"database: {config.getoption('--db-url')}"


@contextmanager
def empty_database(db_option: str, directory: Path) -> Iterator[str]:
    """The URL of an empty database: a file in ``directory`` for SQLite, else a new database
    on the PostgreSQL server of ``db_option``, dropped on exit."""
    if db_option == "sqlite":
        yield f"sqlite:///{directory / 'test.sqlite'}"
        return
    with create_database(db_option) as url:
        yield url


@contextmanager
def copied_database(db_option: str, source_url: str, directory: Path) -> Iterator[str]:
    """The URL of a copy of the database at ``source_url`` (no one may be connected to it): a
    file copy in ``directory`` for SQLite, else a new PostgreSQL database made from it as a
    template, dropped on exit."""
    if db_option == "sqlite":
        target = directory / "test.sqlite"
        shutil.copyfile(make_url(source_url).database, target)
        yield f"sqlite:///{target}"
        return
    with create_database(db_option, template=make_url(source_url).database) as url:
        yield url


@pytest.fixture(scope="session")
def db_url(request, tmp_path_factory):
    """The URL of the database this run's tests share."""
    with empty_database(request.config.getoption("--db-url"), tmp_path_factory.mktemp("db")) as url:
        yield url


@pytest.fixture
def fresh_database_url(request, tmp_path):
    """An empty database of this test's own."""
    with empty_database(request.config.getoption("--db-url"), tmp_path) as url:
        yield url


def prepare_studio_database(url: str, admin_login: str, admin_name: str) -> None:
    """Migrate the database at ``url``, load the initial data and add an admin-group member
    who logs in with ``Factory.PASSWORD`` (for tests whose app commits for real)."""
    engine = get_engine({"sqlalchemy.url": url})
    with engine.begin() as connection:
        upgrade(connection)
    config = load_studio_config()
    with transaction.manager:
        dbsession = get_tm_session(get_session_factory(engine), transaction.manager)
        initialize_database(dbsession, config)
        admin_group = dbsession.scalars(
            select(Group).where(Group.name == config["accounts"]["admin_group"])
        ).one()
        create_user(
            dbsession,
            name=admin_name,
            login=admin_login,
            email=f"{admin_login}@example.com",
            password=Factory.PASSWORD,
            password_min_length=config["accounts"]["password_min_length"],
            groups=[admin_group],
        )
    engine.dispose()


class create_database:
    """Create a uniquely named database on the server of ``server_url`` (a copy of the database
    ``template`` when given); drop it on exit."""

    def __init__(self, server_url: str, template: str | None = None) -> None:
        self.server_url = make_url(server_url)
        self.name = f"stalker_web_test_{uuid.uuid4().hex[:12]}"
        self.template = template

    def _admin_engine(self):
        return create_engine(self.server_url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def __enter__(self) -> str:
        engine = self._admin_engine()
        with engine.connect() as connection:
            template = f' TEMPLATE "{self.template}"' if self.template else ""
            connection.execute(text(f'CREATE DATABASE "{self.name}"{template}'))
        engine.dispose()
        return self.server_url.set(database=self.name).render_as_string(hide_password=False)

    def __exit__(self, *exc_info) -> None:
        engine = self._admin_engine()
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture(scope="session")
def app_settings(db_url):
    settings = dict(get_appsettings(TESTING_INI))
    settings["sqlalchemy.url"] = db_url
    return settings


@pytest.fixture(scope="session")
def studio_config():
    return load_studio_config()


@pytest.fixture(scope="session")
def dbengine(app_settings, studio_config):
    """The engine of the test database, migrated to head and holding the initial data."""
    engine = get_engine(app_settings)
    with engine.begin() as connection:
        upgrade(connection)
    with transaction.manager:
        initialize_database(
            get_tm_session(get_session_factory(engine), transaction.manager), studio_config
        )
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def app(app_settings, dbengine):
    return main({}, **app_settings)


@pytest.fixture
def tm():
    """A transaction that can never commit: whatever a test writes is rolled back."""
    manager = transaction.TransactionManager(explicit=True)
    manager.begin()
    manager.doom()
    yield manager
    manager.abort()


@pytest.fixture
def dbsession(app, tm):
    return get_tm_session(app.registry["dbsession_factory"], tm)


@pytest.fixture
def testapp(app, tm, dbsession):
    """A WebTest app whose requests share the test's session and transaction."""
    return webtest.TestApp(
        app,
        extra_environ={
            "HTTP_HOST": "example.com",
            "REMOTE_ADDR": "192.0.2.10",
            "tm.active": True,
            "tm.manager": tm,
            "app.dbsession": dbsession,
        },
    )


@pytest.fixture
def factory(dbsession, studio_config):
    return Factory(dbsession, studio_config)


@pytest.fixture
def admin(factory):
    return factory.admin()


@pytest.fixture
def admin_app(testapp, admin):
    """``testapp`` logged in as a member of the admin group."""
    login(testapp, admin.login)
    return testapp


def login(testapp, login_name: str, password: str | None = None, status: int = 303):
    """Log in through the real login form."""
    page = testapp.get("/login")
    form = page.forms["login-form"]
    form["login"] = login_name
    form["password"] = password or Factory.PASSWORD
    return form.submit(status=status)


class QueryCounter:
    """Counts the SQL statements sent while it is active."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.statements: list[str] = []

    def _record(self, conn, cursor, statement, parameters, context, executemany) -> None:
        self.statements.append(statement)

    def __enter__(self) -> "QueryCounter":
        self.statements = []
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *exc_info) -> None:
        event.remove(self.engine, "before_cursor_execute", self._record)

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(dbsession):
    """``with count_queries() as counter: ...`` then ``counter.count`` (the app's engine)."""
    return lambda: QueryCounter(dbsession.get_bind())


@pytest.fixture
def queries_of(dbsession, count_queries):
    """``queries_of(app, url)``: how many SQL statements a GET of ``url`` sends. The test's
    session is expired first, so whatever the garbage collector happened to leave in the identity
    map (which holds objects weakly) cannot change the count."""

    def measure(app, url: str) -> int:
        dbsession.expire_all()
        with count_queries() as counter:
            app.get(url)
        return counter.count

    return measure


@pytest.fixture
def receiver():
    """A real webhook receiver on 127.0.0.1 for the test's length (tests/webhook_receiver.py)."""
    from .webhook_receiver import Receiver, serving

    receiver = Receiver()
    server = serving(receiver)
    yield receiver
    server.shutdown()
    server.server_close()

"""What the benchmarks share: fresh databases, the production-like app, timed WSGI calls.

A benchmark builds a throw-away database (``fresh_database``), fills it with the ``stalker-web``
commands (``run_command``), loads the app from a production-like ini file (``write_ini``,
``load_app``) and requests pages through WebTest over ``TimedApp``, which measures the wall time
of each WSGI call and counts the SQL statements it sent (``measure_page``).
"""

import contextlib
import json
import math
import os
import secrets
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import webtest
from pyramid.paster import get_app
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import OperationalError

from stalker_web import DATABASE_URL_ENV_VAR

DATABASES = ("sqlite", "postgresql")
DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/postgres"
WARMUP = 3
BENCH_HOST = "bench.example.com"
# The large studio's busiest department has about 550 working days of work per person, more
# than the default planning window of two years.
LARGE_STUDIO_HORIZON_DAYS = 1200
PKG_RESOURCES_WARNING_FILTER = "ignore:pkg_resources is deprecated:UserWarning"

# production.ini without its server and logging sections: no template reloading, no debug
# flags, secure cookies (the bench speaks HTTPS to the app), pre-pinged pooled connections.
PRODUCTION_LIKE_INI = """\
[app:main]
use = egg:stalker_web
pyramid.reload_templates = false
pyramid.debug_authorization = false
pyramid.debug_notfound = false
pyramid.debug_routematch = false
pyramid.default_locale_name = en
sqlalchemy.url = {url}
sqlalchemy.pool_pre_ping = true
session.secret = {secret}
stalker_web.studio_config = {studio_config}
session.secure = true
retry.attempts = 3
"""


class BenchFailure(Exception):
    """The benchmark cannot give trustworthy figures; the message says why."""


def ignore_database_url_override() -> None:
    """Forget STALKER_WEB_DATABASE_URL in this process: it would point the commands and the app
    at a real database instead of the benchmark's throw-away one."""
    if os.environ.pop(DATABASE_URL_ENV_VAR, None) is not None:
        print(f"note: {DATABASE_URL_ENV_VAR} is ignored; the benchmark uses its own databases")


@contextlib.contextmanager
def fresh_database(database: str, directory: Path, postgres_url: str) -> Iterator[str]:
    """The URL of a new, empty database: a SQLite file in ``directory``, or ``bench_<random>``
    created on the PostgreSQL server of ``postgres_url`` and dropped on exit, even on failure.
    STALKER_WEB_DATABASE_URL is dropped from the environment first, so nothing reaches a real
    database."""
    ignore_database_url_override()
    if database == "sqlite":
        yield f"sqlite:///{directory / 'bench.sqlite'}"
        return
    if database != "postgresql":
        raise BenchFailure(f"Unknown database {database!r}; use one of {', '.join(DATABASES)}.")
    server_url = make_url(postgres_url)
    name = f"bench_{secrets.token_hex(6)}"
    server = create_engine(server_url, isolation_level="AUTOCOMMIT")
    try:
        try:
            with server.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        except OperationalError as error:
            raise BenchFailure(
                f"Cannot create a database on PostgreSQL at {server_url!r}: {error.orig}"
            ) from error
        try:
            yield server_url.set(database=name).render_as_string(hide_password=False)
        finally:
            with server.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        server.dispose()


def write_ini(directory: Path, url: str) -> Path:
    """A production-like ini file for the database at ``url``, with a random session secret and
    a studio config whose planning window holds the large studio's work."""
    studio_config = directory / "bench-studio.toml"
    studio_config.write_text(
        f"[scheduling]\nhorizon_days = {LARGE_STUDIO_HORIZON_DAYS}\n", encoding="utf-8"
    )
    ini = directory / "bench.ini"
    ini.write_text(
        PRODUCTION_LIKE_INI.format(
            url=url.replace("%", "%%"),
            secret=secrets.token_urlsafe(32),
            studio_config=str(studio_config).replace("%", "%%"),
        ),
        encoding="utf-8",
    )
    return ini


@dataclass
class CommandRun:
    """One ``stalker-web`` command: its wall time in seconds and what it printed."""

    seconds: float
    output: str


def run_command(ini: Path, *arguments: str) -> CommandRun:
    """Run ``stalker-web <ini> <arguments>`` as an operator does, in a process of its own (so
    the benchmark's process holds no leftovers of it), timed from start to exit, start-up
    included; keep what it prints, raise when it fails. Its errors go to stderr."""
    command = Path(sys.executable).parent / "stalker-web"
    if not command.exists():
        raise BenchFailure(f"{command} is missing: install the package (make install-test).")
    # Pyramid 2 imports pkg_resources; pyproject.toml silences the same warning for the tests.
    warning_filters = [os.environ.get("PYTHONWARNINGS"), PKG_RESOURCES_WARNING_FILTER]
    environment = {**os.environ, "PYTHONWARNINGS": ",".join(filter(None, warning_filters))}
    started = time.perf_counter()
    finished = subprocess.run(  # noqa: S603 - our own command and arguments, no shell
        [str(command), str(ini), *arguments],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
        env=environment,
    )
    seconds = time.perf_counter() - started
    if finished.returncode != 0:
        raise BenchFailure(
            f"stalker-web {' '.join(arguments)} exited {finished.returncode} "
            "(its error is printed above)."
        )
    return CommandRun(seconds=seconds, output=finished.stdout)


def load_app(ini: Path):
    """The WSGI app of ``ini``, loaded the way pserve loads it."""
    return get_app(str(ini), "main")


def app_engine(app) -> Engine:
    """The engine behind the app's request sessions."""
    return app.registry["dbsession_factory"].kw["bind"]


@dataclass
class Call:
    """One WSGI call: its wall time in seconds and the SQL statements it sent."""

    seconds: float
    statements: int


class TimedApp:
    """WSGI middleware recording, for each call of ``app``, the wall time until its body is read
    and closed, and the number of SQL statements sent on ``engine`` meanwhile (a
    ``before_cursor_execute`` listener, removed by ``close``). Use it as a context manager."""

    def __init__(self, app, engine: Engine) -> None:
        self.app = app
        self.engine = engine
        self.statements = 0
        self.last_call: Call | None = None
        event.listen(engine, "before_cursor_execute", self._count_statement)

    def _count_statement(self, conn, cursor, statement, parameters, context, executemany):
        self.statements += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count_statement)

    def __enter__(self) -> "TimedApp":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def __call__(self, environ, start_response):
        statements_before = self.statements
        started = time.perf_counter()
        result = self.app(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        self.last_call = Call(time.perf_counter() - started, self.statements - statements_before)
        return [body]


def bench_client(timed_app: TimedApp, extra_environ: dict | None = None) -> webtest.TestApp:
    """A WebTest client of ``timed_app``; by default it speaks HTTPS (the session cookie is
    Secure) to a host name of its own."""
    environ = {"HTTP_HOST": BENCH_HOST, "wsgi.url_scheme": "https", "REMOTE_ADDR": "192.0.2.1"}
    return webtest.TestApp(timed_app, extra_environ={**environ, **(extra_environ or {})})


def log_in(client: webtest.TestApp, login: str, password: str) -> None:
    """Log in through the real login form; when the app asks for a new password first (the
    initial admin), choose a random one through the real password form."""
    form = client.get("/login").forms["login-form"]
    form["login"], form["password"] = login, password
    response = form.submit(status="*")
    if response.status_int != 303:
        raise BenchFailure(f"Logging in as {login!r} answered {response.status} instead of 303.")
    if urlsplit(response.location).path == "/profile/password":
        form = response.follow().forms["password-form"]
        new_password = secrets.token_urlsafe(16)
        form["current_password"] = password
        form["new_password"] = form["new_password_confirmation"] = new_password
        response = form.submit(status="*")
        if response.status_int != 303:
            raise BenchFailure(
                f"Choosing a new password for {login!r} answered {response.status}, not 303."
            )


@dataclass
class PageFigures:
    """What ``measure_page`` saw of one URL: each measured request's status, wall time (s)
    and SQL statement count; ``warmup_status`` is the first non-200 warm-up answer, if any."""

    url: str
    statuses: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    warmup_status: int | None = None

    @property
    def status(self) -> int:
        """200 when every request answered 200, else the first other status."""
        if self.warmup_status is not None:
            return self.warmup_status
        return next((status for status in self.statuses if status != 200), 200)

    @property
    def ok(self) -> bool:
        return self.status == 200 and bool(self.statuses)

    @property
    def median_ms(self) -> float:
        return 1000 * statistics.median(self.seconds)

    @property
    def p95_ms(self) -> float:
        return 1000 * percentile(self.seconds, 0.95)

    @property
    def queries_constant(self) -> bool:
        """True when every measured request sent the same number of statements."""
        return len(set(self.queries)) == 1

    def summary(self) -> dict:
        """The figures as plain values (for JSON); timings are None for a failed page."""
        figures = asdict(self)
        figures["status"] = self.status
        if self.ok:
            figures["median_ms"] = round(self.median_ms, 3)
            figures["p95_ms"] = round(self.p95_ms, 3)
            figures["queries_constant"] = self.queries_constant
        else:
            figures["median_ms"] = figures["p95_ms"] = figures["queries_constant"] = None
        return figures


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile: the smallest value with ``fraction`` of the values at or
    below it."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure_page(
    client: webtest.TestApp, url: str, *, repeat: int, warmup: int = WARMUP
) -> PageFigures:
    """GET ``url`` ``warmup`` times untimed, then ``repeat`` times measured. ``client`` must be a
    ``bench_client``. A warm-up answer other than 200 stops there: an error page is not timed."""
    timed_app = client.app
    if not isinstance(timed_app, TimedApp):
        raise TypeError("measure_page needs a client made by bench_client")
    figures = PageFigures(url=url)
    for _ in range(warmup):
        status = client.get(url, status="*").status_int
        if status != 200:
            figures.warmup_status = status
            return figures
    for _ in range(repeat):
        figures.statuses.append(client.get(url, status="*").status_int)
        figures.seconds.append(timed_app.last_call.seconds)
        figures.queries.append(timed_app.last_call.statements)
    return figures


def format_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], left_columns: int = 1
) -> str:
    """A plain-text table: the first ``left_columns`` left-aligned, the others right-aligned."""
    widths = [max(len(row[index]) for row in [headers, *rows]) for index in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        padded = [
            cell.ljust(width) if index < left_columns else cell.rjust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(padded).rstrip()

    return "\n".join([line(headers), line(["-" * width for width in widths]), *map(line, rows)])


def write_json(path: Path, payload: dict) -> None:
    """Write ``payload`` as indented JSON to ``path``."""
    path.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")

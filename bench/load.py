"""Closed-loop load on a real server: requests per second, latency per page, server CPU and memory.

    .venv/bin/python -m bench.load [--server gunicorn|waitress] [--processes N ...] [--users N]
                                   [--duration S] [--think S] [--size small|large]
                                   [--db postgresql|sqlite] [--json PATH]

A fresh database filled like ``bench.pages`` does (``init``, then ``load-demo`` or
``generate-large-studio``); the app served by real server processes from an ini written like
``production.ini`` (gunicorn with ``gunicorn.conf.py``, or N waitress processes a user each sticks
to, as behind a proxy), on loopback only. ``--users`` people sign in at once through the real
login form (its CSRF token, then the POST), each from an address of their own, then each loops
over the issue's mix (a task page, a sequence's rows in the task tree, the project overview, My
tasks) with a random think time, for a warm-up and then ``--duration`` measured seconds; with
several ``--processes`` counts, each in turn on the same data. Reports requests per second,
median and p95 per page, errors, and the server processes' CPU seconds and peak memory (read
from /proc). Exits 1 when a request failed or the run could not be set up.
"""

import argparse
import configparser
import gzip
import http.client
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

from sqlalchemy import create_engine, exists, func, select
from sqlalchemy.orm import Session

from stalker_web.models import Task, User
from stalker_web.models.task import task_resources
from stalker_web.services.studio.seed import DEMO_PASSWORD

from .common import (
    DATABASES,
    DEFAULT_POSTGRES_URL,
    BenchFailure,
    format_table,
    fresh_database,
    percentile,
    run_command,
    write_ini,
    write_json,
)
from .pages import DATA_COMMANDS, SIZES, _analyze, pick_targets

REPOSITORY = Path(__file__).resolve().parent.parent
SERVERS = ("gunicorn", "waitress")
HOST = "127.0.0.1"
BENCH_HOST_HEADER = "stalker.bench.example"
# The mix of the issue, with the share of requests each page gets.
MIX = (("task-page", 4), ("tree-sequence", 2), ("overview", 2), ("my-tasks", 2))
SAMPLED_TASKS = 500
SAMPLED_SEQUENCES = 100
REQUEST_TIMEOUT_SECONDS = 120
SERVER_START_SECONDS = 120
SAMPLE_EVERY_SECONDS = 0.2
# The arguments a run's figures are reported with (and its number of processes).
RUN_SETTINGS = ("server", "users", "duration", "warmup", "think", "size", "db")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE_KB = os.sysconf("SC_PAGE_SIZE") // 1024
_HIDDEN_INPUT = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


@dataclass(frozen=True)
class Mix:
    """What the users request: the project, a sample of its leaf tasks and of its sequences with
    shots, and the people (members with tasks in it) who sign in."""

    project_id: int
    task_ids: list[int]
    sequence_ids: list[int]
    logins: list[str]

    def url(self, page: str, rng: random.Random) -> str:
        if page == "task-page":
            return f"/tasks/{rng.choice(self.task_ids)}"
        if page == "tree-sequence":
            return f"/tasks/{rng.choice(self.sequence_ids)}/children"
        if page == "overview":
            return f"/projects/{self.project_id}"
        return "/my/tasks"


def pick_mix(dbsession: Session, users: int) -> Mix:
    """The project, tasks and sequences of ``bench.pages`` (its P, T and S, and more like them
    for variety), and up to ``users`` people with tasks in that project, the busiest first."""
    targets = pick_targets(dbsession)
    tasks = Task.__table__
    child = tasks.alias("child")
    in_project = tasks.c.project_id == targets.project_id
    task_ids = dbsession.scalars(
        select(tasks.c.id)
        .where(in_project, tasks.c.entity_type == "Task")
        .where(~exists().where(child.c.parent_id == tasks.c.id))
        .order_by(tasks.c.id)
        .limit(SAMPLED_TASKS)
    ).all()
    sequence_ids = dbsession.scalars(
        select(tasks.c.id)
        .where(in_project, tasks.c.entity_type == "Sequence")
        .where(exists().where(child.c.parent_id == tasks.c.id))
        .order_by(tasks.c.id)
        .limit(SAMPLED_SEQUENCES)
    ).all()
    logins = dbsession.scalars(
        select(User.login)
        .join(task_resources, task_resources.c.user_id == User.id)
        .join(tasks, tasks.c.id == task_resources.c.task_id)
        .where(in_project)
        .group_by(User.id, User.login)
        .order_by(func.count().desc(), User.id)
        .limit(users)
    ).all()
    if not logins:
        raise BenchFailure("Nobody has tasks in the largest project.")
    return Mix(
        targets.project_id,
        [targets.task_id, *task_ids],
        [targets.sequence_id, *sequence_ids],
        list(logins),
    )


class Browser:
    """One person's keep-alive connection to one server, with its cookies; it speaks to the app
    as the proxy of docs/deploying.md would (HTTPS, the person's own address)."""

    def __init__(self, port: int, address: str) -> None:
        self.port = port
        self.address = address
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, url: str, body: str | None = None) -> tuple[int, dict, bytes]:
        headers = {
            "Host": BENCH_HOST_HEADER,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": BENCH_HOST_HEADER,
            "X-Forwarded-For": self.address,
            "Accept-Encoding": "gzip",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{key}={value}" for key, value in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{BENCH_HOST_HEADER}"  # as a browser's form sends it
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    HOST, self.port, timeout=REQUEST_TIMEOUT_SECONDS
                )
            try:
                self.connection.request(method, url, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: open a new one, once.
                self.close()
                if attempt == 2:
                    raise
                continue
            self._keep_cookies(response.msg.get_all("Set-Cookie") or [])
            if response.getheader("Content-Encoding") == "gzip":
                content = gzip.decompress(content)  # as a browser does
            return response.status, dict(response.getheaders()), content
        raise AssertionError("unreachable")

    def _keep_cookies(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] not in ("0", 0):
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)

    def log_in(self, login: str, password: str) -> None:
        """Sign in through the real form: GET it (its CSRF token), POST it, expect 303."""
        status, _headers, page = self.request("GET", "/login")
        form = page.decode("utf-8").partition('id="login-form"')[2].partition("</form>")[0]
        if status != 200 or not form:
            raise BenchFailure(f"GET /login answered {status} without the login form.")
        fields = dict(_HIDDEN_INPUT.findall(form))
        fields.update(login=login, password=password)
        status, headers, _page = self.request("POST", "/login", urlencode(fields))
        location = urlsplit(headers.get("Location", "")).path
        if status != 303 or location in ("/login", "/profile/password"):
            raise BenchFailure(f"Logging in as {login!r} answered {status} (to {location!r}).")

    def close(self) -> None:
        if self.connection is not None:
            self.connection.close()
            self.connection = None


@dataclass
class Sample:
    page: str
    status: int
    seconds: float
    started: float


@dataclass
class Results:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, sample: Sample) -> None:
        with self.lock:
            self.samples.append(sample)

    def fail(self, message: str) -> None:
        with self.lock:
            self.failures.append(message)


def run_user(
    browser: Browser, mix: Mix, think: float, until: float, seed: int, results: Results
) -> None:
    """Request pages of the mix until ``until`` (time.monotonic), thinking between them."""
    rng = random.Random(seed)  # noqa: S311 - who asks for what, not a secret
    pages = [page for page, share in MIX for _ in range(share)]
    while time.monotonic() < until:
        page = rng.choice(pages)
        url = mix.url(page, rng)
        started = time.monotonic()
        try:
            status, _headers, _body = browser.request("GET", url)
        except (OSError, http.client.HTTPException) as error:
            results.fail(f"GET {url}: {type(error).__name__}: {error}")
            status = 0
        else:
            if status != 200:
                results.fail(f"GET {url}: {status}")
        results.add(Sample(page, status, time.monotonic() - started, started))
        if think > 0:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))


class ProcessWatch:
    """CPU seconds and memory of a set of server processes and their descendants, from /proc,
    sampled in a thread of its own while it runs."""

    def __init__(self, root_pids: list[int]) -> None:
        self.root_pids = root_pids
        self.peak_rss_kb = 0
        self.peak_process_kb = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def pids(self) -> list[int]:
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                stat = _read_stat(int(entry))
                if stat is not None:
                    parents[int(entry)] = int(stat[1])
        found = [pid for pid in self.root_pids if pid in parents]
        for pid in found:
            found.extend(child for child, parent in parents.items() if parent == pid)
        return found

    def cpu_seconds(self) -> float:
        """User and system CPU of the processes, and of their children that have ended."""
        ticks = 0
        for pid in self.pids():
            stat = _read_stat(pid)
            if stat is not None:
                ticks += sum(int(value) for value in stat[11:15])
        return ticks / CLOCK_TICKS

    def rss_kb(self) -> int:
        total = 0
        for pid in self.pids():
            try:
                pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
            except (OSError, IndexError):
                continue
            total += pages * PAGE_SIZE_KB
            self.peak_process_kb = max(self.peak_process_kb, pages * PAGE_SIZE_KB)
        return total

    def reset_peak(self) -> None:
        self.peak_rss_kb = self.peak_process_kb = 0

    def _sample(self) -> None:
        while not self._stop.wait(SAMPLE_EVERY_SECONDS):
            self.peak_rss_kb = max(self.peak_rss_kb, self.rss_kb())

    def __enter__(self) -> "ProcessWatch":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()


def _read_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (state, ppid, ...), None if gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text.rpartition(")")[2].split()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def write_server_ini(ini: Path) -> None:
    """Add production.ini's waitress section (on a port given when started), the address users
    reach the app at and the trust of the local proxy to the benchmark's ini file."""
    production = configparser.ConfigParser(interpolation=None)
    production.read(REPOSITORY / "production.ini")
    server = dict(production["server:main"])
    server["listen"] = f"{HOST}:%(http_port)s"
    lines = [
        f"app.base_url = https://{BENCH_HOST_HEADER}",
        "app.trusted_proxies = 127.0.0.1",
        "",
        "[server:main]",
    ]
    lines += [f"{key} = {value}" for key, value in server.items()]
    with ini.open("a", encoding="utf-8") as file:
        file.write("\n".join(lines) + "\n")


def start_servers(ini: Path, server: str, processes: int) -> tuple[list[subprocess.Popen], list]:
    """Start the server processes in process groups of their own, their output going to
    ``server.log`` beside ``ini``; their ports."""
    bin_folder = Path(sys.executable).parent
    environment = {**os.environ, "PYTHONWARNINGS": "ignore:pkg_resources is deprecated"}
    started, ports = [], []
    if server == "gunicorn":
        port = free_port()
        command = [
            str(bin_folder / "gunicorn"),
            "--paste",
            str(ini),
            "--config",
            str(REPOSITORY / "gunicorn.conf.py"),
            "--workers",
            str(processes),
            "--bind",
            f"{HOST}:{port}",
        ]
        commands, ports = [command], [port]
    else:
        ports = [free_port() for _ in range(processes)]
        commands = [[str(bin_folder / "pserve"), str(ini), f"http_port={port}"] for port in ports]
    with server_log(ini).open("a", encoding="utf-8") as log:
        for command in commands:
            started.append(
                subprocess.Popen(  # noqa: S603 - our own commands
                    command, env=environment, start_new_session=True, stdout=log, stderr=log
                )
            )
    return started, ports


def server_log(ini: Path) -> Path:
    return ini.with_name("server.log")


def last_lines(path: Path, count: int = 30) -> str:
    """The end of a server's output, for an error message."""
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-count:])
    except OSError:
        return ""


def wait_until_serving(ini: Path, ports: list[int], servers: list[subprocess.Popen]) -> None:
    deadline = time.monotonic() + SERVER_START_SECONDS
    for port in ports:
        while True:
            if any(process.poll() is not None for process in servers):
                raise BenchFailure(
                    f"A server process exited while starting:\n{last_lines(server_log(ini))}"
                )
            try:
                status = Browser(port, "192.0.2.1").request("GET", "/login")[0]
            except OSError:
                status = None
            if status == 200:
                break
            if time.monotonic() > deadline:
                raise BenchFailure(
                    f"No server answered on port {port} within {SERVER_START_SECONDS} s:\n"
                    + last_lines(server_log(ini))
                )
            time.sleep(0.2)


def stop_servers(servers: list[subprocess.Popen]) -> None:
    """Stop each server's process group (ours: started with a session of its own)."""
    for process in servers:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in servers:
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclass
class LoadRun:
    """What one run measured (see ``format_report``)."""

    settings: dict
    login_seconds: float = 0.0
    login_peak_rss_mb: float = 0.0
    seconds: float = 0.0
    requests: int = 0
    pages: dict[str, dict] = field(default_factory=dict)
    errors: int = 0
    failures: list[str] = field(default_factory=list)
    server_cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    peak_process_rss_mb: float = 0.0
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def summary(self) -> dict:
        """The figures as plain values (for JSON)."""
        return {
            "settings": self.settings,
            "login_seconds": round(self.login_seconds, 3),
            "login_peak_rss_mb": round(self.login_peak_rss_mb, 1),
            "seconds": self.seconds,
            "requests": self.requests,
            "requests_per_second": round(self.requests_per_second, 2),
            "pages": self.pages,
            "errors": self.errors,
            "failures": self.failures,
            "server_cpu_seconds": round(self.server_cpu_seconds, 2),
            "peak_rss_mb": round(self.peak_rss_mb, 1),
            "peak_process_rss_mb": round(self.peak_process_rss_mb, 1),
            "load_average": self.load_average,
        }


def summarize(samples: list[Sample]) -> dict[str, dict]:
    by_page = defaultdict(list)
    for sample in samples:
        by_page[sample.page].append(sample)
    summary = {}
    for page, _share in MIX:
        page_samples = by_page.get(page, [])
        seconds = [sample.seconds for sample in page_samples]
        summary[page] = {
            "requests": len(page_samples),
            "errors": sum(1 for sample in page_samples if sample.status != 200),
            "median_ms": round(1000 * statistics.median(seconds), 1) if seconds else None,
            "p95_ms": round(1000 * percentile(seconds, 0.95), 1) if seconds else None,
            "max_ms": round(1000 * max(seconds), 1) if seconds else None,
        }
    return summary


def measure_load(run: LoadRun, ports: list[int], watch: ProcessWatch, mix: Mix, args) -> None:
    """Sign everybody in at once, warm up, then measure ``args.duration`` seconds of the mix."""
    browsers = [
        Browser(ports[index % len(ports)], f"198.51.100.{index % 250 + 1}")
        for index in range(args.users)
    ]
    logins = [mix.logins[index % len(mix.logins)] for index in range(args.users)]
    watch.reset_peak()
    started = time.monotonic()
    errors: list[BaseException] = []

    def log_in(browser: Browser, login: str) -> None:
        try:
            browser.log_in(login, DEMO_PASSWORD)
        except (BenchFailure, OSError, http.client.HTTPException) as error:
            errors.append(error)

    threads = [
        threading.Thread(target=log_in, args=pair) for pair in zip(browsers, logins, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise BenchFailure(f"{len(errors)} people could not sign in; the first: {errors[0]}")
    run.login_seconds = time.monotonic() - started
    run.login_peak_rss_mb = max(watch.peak_rss_kb, watch.rss_kb()) / 1024

    results = Results()
    measured_from = time.monotonic() + args.warmup
    until = measured_from + args.duration
    threads = [
        threading.Thread(
            target=run_user, args=(browser, mix, args.think, until, args.seed + index, results)
        )
        for index, browser in enumerate(browsers)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, measured_from - time.monotonic()))
    cpu_before = watch.cpu_seconds()
    watch.reset_peak()
    for thread in threads:
        thread.join()
    run.server_cpu_seconds = watch.cpu_seconds() - cpu_before
    run.peak_rss_mb = max(watch.peak_rss_kb, watch.rss_kb()) / 1024
    run.peak_process_rss_mb = watch.peak_process_kb / 1024
    run.load_average = os.getloadavg()
    for browser in browsers:
        browser.close()

    measured = [
        sample
        for sample in results.samples
        if sample.started >= measured_from and sample.started + sample.seconds <= until
    ]
    run.seconds = args.duration
    run.requests = len(measured)
    run.pages = summarize(measured)
    # A failed request counts wherever it happened, warm-up included.
    run.errors = sum(1 for sample in results.samples if sample.status != 200)
    run.failures = results.failures[:10]


def run_load(args) -> list[LoadRun]:
    """Set up a fresh studio, then serve it and measure with each of ``args.processes`` in
    turn, one after the other on the same data; the database is dropped and the servers
    stopped whatever happens."""
    runs = []
    with (
        tempfile.TemporaryDirectory(prefix="stalker_web_load_") as directory,
        fresh_database(args.db, Path(directory), args.postgresql_url) as url,
    ):
        ini = write_ini(Path(directory), url)
        write_server_ini(ini)
        run_command(ini, "init")
        filled = run_command(ini, *DATA_COMMANDS[args.size])
        print(f"  {' '.join(DATA_COMMANDS[args.size])}: {filled.seconds:.1f} s", flush=True)
        engine = create_engine(url)
        try:
            _analyze(engine)
            with Session(engine) as dbsession:
                mix = pick_mix(dbsession, args.users)
        finally:
            engine.dispose()
        for processes in args.processes:
            settings = {key: getattr(args, key) for key in RUN_SETTINGS}
            run = LoadRun(settings={**settings, "processes": processes})
            servers, ports = start_servers(ini, args.server, processes)
            try:
                wait_until_serving(ini, ports, servers)
                with ProcessWatch([process.pid for process in servers]) as watch:
                    measure_load(run, ports, watch, mix, args)
            finally:
                stop_servers(servers)
            print(format_report(run), flush=True)
            runs.append(run)
    return runs


def format_report(run: LoadRun) -> str:
    settings = run.settings
    rows = [
        [
            page,
            str(figures["requests"]),
            str(figures["errors"]),
            "-" if figures["median_ms"] is None else f"{figures['median_ms']:.1f}",
            "-" if figures["p95_ms"] is None else f"{figures['p95_ms']:.1f}",
            "-" if figures["max_ms"] is None else f"{figures['max_ms']:.1f}",
        ]
        for page, figures in run.pages.items()
    ]
    table = format_table(["page", "requests", "errors", "median ms", "p95 ms", "max ms"], rows)
    cpu_per_request = 1000 * run.server_cpu_seconds / run.requests if run.requests else 0
    return "\n".join(
        [
            f"{settings['server']} x {settings['processes']}, {settings['users']} users, "
            f"think {settings['think']} s, {settings['db']}/{settings['size']}",
            f"sign-in of {settings['users']} people at once: {run.login_seconds:.1f} s, "
            f"server memory peak {run.login_peak_rss_mb:.0f} MB",
            table,
            f"{run.requests_per_second:.1f} requests/s over {run.seconds:.0f} s; "
            f"errors: {run.errors}",
            f"server CPU: {run.server_cpu_seconds:.1f} s ({cpu_per_request:.1f} ms a request); "
            f"memory peak: {run.peak_rss_mb:.0f} MB in all, {run.peak_process_rss_mb:.0f} MB "
            "in one process",
            "load average at the end: " + " / ".join(f"{value:.2f}" for value in run.load_average),
        ]
    )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--server", choices=SERVERS, default="gunicorn", help="default: gunicorn")
    parser.add_argument(
        "--processes",
        type=int,
        nargs="+",
        default=[1],
        metavar="N",
        help="server processes (gunicorn workers); several counts are measured in turn on the "
        "same data (default 1)",
    )
    parser.add_argument("--users", type=int, default=20, help="people at once (default 20)")
    parser.add_argument("--duration", type=float, default=60, help="measured seconds (default 60)")
    parser.add_argument(
        "--warmup", type=float, default=10, help="seconds of load before measuring (default 10)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.5,
        help="mean seconds between a person's requests, from half to 1.5 times it (default 0.5)",
    )
    parser.add_argument("--size", choices=SIZES, default="large", help="data set; default large")
    parser.add_argument("--db", choices=DATABASES, default="postgresql", help="default postgresql")
    parser.add_argument(
        "--postgresql-url",
        default=DEFAULT_POSTGRES_URL,
        help=f"server to create the database on (default {DEFAULT_POSTGRES_URL})",
    )
    parser.add_argument("--seed", type=int, default=16, help="of the random choices (default 16)")
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    arguments = parser.parse_args(argv)
    if min(arguments.processes) < 1 or arguments.users < 1 or arguments.duration <= 0:
        parser.error("--processes and --users must be at least 1, --duration above 0")
    if arguments.warmup < 0 or arguments.think < 0:
        parser.error("--warmup and --think cannot be negative")
    return arguments


def main(argv: list[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    # A terminated run unwinds like Ctrl-C: the servers are stopped, the database dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    print(f"== {arguments.server}, {arguments.db}/{arguments.size} ==", flush=True)
    try:
        runs = run_load(arguments)
    except BenchFailure as failure:
        print(f"error: {failure}", file=sys.stderr)
        return 1
    except Exception:
        traceback.print_exc()
        return 1
    if arguments.json:
        write_json(arguments.json, {"benchmark": "load", "runs": [run.summary() for run in runs]})
        print(f"figures written to {arguments.json}")
    failed = [run for run in runs if run.errors or not run.requests]
    for run in failed:
        print(
            f"FAILED with {run.settings['processes']} processes: {run.errors} requests failed; "
            f"the first: {run.failures[:1]}",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

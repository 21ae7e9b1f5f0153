"""Server time and SQL statements of the main pages, on the demo and the large studio.

    .venv/bin/python -m bench.pages [--db sqlite|postgresql|both] [--size small|large|both]
                                    [--repeat N] [--json PATH]

For each database and data set: a fresh database, ``stalker-web init`` and ``load-demo`` (small)
or ``generate-large-studio`` (large, timed), then ``stalker-web schedule`` with the real tj3 (so
the health, board and workload pages show computed dates; ``--no-schedule`` skips it), the app
loaded from a production-like ini file, the initial admin logged in through the real forms, then
each page requested a few times to warm up and ``--repeat`` times measured. Exits 1 when a page
does not answer 200 (its figures would be those of an error page) or a run cannot be set up.
"""

import argparse
import platform
import signal
import sys
import tempfile
import time
import traceback
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy
from sqlalchemy import exists, func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from stalker_web.cli import INITIAL_ADMIN_LOGIN, INITIAL_ADMIN_PASSWORD
from stalker_web.models import (
    DailyVersion,
    DepartmentUser,
    Project,
    ProjectUser,
    Role,
    Task,
    TaskDependency,
    User,
)
from stalker_web.models.task import task_computed_resources, task_resources
from stalker_web.services.accounts.api_tokens import create_token
from stalker_web.services.studio.seed import DEMO_PASSWORD

from .common import (
    DATABASES,
    DEFAULT_POSTGRES_URL,
    WARMUP,
    BenchFailure,
    PageFigures,
    TimedApp,
    app_engine,
    bench_client,
    format_table,
    fresh_database,
    load_app,
    log_in,
    measure_page,
    run_command,
    write_ini,
    write_json,
)

SIZES = ("small", "large")
# The command filling an initialised database with each data set.
DATA_COMMANDS = {"small": ("load-demo",), "large": ("generate-large-studio",)}
DATABASE_LABELS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
SIZE_LABELS = {"small": "small (demo studio)", "large": "large (benchmark studio)"}


@dataclass(frozen=True)
class Targets:
    """What the pages show: P, the project with the most tasks; S, its sequence with the most
    shots; T, its leaf task with dependencies and resources that has the most dependency links
    (both ways); D, the department with the most members; Y, the daily with the most
    versions."""

    project_id: int
    sequence_id: int
    task_id: int
    department_id: int
    daily_id: int
    description: str
    # The login the home page is measured as, per role (see ``pick_people``).
    logins: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    name: str
    url_format: str
    # Who requests it: the initial admin, or the studio's producer, lead or artist (``Targets``).
    role: str = "admin"

    def url(self, targets: Targets) -> str:
        return self.url_format.format(
            project=targets.project_id,
            sequence=targets.sequence_id,
            task=targets.task_id,
            department=targets.department_id,
            daily=targets.daily_id,
        )


PAGES = (
    Page("overview", "/projects/{project}"),
    Page("tree-root", "/projects/{project}/tasks"),
    Page("tree-sequence", "/tasks/{sequence}/children"),
    Page("task-page", "/tasks/{task}"),
    Page("board", "/projects/{project}/board"),
    Page("workload-department", "/departments/{department}/workload?weeks=12"),
    Page("critical-path", "/projects/{project}/critical-path"),
    Page("home-admin", "/"),
    Page("home-producer", "/", role="producer"),
    Page("home-lead", "/", role="lead"),
    Page("home-artist", "/", role="artist"),
    Page("tickets", "/projects/{project}/tickets"),
    Page("feed", "/projects/{project}/activity"),
    Page("inbox-artist", "/inbox", role="artist"),
    Page("daily", "/dailies/{daily}"),
    # Issue 16: the project's Gantt chart (its first level), the whole project as one image
    # (2,000 rows, the most the image draws), and the artist's and the lead's daily pages.
    Page("gantt", "/projects/{project}/gantt"),
    Page("gantt-svg", "/projects/{project}/gantt?format=svg"),
    Page("my-tasks", "/my/tasks", role="artist"),
    Page("timesheet", "/my/timesheet", role="artist"),
    Page("review-inbox", "/reviews", role="lead"),
    # The API (issue 15): one page of 1,000 tasks, as a pipeline tool reads them.
    Page("api-tasks", "/api/v1/tasks?limit=1000", role="api"),
)
# The role of the pages requested with an API token (of the initial admin) instead of a session.
API_ROLE = "api"


def pick_targets(dbsession: Session) -> Targets:
    """Find P, S and T (see ``Targets``); raise BenchFailure when the studio lacks one."""
    tasks = Task.__table__
    project_id = dbsession.scalar(
        select(tasks.c.project_id)
        .group_by(tasks.c.project_id)
        .order_by(func.count().desc(), tasks.c.project_id)
        .limit(1)
    )
    if project_id is None:
        raise BenchFailure("The studio has no task to show.")
    child = tasks.alias("child")
    sequence_id = dbsession.scalar(
        select(tasks.c.id)
        .join(child, child.c.parent_id == tasks.c.id)
        .where(
            tasks.c.project_id == project_id,
            tasks.c.entity_type == "Sequence",
            child.c.entity_type == "Shot",
        )
        .group_by(tasks.c.id)
        .order_by(func.count().desc(), tasks.c.id)
        .limit(1)
    )
    waits_for = (
        select(func.count())
        .where(TaskDependency.task_id == tasks.c.id)
        .correlate(tasks)
        .scalar_subquery()
    )
    waited_for_by = (
        select(func.count())
        .where(TaskDependency.depends_on_id == tasks.c.id)
        .correlate(tasks)
        .scalar_subquery()
    )
    task_id = dbsession.scalar(
        select(tasks.c.id)
        .where(
            tasks.c.project_id == project_id,
            tasks.c.entity_type == "Task",
            ~exists().where(child.c.parent_id == tasks.c.id),
            exists().where(task_resources.c.task_id == tasks.c.id),
            waits_for > 0,
        )
        .order_by((waits_for + waited_for_by).desc(), tasks.c.id)
        .limit(1)
    )
    department_id = dbsession.scalar(
        select(DepartmentUser.department_id)
        .group_by(DepartmentUser.department_id)
        .order_by(func.count().desc(), DepartmentUser.department_id)
        .limit(1)
    )
    daily_id = dbsession.scalar(
        select(DailyVersion.daily_id)
        .group_by(DailyVersion.daily_id)
        .order_by(func.count().desc(), DailyVersion.daily_id)
        .limit(1)
    )
    if sequence_id is None or task_id is None or department_id is None or daily_id is None:
        raise BenchFailure(
            "The largest project needs a sequence with shots and a leaf task with dependencies "
            "and resources, and the studio a department with members and a daily with versions."
        )
    members = dbsession.scalar(
        select(func.count()).where(DepartmentUser.department_id == department_id)
    )
    versions = dbsession.scalar(select(func.count()).where(DailyVersion.daily_id == daily_id))
    logins = pick_people(dbsession, department_id)
    project = dbsession.get(Project, project_id)
    sequence = dbsession.get(Task, sequence_id)
    task = dbsession.get(Task, task_id)
    description = (
        f"P = project {project.code} (#{project.id}), S = sequence {sequence.code} "
        f"(#{sequence.id}, children: {len(sequence.children)}), T = task {task.name!r} of "
        f"{task.parent.name!r} (#{task.id}, waits for: {len(task.task_depends_on)}, "
        f"waited for by: {len(task.task_dependent_of)}, resources: {len(task.resources)}), "
        f"D = department #{department_id} ({members} members), Y = daily #{daily_id} "
        f"({versions} versions); home pages and inbox as "
        + ", ".join(f"{role} {login}" for role, login in logins.items())
    )
    return Targets(project_id, sequence_id, task_id, department_id, daily_id, description, logins)


def pick_people(dbsession: Session, department_id: int) -> dict[str, str]:
    """Whom the home pages are measured as: the producer, a member managing the most projects
    without leading a department; the lead of D; the artist, the user scheduled on the most
    tasks who leads no department. Raises BenchFailure when the studio lacks one."""
    leads = select(DepartmentUser.user_id).join(Role).where(Role.manages_department.is_(True))
    producer = dbsession.scalar(
        select(User.login)
        .join(ProjectUser, ProjectUser.user_id == User.id)
        .join(Role, Role.id == ProjectUser.role_id)
        .where(Role.manages_project.is_(True), User.id.not_in(leads))
        .group_by(User.id, User.login)
        .order_by(func.count().desc(), User.id)
        .limit(1)
    )
    lead = dbsession.scalar(
        select(User.login)
        .join(DepartmentUser, DepartmentUser.user_id == User.id)
        .join(Role, Role.id == DepartmentUser.role_id)
        .where(DepartmentUser.department_id == department_id, Role.manages_department.is_(True))
        .order_by(User.id)
        .limit(1)
    )
    artist = dbsession.scalar(
        select(User.login)
        .join(task_computed_resources, task_computed_resources.c.user_id == User.id)
        .where(User.id.not_in(leads))
        .group_by(User.id, User.login)
        .order_by(func.count().desc(), User.id)
        .limit(1)
    ) or dbsession.scalar(
        select(User.login)
        .join(task_resources, task_resources.c.user_id == User.id)
        .where(User.id.not_in(leads))
        .group_by(User.id, User.login)
        .order_by(func.count().desc(), User.id)
        .limit(1)
    )
    if producer is None or lead is None or artist is None:
        raise BenchFailure(
            "The home pages need a producer (a member managing projects), a lead of the "
            "largest department and an artist with tasks."
        )
    return {"producer": producer, "lead": lead, "artist": artist}


@dataclass
class Run:
    """One database and data set: how long filling it took and what each page measured."""

    database: str
    size: str
    data_command: str
    data_seconds: float | None = None
    data_output: str = ""
    schedule_seconds: float | None = None
    targets: Targets | None = None
    pages: dict[str, PageFigures] = field(default_factory=dict)
    error: str | None = None

    @property
    def label(self) -> str:
        return f"{self.database}/{self.size}"

    def failures(self) -> list[str]:
        """Why this run's figures must not be published (empty when they can be)."""
        if self.error:
            return [f"{self.label}: {self.error}"]
        return [
            f"{self.label} {name}: status {figures.status} for GET {figures.url}"
            for name, figures in self.pages.items()
            if not figures.ok
        ]

    def summary(self) -> dict:
        return {
            "database": self.database,
            "size": self.size,
            "data_command": self.data_command,
            "data_seconds": None if self.data_seconds is None else round(self.data_seconds, 3),
            "data_output": self.data_output,
            "schedule_seconds": (
                None if self.schedule_seconds is None else round(self.schedule_seconds, 3)
            ),
            "targets": None if self.targets is None else asdict(self.targets),
            "pages": {name: figures.summary() for name, figures in self.pages.items()},
            "error": self.error,
        }


def _analyze(engine: Engine) -> None:
    """Clear the rows the load and the schedule run left dead and gather PostgreSQL's planner
    statistics, as autovacuum would within a minute of them; a production database is in that
    state between runs. SQLite only has statistics when someone runs ANALYZE, so it is left as
    loaded."""
    if engine.dialect.name == "postgresql":
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM ANALYZE"))


def api_client(timed_app: TimedApp, engine: Engine):
    """A client of the API signed in with a new read-only token of the initial admin (once
    logged in: the API refuses someone who must change their password first)."""
    with Session(engine) as dbsession:
        admin = dbsession.scalars(select(User).where(User.login == INITIAL_ADMIN_LOGIN)).one()
        _token, secret = create_token(dbsession, admin, name="bench", scope="read", expires_at=None)
        dbsession.commit()
    return bench_client(timed_app, {"HTTP_AUTHORIZATION": f"Bearer {secret}"})


def measure_run(
    run: Run, pages, *, repeat: int, warmup: int, postgres_url: str, schedule: bool = True
) -> None:
    """Fill a fresh database for ``run`` and measure ``pages`` on it; the figures go in ``run``."""
    with (
        tempfile.TemporaryDirectory(prefix="stalker_web_bench_") as directory,
        fresh_database(run.database, Path(directory), postgres_url) as url,
    ):
        ini = write_ini(Path(directory), url)
        run_command(ini, "init")
        filled = run_command(ini, *DATA_COMMANDS[run.size])
        run.data_seconds, run.data_output = filled.seconds, filled.output.strip()
        said = run.data_output.splitlines()[0] if run.data_output else ""
        print(f"  {run.data_command}: {run.data_seconds:.1f} s ({said})")
        if schedule:
            scheduled = run_command(ini, "schedule")
            run.schedule_seconds = scheduled.seconds
            last = scheduled.output.strip().splitlines()[-1:] or [""]
            print(f"  schedule: {scheduled.seconds:.1f} s ({last[0]})")
        app = load_app(ini)
        engine = app_engine(app)
        try:
            _analyze(engine)
            with Session(engine) as dbsession:
                targets = pick_targets(dbsession)
            run.targets = targets
            print(f"  {targets.description}")
            with TimedApp(app, engine) as timed_app:
                clients = {"admin": bench_client(timed_app)}
                log_in(clients["admin"], INITIAL_ADMIN_LOGIN, INITIAL_ADMIN_PASSWORD)
                if any(page.role == API_ROLE for page in pages):
                    clients[API_ROLE] = api_client(timed_app, engine)
                for role in sorted({page.role for page in pages} - {"admin", API_ROLE}):
                    clients[role] = bench_client(timed_app)
                    log_in(clients[role], targets.logins[role], DEMO_PASSWORD)
                for page in pages:
                    run.pages[page.name] = measure_page(
                        clients[page.role], page.url(targets), repeat=repeat, warmup=warmup
                    )
        finally:
            engine.dispose()


def _queries_cell(figures: PageFigures) -> str:
    if figures.queries_constant:
        return f"{figures.queries[0]} (same each time)"
    return f"{min(figures.queries)}-{max(figures.queries)} (varies)"


def format_run(run: Run) -> str:
    """The run's table: page, status, median and p95 server time, SQL statements per request."""
    rows = []
    for name, figures in run.pages.items():
        if figures.ok:
            cells = [f"{figures.median_ms:.1f}", f"{figures.p95_ms:.1f}", _queries_cell(figures)]
        else:
            cells = ["-", "-", "- (not 200: not measured)"]
        rows.append([name, figures.url, str(figures.status), *cells])
    headers = ["page", "url", "status", "median ms", "p95 ms", "SQL queries per request"]
    return format_table(headers, rows, left_columns=2)


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    choices = {"sqlite": ["sqlite"], "postgresql": ["postgresql"], "both": list(DATABASES)}
    parser = argparse.ArgumentParser(
        prog="python -m bench.pages", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--db", choices=list(choices), default="both", help="default: both")
    parser.add_argument(
        "--size", choices=[*SIZES, "both"], default="both", help="data set; default: both"
    )
    parser.add_argument(
        "--repeat", type=int, default=50, help="measured requests per page (default 50)"
    )
    parser.add_argument(
        "--warmup",
        type=int,
        default=WARMUP,
        help=f"untimed warm-up requests per page (default {WARMUP})",
    )
    parser.add_argument(
        "--page",
        action="append",
        choices=[page.name for page in PAGES],
        help="measure only this page (repeatable); default: every page",
    )
    parser.add_argument("--json", type=Path, metavar="PATH", help="also write the figures here")
    parser.add_argument(
        "--no-schedule",
        dest="schedule",
        action="store_false",
        help="measure without scheduling the studio first (no computed dates)",
    )
    parser.add_argument(
        "--postgresql-url",
        default=DEFAULT_POSTGRES_URL,
        help=f"server to create the benchmark databases on (default {DEFAULT_POSTGRES_URL})",
    )
    arguments = parser.parse_args(argv)
    if arguments.repeat < 1 or arguments.warmup < 0:
        parser.error("--repeat must be at least 1 and --warmup at least 0")
    arguments.databases = choices[arguments.db]
    arguments.sizes = list(SIZES) if arguments.size == "both" else [arguments.size]
    return arguments


def main(argv: list[str] | None = None) -> int:
    """Run every asked (database, size) pair, print the tables; 1 when a figure is unusable."""
    arguments = parse_arguments(argv)
    # A terminated run unwinds like Ctrl-C, so its PostgreSQL database is still dropped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    pages = [page for page in PAGES if not arguments.page or page.name in arguments.page]
    started_at = time.strftime("%Y-%m-%dT%H:%M:%S%z")
    runs = []
    for database in arguments.databases:
        for size in arguments.sizes:
            run = Run(database, size, data_command=" ".join(DATA_COMMANDS[size]))
            runs.append(run)
            print(f"\n== {DATABASE_LABELS[database]}, {SIZE_LABELS[size]} ==", flush=True)
            try:
                measure_run(
                    run,
                    pages,
                    repeat=arguments.repeat,
                    warmup=arguments.warmup,
                    postgres_url=arguments.postgresql_url,
                    schedule=arguments.schedule,
                )
            except BenchFailure as failure:
                run.error = str(failure)
            except Exception as error:  # reported; the other runs go on
                traceback.print_exc()
                run.error = f"{type(error).__name__}: {error}"
            if run.pages:
                print(format_run(run), flush=True)
            if run.error:
                print(f"  error: {run.error}", flush=True)

    if arguments.json:
        write_json(
            arguments.json,
            {
                "benchmark": "pages",
                "started_at": started_at,
                "repeat": arguments.repeat,
                "warmup": arguments.warmup,
                "python": platform.python_version(),
                "sqlalchemy": sqlalchemy.__version__,
                "runs": [run.summary() for run in runs],
            },
        )
        print(f"\nfigures written to {arguments.json}")

    failures = [failure for run in runs for failure in run.failures()]
    if failures:
        print("\nFAILED: do not publish these figures.", file=sys.stderr)
        for failure in failures:
            print(f"  {failure}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

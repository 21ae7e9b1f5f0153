"""A full TaskJuggler schedule of the large benchmark studio, timed phase by phase.

    .venv/bin/python -m bench.schedule [--db sqlite|postgresql] [--scale 1.0]
                                       [--horizon-days 1200] [--timeout 7200] [--json PATH]

A fresh database gets ``stalker-web init`` and ``generate-large-studio``; then one run of the
whole studio goes through the real API (``request_run`` and ``execute_run``, as the worker and
the CLI do) with the real tj3. It prints the seconds spent rendering (reading the database,
checking, writing the .tjp), in tj3, parsing its report and writing the results, and the share
of the work outside tj3 relative to tj3's own time (the target is under 10%). Exits 1 when the
run fails or the share is over the target.
"""

import argparse
import platform
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import sqlalchemy
from sqlalchemy import func, select

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import RunStatus, Task, TaskDependency, User
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings

from .common import (
    DATABASES,
    DEFAULT_POSTGRES_URL,
    BenchFailure,
    format_table,
    fresh_database,
    ignore_database_url_override,
    run_command,
    write_ini,
    write_json,
)

TARGET_SHARE = 0.10
# The large studio's busiest department has about 550 working days of work per person.
DEFAULT_HORIZON_DAYS = 1200
DEFAULT_TIMEOUT_SECONDS = 3 * 3600


@dataclass
class ScheduleFigures:
    """What one benchmark run measured (seconds unless named otherwise)."""

    database: str
    scale: float
    generate_seconds: float = 0.0
    tasks: int = 0
    users: int = 0
    dependencies: int = 0
    status: str = ""
    error: str = ""
    tasks_scheduled: int = 0
    warnings: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    @property
    def outside_tj3(self) -> float:
        return sum(seconds for phase, seconds in self.phases.items() if phase != "tj3")

    @property
    def share_outside_tj3(self) -> float:
        """The work outside tj3 relative to tj3's own time."""
        return self.outside_tj3 / self.phases["tj3"] if self.phases.get("tj3") else float("inf")

    def summary(self) -> dict:
        figures = asdict(self)
        figures["outside_tj3_seconds"] = round(self.outside_tj3, 3)
        figures["share_outside_tj3"] = round(self.share_outside_tj3, 4)
        return figures


def _counts(session_factory) -> tuple[int, int, int]:
    with session_factory() as dbsession:
        return (
            dbsession.scalar(select(func.count()).select_from(Task)),
            dbsession.scalar(select(func.count()).select_from(User)),
            dbsession.scalar(select(func.count()).select_from(TaskDependency)),
        )


def run_bench(
    database: str,
    *,
    scale: float = 1.0,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    postgres_url: str = DEFAULT_POSTGRES_URL,
) -> ScheduleFigures:
    """Build the large studio at ``scale`` in a fresh ``database`` and schedule all of it."""
    figures = ScheduleFigures(database=database, scale=scale)
    with (
        tempfile.TemporaryDirectory(prefix="bench_schedule_") as directory,
        fresh_database(database, Path(directory), postgres_url) as url,
    ):
        ini = write_ini(Path(directory), url)
        run_command(ini, "init")
        figures.generate_seconds = run_command(
            ini, "generate-large-studio", "--scale", str(scale)
        ).seconds
        engine = get_engine({"sqlalchemy.url": url})
        try:
            session_factory = get_session_factory(engine)
            figures.tasks, figures.users, figures.dependencies = _counts(session_factory)
            settings = SchedulingSettings(
                timeout_seconds=timeout_seconds,
                horizon_days=horizon_days,
                work_directory=Path(directory),
            )
            with session_factory() as dbsession, dbsession.begin():
                run, _ = request_run(dbsession, None, settings=settings)
                run_id = run.id
            started = time.perf_counter()
            run = execute_run(session_factory, run_id, settings)
            figures.total_seconds = time.perf_counter() - started
        finally:
            engine.dispose()
    figures.status = run.status.value
    figures.error = run.error
    figures.tasks_scheduled = run.task_count
    figures.warnings = len(run.warnings)
    figures.phases = {
        phase: seconds for phase, seconds in run.phase_seconds.items() if seconds is not None
    }
    return figures


def format_figures(figures: ScheduleFigures) -> str:
    rows = [[phase, f"{seconds:.2f}"] for phase, seconds in figures.phases.items()]
    rows.append(["outside tj3", f"{figures.outside_tj3:.2f}"])
    rows.append(["whole run", f"{figures.total_seconds:.2f}"])
    table = format_table(["phase", "seconds"], rows)
    return (
        f"{figures.tasks} tasks, {figures.users} users, {figures.dependencies} dependencies "
        f"(generated in {figures.generate_seconds:.1f} s)\n"
        f"run {figures.status}: {figures.tasks_scheduled} tasks scheduled, "
        f"{figures.warnings} warnings\n{table}\n"
        f"work outside tj3 = {100 * figures.share_outside_tj3:.2f}% of tj3's time "
        f"(target: under {100 * TARGET_SHARE:.0f}%)"
    )


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.schedule", description=__doc__)
    parser.add_argument("--db", choices=DATABASES, default="sqlite")
    parser.add_argument("--postgresql-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--scale", type=float, default=1.0, help="size of the large studio")
    parser.add_argument("--horizon-days", type=int, default=DEFAULT_HORIZON_DAYS)
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures; 1 when the run fails or misses the target."""
    arguments = parse_arguments(argv)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ignore_database_url_override()
    print(f"== schedule of the large studio (scale {arguments.scale}) on {arguments.db} ==")
    try:
        figures = run_bench(
            arguments.db,
            scale=arguments.scale,
            horizon_days=arguments.horizon_days,
            timeout_seconds=arguments.timeout,
            postgres_url=arguments.postgresql_url,
        )
    except BenchFailure as failure:
        print(f"error: {failure}")
        return 1
    print(format_figures(figures), flush=True)
    if arguments.json:
        write_json(
            arguments.json,
            {
                "benchmark": "schedule",
                "python": platform.python_version(),
                "sqlalchemy": sqlalchemy.__version__,
                **figures.summary(),
            },
        )
    if figures.status != RunStatus.SUCCEEDED.value:
        print(f"error: the run {figures.status}: {figures.error}")
        return 1
    return 0 if figures.share_outside_tj3 < TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())

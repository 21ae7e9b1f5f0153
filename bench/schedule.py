"""A full TaskJuggler schedule of the large benchmark studio, timed phase by phase.

    .venv/bin/python -m bench.schedule [--db sqlite|postgresql] [--scale 1.0]
                                       [--horizon-days 1200] [--timeout 7200] [--json PATH]

A fresh database gets ``stalker-web init`` and ``generate-large-studio``; then one run of the
whole studio goes through the real API (``request_run`` and ``execute_run``, as the worker and
the CLI do) with the real tj3. It prints the seconds spent rendering (reading the database,
checking, writing the .tjp), in tj3, parsing its report and writing the results, and the share
of the work outside tj3 relative to tj3's own time (the target is under 10%).

Then a what-if scenario of the same studio (``SCENARIO_PEOPLE`` temporary people taking one
task in ``SCENARIO_EVERY`` of the staffed ones) is timed: the live fingerprint and the overlay
alone (loading it and laying it over the whole studio's snapshot), and one scenario run through
``request_scenario_run`` and ``execute_run`` with its share outside tj3. Exits 1 when a run
fails or a share is over the target.
"""

import argparse
import platform
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

import sqlalchemy
from sqlalchemy import func, select

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import (
    RunStatus,
    Scenario,
    ScenarioPerson,
    ScenarioTaskChange,
    ScheduleRun,
    Studio,
    Task,
    TaskDependency,
    User,
)
from stalker_web.models.meta import utcnow
from stalker_web.models.task import task_resources
from stalker_web.services.scenarios.fingerprint import live_fingerprint
from stalker_web.services.scenarios.overlay import apply_scenario, load_scenario_overlay
from stalker_web.services.scenarios.runs import request_scenario_run
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings
from stalker_web.services.scheduling.snapshot import read_snapshot

from .common import (
    DATABASES,
    DEFAULT_POSTGRES_URL,
    LARGE_STUDIO_HORIZON_DAYS,
    BenchFailure,
    format_table,
    fresh_database,
    ignore_database_url_override,
    run_command,
    write_ini,
    write_json,
)

TARGET_SHARE = 0.10
DEFAULT_HORIZON_DAYS = LARGE_STUDIO_HORIZON_DAYS
DEFAULT_TIMEOUT_SECONDS = 3 * 3600
# The bench scenario's temporary people take one staffed task in this many, in turn.
SCENARIO_EVERY = 20
SCENARIO_PEOPLE = 10


def _phases(run: ScheduleRun) -> dict[str, float]:
    return {phase: seconds for phase, seconds in run.phase_seconds.items() if seconds is not None}


def _share(phases: dict[str, float]) -> float:
    """The work outside tj3 relative to tj3's own time."""
    outside = sum(seconds for phase, seconds in phases.items() if phase != "tj3")
    return outside / phases["tj3"] if phases.get("tj3") else float("inf")


@dataclass
class ScenarioFigures:
    """What the scenario part measured (seconds unless named otherwise)."""

    changes: int = 0
    fingerprint_seconds: float = 0.0
    overlay_seconds: float = 0.0  # loading the overlay and applying it, not reading the studio
    status: str = ""
    error: str = ""
    tasks_scheduled: int = 0
    phases: dict[str, float] = field(default_factory=dict)
    total_seconds: float = 0.0

    @property
    def outside_tj3(self) -> float:
        return sum(seconds for phase, seconds in self.phases.items() if phase != "tj3")

    @property
    def share_outside_tj3(self) -> float:
        return _share(self.phases)


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
    scenario: ScenarioFigures = field(default_factory=ScenarioFigures)

    @property
    def outside_tj3(self) -> float:
        return sum(seconds for phase, seconds in self.phases.items() if phase != "tj3")

    @property
    def share_outside_tj3(self) -> float:
        """The work outside tj3 relative to tj3's own time."""
        return _share(self.phases)

    def summary(self) -> dict:
        figures = asdict(self)
        figures["outside_tj3_seconds"] = round(self.outside_tj3, 3)
        figures["share_outside_tj3"] = round(self.share_outside_tj3, 4)
        figures["scenario"]["outside_tj3_seconds"] = round(self.scenario.outside_tj3, 3)
        figures["scenario"]["share_outside_tj3"] = round(self.scenario.share_outside_tj3, 4)
        return figures


def _counts(session_factory) -> tuple[int, int, int]:
    with session_factory() as dbsession:
        return (
            dbsession.scalar(select(func.count()).select_from(Task)),
            dbsession.scalar(select(func.count()).select_from(User)),
            dbsession.scalar(select(func.count()).select_from(TaskDependency)),
        )


def _add_scenario(session_factory) -> tuple[int, int]:
    """A scenario whose ``SCENARIO_PEOPLE`` temporary people (from a week on) take one staffed
    task in ``SCENARIO_EVERY``, in turn; its id and number of changes."""
    with session_factory() as dbsession, dbsession.begin():
        studio = dbsession.scalars(select(Studio)).one()
        scenario = Scenario(name="Bench: freelancers", studio_id=studio.id)
        people = [
            ScenarioPerson(
                scenario=scenario,
                name=f"Bench freelancer {number}",
                rate=40.0,
                available_from=utcnow() + timedelta(days=7),
            )  # fmt: skip
            for number in range(1, SCENARIO_PEOPLE + 1)
        ]
        dbsession.add_all([scenario, *people])
        dbsession.flush()
        staffed = dbsession.execute(
            select(Task.id, Task.version_id)
            .where(Task.id.in_(select(task_resources.c.task_id)))
            .order_by(Task.id)
        ).all()
        chosen = staffed[::SCENARIO_EVERY]
        dbsession.add_all(
            ScenarioTaskChange(
                scenario=scenario,
                task_id=task_id,
                base_version_id=version_id,
                resource_ids=[],
                person_ids=[people[index % len(people)].id],
            )  # fmt: skip
            for index, (task_id, version_id) in enumerate(chosen)
        )
        return scenario.id, len(chosen)


def run_scenario_bench(session_factory, settings: SchedulingSettings) -> ScenarioFigures:
    """Time the fingerprint, the overlay and one run of a bench scenario of the studio."""
    figures = ScenarioFigures()
    scenario_id, figures.changes = _add_scenario(session_factory)
    with session_factory() as dbsession:
        studio = dbsession.scalars(select(Studio)).one()
        started = time.perf_counter()
        live_fingerprint(dbsession, studio)
        figures.fingerprint_seconds = time.perf_counter() - started
        snapshot = read_snapshot(dbsession, studio, None, utcnow())
        started = time.perf_counter()
        apply_scenario(snapshot, load_scenario_overlay(dbsession, scenario_id))
        figures.overlay_seconds = time.perf_counter() - started
    with session_factory() as dbsession, dbsession.begin():
        scenario = dbsession.get(Scenario, scenario_id)
        run, _ = request_scenario_run(dbsession, scenario, None, settings=settings)
        run_id = run.id
    started = time.perf_counter()
    run = execute_run(session_factory, run_id, settings)
    figures.total_seconds = time.perf_counter() - started
    figures.status = run.status.value
    figures.error = run.error
    figures.tasks_scheduled = run.task_count
    figures.phases = _phases(run)
    return figures


def run_bench(
    database: str,
    *,
    scale: float = 1.0,
    horizon_days: int = DEFAULT_HORIZON_DAYS,
    timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS,
    postgres_url: str = DEFAULT_POSTGRES_URL,
) -> ScheduleFigures:
    """Build the large studio at ``scale`` in a fresh ``database``, schedule all of it, then
    a scenario of it (``run_scenario_bench``)."""
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
            if run.status == RunStatus.SUCCEEDED:
                figures.scenario = run_scenario_bench(session_factory, settings)
        finally:
            engine.dispose()
    figures.status = run.status.value
    figures.error = run.error
    figures.tasks_scheduled = run.task_count
    figures.warnings = len(run.warnings)
    figures.phases = _phases(run)
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
        f"(target: under {100 * TARGET_SHARE:.0f}%)\n{format_scenario(figures.scenario)}"
    )


def format_scenario(figures: ScenarioFigures) -> str:
    if not figures.status:
        return "scenario: not run (the live run failed)"
    rows = [["live fingerprint", f"{figures.fingerprint_seconds:.2f}"]]
    rows.append(["overlay (load + apply)", f"{figures.overlay_seconds:.2f}"])
    rows += [[f"run: {phase}", f"{seconds:.2f}"] for phase, seconds in figures.phases.items()]
    rows.append(["run: outside tj3", f"{figures.outside_tj3:.2f}"])
    rows.append(["run: whole", f"{figures.total_seconds:.2f}"])
    table = format_table(["scenario", "seconds"], rows)
    return (
        f"scenario run {figures.status}: {figures.changes} tasks given to temporary people, "
        f"{figures.tasks_scheduled} tasks scheduled\n{table}\n"
        f"scenario work outside tj3 = {100 * figures.share_outside_tj3:.2f}% of tj3's time "
        "(its render phase includes the fingerprint and the overlay)"
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
    if figures.scenario.status != RunStatus.SUCCEEDED.value:
        print(f"error: the scenario run {figures.scenario.status}: {figures.scenario.error}")
        return 1
    shares = (figures.share_outside_tj3, figures.scenario.share_outside_tj3)
    return 0 if max(shares) < TARGET_SHARE else 1


if __name__ == "__main__":
    sys.exit(main())

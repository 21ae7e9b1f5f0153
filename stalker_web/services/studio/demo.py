"""The demo studio loaded by ``make run``: a small living production (seeded, idempotent)."""

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import ImageFormat, Project, Task, User
from ...models.schedule import TimeUnit
from ..tasks.commands import create_task
from ..tasks.dependencies import add_dependency
from ..tasks.progress import studio_calendar
from ..workflow.time_logs import create_time_log
from .seed import (
    ASSET_STEPS,
    DEMO_PASSWORD,
    SHOT_STEPS,
    STEP_DAYS,
    STEP_DEPARTMENT,
    Catalog,
    describe_steps,
    load_catalog,
    make_groups,
    make_people,
    make_project,
)

__all__ = ["DEMO_PASSWORD", "DemoStudio", "load_demo"]

DEMO_PROJECT_CODE = "LHK"
SEED = 20260101
# Department: number of people; the first one leads it.
DEMO_DEPARTMENTS = dict(Modeling=5, Rigging=3, Animation=7, Lighting=4, Compositing=4, Production=3)
# Project code: its assets, by type (names separated by commas).
DEMO_ASSETS = {
    "LHK": {
        "Character": "Keeper, Gull, Fisher Girl, Storm Spirit",
        "Prop": "Lantern, Rowboat, Oil Can, Logbook, Fishing Net",
        "Environment": "Lighthouse, Harbour, Cliffs",
    },
    "FIZZ": {"Prop": "Fizz Bottle", "Character": "Mascot"},
    "LIB": {
        "Character": "Generic Human, Generic Dog",
        "Prop": "Chair, Table, Cup, Bicycle, Street Lamp",
        "Environment": "City Block, Forest Clearing, Office",
    },
}
# Time logs: the share of its schedule a started task has logged (above 1: over-logged).
LOGGED_SHARES = (0.25, 0.5, 0.75, 1.0, 1.0, 1.25)
WORKDAY_START_HOUR = 9


@dataclass
class DemoStudio:
    """What ``load_demo`` created."""

    projects: list[Project]
    users: list[User]
    task_count: int
    time_log_count: int = 0


def _days(rng: random.Random, step: str) -> float:
    return float(rng.randint(*STEP_DAYS[step]))


class _DemoBuilder:
    """Builds one project's tree through the task services, so every rule holds."""

    def __init__(self, dbsession: Session, catalog: Catalog, people, rng: random.Random) -> None:
        self.dbsession, self.catalog, self.people, self.rng = dbsession, catalog, people, rng
        self.count = 0

    def _task(self, kind: str, **values) -> Task:
        self.count += 1
        return create_task(self.dbsession, kind, **values)

    def _steps(self, parent: Task, steps) -> dict[str, Task]:
        """Leaf tasks of ``steps`` under ``parent``, each waiting for the previous one; all of
        one priority, as a task waiting for one of lower priority makes tj3 warn."""
        tasks: dict[str, Task] = {}
        previous = None
        for step in steps:
            department = self.people[STEP_DEPARTMENT[step]]
            task = self._task(
                "Task",
                parent=parent,
                name=step,
                type=self.catalog.task_types[step],
                schedule_timing=_days(self.rng, step),
                schedule_unit=TimeUnit.DAY,
                resources=[self.rng.choice(department)],
            )
            if previous is not None:
                add_dependency(self.dbsession, task, previous)
            tasks[step] = previous = task
        return tasks

    def assets(self, project: Project, spec: dict[str, str]) -> list[dict[str, Task]]:
        """Assets by type name; each gets Model → Rig → Shading (environments have no rig)."""
        built = []
        producer = self.people["Production"][0]
        for type_name, names in spec.items():
            for name in names.split(", "):
                asset = self._task(
                    "Asset",
                    project=project,
                    name=name,
                    code=name.upper().replace(" ", "_")[:16],
                    type=self.catalog.asset_types[type_name],
                    responsible=[producer],
                )
                steps = [s for s in ASSET_STEPS if type_name != "Environment" or s != "Rig"]
                built.append(self._steps(asset, steps))
        return built

    def sequences(self, project: Project, count: int, shots: int, assets) -> list[dict[str, Task]]:
        """``count`` sequences of ``shots`` shots; each shot's Animation waits for the rigs of
        one to three of the project's rigged assets. Returns each shot's steps."""
        built = []
        rigs = [steps["Rig"] for steps in assets if "Rig" in steps]
        supervisor = self.people["Animation"][0]
        for number in range(1, count + 1):
            sequence = self._task(
                "Sequence",
                project=project,
                name=f"Sequence {number}",
                code=f"SQ{number:02d}",
                responsible=[supervisor],
            )
            for shot_number in range(1, shots + 1):
                length = self.rng.randint(48, 180)
                shot = self._task(
                    "Shot",
                    parent=sequence,
                    sequence=sequence,
                    code=f"SQ{number:02d}_SH{shot_number * 10:03d}",
                    cut_in=1001,
                    cut_out=1000 + length,
                )
                steps = self._steps(shot, SHOT_STEPS)
                for rig in self.rng.sample(rigs, min(len(rigs), self.rng.randint(1, 3))):
                    add_dependency(self.dbsession, steps["Animation"], rig)
                built.append(steps)
        return built


class _Bookings:
    """Time logs of whole working hours on the tasks' resources' working days (Monday to
    Friday from 09:00), each resource's days one after another so no two of their logs overlap.
    Only first steps are booked: they wait for nothing, so no dependency date is broken."""

    def __init__(self, dbsession: Session, rng: random.Random, hours_a_day: int) -> None:
        self.dbsession, self.rng, self.hours_a_day = dbsession, rng, hours_a_day
        self.next_day: dict[int, date] = {}
        self.count = 0

    def book(self, tasks: list[Task], first_day: date) -> None:
        """Log a share of each task's schedule (see LOGGED_SHARES), from ``first_day`` on."""
        for task in tasks:
            (resource,) = task.resources
            hours = round(task.schedule_timing * self.hours_a_day * self.rng.choice(LOGGED_SHARES))
            day = max(self.next_day.get(resource.id, first_day), first_day)
            while hours > 0:
                while day.weekday() >= 5:
                    day += timedelta(days=1)
                start = datetime(day.year, day.month, day.day, WORKDAY_START_HOUR, tzinfo=UTC)
                length = min(hours, self.hours_a_day)
                create_time_log(
                    self.dbsession, task, resource, start, start + timedelta(hours=length)
                )
                self.count += 1
                hours -= length
                day += timedelta(days=1)
            self.next_day[resource.id] = day


def _date(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, tzinfo=UTC)


def load_demo(dbsession: Session) -> DemoStudio | None:
    """Load the demo studio; None (and nothing changes) when its film project already exists."""
    if dbsession.scalar(select(Project.id).where(Project.code == DEMO_PROJECT_CODE)) is not None:
        return None
    rng = random.Random(SEED)  # noqa: S311 - seeded demo data, not secrets
    catalog = load_catalog(dbsession)
    people = make_people(dbsession, catalog, DEMO_DEPARTMENTS, "{department}{number}")
    describe_steps(dbsession, catalog, STEP_DEPARTMENT.get)
    make_groups(dbsession, people)
    everyone = [user for users in people.values() for user in users]
    formats = {row.name: row for row in dbsession.scalars(select(ImageFormat))}
    builder = _DemoBuilder(dbsession, catalog, people, rng)

    film = make_project(
        dbsession,
        catalog,
        everyone,
        name="The Lighthouse Keeper",
        code=DEMO_PROJECT_CODE,
        type=catalog.project_types["Feature Film"],
        fps=24.0,
        image_format=formats.get("2K DCI"),
        start=_date(2026, 1, 5),
        end=_date(2027, 3, 26),
    )
    film_assets = builder.assets(film, DEMO_ASSETS["LHK"])
    film_shots = builder.sequences(film, count=4, shots=8, assets=film_assets)

    spot_team = [*people["Production"][:1], *everyone[::2]]
    spot = make_project(
        dbsession,
        catalog,
        list(dict.fromkeys(spot_team)),
        name="Fizz Cola Summer Spot",
        code="FIZZ",
        type=catalog.project_types["Commercial"],
        fps=25.0,
        image_format=formats.get("HD 1080"),
        start=_date(2026, 5, 4),
        end=_date(2026, 7, 31),
    )
    spot_assets = builder.assets(spot, DEMO_ASSETS["FIZZ"])
    spot_shots = builder.sequences(spot, count=1, shots=6, assets=spot_assets)

    library_team = [*people["Modeling"], *people["Rigging"], *people["Lighting"]]
    library = make_project(
        dbsession,
        catalog,
        [people["Production"][0], *library_team],
        name="Studio Asset Library",
        code="LIB",
        type=catalog.project_types["Library"],
        start=_date(2026, 1, 5),
    )
    library_assets = builder.assets(library, DEMO_ASSETS["LIB"])

    bookings = _Bookings(dbsession, rng, studio_calendar(dbsession).daily_working_hours)
    bookings.book([steps["Model"] for steps in film_assets], film.start.date())
    bookings.book([steps["Layout"] for steps in film_shots[:16]], film.start.date())
    bookings.book([steps["Model"] for steps in spot_assets], spot.start.date())
    bookings.book([steps["Layout"] for steps in spot_shots[:3]], spot.start.date())
    bookings.book([steps["Model"] for steps in library_assets[:4]], library.start.date())
    dbsession.flush()
    return DemoStudio(
        projects=[film, spot, library],
        users=everyone,
        task_count=builder.count,
        time_log_count=bookings.count,
    )

"""The demo studio loaded by ``make run``: a small living production around the day it is
loaded (seeded, idempotent), with files, reviews, vacations and a first schedule."""

import os
import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from ...config import load_studio_config
from ...db import CURRENT_USER_KEY, set_current_user
from ...models import ImageFormat, Notification, Project, ScheduleRun, Task, User
from ...models.schedule import TimeUnit
from ..scheduling.runner import find_tj3
from ..scheduling.runs import execute_run, request_run
from ..scheduling.settings import SchedulingSettings, scheduling_settings
from ..tasks.commands import create_task
from ..tasks.dependencies import add_dependency
from ..tickets.workflow import TicketWorkflow
from . import demo_files
from .demo_clock import Clock
from .demo_history import History, parse_progress, working_day_before
from .demo_supervision import Supervision
from .seed import (
    ASSET_STEPS,
    DEMO_PASSWORD,
    SHOT_STEPS,
    STEP_DAYS,
    STEP_DEPARTMENT,
    TYPE_COLOURS,
    Catalog,
    describe_steps,
    load_catalog,
    make_groups,
    make_people,
    make_project,
)

__all__ = ["DEMO_PASSWORD", "DemoStudio", "load_demo", "schedule_demo"]

DEMO_PROJECT_CODE = "LHK"
SEED = 20260101
# Department: number of people; the first one leads it (and reviews its steps).
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
# How far each chain of steps had come by today (see demo_history.parse_progress): assets in
# the order above, then each sequence's shots; chains not listed have not started.
DEMO_PROGRESS = {
    "LHK": {
        "assets": "2 working, 3, 2 in review, 1 in review, 3, 2 overrun, 1 in review, 1, "
        "0 working, 1 in review, 0 sent back, 0",
        "SQ01": "3 working, 2 in review, 2 working, 2, 1 working, 1 overrun, 1, 1",
        "SQ02": "1, 1, 0 working, 0 in review, 0 in review, 0 working",
    },
    "FIZZ": {"assets": "2 working, 1 working", "SQ01": "1 working, 1, 0 working, 0 working"},
    "LIB": {"assets": "3, 1 working, 2, 0 sent back, 1 overrun, 0 working"},
}
# The projects whose steps have versions (with pictures) so far.
VERSIONED = ("LHK", "FIZZ")
# Login: days after today of the first and last day away, and what it is.
DEMO_VACATIONS = {
    "animation4": (-12, -8, "Family visit"),
    "modeling3": (-2, 2, None),
    "lighting3": (5, 9, "Conference"),
    "rigging2": (15, 26, None),
}
# Weeks between each project's start and the Monday of today's week, and from today to its end.
DEMO_WEEKS = {"LHK": (7, 12), "FIZZ": (3, 4), "LIB": (20, None)}
PROJECT_DAY_START = time(9)


@dataclass
class DemoStudio:
    """What ``load_demo`` created."""

    projects: list[Project]
    users: list[User]
    task_count: int
    time_log_count: int = 0
    version_count: int = 0


@dataclass
class Chain:
    """An asset or shot and its steps in order."""

    owner: Task
    steps: list[Task]


def _days(rng: random.Random, step: str) -> float:
    return float(rng.randint(*STEP_DAYS[step]))


class _DemoBuilder:
    """Builds one project's tree through the task services, so every rule holds; remembers
    what each step waits for."""

    def __init__(self, dbsession: Session, catalog: Catalog, people, rng: random.Random) -> None:
        self.dbsession, self.catalog, self.people, self.rng = dbsession, catalog, people, rng
        self.tasks: list[Task] = []
        self.waits_for: dict[int, list[Task]] = {}

    def _task(self, kind: str, **values) -> Task:
        task = create_task(self.dbsession, kind, **values)
        self.tasks.append(task)
        return task

    def _wait(self, task: Task, other: Task) -> None:
        add_dependency(self.dbsession, task, other)
        self.waits_for.setdefault(task.id, []).append(other)

    def _steps(self, parent: Task, steps) -> list[Task]:
        """Leaf tasks of ``steps`` under ``parent``, each waiting for the previous one, done by
        an artist of the step's department and reviewed by its lead; all of one priority, as a
        task waiting for one of lower priority makes tj3 warn."""
        tasks: list[Task] = []
        for step in steps:
            lead, *artists = self.people[STEP_DEPARTMENT[step]]
            task = self._task(
                "Task",
                parent=parent,
                name=step,
                type=self.catalog.task_types[step],
                schedule_timing=_days(self.rng, step),
                schedule_unit=TimeUnit.DAY,
                resources=[self.rng.choice(artists)],
                responsible=[lead],
            )
            if tasks:
                self._wait(task, tasks[-1])
            tasks.append(task)
        return tasks

    def assets(self, project: Project, spec: dict[str, str]) -> list[Chain]:
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
                built.append(Chain(asset, self._steps(asset, steps)))
        return built

    def sequences(self, project: Project, count: int, shots: int, assets) -> dict[str, list]:
        """``count`` sequences of ``shots`` shots; each shot's Animation waits for the rigs of
        one to three of the project's rigged assets. Returns each sequence's shot chains."""
        built: dict[str, list[Chain]] = {}
        rigs = [chain.steps[1] for chain in assets if chain.steps[1].name == "Rig"]
        supervisor = self.people["Animation"][0]
        for number in range(1, count + 1):
            code = f"SQ{number:02d}"
            sequence = self._task(
                "Sequence",
                project=project,
                name=f"Sequence {number}",
                code=code,
                responsible=[supervisor],
            )
            built[code] = []
            for shot_number in range(1, shots + 1):
                length = self.rng.randint(48, 180)
                shot = self._task(
                    "Shot",
                    parent=sequence,
                    sequence=sequence,
                    code=f"{code}_SH{shot_number * 10:03d}",
                    cut_in=1001,
                    cut_out=1000 + length,
                )
                steps = self._steps(shot, SHOT_STEPS)
                for rig in self.rng.sample(rigs, min(len(rigs), self.rng.randint(1, 3))):
                    self._wait(steps[1], rig)
                built[code].append(Chain(shot, steps))
        return built


def _project_dates(code: str, today: date) -> dict:
    """The start (a Monday some weeks back) and end (a Friday ahead, or none) of a project."""
    weeks_back, weeks_ahead = DEMO_WEEKS[code]
    monday = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks_back)
    end = None
    if weeks_ahead is not None:
        ahead = today + timedelta(weeks=weeks_ahead)
        end = datetime.combine(ahead + timedelta(days=(4 - ahead.weekday()) % 7), time(18), UTC)
    return {"start": datetime.combine(monday, PROJECT_DAY_START, UTC), "end": end}


def _plan(history: History, code: str, assets: list[Chain], shots: dict[str, list]) -> None:
    progress = DEMO_PROGRESS[code]
    chains = [(assets, progress["assets"])] + [
        (shots[sequence], text) for sequence, text in progress.items() if sequence != "assets"
    ]
    for built, text in chains:
        for chain, progress in zip(built, parse_progress(text), strict=False):
            history.plan(chain.owner.name, chain.steps, progress, with_versions=code in VERSIONED)


def load_demo(
    dbsession: Session,
    *,
    today: date | None = None,
    repository_root: str | os.PathLike | None = None,
    studio_config: dict | None = None,
) -> DemoStudio | None:
    """Load the demo studio around ``today`` (default: today in UTC), its files under
    ``repository_root`` (made if missing; default: a new temporary folder, which is left
    behind), its tickets following the workflow of ``studio_config`` (default: the default
    configuration's); None (and nothing changes) when its film project already exists.

    What happens is published as the pages publish it: a session whose events reach the app's
    subscribers (``subscribers.past_recorder``) records the activity and notifications."""
    if dbsession.scalar(select(Project.id).where(Project.code == DEMO_PROJECT_CODE)) is not None:
        return None
    today = today or datetime.now(UTC).date()
    rng = random.Random(SEED)  # noqa: S311 - seeded demo data, not secrets
    catalog = load_catalog(dbsession)
    people = make_people(dbsession, catalog, DEMO_DEPARTMENTS, "{department}{number}")
    describe_steps(dbsession, catalog, STEP_DEPARTMENT.get)
    make_groups(dbsession, people)
    everyone = [user for users in people.values() for user in users]
    formats = {row.name: row for row in dbsession.scalars(select(ImageFormat))}
    repository = demo_files.make_repository(dbsession, repository_root)
    structure = demo_files.make_structure(dbsession)
    builder = _DemoBuilder(dbsession, catalog, people, rng)
    teams = {
        "LHK": everyone,
        "FIZZ": list(dict.fromkeys([*people["Production"][:1], *everyone[::2]])),
        "LIB": [people["Production"][0], *people["Modeling"], *people["Rigging"],
                *people["Lighting"]],
    }  # fmt: skip
    details = {
        "LHK": dict(name="The Lighthouse Keeper", type="Feature Film", fps=24.0, image="2K DCI"),
        "FIZZ": dict(name="Fizz Cola Summer Spot", type="Commercial", fps=25.0, image="HD 1080"),
        "LIB": dict(name="Studio Asset Library", type="Library", fps=24.0, image=None),
    }
    sequences = {"LHK": (4, 8), "FIZZ": (1, 6), "LIB": (0, 0)}
    clock = Clock(dbsession)
    before = dbsession.info.get(CURRENT_USER_KEY)
    set_current_user(dbsession, people["Production"][0].id)  # the producer sets projects up
    projects, built, set_up = [], {}, {}
    with clock.running():
        for code, values in details.items():
            with clock.collecting() as set_up[code]:
                project = make_project(
                    dbsession,
                    catalog,
                    teams[code],
                    name=values["name"],
                    code=code,
                    type=catalog.project_types[values["type"]],
                    fps=values["fps"],
                    image_format=formats.get(values["image"]) if values["image"] else None,
                    **_project_dates(code, today),
                )
                demo_files.lay_out(dbsession, project, structure, repository)
                assets = builder.assets(project, DEMO_ASSETS[code])
                built[code] = (assets, builder.sequences(project, *sequences[code], assets))
            projects.append(project)
        history = History(dbsession, rng, today, clock, builder.waits_for)
        logins = {user.login: user for user in everyone}
        for login, (first, last, name) in DEMO_VACATIONS.items():
            history.vacation(logins[login], first, last, name)
        for code in ("LIB", "LHK", "FIZZ"):  # the order the work began in
            _plan(history, code, *built[code])
        history.place()
        _start_with_the_work(projects, history.first_day())
        for project in projects:
            clock.date_rows(set_up[project.code], project.start)
        versions = demo_files.Versions(dbsession, TYPE_COLOURS, clock)
        workflow = TicketWorkflow.from_config(studio_config or load_studio_config())
        supervision = Supervision(dbsession, projects[0], logins, today, clock, workflow)
        history.play(versions, also=supervision.steps())
        history.date_tasks(builder.tasks, {project.id: project.start for project in projects})
        clock.write()
    set_current_user(dbsession, before)
    _read_before(dbsession, working_day_before(today, 1))
    return DemoStudio(
        projects=projects,
        users=everyone,
        task_count=len(builder.tasks),
        time_log_count=history.time_log_count,
        version_count=len(versions.made),
    )


def _start_with_the_work(projects: list[Project], first_days: dict[int, date]) -> None:
    """A project starts no later than the first day worked in it."""
    for project in projects:
        first = first_days.get(project.id)
        if first is not None and datetime.combine(first, PROJECT_DAY_START, UTC) < project.start:
            project.start = datetime.combine(first, PROJECT_DAY_START, UTC)


def _read_before(dbsession: Session, day: date) -> None:
    """People have read the notifications of before ``day`` (the last working day); the later
    ones wait."""
    dbsession.execute(
        update(Notification)
        .where(Notification.date_created < datetime.combine(day, time(), UTC))
        .values(read_at=Notification.date_created)
    )


def schedule_demo(
    session_factory: sessionmaker,
    settings: SchedulingSettings | None = None,
    *,
    now: datetime | None = None,
) -> ScheduleRun:
    """Schedule the whole studio once with tj3, as ``stalker-web <ini> schedule`` does, and
    return the run as it ended; Tj3Missing (and no run) when tj3 is not installed."""
    settings = scheduling_settings(settings)
    find_tj3(settings.tj3_command)
    with session_factory() as dbsession, dbsession.begin():
        run_id = request_run(dbsession, None, settings=settings)[0].id
    return execute_run(session_factory, run_id, settings, now=now)

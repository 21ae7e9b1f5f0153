"""The large benchmark studio: thousands of shots and assets built in bulk, every rule kept.

The task services check each row with queries, which is too slow for 10,000+ tasks, so the rows
are built with the model constructors (their validators still run) in batches; the rules the
services check hold by construction: shot codes are unique per project, containers (assets,
sequences, shots) have no resources, dependencies only go from a step to an earlier step or to
a rig of another subtree (never to an ancestor, never in a loop), and every status is the one
``status_code_for`` decides from the dependencies. The task ids are reserved first, so each row
goes in with its ``Task.path`` in a few statements (``tasks/bulk_rows.py``).
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...db import current_user_id
from ...models import Asset, Project, Sequence, Shot, Task, User
from ...models.schedule import TimeUnit
from ..errors import ValidationError
from ..tasks.bulk_rows import (
    child_path,
    insert_dependencies,
    insert_resources,
    insert_task_rows,
    reserve_task_ids,
    task_row,
)
from ..tasks.commands import status_code_for
from ..workflow import rules
from ..workflow.statuses import task_status
from .large_reviews import ReviewCounts, add_reviews
from .large_supervision import SupervisionCounts, add_supervision
from .seed import (
    ASSET_STEPS,
    ASSET_TYPES,
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

SEED = 42
FULL_SIZE = {"users": 200, "projects": 5, "shots": 2000, "assets": 2000}
DEPARTMENTS = (
    "Modeling",
    "Rigging",
    "Texturing",
    "Layout",
    "Animation",
    "FX",
    "Lighting",
    "Compositing",
    "Editorial",
    "Production",
)
SHOTS_PER_SEQUENCE = 20
LOGIN_FORMAT = "big{department}{number}"
PROJECT_CODE_FORMAT = "BIG{number}"


@dataclass
class LargeStudio:
    """What ``generate_large_studio`` created (counts)."""

    users: int
    departments: int
    projects: int
    assets: int
    shots: int
    tasks: int
    dependencies: int
    supervision: SupervisionCounts
    reviews: ReviewCounts


def _share(total: int, parts: int) -> list[int]:
    """``total`` split into ``parts`` nearly equal whole numbers."""
    return [total // parts + (1 if index < total % parts else 0) for index in range(parts)]


@dataclass
class _Placed:
    """A task of the studio as built: its reserved id, its path and its status code."""

    id: int
    path: str
    status: str


class _Builder:
    """Adds one project's tasks in bulk. Each is built by its model constructor (so every
    validator runs) but never added to the session: its ids are reserved first, so the rows go
    in with their paths, resources and dependencies in a few statements (``bulk_rows``)."""

    def __init__(self, dbsession: Session, catalog: Catalog, people, rng: random.Random) -> None:
        self.dbsession, self.catalog, self.people, self.rng = dbsession, catalog, people, rng
        self.statuses = {code: task_status(dbsession, code) for code in (rules.WFD, rules.RTS)}
        self.user_id = current_user_id(dbsession)
        self.tasks = self.dependencies = 0
        self._ids: Iterator[int] = iter(())
        self._rows: list[dict] = []
        self._resources: list[tuple[int, int]] = []
        self._links: list[dict] = []

    def _place(self, task: Task, parent: _Placed | None, **columns) -> _Placed:
        """Give the built ``task`` the next reserved id under ``parent`` and keep its row."""
        task_id = next(self._ids)
        path = child_path(parent.path if parent else None, task_id)
        row = task_row(
            task,
            task_id=task_id,
            parent_id=parent.id if parent else None,
            path=path,
            user_id=self.user_id,
        )
        self._rows.append({**row, **columns})
        self._resources += [(task_id, user.id) for user in task.resources]
        return _Placed(task_id, path, task.status.code)

    def _steps(self, project, parent: _Placed, steps, waits) -> dict[str, _Placed]:
        """Leaf tasks of ``steps``, each waiting for the previous one and for ``waits[step]``."""
        built: dict[str, _Placed] = {}
        previous = None
        for step in steps:
            upstream = ([previous] if previous is not None else []) + waits.get(step, [])
            code = status_code_for(task.status for task in upstream)
            task = Task(
                project=project,
                name=step,
                type=self.catalog.task_types[step],
                status=self.statuses[code],
                schedule_timing=float(self.rng.randint(*STEP_DAYS[step])),
                schedule_unit=TimeUnit.DAY,
                resources=[self.rng.choice(self.people[_department(step)])],
            )
            placed = self._place(task, parent)
            self._links += [{"task_id": placed.id, "depends_on_id": other.id} for other in upstream]
            self.dependencies += len(upstream)
            built[step] = previous = placed
        return built

    def project(self, project: Project, assets: int, shots: int) -> None:
        """Assets with their steps, then sequences of shots whose Animation waits for 2 rigs."""
        ready = self.statuses[rules.RTS]
        sequence_count = max(1, -(-shots // SHOTS_PER_SEQUENCE))
        total = assets * (1 + len(ASSET_STEPS)) + sequence_count + shots * (1 + len(SHOT_STEPS))
        self._ids = iter(reserve_task_ids(self.dbsession, total))
        kinds = [ASSET_TYPES[number % len(ASSET_TYPES)] for number in range(assets)]
        asset_rows = [
            self._place(
                Asset(
                    project=project,
                    name=f"{kind} {number + 1}",
                    code=f"{kind[:3].upper()}{number + 1:05d}",
                    type=self.catalog.asset_types[kind],
                    status=ready,
                ),
                None,
            )
            for number, kind in enumerate(kinds)
        ]
        asset_steps = [self._steps(project, asset, ASSET_STEPS, {}) for asset in asset_rows]
        rigs = [steps["Rig"] for steps in asset_steps]

        sequences = [
            Sequence(project=project, name=f"Sequence {n + 1}", code=f"SQ{n + 1:03d}", status=ready)
            for n in range(sequence_count)
        ]
        placed_sequences = [self._place(sequence, None) for sequence in sequences]
        shot_rows = []
        for n in range(shots):
            sequence, placed = (
                sequences[n // SHOTS_PER_SEQUENCE],
                placed_sequences[n // SHOTS_PER_SEQUENCE],
            )
            shot = Shot(
                project=project,
                sequence=sequence,
                code=f"{sequence.code}_SH{(n + 1) * 10:05d}",
                status=ready,
                cut_in=1001,
                cut_out=1000 + self.rng.randint(24, 240),
            )
            shot_rows.append(self._place(shot, placed, sequence_id=placed.id))
        for shot in shot_rows:
            waits = {"Animation": self.rng.sample(rigs, min(len(rigs), 2))}
            self._steps(project, shot, SHOT_STEPS, waits)
        self._write()

    def _write(self) -> None:
        insert_task_rows(self.dbsession, self._rows)
        insert_resources(self.dbsession, self._resources)
        insert_dependencies(self.dbsession, self._links)
        self.tasks += len(self._rows)
        self._rows, self._resources, self._links = [], [], []


def _department(step: str) -> str:
    """The large studio has Texturing and Layout departments of its own."""
    return {"Shading": "Texturing", "Layout": "Layout"}.get(step, STEP_DEPARTMENT[step])


def generate_large_studio(
    dbsession: Session, *, scale: float = 1.0, seed: int = SEED
) -> LargeStudio:
    """Generate the benchmark studio at ``scale`` (1.0: 200 users in 10 departments, 5 projects,
    2,000 shots, 2,000 assets, about 18,000 tasks, the supervision records of
    ``large_supervision`` and the leads' reviews of ``large_reviews``); refuses to run twice."""
    first_code = PROJECT_CODE_FORMAT.format(number=1)
    if dbsession.scalar(select(Project.id).where(Project.code == first_code)) is not None:
        raise ValidationError("The large studio is already in this database.")
    if scale <= 0:
        raise ValidationError("The scale must be more than zero.", "scale")
    projects = FULL_SIZE["projects"]
    sizes = {key: max(projects, round(value * scale)) for key, value in FULL_SIZE.items()}
    sizes["users"] = max(2 * len(DEPARTMENTS), sizes["users"])
    rng = random.Random(seed)  # noqa: S311 - seeded benchmark data, not secrets
    catalog = load_catalog(dbsession)
    people = make_people(
        dbsession,
        catalog,
        dict(zip(DEPARTMENTS, _share(sizes["users"], len(DEPARTMENTS)), strict=True)),
        LOGIN_FORMAT,
    )
    describe_steps(dbsession, catalog, _department)
    make_groups(dbsession, people, suffix=" (large studio)")
    everyone: list[User] = [user for users in people.values() for user in users]
    builder = _Builder(dbsession, catalog, people, rng)
    shares = zip(_share(sizes["assets"], projects), _share(sizes["shots"], projects), strict=True)
    made = []
    for number, (assets, shots) in enumerate(shares, start=1):
        project = make_project(
            dbsession,
            catalog,
            everyone,
            name=f"Benchmark Project {number}",
            code=PROJECT_CODE_FORMAT.format(number=number),
            type=catalog.project_types["Feature Film"],
        )
        builder.project(project, assets, shots)
        made.append(project)
    supervision = add_supervision(dbsession, made, everyone, scale=scale, seed=seed)
    leads = [people[name][0] for name in DEPARTMENTS if name != "Production"]
    reviews = add_reviews(
        dbsession,
        [project.id for project in made],
        leads,
        scale=scale,
        seed=seed,
        now=datetime.now(UTC),
    )
    return LargeStudio(
        users=len(everyone),
        departments=len(people),
        projects=projects,
        assets=sizes["assets"],
        shots=sizes["shots"],
        tasks=builder.tasks,
        dependencies=builder.dependencies,
        supervision=supervision,
        reviews=reviews,
    )

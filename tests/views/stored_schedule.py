"""A project whose schedule is stored as a successful run left it (computed dates and people, a
run with its now and a baseline), for the pages that explain and chain the schedule; and a
production of any size stored the same way, for query counts.

The dates (Monday 8 January 2024 is the run's now; 09:00-18:00 on weekdays):

- Layout, Bob: Monday. Notes, Ann: Monday (no successor: 3 days of float to Thursday 18:00).
- Anim, Ann, after Layout plus a 1 d working gap (released Tuesday 18:00): Wednesday.
- Review, a milestone after Anim: Wednesday 18:00.
- Comp, Bob, after Anim: Thursday. The project ends Thursday 18:00.
- Unplanned: never scheduled.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from stalker_web.models import ProjectUser, RunPhase, RunStatus, ScheduleRun, Task
from stalker_web.services.scheduling.baselines import record_baselines
from stalker_web.services.scheduling.critical_path import store_placements
from stalker_web.services.tasks.dependencies import add_dependency

from ..factories.tasks import production

RUN_NOW = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)


def day(number: int, hour: int = 9) -> datetime:
    return datetime(2024, 1, number, hour, 0, tzinfo=UTC)


@dataclass
class StoredFilm:
    project: object
    tasks: dict[str, Task]
    ann: object
    bob: object

    def __getitem__(self, name: str) -> Task:
        return self.tasks[name]


def store_run(factory, project, now: datetime = RUN_NOW) -> ScheduleRun:
    """A successful run at ``now`` that kept the project's computed dates as a baseline."""
    run = ScheduleRun(
        name="A run",
        studio=factory.studio(),
        status=RunStatus.SUCCEEDED,
        phase=RunPhase.DONE,
        schedule_now=now,
    )
    factory.dbsession.add(run)
    factory.dbsession.flush()
    record_baselines(factory.dbsession, run.id, [project.id], 20)
    store_placements(factory.dbsession, [project.id], now)
    factory.dbsession.expire_all()
    return run


def stored_film(factory, dbsession, members=()) -> StoredFilm:
    """The project of the module docstring, ``members`` added to it."""
    project = factory.project(name="Film", code="FILM")
    ann, bob = factory.user(name="Ann Lee"), factory.user(name="Bob Hart")
    for user in (ann, bob, *members):
        project.members.append(ProjectUser(user=user))
    dates = {
        "Layout": (bob, day(8), day(8, 18)),
        "Notes": (ann, day(8), day(8, 18)),
        "Anim": (ann, day(10), day(10, 18)),
        "Review": (None, day(10, 18), day(10, 18)),
        "Comp": (bob, day(11), day(11, 18)),
        "Unplanned": (None, None, None),
    }
    tasks = {}
    for name, (person, start, end) in dates.items():
        task = factory.task(
            project=project,
            name=name,
            resources=[person] if person else [],
            is_milestone=name == "Review",
        )
        task.computed_start, task.computed_end = start, end
        task.computed_resources = [person] if person and start else []
        tasks[name] = task
    add_dependency(dbsession, tasks["Anim"], tasks["Layout"], gap_timing=1, gap_unit="d")
    add_dependency(dbsession, tasks["Review"], tasks["Anim"])
    add_dependency(dbsession, tasks["Comp"], tasks["Anim"])
    dbsession.flush()
    store_run(factory, project)
    return StoredFilm(project, tasks, ann, bob)


def stored_production(factory, dbsession, scale: int):
    """``production(factory, scale)`` with every task given computed dates, people and a run."""
    project, sequence, lighting = production(factory, scale)
    dbsession.flush()
    tasks = dbsession.scalars(select(Task).where(Task.project_id == project.id)).all()
    for number, task in enumerate(tasks):
        start = day(8) + timedelta(days=number % 4)
        task.computed_start, task.computed_end = start, start + timedelta(hours=9)
        task.computed_resources = list(task.resources)
    dbsession.flush()
    store_run(factory, project)
    return project, sequence, lighting

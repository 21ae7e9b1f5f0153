"""Fixtures of the scheduling tests: a database of their own whose transactions really commit
(runs commit phase by phase, from other sessions and threads), emptied after each test, and a
builder making studios through the services."""

import itertools
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete, select, update

from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import (
    Project,
    ProjectUser,
    ScheduleRun,
    Studio,
    Task,
    TimeLog,
    User,
    Vacation,
)
from stalker_web.services.scheduling.runs import execute_run, request_run
from stalker_web.services.scheduling.settings import SchedulingSettings
from stalker_web.services.tasks.dependencies import add_dependency

from ...conftest import empty_database, prepare_studio_database
from ...factories import Factory
from ...factories.accounts import cheap_users

ADMIN_LOGIN = "scheduler"
# Monday 8 January 2024, 09:00 UTC: "now" of most tests.
NOW = datetime(2024, 1, 8, 9, 0, tzinfo=UTC)
_numbers = itertools.count(1)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 1) -> datetime:
    """A moment of January 2024 (UTC): ``at(9, 18)`` is Tuesday the 9th at 18:00."""
    return datetime(2024, month, day, hour, minute, tzinfo=UTC)


@pytest.fixture(scope="session")
def scheduling_engine(request, tmp_path_factory):
    """The engine of a migrated studio database used only by the scheduling tests."""
    directory = tmp_path_factory.mktemp("scheduling")
    with empty_database(request.config.getoption("--db-url"), directory) as url:
        prepare_studio_database(url, ADMIN_LOGIN, "Scheduler")
        engine = get_engine({"sqlalchemy.url": url})
        yield engine
        engine.dispose()


@pytest.fixture(scope="session")
def default_calendar(scheduling_engine):
    with get_session_factory(scheduling_engine)() as dbsession:
        studio = dbsession.scalars(select(Studio)).one()
        return dict(studio.working_hours), studio.daily_working_hours


@pytest.fixture
def session_factory(scheduling_engine, default_calendar):
    """Sessions on the scheduling database; everything the test made is deleted afterwards."""
    factory = get_session_factory(scheduling_engine)
    yield factory
    working_hours, daily_hours = default_calendar
    with factory() as dbsession, dbsession.begin():
        for model in (ScheduleRun, TimeLog, Vacation, Task, Project):
            dbsession.execute(delete(model.__table__))
        dbsession.execute(delete(User.__table__).where(User.__table__.c.login != ADMIN_LOGIN))
        dbsession.execute(
            update(Studio.__table__).values(
                working_hours=working_hours,
                daily_working_hours=daily_hours,
                timing_resolution_minutes=60,
                time_zone="UTC",
            )
        )


@pytest.fixture
def settings(tmp_path):
    """The packaged defaults, with failed runs' files kept in the test's temporary directory."""
    return SchedulingSettings(work_directory=tmp_path, heartbeat_seconds=1)


class StudioBuilder:
    """Builds users, projects, tasks, dependencies, vacations and time logs in one session;
    ``commit()`` saves them for the runs to read."""

    def __init__(self, dbsession, studio_config) -> None:
        self.dbsession = dbsession
        self.factory = Factory(dbsession, studio_config)

    def user(self, name: str, **values) -> User:
        (user,) = cheap_users(self.dbsession, 1, **values)
        user.name = name
        return user

    def project(self, name: str | None = None, members=()) -> Project:
        project = self.factory.project(name=name)
        for member in members:
            project.members.append(ProjectUser(user=member))
        return project

    def task(self, name: str, *, project=None, parent=None, kind="Task", **values) -> Task:
        """A task; ``hours`` (effort by default) is a shortcut for the schedule timing."""
        hours = values.pop("hours", None)
        if hours is not None:
            values.update(schedule_timing=hours, schedule_unit="h")
        return self.factory.task(kind, project=project, parent=parent, name=name, **values)

    def depends(self, task: Task, on: Task, **values):
        return add_dependency(self.dbsession, task, on, **values)

    def vacation(self, user: User | None, start: datetime, end: datetime) -> Vacation:
        vacation = Vacation(user=user, start=start, end=end)
        self.dbsession.add(vacation)
        self.dbsession.flush()
        return vacation

    def time_log(self, task: Task, user: User, start: datetime, end: datetime) -> TimeLog:
        log = TimeLog(task=task, resource=user, start=start, end=end)
        self.dbsession.add(log)
        self.dbsession.flush()
        return log

    def commit(self) -> None:
        self.dbsession.commit()


@pytest.fixture
def builder(session_factory, studio_config):
    with session_factory() as dbsession:
        yield StudioBuilder(dbsession, studio_config)


def schedule(session_factory, settings, project_ids=None, now=NOW, user=None) -> ScheduleRun:
    """Request a run and carry it out at ``now``; the run as it ended."""
    with session_factory() as dbsession, dbsession.begin():
        run, created = request_run(dbsession, user, project_ids, settings=settings)
        assert created, f"run {run.id} was already active"
        run_id = run.id
    return execute_run(session_factory, run_id, settings, now=now)


def computed(session_factory, *items) -> list[tuple]:
    """(computed start, computed end) of each task or project, read afresh."""
    with session_factory() as dbsession:
        return [
            (row.computed_start, row.computed_end)
            for row in (dbsession.get(type(item), item.id) for item in items)
        ]


def computed_resources(session_factory, task: Task) -> list[str]:
    with session_factory() as dbsession:
        return sorted(user.name for user in dbsession.get(Task, task.id).computed_resources)

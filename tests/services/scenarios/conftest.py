"""Fixtures of the scenario tests: the scheduling tests' database and builder (runs commit for
real), the scenarios emptied after each test, a small hand-computable studio and a scenario of
it, and plain snapshot rows for the pure overlay tests.

The studio (calendar Monday to Friday 09:00-18:00 UTC, 9-hour days; now Monday 8 January 2024
09:00): Ann alone does Model (27 h) and then Rig (27 h); the milestone Delivery waits for both.
Live: Model Monday-Wednesday, Rig Thursday, Friday and Monday the 15th, Delivery Monday 15th
18:00. The scenario adds Fred, a freelancer under contract from Wednesday the 10th at 40 an
hour, and gives him Rig.
"""

from dataclasses import dataclass

import pytest
from sqlalchemy import delete, select

from stalker_web.models import (
    Scenario,
    ScenarioPerson,
    ScenarioState,
    ScenarioTaskChange,
    Studio,
    Task,
)
from stalker_web.models.schedule import (
    AllocationStrategy,
    ScheduleConstraint,
    ScheduleModel,
    TimeUnit,
)
from stalker_web.services.scheduling.snapshot import Calendar, ProjectRow, StudioSnapshot, TaskRow

from ..scheduling.conftest import (  # noqa: F401 - fixtures shared with the scheduling tests
    at,
    builder,
    default_calendar,
    scheduling_engine,
    session_factory,
    settings,
)


@pytest.fixture(autouse=True)
def _scenarios_emptied(request):
    """With the scheduling database in use, its scenarios are deleted after the test (before
    the scheduling fixture empties the rest)."""
    if "session_factory" not in request.fixturenames:
        yield
        return
    factory = request.getfixturevalue("session_factory")
    yield
    with factory() as dbsession, dbsession.begin():
        dbsession.execute(delete(Scenario.__table__))


@dataclass
class HandStudio:
    """The hand-computable studio's rows (ids only: read them afresh in the test)."""

    ann_id: int
    project_id: int
    model_id: int
    rig_id: int
    delivery_id: int


@pytest.fixture
def hand_studio(builder) -> HandStudio:  # noqa: F811 - the shared fixture
    ann = builder.user("Ann")
    film = builder.project("Film")
    model = builder.task("Model", project=film, hours=27, resources=[ann])
    rig = builder.task("Rig", project=film, hours=27, resources=[ann])
    delivery = builder.task("Delivery", project=film, is_milestone=True)
    builder.depends(delivery, model)
    builder.depends(delivery, rig)
    builder.commit()
    return HandStudio(ann.id, film.id, model.id, rig.id, delivery.id)


def add_scenario(dbsession, name: str = "Hire a freelancer") -> Scenario:
    """An open scenario of the studio, without people or changes."""
    studio = dbsession.scalars(select(Studio)).one()
    scenario = Scenario(name=name, studio_id=studio.id, state=ScenarioState.OPEN)
    dbsession.add(scenario)
    dbsession.flush()
    return scenario


def change(dbsession, scenario: Scenario, task_id: int, **values) -> ScenarioTaskChange:
    """The scenario's change of a task (``base_version_id`` from the live task)."""
    task = dbsession.get(Task, task_id)
    row = ScenarioTaskChange(
        scenario=scenario, task_id=task_id, base_version_id=task.version_id, **values
    )
    dbsession.add(row)
    dbsession.flush()
    return row


@dataclass
class FreelancerScenario:
    scenario_id: int
    fred_id: int  # the ScenarioPerson's id (snapshot user -fred_id)


@pytest.fixture
def freelancer_scenario(session_factory, hand_studio) -> FreelancerScenario:  # noqa: F811
    """Fred (from Wednesday the 10th, 40 an hour, efficiency 1) takes Rig from Ann."""
    with session_factory() as dbsession, dbsession.begin():
        scenario = add_scenario(dbsession)
        fred = ScenarioPerson(
            scenario=scenario, name="Fred", rate=40.0, efficiency=1.0, available_from=at(10, 0)
        )
        dbsession.add(fred)
        dbsession.flush()
        change(dbsession, scenario, hand_studio.rig_id, resource_ids=[], person_ids=[fred.id])
        return FreelancerScenario(scenario.id, fred.id)


# Plain snapshot rows for the pure tests --------------------------------------------------

CALENDAR = Calendar(
    working_hours={day: [[540, 1080]] for day in ("mon", "tue", "wed", "thu", "fri")},
    daily_working_hours=9,
    resolution_minutes=60,
)


def task_row(task_id: int, parent: TaskRow | None = None, project_id: int = 1, **values) -> TaskRow:
    """A task row of project ``project_id``, under ``parent``: 9 h of effort unless told."""
    path = (parent.path if parent else "/") + f"{task_id}/"
    defaults = {
        "name": f"Task {task_id}",
        "priority": 500,
        "schedule_timing": 9.0,
        "schedule_unit": TimeUnit.HOUR,
        "schedule_model": ScheduleModel.EFFORT,
        "schedule_constraint": ScheduleConstraint.NONE,
        "start": None,
        "end": None,
        "allocation_strategy": AllocationStrategy.MINALLOCATED,
        "persistent_allocation": True,
        "is_milestone": False,
    }
    return TaskRow(
        id=task_id,
        project_id=project_id,
        parent_id=parent.id if parent else None,
        path=path,
        **(defaults | values),
    )


def snapshot_of(tasks, **values) -> StudioSnapshot:
    """A whole-studio snapshot of project 1 holding ``tasks``; other parts empty unless given."""
    parts = {
        "dependencies": [],
        "resources": {},
        "alternatives": {},
        "time_logs": [],
        "users": {},
        "vacations": [],
    }
    return StudioSnapshot(
        studio_id=1,
        calendar=CALENDAR,
        project_ids=None,
        projects=[ProjectRow(1, "Film")],
        tasks=list(tasks),
        **(parts | values),
    )

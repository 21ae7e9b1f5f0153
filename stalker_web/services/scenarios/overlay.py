"""A scenario laid over the live studio: its temporary people and task overrides as plain data
(``load_scenario_overlay``, two queries), and the whole-studio snapshot as the scenario sees it
(``apply_scenario``, pure).

In the scenario's snapshot a temporary person is a user with the NEGATIVE id ``-person.id``
(written to the .tjp as ``Temp_<person id>``, see ``scheduling.resource_ids``), planned only
inside their contract window. A left-out task goes with everything under it, its dependencies
both ways (the tasks waiting for it wait no more), its people and its time logs; a container
whose every child is left out goes too (nothing is left to schedule in it).
"""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Scenario, ScenarioPerson, ScenarioTaskChange
from ...models.schedule import ScheduleConstraint, TimeUnit
from ..scheduling.snapshot import StudioSnapshot, TaskRow, UserRow

_people = ScenarioPerson.__table__
_changes = ScenarioTaskChange.__table__


@dataclass(frozen=True)
class PersonData:
    """A temporary person of the scenario."""

    id: int
    name: str
    department_id: int | None
    efficiency: float
    rate: float
    available_from: datetime | None
    available_until: datetime | None

    @property
    def snapshot_id(self) -> int:
        """The person's user id in the scenario's snapshot (negative)."""
        return -self.id


@dataclass(frozen=True)
class ChangeData:
    """A scenario's overrides of one task (None or False: as it is live; see
    ``models.scenario.ScenarioTaskChange``)."""

    task_id: int
    left_out: bool
    priority: int | None
    schedule_timing: float | None
    schedule_unit: TimeUnit | None
    pins_changed: bool
    schedule_constraint: ScheduleConstraint | None
    start: datetime | None
    end: datetime | None
    resource_ids: tuple[int, ...] | None
    person_ids: tuple[int, ...] | None


@dataclass(frozen=True)
class ScenarioOverlay:
    """What a scenario changes: its temporary people and its task changes, by id."""

    scenario_id: int
    people: tuple[PersonData, ...] = ()
    changes: tuple[ChangeData, ...] = ()


def load_scenario_overlay(dbsession: Session, scenario: Scenario | int) -> ScenarioOverlay:
    """The scenario's people and changes as plain data, in two queries."""
    scenario_id = scenario if isinstance(scenario, int) else scenario.id
    people = dbsession.execute(
        select(*(_people.c[name] for name in PersonData.__dataclass_fields__))
        .where(_people.c.scenario_id == scenario_id)
        .order_by(_people.c.id)
    )
    changes = dbsession.execute(
        select(*(_changes.c[name] for name in ChangeData.__dataclass_fields__))
        .where(_changes.c.scenario_id == scenario_id)
        .order_by(_changes.c.task_id)
    )
    return ScenarioOverlay(
        scenario_id=scenario_id,
        people=tuple(PersonData(*row) for row in people),
        changes=tuple(_change(row) for row in changes),
    )


def _change(row) -> ChangeData:
    values = row._asdict()
    for key in ("resource_ids", "person_ids"):
        if values[key] is not None:
            values[key] = tuple(int(item) for item in values[key])
    return ChangeData(**values)


def _left_out(tasks: list[TaskRow], left_out: set[int]) -> set[int]:
    """The ids of the left-out tasks, everything under them, and the containers whose every
    child is among those."""
    gone = {
        task.id
        for task in tasks
        if task.id in left_out or any(ancestor in left_out for ancestor in task.ancestor_ids)
    }
    children: dict[int, int] = {}
    for task in tasks:
        if task.parent_id is not None:
            children[task.parent_id] = children.get(task.parent_id, 0) + 1
    remaining = dict(children)
    for task in reversed(tasks):  # children before their parents
        if task.id in gone and task.parent_id is not None:
            remaining[task.parent_id] -= 1
            continue
        if task.id in children and remaining[task.id] == 0:
            gone.add(task.id)
            if task.parent_id is not None:
                remaining[task.parent_id] -= 1
    return gone


def _changed_task(task: TaskRow, change: ChangeData) -> TaskRow:
    values: dict = {}
    if change.priority is not None:
        values["priority"] = change.priority
    if change.schedule_timing is not None and change.schedule_unit is not None:
        values["schedule_timing"] = change.schedule_timing
        values["schedule_unit"] = change.schedule_unit
    if change.pins_changed:
        values["schedule_constraint"] = change.schedule_constraint or ScheduleConstraint.NONE
        values["start"] = change.start
        values["end"] = change.end
    return replace(task, **values) if values else task


def apply_scenario(snapshot: StudioSnapshot, overlay: ScenarioOverlay) -> StudioSnapshot:
    """``snapshot`` (of the whole studio) as the scenario plans it; ``snapshot`` is unchanged."""
    users = dict(snapshot.users)
    for person in overlay.people:
        users[person.snapshot_id] = UserRow(
            id=person.snapshot_id,
            name=person.name,
            efficiency=person.efficiency,
            is_active=True,
            available_from=person.available_from,
            available_until=person.available_until,
        )
    changes = {change.task_id: change for change in overlay.changes}
    gone = _left_out(snapshot.tasks, {c.task_id for c in overlay.changes if c.left_out})
    tasks = [
        _changed_task(task, changes[task.id]) if task.id in changes else task
        for task in snapshot.tasks
        if task.id not in gone
    ]
    resources = {
        task_id: user_ids for task_id, user_ids in snapshot.resources.items() if task_id not in gone
    }
    kept = {task.id for task in tasks}
    for change in overlay.changes:
        if change.resource_ids is not None and change.task_id in kept:
            people = [-person_id for person_id in change.person_ids or ()]
            wanted = [*change.resource_ids, *people]
            resources[change.task_id] = [user_id for user_id in wanted if user_id in users]
    return replace(
        snapshot,
        tasks=tasks,
        dependencies=[
            dependency
            for dependency in snapshot.dependencies
            if dependency.task_id not in gone and dependency.depends_on_id not in gone
        ],
        resources=resources,
        alternatives={
            task_id: user_ids
            for task_id, user_ids in snapshot.alternatives.items()
            if task_id not in gone
        },
        time_logs=[log for log in snapshot.time_logs if log.task_id not in gone],
        users=users,
    )

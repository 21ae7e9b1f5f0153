"""Editing a what-if scenario: its name, its temporary people and its per-task changes, each
checked like the live forms check them; nothing here touches a live row or commits.

Every edit bumps ``Scenario.changed_at`` (so results computed before are out of date) and so its
``version_id``, the optimistic lock that renaming and promoting check. A promoted scenario is
read only.
"""

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ...models import (
    Department,
    Scenario,
    ScenarioPerson,
    ScenarioState,
    ScenarioTaskChange,
    ScheduleRun,
    Task,
    User,
)
from ...models.date_range import check_dates
from ...models.meta import utcnow
from ...models.schedule import ScheduleConstraint, TimeUnit
from ...models.schedule_run import ACTIVE_STATUSES
from ..accounts.users import check_contract_window
from ..errors import ValidationError, model_rules
from ..names import checked_name
from ..scheduling.fit import fmt
from ..tasks.graph import child_counts
from ..tasks.progress import studio_calendar
from .page import is_out_of_date, scenario_page_data

# The scenario page's data is read by ``page`` and offered here beside the edits.
__all__ = [
    "UNCHANGED",
    "add_person",
    "check_scenario_version",
    "clear_task_change",
    "create_scenario",
    "discard_scenario",
    "is_out_of_date",
    "refuse_promoted",
    "remove_person",
    "scenario_page_data",
    "set_task_change",
    "update_person",
    "update_scenario",
]


class _Unchanged:
    """The value of a part of a task change the caller leaves as it is."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED = _Unchanged()


# Rules shared by the edits -----------------------------------------------------------------


def refuse_promoted(scenario: Scenario) -> None:
    """A promoted scenario is the live plan's history now: refuse any change to it."""
    if scenario.state is ScenarioState.PROMOTED:
        when = fmt(scenario.promoted_at) if scenario.promoted_at else "an earlier date"
        raise ValidationError(f"This scenario was promoted on {when} and is read only.")


def check_scenario_version(scenario: Scenario, expected_version: int | None) -> None:
    """Refuse an action taken on a stale copy of ``scenario``, naming who changed it."""
    if expected_version is None or expected_version != scenario.version_id:
        who = scenario.updated_by.name if scenario.updated_by is not None else "someone"
        raise ValidationError(
            f"This scenario was changed by {who} meanwhile. Reload the page to see their "
            "changes, then try again."
        )


def _touch(scenario: Scenario, user: User | None) -> None:
    """Mark the scenario changed now, by ``user`` (its results are out of date)."""
    scenario.changed_at = utcnow()
    if user is not None:
        scenario.updated_by = user


def _check_unique_open(
    dbsession: Session, studio_id: int, name: str, exclude_id: int | None
) -> None:
    same = select(func.count()).where(
        Scenario.studio_id == studio_id,
        Scenario.state == ScenarioState.OPEN,
        func.lower(Scenario.name) == name.lower(),
    )
    if exclude_id is not None:
        same = same.where(Scenario.id != exclude_id)
    if dbsession.scalar(same):
        raise ValidationError(
            f"An open scenario named {name!r} already exists; choose another name.", "name"
        )


def _model_value(model_class, instance, key: str, value):
    """``value`` as the model's own validator of ``key`` cleans it (ValidationError if refused)."""
    with model_rules():
        return model_class.__mapper__.validators[key][0](instance, key, value)


def _number(value, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError("Enter a number such as 1 or 0.5.", key)
    return float(value)


# The scenario -------------------------------------------------------------------------------


def create_scenario(
    dbsession: Session, user: User | None, name: str, description: str = ""
) -> Scenario:
    """A new open scenario of the whole studio, named ``name`` (unique among the open ones)."""
    studio = studio_calendar(dbsession)
    cleaned = checked_name(name)
    _check_unique_open(dbsession, studio.id, cleaned, None)
    user_id = user.id if user is not None else None
    scenario = Scenario(
        name=cleaned,
        description=(description or "").strip(),
        studio_id=studio.id,
        state=ScenarioState.OPEN,
        changed_at=utcnow(),
        created_by_id=user_id,
        updated_by_id=user_id,
    )
    dbsession.add(scenario)
    dbsession.flush()
    return scenario


def update_scenario(
    dbsession: Session,
    scenario: Scenario,
    user: User | None,
    *,
    name: str,
    description: str,
    expected_version: int | None,
) -> Scenario:
    """Rename the scenario or change its description, as seen at ``expected_version``."""
    refuse_promoted(scenario)
    check_scenario_version(scenario, expected_version)
    cleaned = checked_name(name)
    _check_unique_open(dbsession, scenario.studio_id, cleaned, scenario.id)
    scenario.name = cleaned
    scenario.description = (description or "").strip()
    if user is not None:
        scenario.updated_by_id = user.id
    dbsession.flush()
    return scenario


def discard_scenario(dbsession: Session, scenario: Scenario) -> None:
    """Delete the scenario with its people, changes, results and runs; refused while one of
    its runs is queued or running. A promoted scenario may go too: its changes are live and the
    plan it replaced is kept as a baseline."""
    active = dbsession.scalar(
        select(func.count()).where(
            ScheduleRun.scenario_id == scenario.id, ScheduleRun.status.in_(ACTIVE_STATUSES)
        )
    )
    if active:
        raise ValidationError(
            "This scenario is being scheduled right now; wait for the run to finish, then "
            "discard it."
        )
    dbsession.delete(scenario)
    dbsession.flush()


# Temporary people ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _PersonValues:
    name: str
    department_id: int | None
    efficiency: float
    rate: float
    available_from: datetime | None
    available_until: datetime | None


def _checked_person(
    dbsession: Session,
    *,
    name,
    department_id,
    efficiency,
    rate,
    available_from,
    available_until,
) -> _PersonValues:
    """The person's values checked like a user's on the user form, plus the contract window."""
    cleaned = checked_name(name)
    if department_id is not None and dbsession.get(Department, department_id) is None:
        raise ValidationError(
            "That department does not exist any more; reload the page and choose another.",
            "department_id",
        )
    numbers = {}
    for key, value in (("efficiency", efficiency), ("rate", rate)):
        numbers[key] = _model_value(User, None, key, _number(value, key))
    check_contract_window(available_from, available_until)
    return _PersonValues(
        name=cleaned,
        department_id=department_id,
        efficiency=numbers["efficiency"],
        rate=numbers["rate"],
        available_from=available_from,
        available_until=available_until,
    )


def _person(scenario: Scenario, person_id: int) -> ScenarioPerson:
    for person in scenario.people:
        if person.id == person_id:
            return person
    raise ValidationError(
        "That person is not in this scenario any more; reload the page to see who is."
    )


def add_person(
    dbsession: Session,
    scenario: Scenario,
    user: User | None,
    *,
    name: str,
    department_id: int | None = None,
    efficiency: float = 1.0,
    rate: float = 0.0,
    available_from: datetime | None = None,
    available_until: datetime | None = None,
) -> ScenarioPerson:
    """Add a temporary person (a freelancer, say) to the scenario."""
    refuse_promoted(scenario)
    values = _checked_person(
        dbsession,
        name=name,
        department_id=department_id,
        efficiency=efficiency,
        rate=rate,
        available_from=available_from,
        available_until=available_until,
    )
    person = ScenarioPerson(**values.__dict__)
    scenario.people.append(person)
    _touch(scenario, user)
    dbsession.flush()
    return person


def update_person(
    dbsession: Session,
    scenario: Scenario,
    person_id: int,
    user: User | None,
    *,
    name: str,
    department_id: int | None = None,
    efficiency: float = 1.0,
    rate: float = 0.0,
    available_from: datetime | None = None,
    available_until: datetime | None = None,
) -> ScenarioPerson:
    """Change a temporary person of the scenario (every value is replaced)."""
    refuse_promoted(scenario)
    person = _person(scenario, person_id)
    values = _checked_person(
        dbsession,
        name=name,
        department_id=department_id,
        efficiency=efficiency,
        rate=rate,
        available_from=available_from,
        available_until=available_until,
    )
    for key, value in values.__dict__.items():
        setattr(person, key, value)
    _touch(scenario, user)
    dbsession.flush()
    return person


def remove_person(
    dbsession: Session, scenario: Scenario, person_id: int, user: User | None
) -> None:
    """Remove a temporary person, and take them off every task the scenario gave them."""
    refuse_promoted(scenario)
    person = _person(scenario, person_id)
    for change in scenario.changes:
        if change.person_ids and person.id in change.person_ids:
            change.person_ids = [other for other in change.person_ids if other != person.id]
    scenario.people.remove(person)
    _touch(scenario, user)
    dbsession.flush()


# Task changes -------------------------------------------------------------------------------


def _task(dbsession: Session, task_id: int) -> Task:
    task = dbsession.get(Task, task_id)
    if task is None:
        raise ValidationError(
            "That task does not exist any more; reload the page and choose another."
        )
    return task


def _refuse_container(dbsession: Session, task: Task, what: str, field: str) -> None:
    if child_counts(dbsession, [task.id]):
        raise ValidationError(
            f"{task.name} has child tasks: a task with children only groups their work, so "
            f"change the {what} of its children instead.",
            field,
        )


def _checked_timing(dbsession: Session, task: Task, timing) -> tuple[float, TimeUnit] | None:
    if timing is None:
        return None
    _refuse_container(dbsession, task, task.schedule_model.value, "schedule_timing")
    value, unit = timing
    return (
        _model_value(Task, task, "schedule_timing", value),
        _model_value(Task, task, "schedule_unit", unit),
    )


def _checked_pins(task: Task, pins):
    if pins is None:
        return None
    constraint, start, end = pins
    constraint = _model_value(Task, task, "schedule_constraint", constraint)
    with model_rules():
        check_dates(start, end)
    needed = {
        ScheduleConstraint.START: ("start",),
        ScheduleConstraint.END: ("end",),
        ScheduleConstraint.BOTH: ("start", "end"),
    }.get(constraint, ())
    for key in needed:
        if {"start": start, "end": end}[key] is None:
            raise ValidationError(f"Give the {key} date to pin it.", key)
    return constraint, start, end


def _checked_resources(
    dbsession: Session, scenario: Scenario, task: Task, resources
) -> tuple[list[int], list[int]] | None:
    if resources is None:
        return None
    user_ids, person_ids = (list(dict.fromkeys(int(i) for i in ids)) for ids in resources)
    if user_ids or person_ids:
        _refuse_container(dbsession, task, "people", "resources")
        if task.is_milestone:
            raise ValidationError("A milestone has no resources: remove them first.", "resources")
    users = dict(
        dbsession.execute(select(User.id, User.is_active).where(User.id.in_(user_ids))).all()
    )
    gone = [user_id for user_id in user_ids if user_id not in users]
    if gone:
        raise ValidationError(
            "One of the chosen people does not exist any more; reload the page and choose again.",
            "resources",
        )
    inactive = [user_id for user_id in user_ids if not users[user_id]]
    if inactive:
        names = dbsession.scalars(select(User.name).where(User.id.in_(inactive)).order_by(User.id))
        raise ValidationError(
            f"{', '.join(names)} is deactivated; choose someone who works here now.", "resources"
        )
    own = {person.id for person in scenario.people}
    if any(person_id not in own for person_id in person_ids):
        raise ValidationError(
            "One of the chosen temporary people is not in this scenario any more; reload the "
            "page and choose again.",
            "resources",
        )
    return user_ids, person_ids


def set_task_change(
    dbsession: Session,
    scenario: Scenario,
    user: User | None,
    task_id: int,
    *,
    priority=UNCHANGED,
    timing=UNCHANGED,
    pins=UNCHANGED,
    resources=UNCHANGED,
    left_out=UNCHANGED,
) -> ScenarioTaskChange:
    """Create or update the scenario's change of one live task.

    Each part is ``UNCHANGED`` (left as the change has it), None (back to the live value;
    False for ``left_out``) or the new value: ``priority`` an int, ``timing`` (schedule
    timing, unit) in the task's schedule model, ``pins`` (constraint, start, end), ``resources``
    (user ids, temporary person ids), ``left_out`` a bool. Checked like the live task form:
    the same ranges, timing and people on leaf tasks only, active users, people of this
    scenario. The live task's ``version_id`` is kept when the change is first made.
    """
    refuse_promoted(scenario)
    task = _task(dbsession, task_id)
    checked = {}
    if priority is not UNCHANGED:
        checked["priority"] = (
            None if priority is None else _model_value(Task, task, "priority", priority)
        )
    if timing is not UNCHANGED:
        checked["timing"] = _checked_timing(dbsession, task, timing)
    if pins is not UNCHANGED:
        checked["pins"] = _checked_pins(task, pins)
    if resources is not UNCHANGED:
        checked["resources"] = _checked_resources(dbsession, scenario, task, resources)
    change = next((c for c in scenario.changes if c.task_id == task.id), None)
    if change is None:
        change = ScenarioTaskChange(
            task_id=task.id,
            base_version_id=task.version_id,
            left_out=False,
            pins_changed=False,
        )
        scenario.changes.append(change)
    if "priority" in checked:
        change.priority = checked["priority"]
    if "timing" in checked:
        change.schedule_timing, change.schedule_unit = checked["timing"] or (None, None)
    if "pins" in checked:
        change.pins_changed = checked["pins"] is not None
        change.schedule_constraint, change.start, change.end = checked["pins"] or (None,) * 3
    if "resources" in checked:
        change.resource_ids, change.person_ids = checked["resources"] or (None, None)
    if left_out is not UNCHANGED:
        change.left_out = bool(left_out)
    _touch(scenario, user)
    dbsession.flush()
    return change


def clear_task_change(
    dbsession: Session, scenario: Scenario, task_id: int, user: User | None
) -> None:
    """Drop the scenario's change of the task: it follows the live plan again."""
    refuse_promoted(scenario)
    change = next((c for c in scenario.changes if c.task_id == task_id), None)
    if change is None:
        raise ValidationError("This scenario does not change that task (any more).")
    scenario.changes.remove(change)
    _touch(scenario, user)
    dbsession.flush()

"""What the scenario page shows: its temporary people with their departments, its task changes
with each task's path and live values beside the scenario's ("Effort 5 d → 3 d"), and its latest
run, read in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import Scenario, ScenarioPerson, ScenarioTaskChange, ScheduleRun, User
from ...models.schedule import ScheduleConstraint, TimeUnit
from ...models.task import task_resources
from ..scheduling.fit import fmt
from ..tasks.graph import ancestor_names
from .runs import latest_scenario_run

CONSTRAINT_WORDS = {
    ScheduleConstraint.NONE: "no pinned dates",
    ScheduleConstraint.START: "start pinned",
    ScheduleConstraint.END: "end pinned",
    ScheduleConstraint.BOTH: "both ends pinned",
}


@dataclass(frozen=True)
class PersonRow:
    """A temporary person as the scenario page lists them."""

    id: int
    name: str
    department_id: int | None
    department_name: str | None
    efficiency: float
    rate: float
    available_from: datetime | None
    available_until: datetime | None


@dataclass(frozen=True)
class ChangeLine:
    """One changed part of a task: what (``label``), as it is live and in the scenario."""

    label: str
    live: str
    scenario: str


@dataclass(frozen=True)
class ChangeRow:
    """A changed task with its place in the tree and its changed parts; ``live_moved`` when
    the live task changed after the change was made (promoting would be refused)."""

    task_id: int
    task_name: str
    path_names: list[str]
    is_milestone: bool
    left_out: bool
    lines: list[ChangeLine]
    live_moved: bool


@dataclass(frozen=True)
class ScenarioPage:
    """What the scenario page shows, read in a fixed number of queries."""

    scenario: Scenario
    people: list[PersonRow]
    changes: list[ChangeRow]
    latest_run: ScheduleRun | None
    never_scheduled: bool
    out_of_date: bool


def _timing_text(timing: float, unit: TimeUnit) -> str:
    return f"{timing:g} {TimeUnit(unit).value}"


def _pins_text(constraint, start, end) -> str:
    words = CONSTRAINT_WORDS[ScheduleConstraint(constraint)]
    dates = " to ".join(fmt(moment) for moment in (start, end) if moment is not None)
    return f"{words}, {dates}" if dates else words


def _names(ids, names: dict[int, str]) -> str:
    shown = [names.get(item, "someone removed") for item in ids]
    return ", ".join(shown) if shown else "nobody"


def _change_lines(change, task, live_people, user_names, person_names) -> list[ChangeLine]:
    lines = []
    if change.priority is not None:
        lines.append(ChangeLine("Priority", str(task.priority), str(change.priority)))
    if change.schedule_timing is not None:
        lines.append(
            ChangeLine(
                task.schedule_model.value.capitalize(),
                _timing_text(task.schedule_timing, task.schedule_unit),
                _timing_text(change.schedule_timing, change.schedule_unit),
            )
        )
    if change.pins_changed:
        label = "Milestone date" if task.is_milestone else "Pinned dates"
        lines.append(
            ChangeLine(
                label,
                _pins_text(task.schedule_constraint, task.start, task.end),
                _pins_text(change.schedule_constraint, change.start, change.end),
            )
        )
    if change.resource_ids is not None:
        scenario_people = [user_names.get(i, "someone removed") for i in change.resource_ids] + [
            person_names.get(i, "someone removed") for i in change.person_ids or []
        ]
        lines.append(
            ChangeLine(
                "People",
                _names(live_people.get(task.id, []), user_names),
                ", ".join(scenario_people) or "nobody",
            )
        )
    return lines


def scenario_page_data(dbsession: Session, scenario: Scenario) -> ScenarioPage:
    """The scenario's people (with their departments), its changes (each task's path and its
    live values beside the scenario's) and its latest run, in a fixed number of queries."""
    people = dbsession.scalars(
        select(ScenarioPerson)
        .options(joinedload(ScenarioPerson.department))
        .where(ScenarioPerson.scenario_id == scenario.id)
        .order_by(ScenarioPerson.id)
    ).all()
    changes = dbsession.scalars(
        select(ScenarioTaskChange)
        .options(joinedload(ScenarioTaskChange.task))
        .where(ScenarioTaskChange.scenario_id == scenario.id)
        .order_by(ScenarioTaskChange.id)
    ).all()
    tasks = [change.task for change in changes]
    paths = ancestor_names(dbsession, tasks)
    live_people: dict[int, list[int]] = {}
    if tasks:
        rows = dbsession.execute(
            select(task_resources.c.task_id, task_resources.c.user_id)
            .where(task_resources.c.task_id.in_([task.id for task in tasks]))
            .order_by(task_resources.c.task_id, task_resources.c.user_id)
        )
        for task_id, user_id in rows:
            live_people.setdefault(task_id, []).append(user_id)
    user_ids = {i for ids in live_people.values() for i in ids} | {
        i for change in changes for i in change.resource_ids or []
    }
    user_names = (
        dict(dbsession.execute(select(User.id, User.name).where(User.id.in_(user_ids))).all())
        if user_ids
        else {}
    )
    person_names = {person.id: person.name for person in people}
    rows = [
        ChangeRow(
            task_id=change.task_id,
            task_name=change.task.name,
            path_names=paths[change.task_id],
            is_milestone=change.task.is_milestone,
            left_out=change.left_out,
            lines=_change_lines(change, change.task, live_people, user_names, person_names),
            live_moved=change.task.version_id != change.base_version_id,
        )
        for change in changes
    ]
    return ScenarioPage(
        scenario=scenario,
        people=[
            PersonRow(
                person.id,
                person.name,
                person.department_id,
                person.department.name if person.department is not None else None,
                person.efficiency,
                person.rate,
                person.available_from,
                person.available_until,
            )
            for person in people
        ],
        changes=rows,
        latest_run=latest_scenario_run(dbsession, scenario),
        never_scheduled=scenario.scheduled_at is None,
        out_of_date=is_out_of_date(scenario),
    )


def is_out_of_date(scenario: Scenario) -> bool:
    """Whether the scenario changed since its results were computed (False: never scheduled)."""
    if scenario.scheduled_at is None:
        return False
    return scenario.changed_at is not None and scenario.changed_at > scenario.scheduled_at

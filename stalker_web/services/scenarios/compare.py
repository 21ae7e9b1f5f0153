"""A scenario's plan beside the live one: end dates per project and milestone, the load per
department and week, and the cost, in a fixed number of queries whatever the studio's size.

Differences of dates are in working time on the studio's weekly hours (a weekend between two
ends counts for nothing), signed: positive when the scenario ends later. Scheduled hours and
cost come from ``scheduling.load``: each computed person of a leaf works the working time of
its span; cost is their rate times those hours (a temporary person at their own rate).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from ...models import (
    Department,
    Project,
    Scenario,
    ScenarioPerson,
    ScenarioTaskResult,
    Task,
)
from ...models.meta import utcnow
from ..scheduling.load import (
    Booking,
    Person,
    StudioPeople,
    WorkingTime,
    booked_seconds,
    read_live_bookings,
    read_people,
    span_of,
    week_starts,
    weekly_available,
    weekly_load,
)
from ..tasks.graph import ancestor_names
from ..tasks.progress import format_work_time, studio_calendar, working_seconds
from .editing import is_out_of_date
from .fingerprint import live_fingerprint

HOUR = 3600.0
NO_DEPARTMENT = "No department"


@dataclass(frozen=True)
class Difference:
    """A signed difference in working time: ``seconds`` > 0 when the scenario is later."""

    seconds: float
    text: str

    @property
    def is_later(self) -> bool:
        return self.seconds > 0

    @property
    def is_earlier(self) -> bool:
        return self.seconds < 0


@dataclass(frozen=True)
class ProjectEnd:
    """A project's live start and end, its end in the scenario (None: nothing of it is
    scheduled there) and the difference."""

    project_id: int
    project_name: str
    live_start: datetime | None
    live_end: datetime | None
    scenario_end: datetime | None
    difference: Difference | None


@dataclass(frozen=True)
class MilestoneEnd:
    """A milestone's live and scenario end (None when left out or never scheduled)."""

    task_id: int
    task_name: str
    path_names: list[str]
    project_id: int
    live_end: datetime | None
    scenario_end: datetime | None
    difference: Difference | None


@dataclass(frozen=True)
class WeekLoad:
    """One week of a department: hours scheduled live and in the scenario, and the hours its
    people can work (the scenario's include its temporary people)."""

    week_start: datetime
    live_hours: float
    scenario_hours: float
    available_hours: float
    scenario_available_hours: float


@dataclass(frozen=True)
class DepartmentLoad:
    """A department's weeks (``department_id`` None: people in no department)."""

    department_id: int | None
    department_name: str
    weeks: list[WeekLoad]


@dataclass(frozen=True)
class ProjectCost:
    """Rate × scheduled hours of a project live and in the scenario (``project_id`` None:
    the whole studio)."""

    project_id: int | None
    project_name: str
    live: float
    scenario: float

    @property
    def difference(self) -> float:
        return self.scenario - self.live


@dataclass(frozen=True)
class Costs:
    projects: list[ProjectCost]
    total: ProjectCost


@dataclass(frozen=True)
class Comparison:
    """The scenario beside the live plan, and how far its results can be trusted:
    ``never_scheduled``, ``out_of_date`` (changed since scheduled), ``live_moved`` (the live
    data changed since the scenario was scheduled)."""

    scenario: Scenario
    weeks: list[datetime]
    projects: list[ProjectEnd]
    milestones: list[MilestoneEnd]
    load: list[DepartmentLoad]
    cost: Costs
    never_scheduled: bool
    out_of_date: bool
    live_moved: bool


def difference(
    live: datetime | None,
    scenario: datetime | None,
    working_hours,
    daily_hours: int,
    time_zone: str | None = None,
) -> Difference | None:
    """How much later (or earlier) ``scenario`` is than ``live`` in working time (working
    hours are wall-clock hours of ``time_zone``)."""
    if live is None or scenario is None:
        return None
    if scenario >= live:
        seconds = working_seconds(live, scenario, working_hours, time_zone)
    else:
        seconds = -working_seconds(scenario, live, working_hours, time_zone)
    if not seconds:
        return Difference(0.0, "no change" if scenario == live else "no working time")
    word = "later" if seconds > 0 else "earlier"
    return Difference(seconds, f"{format_work_time(abs(seconds), daily_hours)} {word}")


@dataclass(frozen=True)
class _Named:
    """What ``ancestor_names`` reads of a task."""

    id: int
    ancestor_ids: list[int]


def _leaf():
    child = aliased(Task)
    return ~exists().where(child.parent_id == Task.id)


def _scenario_bookings(dbsession: Session, scenario: Scenario) -> list[Booking]:
    """The people of every scheduled leaf in the scenario's results (temporary people with
    negative ids), in one query."""
    rows = dbsession.execute(
        select(
            ScenarioTaskResult.task_id,
            Task.project_id,
            ScenarioTaskResult.computed_start,
            ScenarioTaskResult.computed_end,
            ScenarioTaskResult.resource_ids,
            ScenarioTaskResult.person_ids,
        )
        .join(Task, Task.id == ScenarioTaskResult.task_id)
        .where(ScenarioTaskResult.scenario_id == scenario.id, _leaf())
        .order_by(ScenarioTaskResult.task_id)
    )
    return [
        Booking(task_id, project_id, resource_id, start, end)
        for task_id, project_id, start, end, users, people in rows
        for resource_id in [*(users or []), *(-int(person) for person in people or [])]
    ]


def _temporary_people(dbsession: Session, scenario: Scenario) -> dict[int, Person]:
    rows = dbsession.scalars(
        select(ScenarioPerson).where(ScenarioPerson.scenario_id == scenario.id)
    )
    return {
        -person.id: Person(
            -person.id,
            person.name,
            person.rate or 0.0,
            True,
            (person.department_id,) if person.department_id is not None else (),
            person.available_from,
            person.available_until,
        )
        for person in rows
    }


def _ends(dbsession: Session, scenario: Scenario, studio) -> list[ProjectEnd]:
    projects = dbsession.execute(
        select(Project.id, Project.name).order_by(Project.name, Project.id)
    )
    live = {
        project_id: (start, end)
        for project_id, start, end in dbsession.execute(
            select(Task.project_id, func.min(Task.computed_start), func.max(Task.computed_end))
            .where(Task.computed_end.is_not(None))
            .group_by(Task.project_id)
        )
    }
    planned = dict(
        dbsession.execute(
            select(Task.project_id, func.max(ScenarioTaskResult.computed_end))
            .join(Task, Task.id == ScenarioTaskResult.task_id)
            .where(ScenarioTaskResult.scenario_id == scenario.id)
            .group_by(Task.project_id)
        ).all()
    )
    ends = []
    for project_id, name in projects:
        start, end = live.get(project_id, (None, None))
        scenario_end = planned.get(project_id)
        ends.append(
            ProjectEnd(
                project_id,
                name,
                start,
                end,
                scenario_end,
                difference(
                    end,
                    scenario_end,
                    studio.working_hours,
                    studio.daily_working_hours,
                    studio.time_zone,
                ),
            )
        )
    return ends


def _milestones(dbsession: Session, scenario: Scenario, studio) -> list[MilestoneEnd]:
    rows = dbsession.execute(
        select(
            Task.id,
            Task.name,
            Task.path,
            Task.project_id,
            Task.computed_end,
            ScenarioTaskResult.computed_end,
        )
        .outerjoin(
            ScenarioTaskResult,
            (ScenarioTaskResult.task_id == Task.id)
            & (ScenarioTaskResult.scenario_id == scenario.id),
        )
        .where(Task.is_milestone.is_(True))
        .order_by(Task.project_id, Task.computed_end, Task.id)
    ).all()
    named = [
        _Named(row[0], [int(part) for part in row[2].strip("/").split("/")[:-1]]) for row in rows
    ]
    paths = ancestor_names(dbsession, named)
    return [
        MilestoneEnd(
            task_id,
            name,
            paths[task_id],
            project_id,
            live_end,
            scenario_end,
            difference(
                live_end,
                scenario_end,
                studio.working_hours,
                studio.daily_working_hours,
                studio.time_zone,
            ),
        )
        for task_id, name, _, project_id, live_end, scenario_end in rows
    ]


def _department_names(dbsession: Session) -> dict[int, str]:
    return dict(dbsession.execute(select(Department.id, Department.name)).all())


def _load(
    working_time: WorkingTime,
    people: dict[int, Person],
    departments: dict[int, str],
    weeks: list[datetime],
    live: list[Booking],
    planned: list[Booking],
) -> list[DepartmentLoad]:
    """Hours per department and week: a person counts in each of their departments."""
    live_load = weekly_load(working_time, live, weeks)
    planned_load = weekly_load(working_time, planned, weeks)
    table: dict[int | None, list[list[float]]] = {}

    def add(person: Person, column: int, index: int, seconds: float) -> None:
        for department_id in person.department_ids or (None,):
            rows = table.setdefault(department_id, [[0.0] * 4 for _ in weeks])
            rows[index][column] += seconds / HOUR

    for column, load in ((0, live_load), (1, planned_load)):
        for (person_id, index), seconds in load.items():
            add(people.get(person_id) or Person(person_id, ""), column, index, seconds)
    for (person_id, index), seconds in weekly_available(working_time, weeks).items():
        if person_id > 0:  # a user, not a temporary person of the scenario
            add(people[person_id], 2, index, seconds)
        add(people[person_id], 3, index, seconds)
    ordered = sorted(table, key=lambda key: (key is None, departments.get(key, ""), key or 0))
    return [
        DepartmentLoad(
            department_id,
            departments.get(department_id, NO_DEPARTMENT),
            [WeekLoad(week, *table[department_id][index]) for index, week in enumerate(weeks)],
        )
        for department_id in ordered
    ]


def _costs(
    working_time: WorkingTime,
    people: dict[int, Person],
    projects: list[ProjectEnd],
    live: list[Booking],
    planned: list[Booking],
) -> Costs:
    totals: dict[int, list[float]] = {project.project_id: [0.0, 0.0] for project in projects}
    for column, bookings in ((0, live), (1, planned)):
        for (project_id, person_id), seconds in booked_seconds(working_time, bookings).items():
            rate = people[person_id].rate if person_id in people else 0.0  # removed since
            totals.setdefault(project_id, [0.0, 0.0])[column] += rate * seconds / HOUR
    rows = [
        ProjectCost(project.project_id, project.project_name, *totals[project.project_id])
        for project in projects
    ]
    return Costs(
        rows,
        ProjectCost(
            None, "Whole studio", sum(row.live for row in rows), sum(row.scenario for row in rows)
        ),
    )


def compare_scenario(dbsession: Session, scenario: Scenario, *, weeks: int = 12) -> Comparison:
    """The scenario beside the live plan (see the module docstring); the load covers ``weeks``
    weeks from the Monday of the scenario's "now" (today when never scheduled)."""
    weeks = max(1, weeks)
    studio = studio_calendar(dbsession)
    projects = _ends(dbsession, scenario, studio)
    milestones = _milestones(dbsession, scenario, studio)
    studio_people = read_people(dbsession)
    people = {**studio_people.people, **_temporary_people(dbsession, scenario)}
    live = read_live_bookings(dbsession)
    planned = _scenario_bookings(dbsession, scenario)
    week_list = week_starts(scenario.results_now or utcnow(), weeks)
    first, last = span_of([*live, *planned], week_list)
    working_time = WorkingTime(
        studio.working_hours,
        StudioPeople(people, studio_people.holidays),
        first,
        last,
        studio.time_zone,
    )
    scheduled = scenario.scheduled_at is not None
    return Comparison(
        scenario=scenario,
        weeks=week_list,
        projects=projects,
        milestones=milestones,
        load=_load(working_time, people, _department_names(dbsession), week_list, live, planned),
        cost=_costs(working_time, people, projects, live, planned),
        never_scheduled=not scheduled,
        out_of_date=is_out_of_date(scenario),
        live_moved=scheduled
        and live_fingerprint(dbsession, scenario.studio) != scenario.results_fingerprint,
    )

"""A department lead's part of the home page: the load of the departments they lead this week
and next, each member's scheduled hours against the hours they can work (the workload grid's)."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Department, DepartmentUser, User
from ..scheduling.load import week_starts
from ..workload.grid import Load, WorkloadRow, workload_grid
from ..workload.scope import WorkloadPerson

WEEKS_SHOWN = 2


@dataclass(frozen=True)
class DepartmentLoad:
    """A department's members over the weeks shown, the most loaded this week first."""

    department: Department
    rows: list[WorkloadRow]

    @property
    def totals(self) -> list[Load]:
        """Each week's sum over the members."""
        return [
            sum((row.cells[index] for row in self.rows), Load()) for index in range(WEEKS_SHOWN)
        ]

    @property
    def over_booked(self) -> int:
        """How many members are over-booked in either week."""
        return sum(1 for row in self.rows if any(cell.over_booked for cell in row.cells))


def _this_week_first(row: WorkloadRow) -> tuple:
    load = row.cells[0]
    return (not load.over_booked, -(load.percent or 0), row.person.name, row.person.id)


def departments_load(
    dbsession: Session, department_ids: list[int], now: datetime
) -> tuple[list[datetime], list[DepartmentLoad]]:
    """The weeks shown (this one and the next) and the load of each department of
    ``department_ids``, by name: one query for the departments' members, then the workload
    grid's for all of them at once."""
    weeks = week_starts(now, WEEKS_SHOWN)
    if not department_ids:
        return weeks, []
    members = dbsession.execute(
        select(Department, User)
        .join(DepartmentUser, DepartmentUser.department_id == Department.id)
        .join(User, User.id == DepartmentUser.user_id)
        .where(Department.id.in_(department_ids), User.is_active.is_(True))
        .order_by(Department.name, Department.id, User.name, User.id)
    ).all()
    people = {user.id: WorkloadPerson(user.id, user.name) for _, user in members}
    grid = workload_grid(dbsession, list(people.values()), weeks, now=now)
    rows = {row.person.id: row for row in grid.rows}
    loads: dict[int, DepartmentLoad] = {}
    for department, user in members:
        loads.setdefault(department.id, DepartmentLoad(department, [])).rows.append(rows[user.id])
    for load in loads.values():
        load.rows.sort(key=_this_week_first)
    return weeks, list(loads.values())

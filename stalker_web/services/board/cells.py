"""The cells of the production board: each row's task of each step, with its status, its
assignees' names and its late mark, read as plain values in three queries for a whole page."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, literal, select, union_all
from sqlalchemy.orm import Session

from ...models import Project, Status, Task, User
from ...models.task import task_computed_resources, task_resources
from ..scheduling.lateness import Standing, TaskDates, milestone_dates, standing
from ..workflow.statuses import task_statuses


@dataclass(frozen=True)
class Cell:
    """A step's task in a row: its status, who does it and where it stands against its dates."""

    task_id: int
    name: str
    status: Status
    computed_end: datetime | None
    people: list[str]
    standing: Standing

    @property
    def initials(self) -> str:
        """The assignees' initials ("AL, BK")."""
        return ", ".join(initials(name) for name in self.people)

    @property
    def names(self) -> str:
        """The assignees' full names."""
        return ", ".join(self.people)


def initials(name: str) -> str:
    """The first letters of the first and last words of a name ("Ann Lee" -> "AL"); a closing
    number is kept whole, so numbered people stay apart ("Animation Artist 7" -> "AA7")."""
    words = name.split()
    number = words.pop() if len(words) > 1 and words[-1].isdigit() else ""
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper() + number


def _people(dbsession: Session, step_tasks: Select) -> dict[tuple[str, int], list[str]]:
    """The names of the computed resources and resources of the tasks ``step_tasks`` selects,
    by ("computed" or "resources", task id), by name (one query)."""
    parts = [
        select(literal(kind).label("kind"), table.c.task_id, User.name)
        .join(User, User.id == table.c.user_id)
        .where(table.c.task_id.in_(step_tasks))
        for kind, table in (("computed", task_computed_resources), ("resources", task_resources))
    ]
    people = union_all(*parts).subquery()
    names: dict[tuple[str, int], list[str]] = defaultdict(list)
    for kind, task_id, name in dbsession.execute(
        select(people.c.kind, people.c.task_id, people.c.name).order_by(people.c.name)
    ):
        names[(kind, task_id)].append(name)
    return names


def step_cells(
    dbsession: Session,
    project: Project,
    row_ids: list[int],
    step_ids: Iterable[int],
    now: datetime,
) -> dict[tuple[int, int], Cell]:
    """The cells of the rows ``row_ids``, by (row id, step id): the first task (by id) of that
    step right under the row. Assignees are the people the last schedule gave the task, else
    its resources. Three queries (and the Task statuses once per session)."""
    if not row_ids:
        return {}
    statuses = {status.id: status for status in task_statuses(dbsession).values()}
    in_cells = (Task.parent_id.in_(row_ids), Task.type_id.in_(list(step_ids)))
    tasks = dbsession.execute(
        select(
            Task.id,
            Task.parent_id,
            Task.type_id,
            Task.name,
            Task.status_id,
            Task.end,
            Task.computed_start,
            Task.computed_end,
        )
        .where(*in_cells)
        .order_by(Task.id)
    ).all()
    task_ids = [task.id for task in tasks]
    people = _people(dbsession, select(Task.id).where(*in_cells)) if task_ids else {}
    milestones = milestone_dates(dbsession, task_ids)
    cells: dict[tuple[int, int], Cell] = {}
    for task in tasks:
        place = (task.parent_id, task.type_id)
        if place in cells:
            continue
        status = statuses[task.status_id]
        scheduled = task.computed_start is not None and task.computed_end is not None
        computed = people.get(("computed", task.id), []) if scheduled else []
        dates = TaskDates(
            status_code=status.code,
            end=task.end,
            computed_end=task.computed_end,
            project_end=project.end,
            milestone_date=milestones.get(task.id),
        )
        cells[place] = Cell(
            task_id=task.id,
            name=task.name,
            status=status,
            computed_end=task.computed_end,
            people=computed or people.get(("resources", task.id), []),
            standing=standing(dates, now),
        )
    return cells

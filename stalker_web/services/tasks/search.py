"""Find a task anywhere in the studio by its name or its path, a page at a time: what a what-if
scenario's "Change a task" search lists (every project, since a scenario covers the studio)."""

from dataclasses import dataclass, replace

from sqlalchemy import ColumnElement, and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from ...models import Project, Task
from ...pagination import Page, paginate
from .paths import task_paths

PER_PAGE = 25


@dataclass(frozen=True)
class FoundTask:
    """A task of the search, with its project and its names from the root ("SQ010 / SH040 /
    Animation")."""

    task: Task
    project: Project
    path: str


def _like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _word_matches(word: str):
    """The task's name or code holds ``word``, or the name or code of one of its ancestors or
    its project's code; a number is also the task's id."""
    pattern = _like(word)
    ancestor = aliased(Task)
    by_id = [Task.id == int(word)] if word.isdigit() and len(word) <= 9 else []
    return or_(
        *by_id,
        func.lower(Task.name).like(pattern, escape="\\"),
        func.lower(Task.code).like(pattern, escape="\\"),
        func.lower(Project.code).like(pattern, escape="\\"),
        exists().where(
            and_(
                Task.path.like(ancestor.path + "%"),
                ancestor.id != Task.id,
                or_(
                    func.lower(ancestor.name).like(pattern, escape="\\"),
                    func.lower(ancestor.code).like(pattern, escape="\\"),
                ),
            )
        ),
    )


def path_conditions(text: str) -> list[ColumnElement[bool]]:
    """One SQL condition per word of ``text`` (a path's "/" separates words too): the task's
    path holds the word (see ``_word_matches``). The statement joins the task's project."""
    return [_word_matches(word) for word in text.replace("/", " ").split()]


def studio_task_page(
    dbsession: Session,
    text: str,
    number: int = 1,
    per_page: int = PER_PAGE,
    project_ids: list[int] | None = None,
) -> Page:
    """One page of the studio's tasks (of ``project_ids`` only, when given) whose path holds
    every word of ``text`` (all tasks when blank; a path's "/" separates words too), by
    project, then tree order; three queries whatever the page holds."""
    statement = (
        select(Task)
        .join(Task.project)
        .options(joinedload(Task.project))
        .order_by(Project.name, Project.id, Task.path)
    )
    if project_ids is not None:
        statement = statement.where(Task.project_id.in_(project_ids))
    statement = statement.where(*path_conditions(text))
    page = paginate(dbsession, statement, number, per_page, params={"q": text})
    paths = task_paths(dbsession, page.items)
    return replace(
        page, items=[FoundTask(task, task.project, paths[task.id]) for task in page.items]
    )

"""Writing a run's results: computed dates and resources of the tasks in scope, and the
computed dates of the projects in scope, in the caller's one transaction.

Only ``computed_start``/``computed_end`` and ``task_computed_resources`` change (a task's own
``start``/``end`` are its pinned dates and stay). Tasks and projects outside the run are not
touched, unlike Stalker, which empties every task's computed resources. Rows deleted while tj3
ran are skipped. ``version_id`` is not bumped: computed values are not part of any edit form,
so a user editing a task meanwhile does not get a conflict. Given the run, the dates written
are also kept as a baseline of each project in the results (``baselines.record_baselines``).
"""

from sqlalchemy import bindparam, delete, insert, select, true, update
from sqlalchemy.orm import Session

from ...models import Project, Task, User
from ...models.task import task_computed_resources
from .baselines import record_baselines
from .results import ScheduleResults

_tasks = Task.__table__
_projects = Project.__table__
_users = User.__table__


def _in_scope(column, project_ids: list[int] | None):
    return true() if project_ids is None else column.in_(project_ids)


def write_results(
    dbsession: Session,
    project_ids: list[int] | None,
    results: ScheduleResults,
    run_id: int | None = None,
    baselines_kept: int = 20,
) -> int:
    """Write ``results`` for the projects ``project_ids`` (None: all), and with ``run_id`` keep
    them as baselines (``baselines_kept`` per project); return the number of tasks written. The
    caller commits (or rolls back) the transaction."""
    existing = set(
        dbsession.scalars(select(_tasks.c.id).where(_in_scope(_tasks.c.project_id, project_ids)))
    )
    task_rows = [
        {"b_id": task_id, "b_start": start, "b_end": end}
        for task_id, (start, end) in results.task_dates.items()
        if task_id in existing
    ]
    if task_rows:
        dbsession.execute(
            update(_tasks)
            .where(_tasks.c.id == bindparam("b_id"))
            .values(computed_start=bindparam("b_start"), computed_end=bindparam("b_end")),
            task_rows,
        )
    scope_tasks = select(_tasks.c.id).where(_in_scope(_tasks.c.project_id, project_ids))
    dbsession.execute(
        delete(task_computed_resources).where(task_computed_resources.c.task_id.in_(scope_tasks))
    )
    users = set(dbsession.scalars(select(_users.c.id)))
    resource_rows = [
        {"task_id": task_id, "user_id": user_id}
        for task_id, user_ids in results.task_resources.items()
        if task_id in existing
        for user_id in dict.fromkeys(user_ids)
        if user_id in users
    ]
    if resource_rows:
        dbsession.execute(insert(task_computed_resources), resource_rows)
    project_rows = [
        {
            "b_id": project_id,
            "b_start": results.project_dates.get(project_id, (None, None))[0],
            "b_end": results.project_dates.get(project_id, (None, None))[1],
        }
        for project_id in dbsession.scalars(
            select(_projects.c.id).where(_in_scope(_projects.c.id, project_ids))
        )
    ]
    if project_rows:
        dbsession.execute(
            update(_projects)
            .where(_projects.c.id == bindparam("b_id"))
            .values(computed_start=bindparam("b_start"), computed_end=bindparam("b_end")),
            project_rows,
        )
    if run_id is not None:
        scheduled = {row["b_id"] for row in project_rows if row["b_start"] is not None}
        record_baselines(dbsession, run_id, scheduled, baselines_kept)
    return len(task_rows)

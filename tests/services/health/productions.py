"""Productions whose health has something in every part (a late milestone too), for the health
tests of services and pages alike."""

from datetime import datetime, timedelta

from sqlalchemy import select

from stalker_web.models import Review, RunPhase, RunStatus, ScheduleRun, Task, TimeLog
from stalker_web.services.tasks.dependencies import add_dependency

from ...factories.tasks import production

DAY = timedelta(days=1)


def run(factory, now: datetime, **values) -> ScheduleRun:
    """A succeeded run of the live plan that finished the day before ``now``."""
    scheduled = ScheduleRun(
        name="A run",
        studio=factory.studio(),
        status=RunStatus.SUCCEEDED,
        phase=RunPhase.DONE,
        finished_at=now - DAY,
        **values,
    )
    factory.dbsession.add(scheduled)
    factory.dbsession.flush()
    return scheduled


def dated_production(factory, dbsession, scale: int, now: datetime):
    """``production()`` with late lighting, at-risk animation, a milestone, a time log, a
    review waiting and a run: every part of the section has something to show."""
    project, _, lighting = production(factory, scale)
    project.start, project.end = now - 20 * DAY, now + 5 * DAY
    for task in dbsession.scalars(select(Task).where(Task.project_id == project.id)):
        if task.name == "Lighting":
            task.end = now - DAY
        elif task.name == "Animation":
            task.end, task.computed_start, task.computed_end = now + DAY, now, now + 3 * DAY
            task.computed_resources = list(task.resources)
    milestone = factory.task(project=project, name="Delivery", is_milestone=True, end=now - DAY / 4)
    add_dependency(dbsession, milestone, lighting)
    dbsession.add(Review(task=lighting, reviewer=lighting.resources[0]))
    dbsession.add(
        TimeLog(task=lighting, resource=lighting.resources[0], start=now - DAY, end=now - DAY / 2)
    )
    run(factory, now, project_ids=[project.id])
    dbsession.flush()
    return project

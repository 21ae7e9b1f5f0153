"""Finding what a ticket could link to: tasks of its project whose path holds the words typed
("SH010 anim"), versions whose name holds the text ("Animation r01 v003") and files whose name
does ("blocking.png"), a few of each, in a fixed number of queries."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...models import File, Project, Task, Version
from ..tasks.search import studio_task_page
from .links import LinkView, entity_views

SHOWN = 10


def find_linkable(dbsession: Session, project: Project, text: str) -> list[LinkView]:
    """Up to ``SHOWN`` tasks, then versions, then files of ``project`` matching ``text`` (nothing
    for a blank text), each named by its path."""
    text = text.strip()
    if not text:
        return []
    tasks = [
        found.task
        for found in studio_task_page(
            dbsession, text, per_page=SHOWN, project_ids=[project.id]
        ).items
    ]
    needle = text.lower()
    versions = dbsession.scalars(
        select(Version)
        .join(Version.task)
        .where(Task.project_id == project.id)
        .where(func.lower(Version.name).contains(needle, autoescape=True))
        .options(joinedload(Version.task))
        .order_by(Version.id.desc())
        .limit(SHOWN)
    ).all()
    files = dbsession.scalars(
        select(File)
        .join(File.version)
        .join(Version.task)
        .where(Task.project_id == project.id)
        .where(func.lower(File.original_filename).contains(needle, autoescape=True))
        .options(joinedload(File.version).joinedload(Version.task))
        .order_by(File.id.desc())
        .limit(SHOWN)
    ).all()
    return entity_views(dbsession, [*tasks, *versions, *files])

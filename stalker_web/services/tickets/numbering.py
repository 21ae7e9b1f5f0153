"""Ticket numbers: each project counts its own, and two tickets created at once never share one.

The next number is taken with one ``UPDATE projects SET last_ticket_number = last_ticket_number
+ 1 WHERE id = :id RETURNING last_ticket_number``: the row lock (PostgreSQL) or the write lock
(SQLite, taken first with BEGIN IMMEDIATE) makes concurrent creations wait for each other, so
the numbers run 1, 2, 3... without a gap or a repeat; (project, number) is UNIQUE besides.
"""

from sqlalchemy import update
from sqlalchemy.orm import Session

from ...models import Project
from ..transactions import hold_write_lock

_projects = Project.__table__


def next_ticket_number(dbsession: Session, project: Project) -> int:
    """Count one more ticket for ``project`` and return its number."""
    hold_write_lock(dbsession)
    return dbsession.execute(
        update(_projects)
        .where(_projects.c.id == project.id)
        .values(last_ticket_number=_projects.c.last_ticket_number + 1)
        .returning(_projects.c.last_ticket_number)
    ).scalar_one()


def ticket_name(label: str, number: int) -> str:
    """ "Ticket #12": the studio's label and the number."""
    return f"{label} #{number}"

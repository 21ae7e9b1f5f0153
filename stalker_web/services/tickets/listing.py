"""Lists of tickets: a project's, filtered and paginated (newest first), and "my tickets" (owned
or reported by me, across my projects, open ones first). Each page is a fixed number of queries
whatever it holds: the count, the tickets with their status, type and people, their links, and
the paths of the linked tasks."""

from dataclasses import dataclass, replace

from sqlalchemy import Select, case, or_, select
from sqlalchemy.orm import Session, joinedload

from ...models import Project, ProjectUser, Task, Ticket, User
from ...pagination import Page, paginate
from ..tasks.paths import task_path
from .filters import TicketFilters, filter_conditions, status_condition
from .links import LinkView, links_of
from .workflow import TicketWorkflow

PER_PAGE = 50


@dataclass(frozen=True)
class TicketRow:
    """A ticket of a list with what it links to."""

    ticket: Ticket
    links: list[LinkView]


@dataclass(frozen=True)
class LinkedTask:
    """The task the list is narrowed to (its tickets link to it or to something under it)."""

    task: Task
    path: str


def _with_people(statement: Select) -> Select:
    return statement.options(
        joinedload(Ticket.status),
        joinedload(Ticket.type),
        joinedload(Ticket.owner),
        joinedload(Ticket.reporter),
    )


def linked_task(dbsession: Session, project: Project, task_id: int | None) -> LinkedTask | None:
    """The task of ``project`` a ``linked`` filter names, with its path; None for none (or one
    of another project, which filters nothing)."""
    task = dbsession.get(Task, task_id) if task_id is not None else None
    if task is None or task.project_id != project.id:
        return None
    return LinkedTask(task, task_path(dbsession, task))


def filtered_tickets(
    project: Project, filters: TicketFilters, workflow: TicketWorkflow, linked: Task | None
) -> Select:
    """The tickets of ``project`` that ``filters`` keep, with their status, type and people
    (in no order: the caller orders them)."""
    return _with_people(
        select(Ticket).where(
            Ticket.project_id == project.id, *filter_conditions(filters, workflow, linked)
        )
    )


def project_tickets_statement(
    project: Project, filters: TicketFilters, workflow: TicketWorkflow, linked: Task | None
) -> Select:
    """The tickets of ``project`` that ``filters`` keep, newest first."""
    return filtered_tickets(project, filters, workflow, linked).order_by(Ticket.number.desc())


def _rows(dbsession: Session, page: Page) -> Page:
    links = links_of(dbsession, page.items)
    return replace(page, items=[TicketRow(ticket, links[ticket.id]) for ticket in page.items])


def project_tickets(
    dbsession: Session,
    workflow: TicketWorkflow,
    project: Project,
    filters: TicketFilters,
    number: int,
    linked: LinkedTask | None = None,
) -> Page:
    """One page of ``project``'s tickets that ``filters`` keep (``linked``: the loaded task of
    ``filters.linked_id``), with their links."""
    statement = project_tickets_statement(
        project, filters, workflow, linked.task if linked else None
    )
    page = paginate(dbsession, statement, number, PER_PAGE, params=filters.params())
    return _rows(dbsession, page)


def my_tickets(dbsession: Session, workflow: TicketWorkflow, user: User, number: int) -> Page:
    """One page of the tickets ``user`` owns or reported in the projects they are a member of:
    open ones first, then the most recently changed."""
    my_projects = select(ProjectUser.project_id).where(ProjectUser.user_id == user.id)
    closed_last = case((status_condition(workflow.closed_codes), 1), else_=0)
    statement = _with_people(
        select(Ticket)
        .where(
            Ticket.project_id.in_(my_projects),
            or_(Ticket.owner_id == user.id, Ticket.reporter_id == user.id),
        )
        .options(joinedload(Ticket.project))
        .order_by(closed_last, Ticket.date_updated.desc(), Ticket.id.desc())
    )
    return _rows(dbsession, paginate(dbsession, statement, number, PER_PAGE))


def ticket_owners(dbsession: Session, project: Project) -> list[User]:
    """The people who own a ticket of ``project`` (what the list's owner filter offers), by
    name (one query)."""
    owners = select(Ticket.owner_id).where(Ticket.project_id == project.id)
    return list(dbsession.scalars(select(User).where(User.id.in_(owners)).order_by(User.name)))

"""What a user narrowed a project's tickets to, read from and written back to the URL, and the
SQL conditions it makes (every one a bound parameter; the filtered columns are indexed)."""

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, exists, func, or_, select

from ...limits import query_int, query_text
from ...models import File, Status, Task, Ticket, TicketLink, Version
from ...models.task_path import subtree_pattern
from ...models.ticket import TicketPriority
from .workflow import TicketWorkflow

TEXT_MAX_LENGTH = 100
OPEN, CLOSED = "open", "closed"
NOBODY = "none"


@dataclass(frozen=True)
class TicketFilters:
    """``status`` is a status code, "open", "closed" or "" (any); ``owner`` a user id, "none"
    (nobody's) or "" (anybody's); ``linked_id`` a task whose subtree the tickets link to."""

    status: str = ""
    owner: str = ""
    type_id: int | None = None
    priority: str = ""
    text: str = ""
    linked_id: int | None = None

    @property
    def active(self) -> bool:
        """Whether any filter is set (an empty list then means no match, not no tickets)."""
        return any(self.params().values())

    def params(self) -> dict:
        """The filters as query-string parameters (the pager leaves the empty ones out)."""
        return {
            "status": self.status,
            "owner": self.owner,
            "type": self.type_id,
            "priority": self.priority,
            "q": self.text,
            "linked": self.linked_id,
        }

    def query(self, **extra) -> dict:
        """The non-empty parameters, plus ``extra``, for a link keeping the filters."""
        return {k: v for k, v in {**self.params(), **extra}.items() if v not in (None, "")}


def parse_filters(params: Mapping, workflow: TicketWorkflow) -> TicketFilters:
    """The filters of a query string; anything unknown or malformed means no filter."""
    status = query_text(params, "status")
    owner = query_text(params, "owner")
    priority = query_text(params, "priority")
    return TicketFilters(
        status=status if status in (OPEN, CLOSED, *workflow.status_codes) else "",
        owner=owner if owner == NOBODY or query_int(params, "owner") is not None else "",
        type_id=query_int(params, "type"),
        priority=priority if priority in TicketPriority.__members__ else "",
        text=query_text(params, "q", max_length=TEXT_MAX_LENGTH),
        linked_id=query_int(params, "linked"),
    )


def status_condition(codes) -> ColumnElement[bool]:
    """The ticket's status is one of ``codes``."""
    return Ticket.status_id.in_(select(Status.id).where(Status.code.in_(list(codes))))


def _status_codes(filters: TicketFilters, workflow: TicketWorkflow):
    if filters.status == OPEN:
        return workflow.open_codes
    if filters.status == CLOSED:
        return workflow.closed_codes
    return [filters.status]


def _text_condition(text: str) -> ColumnElement[bool]:
    """The summary or the description holds ``text`` (any case); "#12" or "12" is a number."""
    needle = text.lower()
    matches = [
        func.lower(Ticket.summary).contains(needle, autoescape=True),
        func.lower(Ticket.description).contains(needle, autoescape=True),
    ]
    number = needle.removeprefix("#")
    if number.isascii() and number.isdigit() and len(number) <= 9:
        matches.append(Ticket.number == int(number))
    return or_(*matches)


def linked_condition(task: Task) -> ColumnElement[bool]:
    """The ticket links to ``task`` or anything under it: a task of its subtree, a version of one
    of those, or a file of such a version."""
    inside = select(Task.id).where(Task.path.like(subtree_pattern(task.path)))
    versions = select(Version.id).where(Version.task_id.in_(inside))
    files = select(File.id).where(File.owner_version_id.in_(versions))
    return exists().where(
        and_(
            TicketLink.ticket_id == Ticket.id,
            or_(
                TicketLink.task_id.in_(inside),
                TicketLink.linked_version_id.in_(versions),
                TicketLink.file_id.in_(files),
            ),
        )
    )


def filter_conditions(
    filters: TicketFilters, workflow: TicketWorkflow, linked: Task | None
) -> list[ColumnElement[bool]]:
    """The conditions of ``filters`` (``linked``: the task ``filters.linked_id`` names, loaded)."""
    conditions = []
    if filters.status:
        conditions.append(status_condition(_status_codes(filters, workflow)))
    if filters.owner == NOBODY:
        conditions.append(Ticket.owner_id.is_(None))
    elif filters.owner:
        conditions.append(Ticket.owner_id == int(filters.owner))
    if filters.type_id is not None:
        conditions.append(Ticket.type_id == filters.type_id)
    if filters.priority:
        conditions.append(Ticket.priority == TicketPriority[filters.priority])
    if filters.text:
        conditions.append(_text_condition(filters.text))
    if linked is not None:
        conditions.append(linked_condition(linked))
    return conditions

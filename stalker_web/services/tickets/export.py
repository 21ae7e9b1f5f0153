"""A project's tickets as CSV: every ticket the list's filters keep (no paging), one line each,
produced batch by batch so that memory does not grow with the project; a cell a spreadsheet
would run as a formula is neutralised."""

import csv
import io
from collections.abc import Iterable, Iterator

from sqlalchemy.orm import Session

from ...models import Project, Ticket
from ...time_zones import format_moment
from ..accounts.directory import spreadsheet_safe
from .choices import PRIORITY_LABELS
from .filters import TicketFilters
from .links import LinkView, links_of
from .listing import LinkedTask, project_tickets_statement
from .workflow import TicketWorkflow

BATCH = 500
HEADER = (
    "Ticket", "Summary", "Status", "Type", "Priority", "Owner", "Reporter", "Resolution",
    "Linked to", "Opened", "Last changed",
)  # fmt: skip
LINK_SEPARATOR = "; "


def _line(values: Iterable[str]) -> str:
    out = io.StringIO()
    csv.writer(out).writerow([spreadsheet_safe(value) for value in values])
    return out.getvalue()


def _values(ticket: Ticket, links: list[LinkView], time_zone: str) -> list[str]:
    return [
        ticket.name,
        ticket.summary,
        ticket.status.name,
        ticket.type.name if ticket.type else "",
        PRIORITY_LABELS[ticket.priority],
        ticket.owner.name if ticket.owner else "",
        ticket.reporter.name if ticket.reporter else "",
        ticket.resolution,
        LINK_SEPARATOR.join(link.label for link in links),
        format_moment(ticket.date_created, time_zone),
        format_moment(ticket.date_updated, time_zone),
    ]


def ticket_csv_lines(
    dbsession: Session,
    workflow: TicketWorkflow,
    project: Project,
    filters: TicketFilters,
    time_zone: str,
    linked: LinkedTask | None = None,
) -> Iterator[str]:
    """The CSV lines (header first) of ``project``'s tickets that ``filters`` keep, newest first,
    with dates in ``time_zone``; the tickets are read ``BATCH`` at a time, each batch with its
    links in three queries."""
    yield _line(HEADER)
    statement = project_tickets_statement(
        project, filters, workflow, linked.task if linked else None
    )
    result = dbsession.scalars(statement.execution_options(yield_per=BATCH))
    for batch in result.partitions():
        links = links_of(dbsession, batch)
        for ticket in batch:
            yield _line(_values(ticket, links[ticket.id], time_zone))

"""What a ticket is about and what it relates to: links to tasks (assets, shots, sequences...),
versions and files of its project, and related tickets of the same project, stored both ways.

A link target is written ``task:12``, ``version:5`` or ``file:9`` in forms and URLs. Each change
is logged on the ticket (a relation on both tickets).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ...models import File, Project, Task, Ticket, TicketLink, User, Version
from ..errors import ValidationError
from ..tasks.paths import task_paths
from .log import LINK, RELATE, UNLINK, UNRELATE, record_change

KINDS = {"task": Task, "version": Version, "file": File}
# The most tickets one "related tickets" field names.
MAX_RELATED = 20
_NUMBER = re.compile(r"#?([0-9]{1,9})")


@dataclass(frozen=True)
class LinkTarget:
    """An entity a ticket may link to: its kind ("task", "version" or "file") and id."""

    kind: str
    id: int

    @classmethod
    def parse(cls, text: str | None) -> "LinkTarget | None":
        """``"task:12"`` as a target; None for anything else."""
        kind, _, number = (text or "").partition(":")
        if kind not in KINDS or not number.isascii() or not number.isdigit() or len(number) > 9:
            return None
        return cls(kind, int(number))

    def __str__(self) -> str:
        return f"{self.kind}:{self.id}"


@dataclass(frozen=True)
class LinkView:
    """A linked entity as pages show it: what it is ("Shot", "Version", "File"), its name with
    its task's path, and the link's id (None before the link exists)."""

    target: LinkTarget
    kind_label: str
    label: str
    link_id: int | None = None


def _target_of(entity: Task | Version | File) -> LinkTarget:
    kind = next(kind for kind, model in KINDS.items() if isinstance(entity, model))
    return LinkTarget(kind, entity.id)


def _task_of(entity: Task | Version | File) -> Task:
    if isinstance(entity, File):
        return entity.version.task
    return entity.task if isinstance(entity, Version) else entity


def _view(entity: Task | Version | File, paths: dict[int, str], link_id=None) -> LinkView:
    path = paths[_task_of(entity).id]
    if isinstance(entity, Task):
        return LinkView(_target_of(entity), entity.entity_type, path, link_id)
    if isinstance(entity, Version):
        return LinkView(_target_of(entity), "Version", f"{path} · {entity.label}", link_id)
    label = f"{path} · {entity.version.label} · {entity.filename}"
    return LinkView(_target_of(entity), "File", label, link_id)


def entity_views(dbsession: Session, entities: Iterable[Task | Version | File]) -> list[LinkView]:
    """Each entity as a page names it (two queries for the paths of their tasks)."""
    entities = list(entities)
    paths = task_paths(dbsession, {_task_of(entity) for entity in entities})
    return [_view(entity, paths) for entity in entities]


def _entity(link: TicketLink) -> Task | Version | File:
    return link.task or link.version or link.file


def links_of(dbsession: Session, tickets: Iterable[Ticket]) -> dict[int, list[LinkView]]:
    """The links of each ticket by ticket id, in the order they were made: three queries
    whatever the number of tickets and links (the links with their targets, the paths)."""
    ticket_ids = [ticket.id for ticket in tickets]
    if not ticket_ids:
        return {}
    links = dbsession.scalars(
        select(TicketLink)
        .where(TicketLink.ticket_id.in_(ticket_ids))
        .options(
            joinedload(TicketLink.task),
            joinedload(TicketLink.version).joinedload(Version.task),
            joinedload(TicketLink.file).joinedload(File.version).joinedload(Version.task),
        )
        .order_by(TicketLink.id)
    ).all()
    paths = task_paths(dbsession, {_task_of(_entity(link)) for link in links})
    found: dict[int, list[LinkView]] = {ticket_id: [] for ticket_id in ticket_ids}
    for link in links:
        found[link.ticket_id].append(_view(_entity(link), paths, link.id))
    return found


def linkable_entity(dbsession: Session, project: Project, target: LinkTarget | None, field: str):
    """The task, version or file ``target`` names, refused under ``field`` unless it belongs to
    ``project``."""
    entity = dbsession.get(KINDS[target.kind], target.id) if target is not None else None
    if entity is None or _task_of(entity).project_id != project.id:
        raise ValidationError(f"Choose a task, version or file of {project.name}.", field)
    return entity


def new_link(ticket: Ticket, entity: Task | Version | File) -> TicketLink:
    """A link of ``ticket`` to ``entity`` (not saved yet; refused when it is already linked)."""
    target = _target_of(entity)
    if any(_target_of(_entity(link)) == target for link in ticket.links):
        raise ValidationError("The ticket is already linked to it.", "link")
    link = TicketLink(**{target.kind: entity})  # the relationships are named as the kinds
    ticket.links.append(link)
    return link


def link_entity(
    dbsession: Session, ticket: Ticket, actor: User, target: LinkTarget | None
) -> TicketLink:
    """Link ``ticket`` to the task, version or file ``target`` of its project, and log it."""
    entity = linkable_entity(dbsession, ticket.project, target, "link")
    link = new_link(ticket, entity)
    [view] = entity_views(dbsession, [entity])
    record_change(dbsession, ticket, actor, LINK, {"link": [None, view.label]})
    return link


def unlink(dbsession: Session, ticket: Ticket, actor: User, link_id: int | None) -> str:
    """Remove the link ``link_id`` of ``ticket``, and log it; what it linked to, in words."""
    link = next((link for link in ticket.links if link.id == link_id), None)
    if link is None:
        raise ValidationError("This link is already gone; reload the page.")
    [view] = entity_views(dbsession, [_entity(link)])
    ticket.links.remove(link)
    record_change(dbsession, ticket, actor, UNLINK, {"link": [view.label, None]})
    return view.label


def ticket_numbers(text: str | None, field: str) -> list[int]:
    """The ticket numbers of a text such as "#3, 7 #12", each once; refused under ``field``
    when a part is not a number."""
    parts = [part for part in re.split(r"[\s,;]+", text or "") if part]
    numbers = []
    for part in parts:
        match = _NUMBER.fullmatch(part)
        if match is None:
            raise ValidationError(
                f"“{part[:20]}” is not a ticket number; write numbers such as #3, #12.", field
            )
        numbers.append(int(match.group(1)))
    numbers = list(dict.fromkeys(numbers))
    if len(numbers) > MAX_RELATED:
        raise ValidationError(f"Name at most {MAX_RELATED} tickets at a time.", field)
    return numbers


def tickets_by_numbers(
    dbsession: Session, project: Project, numbers: list[int], label: str, field: str
) -> list[Ticket]:
    """The tickets of ``project`` with ``numbers``, in that order (one query); refused under
    ``field`` naming a number the project has no ticket for."""
    if not numbers:
        return []
    found = {
        ticket.number: ticket
        for ticket in dbsession.scalars(
            select(Ticket).where(Ticket.project_id == project.id, Ticket.number.in_(numbers))
        )
    }
    missing = [number for number in numbers if number not in found]
    if missing:
        raise ValidationError(f"{project.name} has no {label} #{missing[0]}.", field)
    return [found[number] for number in numbers]


def relate(dbsession: Session, ticket: Ticket, actor: User | None, other: Ticket) -> None:
    """Relate ``ticket`` and ``other`` (both ways) and log it on both."""
    if other.id == ticket.id:
        raise ValidationError("A ticket cannot be related to itself.", "related")
    if other in ticket.related_tickets:
        raise ValidationError(f"{other.name} is already related to this ticket.", "related")
    ticket.related_tickets.append(other)
    other.related_tickets.append(ticket)
    record_change(dbsession, ticket, actor, RELATE, {"related": [None, other.name]})
    record_change(dbsession, other, actor, RELATE, {"related": [None, ticket.name]})


def unrelate(dbsession: Session, ticket: Ticket, actor: User, related_id: int | None) -> Ticket:
    """Undo the relation of ``ticket`` with its related ticket ``related_id`` (both ways), and
    log it on both; the other ticket."""
    other = next((each for each in ticket.related_tickets if each.id == related_id), None)
    if other is None:
        raise ValidationError("These tickets are no longer related; reload the page.")
    ticket.related_tickets.remove(other)
    if ticket in other.related_tickets:
        other.related_tickets.remove(ticket)
    record_change(dbsession, ticket, actor, UNRELATE, {"related": [other.name, None]})
    record_change(dbsession, other, actor, UNRELATE, {"related": [ticket.name, None]})
    return other

"""``/api/v1/projects/{id}/tickets`` (a project's tickets, filtered as on the list page; a new
ticket) and ``/api/v1/tickets/{id}`` (a ticket with its workflow's actions; an edit of its own
fields)."""

from collections.abc import Callable

from sqlalchemy.orm import selectinload

from ...models import Ticket
from ...models.ticket import SUMMARY_LENGTH, TicketPriority
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.notes.markdown import MAX_LENGTH as DESCRIPTION_LENGTH
from ...services.tickets.actions import allowed_actions
from ...services.tickets.filters import CLOSED, NOBODY, OPEN, TEXT_MAX_LENGTH, TicketFilters
from ...services.tickets.links import KINDS, LinkTarget
from ...services.tickets.listing import filtered_tickets, linked_task
from ...services.tickets.tickets import create_ticket, update_ticket
from ..bodies import json_body, optional_id, query_number, refuse, text
from ..concurrency import matched_version, with_etag
from ..errors import ApiError
from ..idempotency import idempotent
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import Param, api_view
from ..schemas import sparse
from .items import TICKET, TICKET_DETAIL, action_json, tickets_json, workflow_of

# The services' field names, as the API's bodies name them.
BODY_FIELDS = {"type": "type_id", "owner": "owner_id"}
EDITABLE = ("summary", "description", "type_id", "priority")
PRIORITIES = [priority.value for priority in TicketPriority]
FILTERS = (
    Param("status", {"type": "string"}, "A status code, open or closed."),
    Param("owner_id", {"type": "string"}, "The owner's id, or none (nobody's)."),
    Param("type_id", {"type": "integer", "minimum": 1}, "The ticket type's id."),
    Param("priority", {"enum": PRIORITIES}, "The priority."),
    Param(
        "q",
        {"type": "string", "maxLength": TEXT_MAX_LENGTH},
        "Text of the summary or description, or a number (#12).",
    ),  # fmt: skip
    Param("task_id", {"type": "integer", "minimum": 1}, "Linked to this task or under it."),
)
LINK_ITEM = {
    "type": "object",
    "required": ["kind", "id"],
    "properties": {"kind": {"enum": list(KINDS)}, "id": {"type": "integer", "minimum": 1}},
}
FIELDS_BODY = {
    "summary": {"type": "string", "maxLength": SUMMARY_LENGTH},
    "description": {"type": "string", "maxLength": DESCRIPTION_LENGTH},
    "type_id": {"type": ["integer", "null"], "minimum": 1},
    "priority": {"enum": PRIORITIES},
}
CREATE_BODY = {
    "type": "object",
    "required": ["summary"],
    "additionalProperties": False,
    "properties": {
        **FIELDS_BODY,
        "owner_id": {"type": ["integer", "null"], "minimum": 1},
        "links": {"type": "array", "items": LINK_ITEM, "maxItems": 50},
        "related": {"type": "array", "items": {"type": "integer"}, "maxItems": 20},
    },
}


def with_body_fields(change: Callable):
    """``change()``, a service's refusal named by the body's field (``owner_id``, not owner)."""
    try:
        return change()
    except ValidationError as error:
        if error.field not in BODY_FIELDS:
            raise
        field = BODY_FIELDS[error.field]
        raise ApiError(422, error.message, fields={field: error.message}) from error


def ticket_detail(request, ticket: Ticket) -> dict:
    """The ticket with the caller's actions, and its ETag (sent as the response's)."""
    request.dbsession.flush()
    with_etag(request, ticket)
    [item] = tickets_json(request.dbsession, [ticket])
    states = allowed_actions(request.dbsession, workflow_of(request), ticket, request.user)
    return {**item, "actions": [action_json(state) for state in states]}


def _bad_filter(name: str, words: str) -> ApiError:
    return ApiError(400, f"{name}: {words}", "invalid_parameter", {name: words})


def _filters(request, workflow) -> TicketFilters:
    """The list's filters from the query string; 400 naming a malformed one."""
    params = request.GET
    status, owner = params.get("status", ""), params.get("owner_id", "")
    priority, q = params.get("priority", ""), params.get("q", "")
    if status and status not in (OPEN, CLOSED, *workflow.status_codes):
        choices = ", ".join((OPEN, CLOSED, *workflow.status_codes))
        raise _bad_filter("status", f"Use one of {choices}.")
    if owner and owner != NOBODY and query_number(request, "owner_id") is None:
        raise _bad_filter("owner_id", "Use a user id or none.")
    if priority and priority not in PRIORITIES:
        raise _bad_filter("priority", f"Use one of {', '.join(PRIORITIES)}.")
    if len(q) > TEXT_MAX_LENGTH:
        raise _bad_filter("q", f"At most {TEXT_MAX_LENGTH} characters.")
    return TicketFilters(
        status=status,
        owner=owner,
        type_id=query_number(request, "type_id"),
        priority=priority,
        text=q.strip(),
        linked_id=query_number(request, "task_id"),
    )


@api_view(
    "api.projects.tickets",
    "GET",
    Permissions.LIST_TICKETS,
    summary="A project's tickets",
    tag="tickets",
    response=page_schema(sparse(TICKET)),
    query=(*PAGE_PARAMS, FIELDS_PARAM, *FILTERS),
    errors=(400, 401, 404, 429),
)
def project_tickets(context, request) -> dict:
    dbsession, project, workflow = request.dbsession, context.entity, workflow_of(request)
    filters = _filters(request, workflow)
    linked = linked_task(dbsession, project, filters.linked_id)
    if filters.linked_id is not None and linked is None:
        raise _bad_filter("task_id", f"Name a task of {project.name}.")
    statement = filtered_tickets(project, filters, workflow, linked.task if linked else None)
    statement = statement.options(selectinload(Ticket.related_tickets))
    return cursor_page(
        request, dbsession, statement, Ticket.id, lambda rows: tickets_json(dbsession, rows), TICKET
    )


def _links(body: dict) -> list[LinkTarget | None]:
    links = body.get("links") or []
    if not isinstance(links, list) or not all(isinstance(link, dict) for link in links):
        raise refuse("links", 'Send a list of {"kind": "task", "id": 12}.')
    return [LinkTarget.parse(f"{link.get('kind')}:{link.get('id')}") for link in links]


def _related(body: dict) -> list[int]:
    related = body.get("related") or []
    if not isinstance(related, list) or not all(
        isinstance(number, int) and not isinstance(number, bool) and number > 0
        for number in related
    ):
        raise refuse("related", "Send a list of ticket numbers.")
    return list(dict.fromkeys(related))


def _priority(body: dict, default: str) -> str:
    return text(body, "priority", max_length=16, default=default)


@api_view(
    "api.projects.tickets",
    "POST",
    Permissions.CREATE_TICKET,
    summary="Open a ticket on a project",
    description="The owner is a member of the project; links name tasks, versions or files of "
    "the project; related names ticket numbers of the project.",
    tag="tickets",
    response=TICKET_DETAIL,
    status=201,
    body=CREATE_BODY,
    headers=("Idempotency-Key",),
    read_permission=Permissions.LIST_TICKETS,
    errors=(400, 401, 403, 404, 422, 429),
)
def create_project_ticket(context, request) -> dict:
    body = json_body(request, tuple(CREATE_BODY["properties"]))

    def create() -> dict:
        ticket = with_body_fields(
            lambda: create_ticket(
                request.dbsession,
                workflow_of(request),
                context.entity,
                request.user,
                summary=text(body, "summary", SUMMARY_LENGTH),
                description=text(body, "description", DESCRIPTION_LENGTH),
                type_id=optional_id(body, "type_id"),
                priority=_priority(body, TicketPriority.TRIVIAL.value),
                owner_id=optional_id(body, "owner_id"),
                links=_links(body),
                related_numbers=_related(body),
            )
        )
        request.response.status_int = 201
        request.response.headers["Location"] = request.route_url(
            "api.tickets.view", ticket_id=ticket.id
        )
        return ticket_detail(request, ticket)

    return idempotent(request, create)


@api_view(
    "api.tickets.view",
    "GET",
    Permissions.LIST_TICKETS,
    summary="A ticket, with its workflow's actions",
    tag="tickets",
    response=TICKET_DETAIL,
)
def ticket(context, request) -> dict:
    return ticket_detail(request, context.entity)


@api_view(
    "api.tickets.view",
    "PATCH",
    Permissions.UPDATE_TICKET,
    summary="Change a ticket's own fields",
    description="Send only the fields to change; the owner and status change through actions.",
    tag="tickets",
    response=TICKET_DETAIL,
    body={"type": "object", "additionalProperties": False, "properties": FIELDS_BODY},
    headers=("If-Match",),
    read_permission=Permissions.LIST_TICKETS,
    errors=(400, 401, 403, 404, 409, 412, 422, 428, 429),
)
def edit_ticket(context, request) -> dict:
    ticket = context.entity
    body = json_body(request, EDITABLE)
    version = matched_version(request, ticket)
    with_body_fields(
        lambda: update_ticket(
            request.dbsession,
            ticket,
            request.user,
            submitted_version=version,
            summary=text(body, "summary", SUMMARY_LENGTH, ticket.summary),
            description=text(body, "description", DESCRIPTION_LENGTH, ticket.description),
            type_id=optional_id(body, "type_id") if "type_id" in body else ticket.type_id,
            priority=_priority(body, ticket.priority.value),
        )
    )
    return ticket_detail(request, ticket)

"""Notes through the API: ``GET``/``POST`` on ``/api/v1/{projects,tasks,versions,tickets}/{id}/
notes`` and ``GET /api/v1/notes/{id}``. Content is Markdown; ``html`` is its safe rendering (raw
HTML shown as text, only http, https and mailto links) with mentions marked; mentions reach
members of the project as on the pages. Attached files are listed (metadata only: uploads go
through the pages)."""

from sqlalchemy import select

from ...models import Note
from ...models.note import CONTENT_LENGTH
from ...permissions import Permissions
from ...services.notes.notes import (
    NoteTarget,
    add_note,
    mentioned_user_ids,
    note_views,
)
from ..bodies import json_body, text
from ..idempotency import idempotent
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import api_view
from ..schemas import DATE_TIME, ID, NULLABLE_ID, TEXT, schema, sparse

# A note's target column, as the API names its kind.
TARGET_KINDS = {
    None: "project",
    "task_id": "task",
    "noted_version_id": "version",
    "review_id": "review",
    "ticket_id": "ticket",
    "daily_id": "daily",
}
ATTACHMENT = {
    "type": "object",
    "required": ["id", "filename", "mime_type", "size", "has_thumbnail"],
    "properties": {
        "id": ID,
        "filename": TEXT,
        "mime_type": TEXT,
        "size": {"type": "integer"},
        "has_thumbnail": {"type": "boolean"},
    },
}
NOTE = schema(
    "Note",
    {
        "id": ID,
        "project_id": ID,
        "author_id": NULLABLE_ID,
        "content": {"type": "string", "description": "Markdown, as written."},
        "html": {"type": "string", "description": "The content rendered to safe HTML."},
        "target_kind": {"enum": list(TARGET_KINDS.values())},
        "target_id": {**ID, "description": "The project's id for a note on the project."},
        "mentioned_ids": {"type": "array", "items": ID},
        "attachments": {"type": "array", "items": ATTACHMENT},
        "date_created": DATE_TIME,
        "date_updated": DATE_TIME,
        "edited": {"type": "boolean"},
    },
)
NOTE_BODY = {
    "type": "object",
    "required": ["content"],
    "additionalProperties": False,
    "properties": {"content": {"type": "string", "maxLength": CONTENT_LENGTH}},
}
LIST = {
    "tag": "notes",
    "response": page_schema(sparse(NOTE)),
    "query": (*PAGE_PARAMS, FIELDS_PARAM),
    "errors": (400, 401, 404, 429),
}
ADD = {
    "tag": "notes",
    "response": NOTE,
    "status": 201,
    "body": NOTE_BODY,
    "headers": ("Idempotency-Key",),
    "errors": (400, 401, 403, 404, 422, 429),
}


def _target(note: Note) -> tuple[str, int]:
    column = next((column for column in TARGET_KINDS if column and getattr(note, column)), None)
    return TARGET_KINDS[column], getattr(note, column) if column else note.project_id


def notes_json(dbsession, notes: list[Note]) -> list[dict]:
    """``notes`` as API items, in five queries whatever their number."""
    if not notes:
        return []
    views = note_views(dbsession, notes)
    mentioned = mentioned_user_ids(dbsession, [note.id for note in notes])
    items = []
    for note, view in zip(notes, views, strict=True):
        kind, target_id = _target(note)
        items.append(
            {
                "id": note.id,
                "project_id": note.project_id,
                "author_id": note.author_id,
                "content": note.content,
                "html": str(view.html),
                "target_kind": kind,
                "target_id": target_id,
                "mentioned_ids": mentioned.get(note.id, []),
                "attachments": [
                    {
                        "id": file.id,
                        "filename": file.filename,
                        "mime_type": file.mime_type,
                        "size": file.size,
                        "has_thumbnail": file.has_thumbnail,
                    }
                    for file in view.attachments
                ],
                "date_created": note.date_created.isoformat(),
                "date_updated": note.date_updated.isoformat(),
                "edited": view.edited,
            }
        )
    return items


def notes_page(request, project, **target) -> dict:
    """A page of the notes on ``project`` itself or on its one ``target``, oldest first."""
    dbsession = request.dbsession
    statement = select(Note).where(
        Note.project_id == project.id, NoteTarget.of(**target).condition()
    )
    return cursor_page(
        request, dbsession, statement, Note.id, lambda rows: notes_json(dbsession, rows), NOTE
    )


def post_note(request, project, **target) -> dict:
    """Add the caller's note of the body on ``project`` or its one ``target``: 201 with it."""
    body = json_body(request, ("content",))

    def create() -> dict:
        content = text(body, "content", CONTENT_LENGTH)
        note = add_note(request.dbsession, request.user, project, content, **target)
        request.response.status_int = 201
        request.response.headers["Location"] = request.route_url("api.notes.view", note_id=note.id)
        return notes_json(request.dbsession, [note])[0]

    return idempotent(request, create)


@api_view(
    "api.notes.view", "GET", Permissions.READ_PROJECT, summary="A note", tag="notes", response=NOTE
)
def note(context, request) -> dict:
    return notes_json(request.dbsession, [context.entity])[0]


@api_view(
    "api.projects.notes",
    "GET",
    Permissions.READ_PROJECT,
    summary="A project's notes",
    description="The notes on the project itself, not on its tasks.",
    **LIST,
)
def project_notes(context, request) -> dict:
    return notes_page(request, context.entity)


@api_view(
    "api.projects.notes",
    "POST",
    Permissions.CREATE_NOTE,
    summary="Add a note to a project",
    read_permission=Permissions.READ_PROJECT,
    **ADD,
)
def add_project_note(context, request) -> dict:
    return post_note(request, context.entity)


@api_view("api.tasks.notes", "GET", Permissions.READ_TASK, summary="A task's notes", **LIST)
def task_notes(context, request) -> dict:
    return notes_page(request, context.entity.project, task=context.entity)


@api_view(
    "api.tasks.notes",
    "POST",
    Permissions.CREATE_NOTE,
    summary="Add a note to a task",
    read_permission=Permissions.READ_TASK,
    **ADD,
)
def add_task_note(context, request) -> dict:
    return post_note(request, context.entity.project, task=context.entity)


@api_view("api.versions.notes", "GET", Permissions.READ_TASK, summary="A version's notes", **LIST)
def version_notes(context, request) -> dict:
    return notes_page(request, context.task.project, version=context.entity)


@api_view(
    "api.versions.notes",
    "POST",
    Permissions.CREATE_NOTE,
    summary="Add a note to a version",
    read_permission=Permissions.READ_TASK,
    **ADD,
)
def add_version_note(context, request) -> dict:
    return post_note(request, context.task.project, version=context.entity)


@api_view(
    "api.tickets.notes", "GET", Permissions.LIST_TICKETS, summary="A ticket's comments", **LIST
)
def ticket_notes(context, request) -> dict:
    return notes_page(request, context.entity.project, ticket=context.entity)


@api_view(
    "api.tickets.notes",
    "POST",
    Permissions.CREATE_NOTE,
    summary="Comment on a ticket",
    read_permission=Permissions.LIST_TICKETS,
    **ADD,
)
def add_ticket_note(context, request) -> dict:
    return post_note(request, context.entity.project, ticket=context.entity)

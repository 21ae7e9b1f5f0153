"""``/api/v1/tasks/{task_id}/versions`` and ``/api/v1/versions/{version_id}``: a task's
versions, a new one (with the paths to save it to), publishing and unpublishing.

The paths of a version are those of a file of it with an extension: the create's body field
``extension`` (".ma"), or the ``?extension=`` query parameter of the other operations. Without an
extension, or in a project that cannot name files (no structure, template or repository),
``paths`` is null and ``paths_reason`` says why.
"""

from sqlalchemy import select

from ...models import Task, Version
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.tasks.commands import ancestors
from ...services.versions import versions as service
from ...services.versions.file_paths import checked_extension, version_file_path
from ..bodies import json_body, optional_id, query_flag, query_number, text
from ..concurrency import matched_version, with_etag
from ..errors import ApiError
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import Param, api_view
from ..schemas import DATE_TIME, ID, NULLABLE_ID, NULLABLE_TEXT, TEXT, schema, sparse
from .changes import CREATING, changed, created

OS_PATHS = {
    "type": ["object", "null"],
    "description": 'The absolute path on each system ("" where the repository has no root).',
    "properties": {"linux": TEXT, "windows": TEXT, "macos": TEXT},
}
VERSION = schema(
    "Version",
    {
        "id": ID,
        "task_id": ID,
        "revision_number": {"type": "integer", "minimum": 1},
        "version_number": {"type": "integer", "minimum": 1},
        "label": {"type": "string", "description": "r01 v003"},
        "is_published": {"type": "boolean"},
        "created_with": TEXT,
        "description": TEXT,
        "parent_id": NULLABLE_ID,
        "date_created": DATE_TIME,
        "paths": OS_PATHS,
        "paths_reason": {
            **NULLABLE_TEXT,
            "description": "Why paths is null (no extension asked, nowhere to store files).",
        },
    },
)
EXTENSION_PARAM = Param(
    "extension",
    {"type": "string", "maxLength": 17},
    "The extension of the file the paths are for, such as .ma (default: no paths).",
)
NO_EXTENSION = "Ask with an extension (such as .ma) to get the paths of a file of this version."
CREATE_FIELDS = ("revision_number", "parent_id", "created_with", "description", "extension")


def _query_extension(request) -> str | None:
    raw = request.GET.get("extension")
    if raw is None:
        return None
    try:
        return checked_extension(raw[:32])
    except ValidationError as error:
        raise ApiError(
            400, error.message, "invalid_parameter", {"extension": error.message}
        ) from None


def version_paths(dbsession, version: Version, extension: str | None, chain=None):
    """(paths by OS, None), or (None, why there are none)."""
    if extension is None:
        return None, NO_EXTENSION
    try:
        return version_file_path(dbsession, version, extension, chain).paths(), None
    except ValidationError as error:
        return None, error.message


def version_json(dbsession, version: Version, extension: str | None, chain=None) -> dict:
    """The API's form of ``version``; ``chain`` (root ... its task) saves a query."""
    paths, reason = version_paths(dbsession, version, extension, chain)
    return {
        "id": version.id,
        "task_id": version.task_id,
        "revision_number": version.revision_number,
        "version_number": version.version_number,
        "label": version.label,
        "is_published": version.is_published,
        "created_with": version.created_with,
        "description": version.description,
        "parent_id": version.parent_id,
        "date_created": version.date_created.isoformat(),
        "paths": paths,
        "paths_reason": reason,
    }


def _versions_of(dbsession, task: Task, extension: str | None):
    """Serialise a page of ``task``'s versions (the task chain read once for all)."""

    def serialize(rows: list[Version]) -> list[dict]:
        chain = [*ancestors(dbsession, task), task] if rows and extension else None
        return [version_json(dbsession, version, extension, chain) for version in rows]

    return serialize


@api_view(
    "api.tasks.versions",
    "GET",
    Permissions.READ_TASK,
    summary="The versions of a task",
    tag="versions",
    response=page_schema(sparse(VERSION)),
    query=(
        *PAGE_PARAMS,
        FIELDS_PARAM,
        Param("published", {"enum": ["true", "false"]}, "Only (un)published versions."),
        Param("revision_number", {"type": "integer", "minimum": 0}, "Only this revision."),
        EXTENSION_PARAM,
    ),
)
def task_versions(context, request) -> dict:
    task = context.entity
    statement = select(Version).where(Version.task_id == task.id)
    published = query_flag(request, "published")
    if published is not None:
        statement = statement.where(Version.is_published.is_(published))
    revision = query_number(request, "revision_number")
    if revision is not None:
        statement = statement.where(Version.revision_number == revision)
    serialize = _versions_of(request.dbsession, task, _query_extension(request))
    return cursor_page(request, request.dbsession, statement, Version.id, serialize, VERSION)


@api_view(
    "api.tasks.versions",
    "POST",
    Permissions.CREATE_VERSION,
    summary="Create a version of a task",
    description="Numbered after the highest of its revision; answers the paths to save it to "
    "for the body's extension. A retry with the same Idempotency-Key makes no second version.",
    tag="versions",
    response=VERSION,
    **CREATING,
    body={
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "revision_number": {"type": "integer", "minimum": 1, "default": 1},
            "parent_id": {**NULLABLE_ID, "description": "The version it was made from."},
            "created_with": {"type": "string", "maxLength": 256, "description": "Maya 2025"},
            "description": TEXT,
            "extension": {"type": "string", "maxLength": 17, "description": ".ma"},
        },
    },
)
def create_version(context, request) -> dict:
    task, dbsession = context.entity, request.dbsession
    body = json_body(request, CREATE_FIELDS)
    extension = text(body, "extension", 32) or None
    if extension is not None:
        extension = checked_extension(extension)

    def create() -> dict:
        version = service.create_version(
            dbsession,
            task,
            revision_number=body.get("revision_number", 1),
            parent_id=optional_id(body, "parent_id"),
            created_with=text(body, "created_with", 256),
            description=text(body, "description"),
        )
        return version_json(dbsession, version, extension)

    return created(request, create, lambda item: version_url(request, item["id"]))


def version_url(request, version_id: int) -> str:
    """The API address of a version."""
    return request.route_url("api.versions.view", version_id=version_id)


@api_view(
    "api.versions.view",
    "GET",
    Permissions.READ_TASK,
    summary="A version",
    tag="versions",
    response=VERSION,
    query=(EXTENSION_PARAM,),
)
def version(context, request) -> dict:
    with_etag(request, context.entity)
    return version_json(request.dbsession, context.entity, _query_extension(request))


def _set_published(request, published: bool) -> dict:
    version = request.context.entity
    submitted = matched_version(request, version)
    changed(
        request,
        lambda: service.set_published(
            request.dbsession, version, published, submitted_version=submitted
        ),
    )
    with_etag(request, version)
    return version_json(request.dbsession, version, _query_extension(request))


PUBLISHING = {
    "tag": "versions",
    "response": VERSION,
    "headers": ("If-Match",),
    "query": (EXTENSION_PARAM,),
    "read_permission": Permissions.READ_TASK,
    "errors": (403, 409, 412, 428),
}


@api_view(
    "api.versions.publish",
    "POST",
    Permissions.UPDATE_VERSION,
    summary="Publish a version",
    **PUBLISHING,
)
def publish(context, request) -> dict:
    return _set_published(request, True)


@api_view(
    "api.versions.unpublish",
    "POST",
    Permissions.UPDATE_VERSION,
    summary="Unpublish a version",
    **PUBLISHING,
)
def unpublish(context, request) -> dict:
    return _set_published(request, False)

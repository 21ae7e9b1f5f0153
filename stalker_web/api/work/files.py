"""``/api/v1/versions/{version_id}/files`` and ``/api/v1/files/{file_id}``: a version's files,
uploading one (multipart, field ``file``) through the same checks as the version page (type by
extension and content, size, thumbnail), its details and its bytes."""

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ...models import File
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.versions.uploads import UploadRules, store_upload, stored_path
from ...views.downloads import stored_file_response
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import MULTIPART, api_view
from ..schemas import DATE_TIME, ID, TEXT, schema, sparse
from .changes import CREATING, created
from .versions import OS_PATHS

FILE = schema(
    "VersionFile",
    {
        "id": ID,
        "version_id": ID,
        "name": {"type": "string", "description": "The stored file's name."},
        "original_name": {"type": "string", "description": "The name it was uploaded as."},
        "size": {"type": "integer", "minimum": 0},
        "mime_type": TEXT,
        "relative_path": {"type": "string", "description": "Inside its repository."},
        "paths": {**OS_PATHS, "type": "object"},
        "has_thumbnail": {"type": "boolean"},
        "date_created": DATE_TIME,
    },
)


def file_json(file: File) -> dict:
    """The API's form of a version's ``file`` (its repository loaded)."""
    return {
        "id": file.id,
        "version_id": file.owner_version_id,
        "name": file.filename,
        "original_name": file.original_filename,
        "size": file.size,
        "mime_type": file.mime_type,
        "relative_path": file.relative_path,
        "paths": file.paths,
        "has_thumbnail": file.thumbnail_path is not None,
        "date_created": file.date_created.isoformat(),
    }


@api_view(
    "api.versions.files",
    "GET",
    Permissions.READ_TASK,
    summary="The files of a version",
    tag="versions",
    response=page_schema(sparse(FILE)),
    query=(*PAGE_PARAMS, FIELDS_PARAM),
)
def version_files(context, request) -> dict:
    statement = (
        select(File)
        .where(File.owner_version_id == context.entity.id)
        .options(joinedload(File.repository))
    )
    return cursor_page(request, request.dbsession, statement, File.id, files_json, FILE)


def files_json(files: list[File]) -> list[dict]:
    return [file_json(file) for file in files]


def _uploaded(request) -> tuple[str | None, object | None]:
    """The name and stream of the request's ``file`` part; (None, None) without one."""
    part = request.POST.get("file") if request.content_type == MULTIPART else None
    if part is None or not getattr(part, "filename", None) or not hasattr(part, "file"):
        return None, None
    return part.filename, part.file


@api_view(
    "api.versions.files",
    "POST",
    Permissions.CREATE_VERSION,
    summary="Upload a file into a version",
    description="multipart/form-data with the file in the field file; stored where the "
    "project's filename template says, with a thumbnail for images. A retry with the same "
    "Idempotency-Key (and the same body) stores nothing more.",
    tag="versions",
    response=FILE,
    **{**CREATING, "errors": (403, 409, 413)},
    body_media=MULTIPART,
    body={
        "type": "object",
        "required": ["file"],
        "properties": {"file": {"type": "string", "contentMediaType": "application/octet-stream"}},
    },
)
def upload_file(context, request) -> dict:
    version = context.entity
    filename, stream = _uploaded(request)

    def create() -> dict:
        try:
            stored = store_upload(
                request.dbsession,
                version,
                filename=filename,
                stream=stream,
                rules=UploadRules.from_config(request.studio_config),
            )
        except ValidationError as error:  # the page's field is "upload", the API's "file"
            raise ValidationError(error.message, "file" if error.field else None) from error
        return file_json(stored)

    return created(
        request,
        create,
        lambda item: request.route_url("api.files.view", file_id=item["id"]),
    )


@api_view(
    "api.files.view",
    "GET",
    Permissions.READ_TASK,
    summary="A file of a version",
    tag="versions",
    response=FILE,
)
def file_view(context, request) -> dict:
    return file_json(context.entity)


@api_view(
    "api.files.content",
    "GET",
    Permissions.READ_TASK,
    summary="The bytes of a file",
    tag="versions",
    response={"type": "string", "contentMediaType": "application/octet-stream"},
    response_media="application/octet-stream",
)
def file_content(context, request):
    file = context.entity
    path = stored_path(file.repository, file.relative_path)
    return stored_file_response(
        request, path, file.mime_type, file.filename, "This file is missing from its repository."
    )

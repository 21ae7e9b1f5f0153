"""A project's repositories (their roots on each system), and the project's files found by a
path on disk: what a pipeline tool needs to turn a scene's path into its version."""

from ...models import File
from ...models.repository import OS_NAMES
from ...permissions import Permissions
from ...services.versions.locations import files_at, locate
from ..errors import ApiError
from ..listing import PAGE_PARAMS, cursor_page, page_schema
from ..operations import Param, api_view
from ..schemas import ID, TEXT, schema

ROOTS = {
    "type": "object",
    "required": list(OS_NAMES),
    "properties": {name: {"type": "string"} for name in OS_NAMES},
    "description": 'The root on each system ("" where it has none), ending with "/".',
}
REPOSITORY = schema(
    "Repository",
    {
        "id": ID,
        "name": TEXT,
        "code": TEXT,
        "env_var": {"type": "string", "description": "REPO<code>: its root in paths."},
        "roots": ROOTS,
    },
)
FILE_LOCATION = schema(
    "FileLocation",
    {
        "id": ID,
        "version_id": ID,
        "task_id": ID,
        "repository_id": ID,
        "relative_path": TEXT,
        "os_independent_path": {"type": "string", "description": "$REPO<code>/relative/path"},
        "paths": ROOTS | {"description": "The file's path on each system."},
    },
)
PATH_PARAMS = (
    Param(
        "path",
        {"type": "string", "maxLength": 1024},
        "A file's path (any system's, or $REPO<code>/...): the files stored there.",
    ),
    Param(
        "under",
        {"type": "string", "maxLength": 1024},
        "A folder's path: the files anywhere below it.",
    ),
)


def repository_json(repository) -> dict:
    return {
        "id": repository.id,
        "name": repository.name,
        "code": repository.code,
        "env_var": repository.env_var,
        "roots": {name: repository.root(name) for name in OS_NAMES},
    }


def location_json(file) -> dict:
    return {
        "id": file.id,
        "version_id": file.owner_version_id,
        "task_id": file.version.task_id,
        "repository_id": file.repository_id,
        "relative_path": file.relative_path,
        "os_independent_path": file.full_path,
        "paths": file.paths,
    }


@api_view(
    "api.projects.repositories",
    "GET",
    Permissions.READ_PROJECT,
    summary="The project's repositories and their roots",
    tag="projects",
    response={
        "type": "object",
        "required": ["data"],
        "properties": {"data": {"type": "array", "items": REPOSITORY}},
    },
)
def repositories(context, request) -> dict:
    return {"data": [repository_json(r) for r in context.entity.repositories]}


@api_view(
    "api.projects.files",
    "GET",
    Permissions.READ_PROJECT,
    summary="The project's files at a path, or under a folder",
    description="Exactly one of path and under. A path of any system, or $REPO<code>/..., in "
    "one of the project's repositories; each file names its version and task.",
    tag="projects",
    response=page_schema(FILE_LOCATION),
    query=(*PATH_PARAMS, *PAGE_PARAMS),
    errors=(422,),
)
def files(context, request) -> dict:
    path, under = request.GET.get("path"), request.GET.get("under")
    if (path is None) == (under is None):
        raise ApiError(
            400,
            "Give exactly one of path (a file) and under (a folder).",
            "invalid_parameter",
            {"path": "Give a path or a folder (under), not both."},
        )
    project = context.entity
    location = locate(project, path if path is not None else under, "path" if path else "under")
    statement = files_at(project, location, under=under is not None)
    return cursor_page(
        request,
        request.dbsession,
        statement,
        File.id,
        lambda rows: [location_json(file) for file in rows],
        FILE_LOCATION,
    )

"""``/api/v1/projects``: the projects the caller may see, and one of them."""

from sqlalchemy import Select, select
from sqlalchemy.orm import joinedload

from ...models import Project, ProjectUser
from ...permissions import Permissions
from ..concurrency import with_etag
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import api_view
from ..schemas import DATE_TIME, ID, NULLABLE_DATE_TIME, NULLABLE_ID, TEXT, schema, sparse

PROJECT = schema(
    "Project",
    {
        "id": ID,
        "name": TEXT,
        "code": TEXT,
        "description": TEXT,
        "status": {"type": "string", "description": "The status code (WIP, CMPL...)."},
        "type_id": NULLABLE_ID,
        "fps": {"type": "number"},
        "start": NULLABLE_DATE_TIME,
        "end": NULLABLE_DATE_TIME,
        "date_created": DATE_TIME,
        "date_updated": DATE_TIME,
    },
)


def _moment(value) -> str | None:
    return value.isoformat() if value is not None else None


def project_json(project: Project) -> dict:
    return {
        "id": project.id,
        "name": project.name,
        "code": project.code,
        "description": project.description,
        "status": project.status.code,
        "type_id": project.type_id,
        "fps": project.fps,
        "start": _moment(project.start),
        "end": _moment(project.end),
        "date_created": project.date_created.isoformat(),
        "date_updated": project.date_updated.isoformat(),
    }


def readable_project_ids(request) -> Select | None:
    """A SELECT of the ids of the projects the caller may see, or None for every project
    (holders of List_Project): the one rule of the API's lists of projects and their tasks."""
    if request.studio_permits(Permissions.LIST_PROJECTS):
        return None
    return select(ProjectUser.project_id).where(ProjectUser.user_id == request.user.id)


@api_view(
    "api.projects",
    "GET",
    Permissions.VIEW,
    summary="The projects the caller may see",
    description="Every project for holders of List_Project, else the caller's own.",
    tag="projects",
    response=page_schema(sparse(PROJECT)),
    query=(*PAGE_PARAMS, FIELDS_PARAM),
)
def projects(context, request) -> dict:
    statement = select(Project).options(joinedload(Project.status))
    readable = readable_project_ids(request)
    if readable is not None:
        statement = statement.where(Project.id.in_(readable))
    return cursor_page(
        request,
        request.dbsession,
        statement,
        Project.id,
        lambda rows: [project_json(project) for project in rows],
        PROJECT,
    )


@api_view(
    "api.projects.view",
    "GET",
    Permissions.READ_PROJECT,
    summary="A project",
    tag="projects",
    response=PROJECT,
)
def project(context, request) -> dict:
    with_etag(request, context.entity)
    return project_json(context.entity)

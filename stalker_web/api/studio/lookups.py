"""``/api/v1/statuses`` and ``/api/v1/types``: the studio's lookups, for anybody signed in (a
tool shows status codes and type names the task items carry as codes and ids)."""

from sqlalchemy import select

from ...models import Status, Type
from ...models.type import TYPE_TARGETS
from ...permissions import Permissions
from ...services.tickets.choices import TICKET
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import Param, api_view
from ..schemas import ID, TEXT, schema, sparse
from ..tasks.filters import refuse

# What a type may be for: the Types page's targets, and tickets (their types are the studio
# configuration's).
TARGETS = (*TYPE_TARGETS, TICKET)

COLOR = {"type": "string", "description": "#rrggbb"}
STATUS = schema("Status", {"id": ID, "code": TEXT, "name": TEXT, "color": COLOR})
TYPE = schema(
    "Type",
    {
        "id": ID,
        "name": TEXT,
        "code": TEXT,
        "target_entity_type": {"enum": list(TARGETS)},
    },
)
TARGET_PARAM = Param(
    "target_entity_type",
    {"enum": list(TARGETS)},
    "The types of this kind of entity only.",
)


def status_json(status: Status) -> dict:
    return {"id": status.id, "code": status.code, "name": status.name, "color": status.color}


def type_json(type_: Type) -> dict:
    return {
        "id": type_.id,
        "name": type_.name,
        "code": type_.code,
        "target_entity_type": type_.target_entity_type,
    }


@api_view(
    "api.statuses",
    "GET",
    Permissions.VIEW,
    summary="The workflow statuses (codes, names and colours)",
    tag="studio",
    response=page_schema(sparse(STATUS)),
    query=(*PAGE_PARAMS, FIELDS_PARAM),
    errors=(400, 401, 429),
)
def statuses(context, request) -> dict:
    return cursor_page(
        request,
        request.dbsession,
        select(Status),
        Status.id,
        lambda rows: [status_json(status) for status in rows],
        STATUS,
    )


@api_view(
    "api.types",
    "GET",
    Permissions.VIEW,
    summary="The types of tasks, assets, shots, sequences and projects",
    tag="studio",
    response=page_schema(sparse(TYPE)),
    query=(*PAGE_PARAMS, FIELDS_PARAM, TARGET_PARAM),
    errors=(400, 401, 429),
)
def types(context, request) -> dict:
    statement = select(Type)
    target = request.GET.get("target_entity_type")
    if target is not None:
        if target not in TARGETS:
            raise refuse("target_entity_type", f"Use one of {', '.join(TARGETS)}.")
        statement = statement.where(Type.target_entity_type == target)
    return cursor_page(
        request,
        request.dbsession,
        statement,
        Type.id,
        lambda rows: [type_json(type_) for type_ in rows],
        TYPE,
    )

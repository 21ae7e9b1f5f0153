"""The data every studio database starts with (Stalker's ``db.init``), created idempotently."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...config import ConfigError
from ...models import Group, ImageFormat, Permission, Role, Status, StatusList, Studio, Type
from ...models.permission import ACCESSES, ACTIONS, permission_class_names

DEFAULT_STUDIO_NAME = "My Studio"
# Stalker's resolution presets: name = (width, height, pixel aspect).
IMAGE_FORMATS = {
    "PAL": (720, 576, 1.067),
    "HD 720": (1280, 720, 1.0),
    "HD 1080": (1920, 1080, 1.0),
    "2K DCI": (2048, 1080, 1.0),
    "UHD 4K": (3840, 2160, 1.0),
    "4K DCI": (4096, 2160, 1.0),
}


def _get_or_create(dbsession: Session, model, lookup: dict, **values):
    instance = dbsession.scalars(select(model).filter_by(**lookup)).one_or_none()
    if instance is None:
        instance = model(**lookup, **values)
        dbsession.add(instance)
    return instance


def ensure_statuses(dbsession: Session, config: dict) -> None:
    """The statuses and status lists of the config; existing ones keep their edits."""
    statuses = {
        code: _get_or_create(dbsession, Status, {"code": code}, name=name, color=colour)
        for code, (name, colour) in config["statuses"].items()
    }
    for target, codes in config["status_lists"].items():
        status_list = _get_or_create(
            dbsession, StatusList, {"target_entity_type": target}, name=f"{target} Statuses"
        )
        if not status_list.entries:
            status_list.set_statuses([statuses[code] for code in codes])


def ensure_permissions(dbsession: Session) -> None:
    """Allow and Deny rows for every action on every class, so the matrix can link to them."""
    existing = {
        (perm.access, perm.action, perm.class_name)
        for perm in dbsession.scalars(select(Permission))
    }
    for class_name in permission_class_names():
        for action in ACTIONS:
            for access in ACCESSES:
                if (access, action, class_name) not in existing:
                    dbsession.add(Permission(access, action, class_name))


def ensure_studio(dbsession: Session, config: dict) -> Studio:
    studio = dbsession.scalars(select(Studio).order_by(Studio.id)).first()
    if studio is None:
        calendar = config["calendar"]
        studio = Studio(
            name=DEFAULT_STUDIO_NAME,
            working_hours=calendar["working_hours"],
            daily_working_hours=calendar["daily_working_hours"],
            timing_resolution_minutes=calendar["timing_resolution_minutes"],
            time_zone=calendar["time_zone"],
        )
        dbsession.add(studio)
    return studio


def ensure_image_formats(dbsession: Session) -> None:
    """The common image formats (HD 1080 and the like); existing ones keep their edits."""
    for name, (width, height, pixel_aspect) in IMAGE_FORMATS.items():
        _get_or_create(
            dbsession,
            ImageFormat,
            {"name": name},
            width=width,
            height=height,
            pixel_aspect=pixel_aspect,
        )


def ensure_roles(dbsession: Session, accounts: dict) -> None:
    """The default roles; a role created here manages departments or projects when the
    configuration's seed lists name it. Existing roles keep their flags: the lists are read at
    creation only, so renaming a role later never makes anyone a manager."""
    department_managers = {name.lower() for name in accounts["department_manager_roles"]}
    project_managers = {name.lower() for name in accounts["project_manager_roles"]}
    for role_name in accounts["default_roles"]:
        _get_or_create(
            dbsession,
            Role,
            {"name": role_name},
            manages_department=role_name.lower() in department_managers,
            manages_project=role_name.lower() in project_managers,
        )


def _allow_row(dbsession: Session, group_name: str, permission_name: str) -> Permission:
    """The Allow row of ``permission_name`` ("List_Vacation"); ConfigError names a bad one."""
    action, _, class_name = permission_name.partition("_")
    if action not in ACTIONS or class_name not in permission_class_names():
        raise ConfigError(
            f"accounts.default_groups.{group_name}: {permission_name!r} is not a permission "
            "(write <Action>_<Class>, e.g. List_Vacation)"
        )
    return dbsession.scalars(
        select(Permission).filter_by(access="Allow", action=action, class_name=class_name)
    ).one()


def ensure_default_groups(dbsession: Session, default_groups: dict) -> list[Group]:
    """The configuration's default groups with their Allow rows; an existing group of the same
    name keeps its members and gains the rows it lacks."""
    ensure_permissions(dbsession)
    dbsession.flush()
    groups = []
    for name, permission_names in default_groups.items():
        group = _get_or_create(dbsession, Group, {"name": name})
        for permission_name in permission_names:
            row = _allow_row(dbsession, name, permission_name)
            if row not in group.permissions:
                group.permissions.append(row)
        groups.append(group)
    dbsession.flush()
    return groups


def initialize_database(dbsession: Session, config: dict) -> Studio:
    """Create the studio, statuses, ticket types, default roles, admin group, permissions and
    image formats."""
    ensure_statuses(dbsession, config)
    ensure_image_formats(dbsession)
    for type_name in config["tickets"]["types"]:
        _get_or_create(
            dbsession, Type, {"target_entity_type": "Ticket", "name": type_name}, code=type_name
        )
    ensure_roles(dbsession, config["accounts"])
    _get_or_create(dbsession, Group, {"name": config["accounts"]["admin_group"]})
    ensure_permissions(dbsession)
    studio = ensure_studio(dbsession, config)
    dbsession.flush()
    return studio

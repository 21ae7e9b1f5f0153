"""Who may own a project's tickets: its members (active users on its team), picked by id or by
login in the user picker."""

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ...models import Project, ProjectUser, User
from ..accounts.user_search import Picked, picked_user_ids
from ..errors import ValidationError


def is_member(dbsession: Session, project: Project, user: User) -> bool:
    """Whether ``user`` is on ``project``'s team (one query)."""
    return bool(
        dbsession.scalar(
            select(
                exists().where(ProjectUser.project_id == project.id, ProjectUser.user_id == user.id)
            )
        )
    )


def member_owner(dbsession: Session, project: Project, user_id: int, field: str) -> User:
    """The active member ``user_id`` of ``project``, refused under ``field`` otherwise."""
    user = dbsession.get(User, user_id)
    if user is None or not user.is_active:
        raise ValidationError("Choose an active person from the project's team.", field)
    if not is_member(dbsession, project, user):
        raise ValidationError(
            f"{user.name} is not on the team of {project.name}; choose a member, or add them "
            "to the project first.",
            field,
        )
    return user


def picked_owner_id(dbsession: Session, picked: Picked, field: str) -> int | None:
    """The id of the one person the user picker ``field`` sent (ticked, or typed as a login);
    None when nobody was chosen, refused when several were."""
    user_ids = picked_user_ids(dbsession, picked, field)
    if len(user_ids) > 1:
        raise ValidationError("Choose one person only: a ticket has one owner.", field)
    return user_ids[0] if user_ids else None

"""Names of entities: cleaned, bounded and, where a class requires it, unique without case."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models.mixins import clean_name
from .errors import ValidationError

NAME_MAX_LENGTH = 256


def checked_name(name: str | None) -> str:
    """``name`` stripped with its inner spaces collapsed; refused when blank or too long."""
    cleaned = clean_name(name)
    if not cleaned:
        raise ValidationError("A name is required.", "name")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise ValidationError(f"Use at most {NAME_MAX_LENGTH} characters.", "name")
    return cleaned


def checked_unique_name(
    dbsession: Session, model, name: str | None, exclude_id: int | None, what: str
) -> str:
    """A checked name no other ``model`` row has, compared without case ("Admins" cannot pose
    as "admins"); ``what`` names the kind of row in the message, e.g. "department"."""
    cleaned = checked_name(name)
    same_name = select(func.count()).where(func.lower(model.name) == cleaned.lower())
    if exclude_id is not None:
        same_name = same_name.where(model.id != exclude_id)
    if dbsession.scalar(same_name):
        raise ValidationError(f"A {what} named {cleaned!r} already exists.", "name")
    return cleaned


def with_kind(kind: str, name: str) -> str:
    """``name`` labelled with its ``kind`` ("Shot SH010"), unless the name already says it
    ("Sequence 3", not "Sequence Sequence 3")."""
    if name.lower().startswith(kind.lower()):
        return name
    return f"{kind} {name}"

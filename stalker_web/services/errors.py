"""Errors a user can cause, raised by services and shown by views where the user looks."""

from collections.abc import Iterator
from contextlib import contextmanager

from ..models.meta import InvalidValue


class ValidationError(ValueError):
    """An input that breaks a rule; ``field`` names the form field to show it under."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class ConflictError(ValidationError):
    """Someone else changed the object since the form was loaded."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} was changed by someone else since you opened this page. "
            "Reload it to see their changes, then make yours again."
        )


def check_version(entity, submitted_version: int | None, what: str) -> None:
    """Refuse an edit made on a stale copy of ``entity`` (optimistic locking)."""
    if submitted_version is None or submitted_version != entity.version_id:
        raise ConflictError(what)


@contextmanager
def model_rules() -> Iterator[None]:
    """Turn a model's InvalidValue into the ValidationError views show under the field."""
    try:
        yield
    except InvalidValue as error:
        raise ValidationError(error.message, error.field) from error

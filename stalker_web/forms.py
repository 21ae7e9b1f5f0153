"""Form plumbing shared by every page: WTForms bound to the request, plus errors from services."""

from collections.abc import Iterable

from wtforms import Form, HiddenField
from wtforms.fields.choices import SelectChoice

from .services.errors import ValidationError


def optional_int(value) -> int | None:
    """A submitted id as an int; blank or malformed means none chosen."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def select_choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """The options of a select field from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class BaseForm(Form):
    """A form that can also carry errors raised by a service after field validation passed.

    Empty form data (a GET's ``request.POST``) counts as no submission, so fields start from
    their defaults and the object's values instead of from blanks.
    """

    def __init__(self, formdata=None, **kwargs) -> None:
        super().__init__(formdata or None, **kwargs)
        self.form_errors: list[str] = []

    def add_service_error(self, error: ValidationError) -> None:
        """Show ``error`` under its field, or at the top of the form if it names none."""
        target = getattr(self, error.field, None) if error.field else None
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            self.form_errors.append(error.message)


class VersionedForm(BaseForm):
    """A form editing an existing entity: carries the version it was loaded at."""

    version_id = HiddenField()

    def submitted_version(self) -> int | None:
        try:
            return int(self.version_id.data)
        except (TypeError, ValueError):
            return None

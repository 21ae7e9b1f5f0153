"""Form plumbing shared by every page: WTForms bound to the request, plus errors from services."""

from collections.abc import Callable, Iterable

from pyramid.httpexceptions import HTTPSeeOther
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


# What a form's save function returns: the message to flash and the URL to go to, optionally
# followed by the headers to send with the redirect (such as a login cookie).
Saved = tuple[str, str] | tuple[str, str, list[tuple[str, str]]]


def submit_form(request, form: BaseForm, save: Callable[[], Saved]) -> HTTPSeeOther | None:
    """On POST, validate ``form`` and run ``save()``, which calls the service and returns the
    message to flash and the URL to go to (optionally a third item: response headers).

    Returns the redirect on success. When the form or the service refuses, the errors land on the
    form, the response status becomes 400 and it returns None, as it does on GET; the view then
    renders its page: ``return submit_form(request, form, save) or {...}``.
    """
    if request.method != "POST":
        return None
    if form.validate():
        try:
            message, url, *headers = save()
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session.flash(message)
            return HTTPSeeOther(url, headers=headers[0] if headers else None)
    request.response.status_int = 400
    return None

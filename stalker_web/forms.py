"""Form plumbing shared by every page: WTForms bound to the request, plus errors from services.

Every field of a :class:`BaseForm` is bounded before any service sees it: texts get a default
maximum length unless the form gives one, no value may carry control characters (NUL, escape; a
text area may hold line breaks), numbers must fit the database and be finite.
"""

import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from enum import StrEnum

from pyramid.httpexceptions import HTTPSeeOther
from wtforms import (
    DateField,
    DateTimeLocalField,
    FloatField,
    Form,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, StopValidation
from wtforms.widgets import TextInput

from .limits import LINE_BREAKS, URL_MAX_LENGTH, control_characters, whole_number
from .models.schedule import AllocationStrategy, TimeUnit
from .services.accounts.user_search import LOGINS_MAX_LENGTH
from .services.errors import ValidationError
from .services.names import NAME_MAX_LENGTH
from .time_zones import (
    DEFAULT_ZONE,
    ZONE_NAME_MAX_LENGTH,
    NonexistentLocalTime,
    to_local,
    to_utc,
)

LINE_MAX_LENGTH = 256
TEXT_MAX_LENGTH = 10_000
PASSWORD_MAX_LENGTH = 1_024
# A choice, a number or a date as typed: never longer than a line.
VALUE_MAX_LENGTH = LINE_MAX_LENGTH
# Integer columns hold 32 bits on PostgreSQL.
SMALLEST_INTEGER, LARGEST_INTEGER = -(2**31), 2**31 - 1
CONTROL_CHARACTERS_MESSAGE = (
    "This text holds invisible control characters (often pasted from another program). "
    "Remove them and try again."
)
DAMAGED_HIDDEN_VALUE = "This form came back damaged. Reload the page and fill it in again."
# Dates and times are typed to the minute, in the viewer's zone; a "T" for the space and
# seconds are accepted too.
DATETIME_FORMATS = ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"]
DATETIME_MESSAGE = "Enter a date and a time as YYYY-MM-DD HH:MM."
# TaskJuggler's allocation strategies, as the choice among a task's alternative people reads.
ALLOCATION_LABELS = {
    AllocationStrategy.MINALLOCATED: "the one with the fewest hours booked so far",
    AllocationStrategy.MINLOADED: "the least busy one",
    AllocationStrategy.MAXLOADED: "the busiest one",
    AllocationStrategy.ORDER: "the first one free, in the order listed",
    AllocationStrategy.RANDOM: "any one, at random",
}
UNIT_LABELS = {
    TimeUnit.MINUTE: "minutes",
    TimeUnit.HOUR: "hours",
    TimeUnit.DAY: "days",
    TimeUnit.WEEK: "weeks",
    TimeUnit.MONTH: "months",
    TimeUnit.YEAR: "years",
}


def optional_int(value) -> int | None:
    """A submitted id as an int; blank, malformed (``"²"``, ``"-1"``) or beyond any id means none
    chosen."""
    return whole_number(value)


def chosen_id(value) -> int:
    """A submitted id as an int, for fields listing several ids; anything else (``"²"``, 25
    digits) raises ValueError, which the field reports as an invalid choice."""
    number = whole_number(value)
    if number is None:
        raise ValueError(f"{value!r} is not an id.")
    return number


def select_choices(pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """The options of a select field from ``(value, label)`` pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


def name_field(label: str = "Name", required: str = "A name is required.") -> StringField:
    """A required line of at most ``NAME_MAX_LENGTH`` characters: a name or a code."""
    return StringField(label, [InputRequired(required), Length(max=NAME_MAX_LENGTH)])


def enum_choices(members, labels: dict[StrEnum, str] | None = None) -> list[SelectChoice]:
    """Select choices for enum members: their value, labelled by ``labels`` or the value."""
    labels = labels or {}
    return select_choices((member.value, labels.get(member, member.value)) for member in members)


def enum_field(label: str, members, labels=None, default=None) -> SelectField:
    """A select of enum members; the service refuses a value that is not one of them."""
    return SelectField(
        label, choices=enum_choices(members, labels), default=default, validate_choice=False
    )


# Every day and every moment is typed as the pages show them (ISO, 24-hour clock) in one kind of
# text input, rather than in the browser's date pickers, whose format follows the browser's
# language (mm/dd/yyyy beside the pages' 2026-01-05).
DAY_INPUT = {
    "placeholder": "YYYY-MM-DD",
    "pattern": r"\d{4}-\d{2}-\d{2}",
    "title": "A day as YYYY-MM-DD, for example 2026-03-01",
    "inputmode": "numeric",
    "autocomplete": "off",
    "class": "date-input",
}
MOMENT_INPUT = {
    "placeholder": "YYYY-MM-DD HH:MM",
    "pattern": r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?",
    "title": "A day and a time as YYYY-MM-DD HH:MM, for example 2026-03-01 09:30",
    "autocomplete": "off",
    "class": "moment-input",
}
DAY_MESSAGE = "Write the date as YYYY-MM-DD, for example 2026-03-01."


class DayField(DateField):
    """A day typed YYYY-MM-DD in the app's date input; blank means not given."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs["render_kw"] = {**DAY_INPUT, **kwargs.get("render_kw", {})}
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist) -> None:
        text = " ".join(valuelist).strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = date.fromisoformat(text)
            except ValueError as error:
                raise ValueError(DAY_MESSAGE) from error


class MomentField(DateTimeLocalField):
    """A date and a time typed in the form's zone (``BaseForm(time_zone=...)``), kept as an
    aware UTC datetime; a value is shown back in that zone. A time the clocks skip is refused
    in words, a repeated one read as its first occurrence (``time_zones.to_utc``). It is typed
    in the app's text input as ``YYYY-MM-DD HH:MM`` (a ``T`` and seconds are accepted too)."""

    widget = TextInput()
    SHOWN = "%Y-%m-%d %H:%M"

    def __init__(self, label=None, validators=None, **kwargs) -> None:
        kwargs["render_kw"] = {**MOMENT_INPUT, **kwargs.get("render_kw", {})}
        super().__init__(label, validators, **kwargs)

    def zone_name(self) -> str:
        """The zone this field is typed in."""
        return getattr(self.meta, "time_zone", None) or DEFAULT_ZONE

    def process_formdata(self, valuelist) -> None:
        super().process_formdata(valuelist)
        if self.data is not None:
            try:
                self.data = to_utc(self.data, self.zone_name())
            except NonexistentLocalTime as error:
                self.data = None
                raise ValueError(str(error)) from error

    def _value(self) -> str:
        if self.raw_data or not isinstance(self.data, datetime):
            return super()._value()
        return to_local(self.data, self.zone_name()).strftime(self.SHOWN)


def moment_field(label: str, *validators) -> MomentField:
    """A date and a time to the minute in the viewer's zone; the form adds the zone's name to
    the label."""
    return MomentField(
        label,
        list(validators),
        format=list(DATETIME_FORMATS),
        invalid_value_message=DATETIME_MESSAGE,
    )


class BaseForm(Form):
    """A form that can also carry errors raised by a service after field validation passed.

    Empty form data (a GET's ``request.POST``) counts as no submission, so fields start from
    their defaults and the object's values instead of from blanks. ``id_prefix`` starts the
    fields' ids (not their names), so that copies of one form can share a page. ``time_zone``
    is the zone its dates are typed and shown in (``request.time_zone``; UTC when not given),
    named in their labels.
    """

    def __init__(
        self, formdata=None, id_prefix: str = "", time_zone: str | None = None, **kwargs
    ) -> None:
        meta = {**kwargs.pop("meta", {}), "time_zone": time_zone or DEFAULT_ZONE}
        super().__init__(formdata or None, meta=meta, **kwargs)
        self.form_errors: list[str] = []
        for field in self:
            bound_field(field)
            if id_prefix:
                field.id = field.label.field_id = id_prefix + field.id
            if isinstance(field, MomentField):
                field.label.text = f"{field.label.text} ({field.zone_name()})"

    def validate(self, extra_validators=None) -> bool:
        """Validate; an error on a hidden field, which the page cannot show, goes on top."""
        valid = super().validate(extra_validators)
        if any(isinstance(field, HiddenField) and field.errors for field in self):
            self.form_errors.append(DAMAGED_HIDDEN_VALUE)
        return valid

    def add_service_error(self, error: ValidationError) -> None:
        """Show ``error`` under its field, or at the top of the form if it names none."""
        target = getattr(self, error.field, None) if error.field else None
        if target is not None:
            target.errors = [*target.errors, error.message]
        else:
            self.form_errors.append(error.message)


def default_max_length(field) -> int:
    """The longest text ``field`` takes when its form sets no ``Length``."""
    if isinstance(field, TextAreaField):
        return TEXT_MAX_LENGTH
    if isinstance(field, PasswordField):
        return PASSWORD_MAX_LENGTH
    if isinstance(field, HiddenField):
        return URL_MAX_LENGTH
    return LINE_MAX_LENGTH


def bound_field(field) -> None:
    """Give ``field`` the checks every field needs (run before its own validators): the length
    and characters of what was sent, and, for numbers, a finite value within the database's
    range. Validators the form sets itself (``Length``, ``NumberRange``) win."""
    own = list(field.validators)
    checks = []
    if isinstance(field, StringField):
        explicit = any(isinstance(v, Length) and v.max != -1 for v in own)
        maximum = None if explicit else default_max_length(field)
        if maximum is not None:
            field.flags.maxlength = maximum
        checks.append(SentText(maximum, multiline=isinstance(field, TextAreaField)))
    else:
        checks.append(SentText(VALUE_MAX_LENGTH, multiline=False))
    if isinstance(field, FloatField):
        checks.append(finite_number)
    if isinstance(field, IntegerField) and not any(isinstance(v, NumberRange) for v in own):
        checks.append(WHOLE_NUMBER_RANGE)
    field.validators = [*checks, *own]


class SentText:
    """Refuses a submitted value longer than ``maximum`` characters (None: the form's own
    ``Length`` says) or holding control characters (a text area may hold line breaks; passwords
    and hidden values are only bounded in length)."""

    def __init__(self, maximum: int | None, multiline: bool) -> None:
        self.maximum = maximum
        self.multiline = multiline

    def __call__(self, form, field) -> None:
        sent = [value for value in field.raw_data or () if isinstance(value, str)]
        if self.maximum is not None and any(len(value) > self.maximum for value in sent):
            field.errors[:] = []
            raise StopValidation(f"Use at most {self.maximum:,} characters.")
        if isinstance(field, PasswordField | HiddenField):
            return  # a password is only hashed; a hidden value is the page's own, parsed later
        allowed = LINE_BREAKS if self.multiline else ""
        if any(control_characters(value, allowed) for value in sent):
            field.errors[:] = []
            raise StopValidation(CONTROL_CHARACTERS_MESSAGE)


def finite_number(form, field) -> None:
    """Refuses ``nan`` and ``inf``, which float() accepts but no estimate or rate can be."""
    if field.data is not None and not math.isfinite(field.data):
        raise StopValidation("Enter a number such as 2 or 0.5.")


WHOLE_NUMBER_RANGE = NumberRange(
    SMALLEST_INTEGER,
    LARGEST_INTEGER,
    message=f"Enter a number from {SMALLEST_INTEGER:,} to {LARGEST_INTEGER:,}.",
)


class VersionedForm(BaseForm):
    """A form editing an existing entity: carries the version it was loaded at."""

    version_id = HiddenField()

    def submitted_version(self) -> int | None:
        """The version the page was loaded at; None when missing or malformed."""
        return whole_number(self.version_id.data)


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


def time_zone_field(label: str, *, required: bool) -> StringField:
    """An IANA zone name, typed with suggestions (``macros/time_zones.jinja2``'s list); the
    service checks the name."""
    validators = [InputRequired("Choose a time zone.")] if required else [Optional()]
    return StringField(
        label,
        [*validators, Length(max=ZONE_NAME_MAX_LENGTH)],
        render_kw={"list": "time-zone-names", "autocomplete": "off", "spellcheck": "false"},
    )


def logins_field(label: str) -> StringField:
    """The text box of a user picker: logins typed without JavaScript, comma-separated."""
    return StringField(f"{label} (logins)", [Length(max=LOGINS_MAX_LENGTH)])

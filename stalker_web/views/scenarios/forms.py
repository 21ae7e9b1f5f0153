"""The WTForms of the scenario pages: a scenario's name, a temporary person, a task's change and
the promote confirmation (one account row per temporary person).

Select fields do not check their choices (``validate_choice=False``): the scenario services
refuse what is not allowed with a message saying why.
"""

from wtforms import (
    BooleanField,
    FloatField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from ...forms import (
    UNIT_LABELS,
    BaseForm,
    VersionedForm,
    chosen_id,
    enum_field,
    moment_field,
    name_field,
    optional_int,
)
from ...models.schedule import ScheduleConstraint, TimeUnit
from ..tasks.forms import CONSTRAINT_LABELS, NUMBER_MESSAGE, PRIORITY_MESSAGE

LOGIN_FIELD, EMAIL_FIELD = "login_{}", "email_{}"


def _people(label: str) -> SelectMultipleField:
    return SelectMultipleField(
        label,
        coerce=chosen_id,
        validate_choice=False,
        invalid_value_message="Choose people from the list.",
    )


class ScenarioForm(BaseForm):
    """A new scenario: its name and what it is for."""

    name = name_field()
    description = TextAreaField("What it is for")


class ScenarioEditForm(ScenarioForm, VersionedForm):
    """The scenario's name and description, with the version the page was loaded at."""


class PersonForm(BaseForm):
    """A temporary person of a scenario (a freelancer): who, where, how fast, at what rate and
    when they are available."""

    name = name_field()
    department_id = SelectField("Department", coerce=optional_int, validate_choice=False)
    efficiency = FloatField("Efficiency", default=1.0, invalid_value_message=NUMBER_MESSAGE)
    rate = FloatField("Rate per hour", default=0.0, invalid_value_message=NUMBER_MESSAGE)
    available_from = moment_field("Available from", Optional())
    available_until = moment_field("Available until", Optional())


class TaskChangeForm(VersionedForm):
    """What a scenario changes on one task, with the scenario's version the page was loaded at.
    Each part left as it is live is no change; the pins and the people change only when their
    box is ticked."""

    priority = IntegerField("Priority", [Optional()], invalid_value_message=PRIORITY_MESSAGE)
    schedule_timing = FloatField(
        "Effort, length or duration", [Optional()], invalid_value_message=NUMBER_MESSAGE
    )
    schedule_unit = enum_field("Unit", TimeUnit, UNIT_LABELS, TimeUnit.HOUR.value)
    change_pins = BooleanField("Change the pins (a milestone's date is its start)")
    schedule_constraint = enum_field("Pins", ScheduleConstraint, CONSTRAINT_LABELS)
    start = moment_field("Start", Optional())
    end = moment_field("End", Optional())
    change_people = BooleanField("Change who works on it")
    resources = _people("People of the studio")
    person_ids = _people("Temporary people of this scenario")
    left_out = BooleanField("Leave this task (and what is under it) out of the scenario")


class PromoteForm(VersionedForm):
    """The confirmation of a promotion; :func:`promote_form_class` adds a login and an e-mail
    address per temporary person, for the accounts promoting creates."""


def promote_form_class(person_ids: list[int]) -> type[PromoteForm]:
    """A PromoteForm with ``login_<id>`` and ``email_<id>`` fields for each temporary person."""
    fields = {}
    for person_id in person_ids:
        fields[LOGIN_FIELD.format(person_id)] = StringField(
            "Login", [InputRequired("Choose a login for their account."), Length(max=256)]
        )
        fields[EMAIL_FIELD.format(person_id)] = StringField(
            "E-mail", [InputRequired("An e-mail address is required."), Length(max=256)]
        )
    return type("PeoplePromoteForm", (PromoteForm,), fields)

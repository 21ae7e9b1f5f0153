"""The WTForms of the task pages: create, edit (tasks and shots), move and add a dependency.

Select fields do not check their choices (``validate_choice=False``): the services refuse what
is not allowed with a message saying why (an unknown unit, a type for another kind, ...).
Dates are a date and a time to the minute, in UTC (``datetime-local`` inputs).
"""

from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Length, Optional

from ...forms import (
    ALLOCATION_LABELS,
    UNIT_LABELS,
    BaseForm,
    VersionedForm,
    chosen_id,
    enum_field,
    logins_field,
    moment_field,
    optional_int,
    select_choices,
)
from ...models.schedule import (
    AllocationStrategy,
    DependencyTarget,
    ScheduleConstraint,
    ScheduleModel,
    TimeUnit,
)
from ...models.task_dependency import GAP_MODELS
from ...services.accounts.user_search import Picked, people_by_ids
from ...services.names import NAME_MAX_LENGTH
from ...services.tasks.commands import TASK_CLASSES
from ...services.tasks.edit import PEOPLE
from ...services.tasks.staffing import NEW_TASK_PEOPLE

NUMBER_MESSAGE = "Enter a number such as 2 or 0.5."
WHOLE_NUMBER_MESSAGE = "Enter a whole number."
PRIORITY_MESSAGE = "The priority is a whole number from 0 to 1000."
KINDS = tuple(TASK_CLASSES)

MODEL_LABELS = {
    ScheduleModel.EFFORT: "effort (person time)",
    ScheduleModel.LENGTH: "length (working time)",
    ScheduleModel.DURATION: "duration (calendar time)",
}
CONSTRAINT_LABELS = {
    ScheduleConstraint.NONE: "none",
    ScheduleConstraint.START: "keep the start",
    ScheduleConstraint.END: "keep the end",
    ScheduleConstraint.BOTH: "keep both",
}
TARGET_LABELS = {
    DependencyTarget.ONEND: "after it ends (onend)",
    DependencyTarget.ONSTART: "after it starts (onstart)",
}


def _timing(label: str, *validators, default=None) -> FloatField:
    return FloatField(
        label, list(validators), default=default, invalid_value_message=NUMBER_MESSAGE
    )


def _frame(label: str, *validators) -> IntegerField:
    return IntegerField(label, list(validators), invalid_value_message=WHOLE_NUMBER_MESSAGE)


def _people(label: str) -> SelectMultipleField:
    return SelectMultipleField(
        label,
        coerce=chosen_id,
        validate_choice=False,
        invalid_value_message="Choose people from the list.",
    )


class PeopleFieldsForm(BaseForm):
    """What the user pickers of a task form send, per place: ticked ids and typed logins."""

    people_fields: tuple[str, ...] = ()

    def picked(self) -> dict[str, Picked]:
        """What each user picker of the form sent (see ``macros/user_picker.jinja2``)."""
        return {
            name: Picked(tuple(self[name].data or ()), self[f"{name}_logins"].data)
            for name in self.people_fields
        }


def chosen_people_of(dbsession, form: PeopleFieldsForm) -> dict[str, list]:
    """The people ticked in each picker of ``form``, to show them again (one query)."""
    ids = {name: list(dict.fromkeys(form[name].data or ())) for name in form.people_fields}
    users = people_by_ids(dbsession, [user_id for chosen in ids.values() for user_id in chosen])
    return {
        name: [users[user_id] for user_id in chosen if user_id in users]
        for name, chosen in ids.items()
    }


class TaskFieldsForm(BaseForm):
    """The fields a task has whatever its kind, as on the create page."""

    name = StringField("Name", [Length(max=NAME_MAX_LENGTH)])
    code = StringField("Code", [Length(max=NAME_MAX_LENGTH)])
    type = SelectField("Type", coerce=optional_int, validate_choice=False)
    priority = IntegerField("Priority", default=500, invalid_value_message=PRIORITY_MESSAGE)
    schedule_timing = _timing("Schedule timing", default=1.0)
    schedule_unit = enum_field("Schedule unit", TimeUnit, UNIT_LABELS, TimeUnit.HOUR.value)
    schedule_model = enum_field(
        "Schedule model", ScheduleModel, MODEL_LABELS, ScheduleModel.EFFORT.value
    )
    bid_unit = enum_field("Bid unit", TimeUnit, UNIT_LABELS, TimeUnit.HOUR.value)
    description = TextAreaField("Description")


class TaskCreateForm(TaskFieldsForm, PeopleFieldsForm):
    """A new task: its kind and parent, the common fields, the first bid (optional) and its
    people; a blank timing is the pipeline step's default effort."""

    people_fields = NEW_TASK_PEOPLE

    kind = SelectField(
        "Kind", choices=select_choices((kind, kind) for kind in KINDS), validate_choice=False
    )
    parent = HiddenField()
    schedule_timing = _timing("Schedule timing", Optional())
    bid_timing = _timing("Bid", Optional())
    is_milestone = BooleanField("Milestone")
    resources = _people("Resources")
    resources_logins = logins_field("Resources")
    alternative_resources = _people("Alternative resources")
    alternative_resources_logins = logins_field("Alternative resources")
    responsible = _people("Responsible")
    responsible_logins = logins_field("Responsible")

    def parent_id(self) -> int | None:
        return optional_int(self.parent.data)


class TaskEditForm(TaskFieldsForm, PeopleFieldsForm, VersionedForm):
    """Every editable field of a task (``services.task_edit``), with the loaded version."""

    people_fields = PEOPLE

    schedule_constraint = enum_field("Schedule constraint", ScheduleConstraint, CONSTRAINT_LABELS)
    start = moment_field("Start", Optional())
    end = moment_field("End", Optional())
    bid_timing = _timing("Bid")
    allocation_strategy = enum_field(
        "Among the alternatives, who works on it", AllocationStrategy, ALLOCATION_LABELS
    )
    persistent_allocation = BooleanField("Keep the same person once chosen")
    is_milestone = BooleanField("Milestone")
    resources = _people("Resources")
    resources_logins = logins_field("Resources")
    alternative_resources = _people("Alternative resources")
    alternative_resources_logins = logins_field("Alternative resources")
    watchers = _people("Watchers")
    watchers_logins = logins_field("Watchers")
    responsible = _people("Responsible")
    responsible_logins = logins_field("Responsible")


class ShotEditForm(TaskEditForm):
    """The task fields plus a shot's frames, frame rate, format, sequence and scene."""

    cut_in = _frame("Cut in")
    cut_out = _frame("Cut out")
    source_in = _frame("Source in")
    source_out = _frame("Source out")
    record_in = _frame("Record in", Optional())
    fps = FloatField(
        "Frame rate (fps)", [Optional()], invalid_value_message="Enter a number such as 25."
    )
    image_format = SelectField("Image format", coerce=optional_int, validate_choice=False)
    sequence = SelectField("Sequence", coerce=optional_int, validate_choice=False)
    scene = SelectField("Scene", coerce=optional_int, validate_choice=False)


class MoveForm(VersionedForm):
    """Re-parent a task: the new parent's id, blank for the root."""

    parent = HiddenField()

    def parent_id(self) -> int | None:
        return optional_int(self.parent.data)


class DependencyForm(BaseForm):
    """Make the task wait for the chosen one, with the target and an optional gap."""

    depends_on = RadioField("Task to wait for", coerce=optional_int, validate_choice=False)
    dependency_target = enum_field(
        "Start this task", DependencyTarget, TARGET_LABELS, DependencyTarget.ONEND.value
    )
    gap_timing = FloatField(
        "Gap", default=0.0, invalid_value_message="Enter a gap such as 0 or 2.5."
    )
    gap_unit = enum_field("Gap unit", TimeUnit, UNIT_LABELS, TimeUnit.HOUR.value)
    gap_model = enum_field("Gap model", GAP_MODELS, MODEL_LABELS, ScheduleModel.LENGTH.value)

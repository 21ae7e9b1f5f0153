"""The bulk form of the production board: the ticked cells, the chosen action and its value.

Only the fields of the action pressed are checked; the services refuse what the task rules
refuse, naming each task.
"""

from wtforms import FloatField, IntegerField, SelectField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange

from ...forms import UNIT_LABELS, BaseForm, chosen_id, enum_field, logins_field, select_choices
from ...models.schedule import TimeUnit
from ...services.accounts.user_search import Picked
from ...services.board.bulk import WORKFLOW_ACTIONS

PRIORITY_MESSAGE = "The priority is a whole number from 0 to 1000."
EFFORT_MESSAGE = "The effort is a number of zero or more, such as 2 or 0.5."
ACTIONS = ("assign", "priority", "effort", *WORKFLOW_ACTIONS)
# The fields each action reads (besides the ticked tasks).
ACTION_FIELDS = {
    "assign": ("user_ids", "user_ids_logins"),
    "priority": ("priority",),
    "effort": ("schedule_timing", "schedule_unit"),
}


def _ids(label: str, message: str) -> SelectMultipleField:
    return SelectMultipleField(
        label, coerce=chosen_id, validate_choice=False, invalid_value_message=message
    )


class BulkForm(BaseForm):
    """What to do to the ticked tasks."""

    task_ids = _ids("Tasks", "The ticked cells are damaged; reload the board.")
    action = SelectField(
        "Action",
        choices=select_choices((action, action) for action in ACTIONS),
        validate_choice=True,
    )
    user_ids = _ids("Assign", "Choose people from the list.")
    user_ids_logins = logins_field("Assign")
    priority = IntegerField(
        "Priority",
        [InputRequired(PRIORITY_MESSAGE), NumberRange(0, 1000, PRIORITY_MESSAGE)],
        default=500,
        invalid_value_message=PRIORITY_MESSAGE,
    )
    schedule_timing = FloatField(
        "Effort",
        [InputRequired(EFFORT_MESSAGE), NumberRange(min=0, message=EFFORT_MESSAGE)],
        invalid_value_message=EFFORT_MESSAGE,
    )
    schedule_unit = enum_field("Unit", TimeUnit, UNIT_LABELS, TimeUnit.DAY.value)

    def picked(self) -> Picked:
        """The people the assign picker chose: ticked ids and typed logins."""
        return Picked(tuple(self.user_ids.data or ()), self.user_ids_logins.data)

    def validate(self, extra_validators=None) -> bool:
        """Check the ticked tasks, the action and the fields that action reads, no others."""
        wanted = {"task_ids", "action", *ACTION_FIELDS.get(self.action.data, ())}
        valid = True
        for field in self:
            if field.name in wanted and not field.validate(self, extra_validators or ()):
                valid = False
        return valid

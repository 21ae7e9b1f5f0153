"""The WTForms of the workload pages: the weeks a grid shows, the week a cell stands for."""

from wtforms import IntegerField
from wtforms.validators import Optional

from ...forms import BaseForm, DayField
from ...services.errors import ValidationError


class _WeekForm(BaseForm):
    """Errors of the service name the ``from`` day; show them under this form's date field."""

    date_attribute = "start"

    def add_service_error(self, error: ValidationError) -> None:
        attribute = self.date_attribute if error.field == "from" else error.field
        super().add_service_error(ValidationError(error.message, attribute))


class WorkloadWeeksForm(_WeekForm):
    """The first week (any day of it) and how many weeks (the grid picks them when blank)."""

    start = DayField("From the week of", name="from")
    weeks = IntegerField(
        "Weeks", validators=[Optional()], render_kw={"inputmode": "numeric", "size": 3}
    )


class WorkloadWeekForm(_WeekForm):
    """The week of a cell (any day of it); blank means the coming weeks."""

    date_attribute = "week"

    week = DayField("Week of")

"""The WTForm of the Gantt charts: the days a chart shows and its zoom."""

from wtforms import SelectField

from ...forms import BaseForm, DayField, select_choices
from ...services.errors import ValidationError
from ...services.gantt.window import ZOOMS


class GanttWindowForm(BaseForm):
    """The days a chart shows and its zoom (all optional: the chart picks them otherwise)."""

    start = DayField("From", name="from")
    end = DayField("To", name="to")
    zoom = SelectField(
        "Zoom",
        choices=select_choices(
            [("", "Automatic"), *((zoom.name, zoom.label) for zoom in ZOOMS.values())]
        ),
        default="",
        validate_choice=False,
    )

    def add_service_error(self, error: ValidationError) -> None:
        """Errors name the query parameters (``from``, ``to``); show them under those fields."""
        attribute = {"from": "start", "to": "end"}.get(error.field or "", error.field)
        super().add_service_error(ValidationError(error.message, attribute))

"""The WTForm of the Gantt charts: the days a chart shows and its zoom."""

from datetime import date

from wtforms import DateField, SelectField

from ...forms import BaseForm, select_choices
from ...services.errors import ValidationError
from ...services.gantt.window import ZOOMS


class IsoDateField(DateField):
    """A date written YYYY-MM-DD; blank means not given."""

    def process_formdata(self, valuelist) -> None:
        text = " ".join(valuelist).strip() if valuelist else ""
        self.data = None
        if text:
            try:
                self.data = date.fromisoformat(text)
            except ValueError as error:
                raise ValueError("Write the date as YYYY-MM-DD, for example 2025-03-01.") from error


class GanttWindowForm(BaseForm):
    """The days a chart shows and its zoom (all optional: the chart picks them otherwise)."""

    start = IsoDateField("From", name="from")
    end = IsoDateField("To", name="to")
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

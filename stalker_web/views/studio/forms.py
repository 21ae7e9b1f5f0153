"""The WTForms of the studio pages: the studio settings and a vacation."""

from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from ...config import WEEKDAYS
from ...forms import (
    DAY_INPUT,
    BaseForm,
    VersionedForm,
    optional_int,
    select_choices,
    time_zone_field,
)
from ...services.names import NAME_MAX_LENGTH
from ...services.studio.settings import DAY_NAMES, TIMING_RESOLUTIONS


class WholeHoursField(IntegerField):
    """An integer field whose parse error says what to type."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a whole number of hours from 1 to 24.") from error


class StudioForm(VersionedForm):
    """The studio's name, working hours per weekday, daily hours, timing resolution and
    two-factor rule."""

    name = StringField("Studio name", [InputRequired("A name is required.")])
    time_zone = time_zone_field("Time zone", required=True)
    mon = StringField(DAY_NAMES["mon"])
    tue = StringField(DAY_NAMES["tue"])
    wed = StringField(DAY_NAMES["wed"])
    thu = StringField(DAY_NAMES["thu"])
    fri = StringField(DAY_NAMES["fri"])
    sat = StringField(DAY_NAMES["sat"])
    sun = StringField(DAY_NAMES["sun"])
    daily_working_hours = WholeHoursField("Hours in a working day")
    timing_resolution_minutes = SelectField(
        "Timing resolution",
        choices=select_choices((minutes, f"{minutes} minutes") for minutes in TIMING_RESOLUTIONS),
        coerce=optional_int,
        validate_choice=False,
    )
    require_admin_two_factor = BooleanField("Administrators must use two-factor sign-in")

    def day_fields(self) -> list:
        """The working-hours fields, Monday first."""
        return [self[day] for day in WEEKDAYS]


# A day, or a day and a time: the app's date input, without a pattern that would refuse either.
VACATION_INPUT = {key: DAY_INPUT[key] for key in ("placeholder", "autocomplete", "class")}


class VacationForm(BaseForm):
    """Who is away (or everybody), from when to when, and why."""

    user_id = SelectField("Who is away", validate_choice=False)
    start = StringField("Start", render_kw=VACATION_INPUT)
    end = StringField("End", render_kw=VACATION_INPUT)
    name = StringField("Name", [Optional(), Length(max=NAME_MAX_LENGTH)])
    description = TextAreaField("Description")


class VacationEditForm(VacationForm, VersionedForm):
    """The vacation form, carrying the version the page was loaded at."""

"""The studio settings page: name, working hours per weekday, daily hours, timing resolution and
two-factor sign-in for administrators."""

from pyramid.view import view_config
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.validators import InputRequired

from ...config import WEEKDAYS
from ...forms import VersionedForm, optional_int, select_choices, submit_form
from ...permissions import Permissions
from ...services.studio import settings as service


class WholeHoursField(IntegerField):
    """An integer field whose parse error says what to type."""

    def process_formdata(self, valuelist) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError("Enter a whole number of hours from 1 to 24.") from error


class StudioForm(VersionedForm):
    name = StringField("Studio name", [InputRequired("A name is required.")])
    mon = StringField(service.DAY_NAMES["mon"])
    tue = StringField(service.DAY_NAMES["tue"])
    wed = StringField(service.DAY_NAMES["wed"])
    thu = StringField(service.DAY_NAMES["thu"])
    fri = StringField(service.DAY_NAMES["fri"])
    sat = StringField(service.DAY_NAMES["sat"])
    sun = StringField(service.DAY_NAMES["sun"])
    daily_working_hours = WholeHoursField("Hours in a working day")
    timing_resolution_minutes = SelectField(
        "Timing resolution",
        choices=select_choices(
            (minutes, f"{minutes} minutes") for minutes in service.TIMING_RESOLUTIONS
        ),
        coerce=optional_int,
        validate_choice=False,
    )
    require_admin_two_factor = BooleanField("Administrators must use two-factor sign-in")

    def day_fields(self) -> list:
        return [self[day] for day in WEEKDAYS]


def _studio_form(request, studio) -> StudioForm:
    """The form filled from the POST, or from the studio (working hours as ``09:00-18:00``)."""
    typed_hours = {day: service.format_working_hours(studio.working_hours[day]) for day in WEEKDAYS}
    return StudioForm(request.POST, obj=studio, **typed_hours)


def _page(request, studio, form: StudioForm) -> dict:
    return {
        "studio": studio,
        "form": form,
        "can_update": bool(request.has_permission(Permissions.UPDATE_STUDIO, request.context)),
        "format_working_hours": service.format_working_hours,
        "day_names": service.DAY_NAMES,
        "help": service.INTERVAL_HELP,
        "admin_group": request.studio_config["accounts"]["admin_group"],
    }


@view_config(
    route_name="studio.settings",
    renderer="studio/settings.jinja2",
    request_method="GET",
    permission=Permissions.READ_STUDIO,
)
def studio_settings_view(request):
    studio = service.get_studio(request.dbsession, request.studio_config)
    return _page(request, studio, _studio_form(request, studio))


@view_config(
    route_name="studio.settings",
    renderer="studio/settings.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_STUDIO,
)
def studio_settings_update_view(request):
    studio = service.get_studio(request.dbsession, request.studio_config)
    form = _studio_form(request, studio)

    def save():
        service.update_studio(
            request.dbsession,
            studio,
            submitted_version=form.submitted_version(),
            name=form.name.data,
            working_hours={day: form[day].data for day in WEEKDAYS},
            daily_working_hours=form.daily_working_hours.data,
            timing_resolution_minutes=form.timing_resolution_minutes.data,
            require_admin_two_factor=form.require_admin_two_factor.data,
        )
        return "Studio settings saved.", request.route_url("studio.settings")

    return submit_form(request, form, save) or _page(request, studio, form)

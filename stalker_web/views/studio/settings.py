"""The studio settings page: name, time zone, working hours per weekday, daily hours, timing
resolution and two-factor sign-in for administrators."""

from pyramid.view import view_config

from ...config import WEEKDAYS
from ...forms import submit_form
from ...permissions import Permissions
from ...services.studio import settings as service
from ...time_zones import zone_names
from ..common import admin_group_name
from .forms import StudioForm


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
        "admin_group": admin_group_name(request),
        "zone_names": zone_names(),
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
            time_zone=form.time_zone.data,
        )
        return "Studio settings saved.", request.route_url("studio.settings")

    return submit_form(request, form, save) or _page(request, studio, form)

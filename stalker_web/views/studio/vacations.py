"""Vacation pages: the studio's month calendar, a user's calendar and list, create, edit and
delete. Everybody records their own vacations; holders of the class-level Create_Vacation also
record other people's and the studio-wide holidays."""

from functools import partial

from pyramid.httpexceptions import HTTPForbidden, HTTPSeeOther
from pyramid.view import view_config

from ...forms import optional_int, select_choices, submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...resources import StudioRoot, VacationResource
from ...services.errors import ValidationError
from ...services.studio import vacations as service
from .forms import VacationEditForm, VacationForm

STUDIO_WIDE = "studio"
START_HELP = "A day (YYYY-MM-DD) for whole days, or a day and time (YYYY-MM-DD HH:MM). UTC."
END_HELP = "The last day away (it is included), or the day and time it ends. UTC."


def _may_choose_user(request) -> bool:
    return bool(request.studio_permits(Permissions.CREATE_VACATION))


def _chosen_user(request, form: VacationForm, fixed_user):
    """The user the form names (None: studio-wide). Without Create_Vacation it is always
    ``fixed_user``, and naming anybody else is refused."""
    raw = form.user_id.data
    if not _may_choose_user(request):
        fixed_id = str(fixed_user.id) if fixed_user is not None else STUDIO_WIDE
        if raw not in (None, "", fixed_id):
            raise HTTPForbidden("Only holders of Create_Vacation record other people's vacations.")
        return fixed_user
    if raw == STUDIO_WIDE:
        return None
    user_id = optional_int(raw)
    if user_id is None:
        raise ValidationError("Choose who is away.", "user_id")
    return service.vacation_user(request.dbsession, user_id)


def _times(request, form: VacationForm):
    zone = request.time_zone
    start = service.parse_moment(form.start.data, is_end=False, field="start", time_zone=zone)
    end = service.parse_moment(form.end.data, is_end=True, field="end", time_zone=zone)
    return start, end


def _span(request, vacation) -> str:
    return service.span_text(vacation.start, vacation.end, request.time_zone)


def _back_url(request, user) -> str:
    if user is None:
        return request.route_url("vacations.list")
    return request.route_url("users.vacations", user_id=user.id)


def _form_page(request, form: VacationForm, vacation) -> dict:
    may_choose = _may_choose_user(request)
    if may_choose:
        keep = vacation.user if vacation is not None else None
        form.user_id.choices = select_choices(
            [(STUDIO_WIDE, "Everybody: a studio-wide holiday")]
            + [
                (str(user_id), f"{name} ({login})")
                for user_id, name, login in service.user_choices(request.dbsession, keep)
            ]
        )
    return {
        "form": form,
        "vacation": vacation,
        "may_choose_user": may_choose,
        "start_help": START_HELP,
        "end_help": END_HELP,
    }


def _month(request):
    """The month asked for (``?month=2026-12``), or this month and the error (status 400)."""
    try:
        return service.parse_month(request.params.get("month")), None
    except ValidationError as refused:
        request.response.status_int = 400
        return service.parse_month(None), refused.message


def _listing(request, calendar, page, error, user) -> dict:
    """What both calendar pages show; ``may(permission, vacation)`` decides each row's buttons
    (the vacation's own ACL: its user may change it)."""

    def may(permission: str, vacation) -> bool:
        resource = VacationResource(vacation, StudioRoot(request))
        return bool(request.has_permission(permission, resource))

    return {
        "calendar": calendar,
        "page": page,
        "month_error": error,
        "user": user,
        "span_text": partial(service.span_text, time_zone=request.time_zone),
        "may": may,
        "may_create_any": _may_choose_user(request),
    }


@view_config(
    route_name="vacations.list",
    renderer="vacations/calendar.jinja2",
    request_method="GET",
    permission=Permissions.LIST_VACATIONS,
)
def studio_calendar_view(request):
    first, error = _month(request)
    number = parse_page_number(request.params.get("page"))
    return _listing(
        request,
        service.month_calendar(request.dbsession, first, time_zone=request.time_zone),
        service.month_page(request.dbsession, first, number, request.time_zone),
        error,
        None,
    )


@view_config(
    route_name="users.vacations",
    renderer="vacations/calendar.jinja2",
    request_method="GET",
    permission=Permissions.READ_USER,
)
def user_calendar_view(request):
    user = request.context.entity
    first, error = _month(request)
    number = parse_page_number(request.params.get("page"))
    return _listing(
        request,
        service.month_calendar(request.dbsession, first, user, request.time_zone),
        service.user_page(request.dbsession, user, number),
        error,
        user,
    )


@view_config(
    route_name="vacations.create",
    renderer="vacations/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.VIEW,
)
def vacation_create_view(request):
    """Anybody records their own vacation; Create_Vacation holders anybody's or a holiday."""
    form = VacationForm(request.POST)
    if request.method == "GET":
        wanted = request.params.get("user_id")
        form.user_id.data = wanted if wanted and _may_choose_user(request) else str(request.user.id)

    def save():
        user = _chosen_user(request, form, request.user)
        start, end = _times(request, form)
        vacation = service.create_vacation(
            request.dbsession,
            user=user,
            start=start,
            end=end,
            name=form.name.data,
            description=form.description.data,
            time_zone=request.time_zone,
        )
        return (
            f"{vacation.name} recorded: {_span(request, vacation)}.",
            _back_url(request, user),
        )

    return submit_form(request, form, save) or _form_page(request, form, None)


@view_config(
    route_name="vacations.edit",
    renderer="vacations/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_VACATION,
)
def vacation_edit_view(request):
    vacation = request.context.entity
    # A submission is read from the request alone: a field left out is blank, never the stored
    # datetime (which the text parsers cannot read).
    form = VacationEditForm(request.POST, obj=vacation if request.method == "GET" else None)
    if request.method == "GET":
        form.user_id.data = str(vacation.user_id) if vacation.user_id else STUDIO_WIDE
        form.start.data, form.end.data = service.form_texts(vacation, request.time_zone)

    def save():
        user = _chosen_user(request, form, vacation.user)
        start, end = _times(request, form)
        service.update_vacation(
            request.dbsession,
            vacation,
            submitted_version=form.submitted_version(),
            user=user,
            start=start,
            end=end,
            name=form.name.data,
            description=form.description.data,
            time_zone=request.time_zone,
        )
        return (
            f"{vacation.name} saved: {_span(request, vacation)}.",
            _back_url(request, user),
        )

    return submit_form(request, form, save) or _form_page(request, form, vacation)


@view_config(
    route_name="vacations.delete",
    request_method="POST",
    permission=Permissions.DELETE_VACATION,
)
def vacation_delete_view(request):
    vacation = request.context.entity
    user, name = vacation.user, vacation.name
    span = _span(request, vacation)
    service.delete_vacation(request.dbsession, vacation)
    request.session.flash(f"{name} ({span}) deleted.")
    return HTTPSeeOther(_back_url(request, user))

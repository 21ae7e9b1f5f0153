"""The authentication log page: who logged in or out, and which attempts were refused."""

from pyramid.view import view_config

from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.accounts import auth_log as service
from .forms import LogFilterForm


@view_config(
    route_name="auth_log.list",
    renderer="auth_log/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_AUTHENTICATION_LOGS,
)
def auth_log_list_view(request):
    form = LogFilterForm(request.GET)
    filters, errors = service.parse_filters(request.GET)
    for error in errors:
        form.add_service_error(error)
    if errors:
        request.response.status_int = 400
    page = service.log_page(
        request.dbsession, filters, parse_page_number(request.params.get("page"))
    )
    return {"form": form, "page": page}

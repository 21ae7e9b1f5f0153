"""The lists of hooks (the studio's, a project's) and the form making a new one."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.webhooks import registration as service
from ...services.webhooks.registration import EVENT_KINDS
from .forms import WebhookForm


def form_values(form: WebhookForm) -> dict:
    """The service's keywords from a submitted hook form."""
    return {
        "name": form.name.data,
        "url": form.url.data,
        "kinds": form.kinds.data,
        "is_active": form.is_active.data,
    }


def _scope(request) -> dict:
    """The project whose hooks the page shows (None: the studio's), and its list's URL."""
    project = getattr(request.context, "project", None)
    if project is None:
        return {"project": None, "list_url": request.route_url("webhooks.list")}
    list_url = request.route_url("projects.webhooks", project_id=project.id)
    return {"project": project, "list_url": list_url}


@view_config(
    route_name="webhooks.list",
    renderer="webhooks/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_WEBHOOKS,
)
@view_config(
    route_name="projects.webhooks",
    renderer="webhooks/list.jinja2",
    request_method="GET",
    permission=Permissions.LIST_WEBHOOKS,
)
def webhook_list_view(request):
    scope = _scope(request)
    project = scope["project"]
    hooks = service.hooks_of(request.dbsession, None if project is None else project.id)
    return {**scope, "hooks": hooks, "kinds": EVENT_KINDS}


@view_config(
    route_name="webhooks.create",
    renderer="webhooks/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_WEBHOOK,
)
@view_config(
    route_name="projects.webhooks.create",
    renderer="webhooks/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_WEBHOOK,
)
def webhook_create_view(request):
    scope = _scope(request)
    form = WebhookForm(request.POST)

    def save():
        webhook = service.create_webhook(
            request.dbsession, request.user, scope["project"], **form_values(form)
        )
        message = f"Webhook {webhook.name} created: give its secret to the receiver."
        return message, request.route_url("webhooks.view", webhook_id=webhook.id)

    return submit_form(request, form, save) or {**scope, "form": form, "webhook": None}

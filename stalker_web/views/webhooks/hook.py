"""A hook's page with its delivery log, its edit form, a new secret, deletion, and sending a
delivery again."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...compression import keep_uncompressed
from ...forms import submit_form
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...queue import job_queue
from ...services.errors import ValidationError
from ...services.webhooks import registration as service
from ...services.webhooks.log import delivery_page
from ...services.webhooks.registration import EVENT_KINDS
from ...services.webhooks.sending import MAX_ATTEMPTS, hand_over_after_commit, replay
from .forms import WebhookEditForm
from .hooks import form_values


def list_url(request, webhook) -> str:
    """The list the hook is on: its project's, or the studio's."""
    if webhook.project_id is None:
        return request.route_url("webhooks.list")
    return request.route_url("projects.webhooks", project_id=webhook.project_id)


@view_config(
    route_name="webhooks.view",
    renderer="webhooks/view.jinja2",
    request_method="GET",
    permission=Permissions.LIST_WEBHOOKS,
)
def webhook_view(request):
    webhook = request.context.entity
    keep_uncompressed(request)  # it shows the signing secret to those who may change the hook
    page = delivery_page(request.dbsession, webhook, parse_page_number(request.params.get("page")))
    return {
        "webhook": webhook,
        "page": page,
        "kinds": EVENT_KINDS,
        "max_attempts": MAX_ATTEMPTS,
        "list_url": list_url(request, webhook),
    }


@view_config(
    route_name="webhooks.edit",
    renderer="webhooks/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_WEBHOOK,
)
def webhook_edit_view(request):
    webhook = request.context.entity
    form = WebhookEditForm(request.POST, obj=webhook)

    def save():
        service.update_webhook(
            request.dbsession,
            webhook,
            submitted_version=form.submitted_version(),
            **form_values(form),
        )
        return f"Webhook {webhook.name} saved.", request.route_url(
            "webhooks.view", webhook_id=webhook.id
        )

    page = {"form": form, "webhook": webhook, "project": webhook.project}
    return submit_form(request, form, save) or {**page, "list_url": list_url(request, webhook)}


@view_config(
    route_name="webhooks.secret", request_method="POST", permission=Permissions.UPDATE_WEBHOOK
)
def webhook_secret_view(request):
    webhook = request.context.entity
    service.renew_secret(request.dbsession, webhook)
    request.session.flash(
        f"Webhook {webhook.name} has a new secret: give it to the receiver, the old one no "
        "longer signs deliveries."
    )
    return HTTPSeeOther(request.route_url("webhooks.view", webhook_id=webhook.id))


@view_config(
    route_name="webhooks.delete", request_method="POST", permission=Permissions.DELETE_WEBHOOK
)
def webhook_delete_view(request):
    webhook = request.context.entity
    name, url = webhook.name, list_url(request, webhook)
    service.delete_webhook(request.dbsession, webhook)
    request.session.flash(f"Webhook {name} deleted with its delivery log.")
    return HTTPSeeOther(url)


@view_config(
    route_name="webhooks.replay", request_method="POST", permission=Permissions.UPDATE_WEBHOOK
)
def webhook_replay_view(request):
    delivery = request.context.delivery
    url = request.route_url("webhooks.view", webhook_id=delivery.webhook_id)
    try:
        copy = replay(request.dbsession, delivery)
    except ValidationError as error:
        request.session.flash(error.message, "error")
        return HTTPSeeOther(url)
    registry = request.registry
    hand_over_after_commit(
        request.dbsession,
        [copy.id],
        lambda delivery_id: job_queue(registry).enqueue_webhook(delivery_id),
    )
    request.session.flash(f"Delivery {delivery.id} is sent again as delivery {copy.id}.")
    return HTTPSeeOther(url)

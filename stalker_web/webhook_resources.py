"""The context factories of the webhook pages (issue 15): a project's hooks are managed by its
managers, studio-wide hooks by holders of the class-level rights (see ``resources``)."""

from pyramid.authorization import Allow
from pyramid.httpexceptions import HTTPNotFound

from .models import Project, Webhook, WebhookDelivery
from .permissions import Permissions
from .resources import (
    EntityResource,
    ProjectResource,
    StudioRoot,
    matched_id,
    project_child_factory,
    project_factory,
)
from .security import project_principal

WEBHOOK_RIGHTS = (
    Permissions.LIST_WEBHOOKS,
    Permissions.CREATE_WEBHOOK,
    Permissions.UPDATE_WEBHOOK,
    Permissions.DELETE_WEBHOOK,
)


class ProjectWebhooksResource(EntityResource):
    """A project's webhooks, placed under the project's resource: its managers manage them;
    anybody else needs the class-level rights."""

    def __init__(self, project: Project, request) -> None:
        super().__init__(project, ProjectResource(project, StudioRoot(request)))

    @property
    def project(self) -> Project:
        return self.entity

    @property
    def __acl__(self) -> list[tuple]:
        return [(Allow, project_principal(self.entity.id, "manager"), WEBHOOK_RIGHTS)]


class WebhookResource(EntityResource):
    """A webhook: a project's hook under its project's webhooks (its managers manage it), a
    studio-wide one under the root (class-level rights only)."""

    def __init__(self, entity: Webhook, request) -> None:
        parent = (
            StudioRoot(request)
            if entity.project is None
            else ProjectWebhooksResource(entity.project, request)
        )
        super().__init__(entity, parent)


def project_webhooks_factory(request) -> ProjectWebhooksResource:
    """The webhooks of the Project named by ``project_id`` (404 as ``project_factory``)."""
    return ProjectWebhooksResource(project_factory(request).entity, request)


webhook_factory = project_child_factory(
    Webhook, WebhookResource, "webhook_id", "No webhook with this id."
)


def webhook_delivery_factory(request) -> WebhookResource:
    """The resource of the hook of the WebhookDelivery named by ``delivery_id`` (or 404); the
    delivery is its ``delivery``."""
    delivery = request.dbsession.get(WebhookDelivery, matched_id(request, "delivery_id"))
    if delivery is None:
        raise HTTPNotFound("No delivery with this id.")
    resource = WebhookResource(delivery.webhook, request)
    resource.delivery = delivery
    return resource

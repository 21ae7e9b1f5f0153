"""A hook's delivery log: its deliveries newest first, a page at a time, with their tries."""

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ...models import Webhook, WebhookDelivery
from ...pagination import Page, paginate

DELIVERIES_PER_PAGE = 25


def delivery_page(dbsession: Session, webhook: Webhook, number: int) -> Page:
    """Page ``number`` of ``webhook``'s deliveries, newest first, each with its tries loaded."""
    statement = (
        select(WebhookDelivery)
        .where(WebhookDelivery.webhook_id == webhook.id)
        .options(selectinload(WebhookDelivery.tries))
        .order_by(WebhookDelivery.id.desc())
    )
    return paginate(dbsession, statement, number, per_page=DELIVERIES_PER_PAGE)

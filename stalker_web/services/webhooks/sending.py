"""Sending one delivery: the worker's job, safe to run twice.

The delivery's row is read with a lock (``FOR UPDATE`` where the database has it) and skipped
unless still pending and due, so a job run again (a retry, a second worker, the hourly sweep)
never sends a delivery twice. Each try is recorded as a ``WebhookAttempt`` with the receiver's
answer; a failed try schedules the next one after a growing delay (``retry_delays``) until the
last, which marks the delivery failed.
"""

import json
import logging
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import DeliveryState, WebhookAttempt, WebhookDelivery
from ...models.meta import utcnow
from ...webhook_signature import DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, sign
from ..errors import ValidationError
from ..notifications.after_commit import call_after_commit

log = logging.getLogger(__name__)

BODY_LENGTH = 2_000
TIMEOUT_SECONDS = 10
# The delays between tries, as multiples of ``webhooks.retry_delay_seconds`` (60: 1 min, 5 min,
# 30 min, 2 h, 6 h); a delivery is tried once, then once after each.
BACKOFF_FACTORS = (1, 5, 30, 120, 360)
MAX_ATTEMPTS = len(BACKOFF_FACTORS) + 1
# A pending delivery due this long ago was lost on its way to the queue: the sweep queues it.
STRANDED_AFTER = timedelta(minutes=10)
USER_AGENT = "stalker-web-webhooks"


@dataclass(frozen=True)
class WebhookSettings:
    """``webhooks.retry_delay_seconds``: the first delay between tries (the later ones grow)."""

    retry_delay_seconds: int = 60

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "WebhookSettings":
        raw = settings.get("webhooks.retry_delay_seconds")
        if raw in (None, ""):
            return cls()
        text = str(raw).strip()
        if not text.isdigit() or int(text) > 86_400:
            raise ValueError(
                f"webhooks.retry_delay_seconds = {raw!r}: give a whole number from 0 to 86400."
            )
        return cls(retry_delay_seconds=int(text))

    def delay_after(self, attempts: int) -> int:
        """Seconds to wait after try number ``attempts`` failed."""
        return self.retry_delay_seconds * BACKOFF_FACTORS[min(attempts, MAX_ATTEMPTS - 1) - 1]


@dataclass(frozen=True)
class Answer:
    """What the receiver said: its status (None when it could not be reached), the start of
    its body, or the error."""

    status: int | None
    body: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


@dataclass(frozen=True)
class Outcome:
    """What a job did: ``result`` in words, and the seconds until the next try (None: none)."""

    result: str
    retry_in: int | None = None


def _read(response) -> str:
    return response.read(BODY_LENGTH * 4).decode("utf-8", "replace")[:BODY_LENGTH]


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """POST ``body`` to ``url``; the receiver's answer (an HTTP error is an answer too)."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return Answer(response.status, _read(response))
    except urllib.error.HTTPError as error:
        return Answer(error.code, _read(error))
    except (OSError, ValueError) as error:
        return Answer(None, error=f"{type(error).__name__}: {error}"[:BODY_LENGTH])


def request_of(delivery: WebhookDelivery, timestamp: int) -> tuple[bytes, dict[str, str]]:
    """The body and headers of ``delivery``, signed with its hook's secret at ``timestamp``."""
    body = json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode("utf-8")
    return body, {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign(delivery.webhook.secret, body, timestamp),
        EVENT_HEADER: delivery.event_kind,
        DELIVERY_HEADER: str(delivery.id),
    }


def _record(delivery: WebhookDelivery, answer: Answer, now: datetime, settings) -> int | None:
    """Keep the answer of this try on the delivery and its log; the delay before the next."""
    delivery.tries.append(
        WebhookAttempt(
            tried_at=now,
            response_status=answer.status,
            response_body=answer.body,
            error=answer.error,
        )
    )
    delivery.response_status, delivery.response_body = answer.status, answer.body
    delivery.error = answer.error
    if answer.ok:
        delivery.state, delivery.delivered_at, delivery.next_try_at = (
            DeliveryState.DELIVERED,
            now,
            None,
        )
        return None
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.next_try_at = DeliveryState.FAILED, None
        return None
    delay = settings.delay_after(delivery.attempts)
    delivery.next_try_at = now + timedelta(seconds=delay)
    return delay


def send_delivery(
    session_factory: Callable[[], Session],
    delivery_id: int,
    settings: WebhookSettings,
    now: Callable[[], datetime] = utcnow,
    sender: Callable[[str, bytes, dict[str, str]], Answer] = post,
) -> Outcome:
    """Try delivery ``delivery_id`` once if it is pending and due; what happened, with the
    delay before the next try when this one failed and another follows."""
    with session_factory() as dbsession, dbsession.begin():
        delivery = dbsession.scalars(
            select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
        ).one_or_none()
        if delivery is None:
            return Outcome("missing")
        if delivery.state is not DeliveryState.PENDING:
            return Outcome(f"already {delivery.state.value}")
        moment = now()
        if delivery.next_try_at is not None and delivery.next_try_at > moment:
            return Outcome("not due")
        delivery.attempts += 1
        body, headers = request_of(delivery, int(moment.timestamp()))
        answer = sender(delivery.webhook.url, body, headers)
        retry_in = _record(delivery, answer, moment, settings)
        result = delivery.state.value if retry_in is None else "retry"
    return Outcome(result, retry_in)


def stranded_delivery_ids(dbsession: Session, now: datetime) -> list[int]:
    """Pending deliveries due since long before ``now``: their job was lost."""
    return list(
        dbsession.scalars(
            select(WebhookDelivery.id)
            .where(
                WebhookDelivery.state == DeliveryState.PENDING,
                WebhookDelivery.next_try_at < now - STRANDED_AFTER,
            )
            .order_by(WebhookDelivery.id)
        )
    )


def replay(dbsession: Session, delivery: WebhookDelivery) -> WebhookDelivery:
    """A new pending delivery of ``delivery``'s payload to its hook (``replay_of`` it)."""
    if delivery.state is DeliveryState.PENDING:
        raise ValidationError("This delivery is still being sent: wait for its last try.")
    if not delivery.webhook.is_active:
        raise ValidationError("This webhook is switched off: switch it on to send again.")
    copy = WebhookDelivery(
        webhook_id=delivery.webhook_id,
        event_kind=delivery.event_kind,
        payload=delivery.payload,
        replay_of_id=delivery.id,
        next_try_at=utcnow(),
    )
    dbsession.add(copy)
    dbsession.flush()
    return copy


def hand_over_after_commit(
    dbsession: Session, delivery_ids: list[int], hand_over: Callable[[int], None]
) -> None:
    """Give each delivery to ``hand_over`` (the job queue) once ``dbsession`` has committed; a
    failed hand-over is logged, and the hourly sweep queues the delivery later."""
    if not delivery_ids:
        return

    def hand_over_all() -> None:
        for delivery_id in delivery_ids:
            try:
                hand_over(delivery_id)
            except Exception:
                log.exception("could not hand webhook delivery %s to the job queue", delivery_id)

    call_after_commit(dbsession, hand_over_all)

"""Registering webhooks: a name, an http(s) URL, the event kinds and the scope (one project, or
the whole studio), with a signing secret generated here and renewed on demand."""

import secrets
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, User, Webhook
from ...models.api import TOKEN_NAME_LENGTH, WEBHOOK_URL_LENGTH
from ..errors import ValidationError, check_version
from ..names import checked_name

# The event kinds a hook may choose, with the words the pages show for them.
EVENT_KINDS = {
    "task.status_changed": "A task's status changed",
    "version.published": "A version was published",
    "review.answered": "A review was answered",
    "ticket.changed": "A ticket changed",
    "schedule.finished": "A schedule run finished",
}
SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret (URL-safe text)."""
    return secrets.token_urlsafe(SECRET_BYTES)


def checked_hook_name(name: str | None) -> str:
    """``name`` cleaned; refused when blank or longer than the column."""
    cleaned = checked_name(name)
    if len(cleaned) > TOKEN_NAME_LENGTH:
        raise ValidationError(f"Use at most {TOKEN_NAME_LENGTH} characters.", "name")
    return cleaned


def checked_url(url: str | None) -> str:
    """An absolute http(s) URL with a host, no credentials, at most 2,048 characters."""
    url = (url or "").strip()
    if not url:
        raise ValidationError("A URL is required.", "url")
    if len(url) > WEBHOOK_URL_LENGTH:
        raise ValidationError(f"Use at most {WEBHOOK_URL_LENGTH} characters.", "url")
    if any(character.isspace() for character in url):
        raise ValidationError("A URL holds no spaces.", "url")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as error:
        raise ValidationError("This is not a valid URL.", "url") from error
    if parts.scheme.lower() not in ("http", "https"):
        raise ValidationError("Give an address starting with https:// or http://.", "url")
    if not parts.hostname:
        raise ValidationError("The address names no host.", "url")
    if parts.username is not None or parts.password is not None:
        raise ValidationError(
            "Put no user name or password in the URL: receivers check the signature instead.",
            "url",
        )
    return url


def checked_kinds(kinds) -> list[str]:
    """The chosen event kinds, in the fixed order; at least one, each a known kind."""
    chosen = set(kinds or ())
    unknown = chosen - EVENT_KINDS.keys()
    if unknown:
        raise ValidationError(f"Unknown event kinds: {', '.join(sorted(unknown))}.", "kinds")
    if not chosen:
        raise ValidationError("Choose at least one kind of event.", "kinds")
    return [kind for kind in EVENT_KINDS if kind in chosen]


def create_webhook(
    dbsession: Session,
    creator: User | None,
    project: Project | None,
    *,
    name: str | None,
    url: str | None,
    kinds,
    is_active: bool = True,
) -> Webhook:
    """A new hook of ``project`` (None: the whole studio) with a fresh secret."""
    webhook = Webhook(
        name=checked_hook_name(name),
        url=checked_url(url),
        kinds=checked_kinds(kinds),
        project=project,
        is_active=bool(is_active),
        secret=new_secret(),
        created_by=creator,
    )
    dbsession.add(webhook)
    dbsession.flush()
    return webhook


def update_webhook(
    dbsession: Session,
    webhook: Webhook,
    *,
    submitted_version: int | None,
    name: str | None,
    url: str | None,
    kinds,
    is_active: bool,
) -> Webhook:
    """Change the hook's name, URL, kinds and whether it is active (not its scope)."""
    check_version(webhook, submitted_version, "This webhook")
    webhook.name = checked_hook_name(name)
    webhook.url = checked_url(url)
    webhook.kinds = checked_kinds(kinds)
    webhook.is_active = bool(is_active)
    dbsession.flush()
    return webhook


def renew_secret(dbsession: Session, webhook: Webhook) -> str:
    """Give the hook a new secret (receivers must take it); the new secret."""
    webhook.secret = new_secret()
    dbsession.flush()
    return webhook.secret


def delete_webhook(dbsession: Session, webhook: Webhook) -> None:
    """Delete the hook and its delivery log."""
    dbsession.delete(webhook)
    dbsession.flush()


def hooks_of(dbsession: Session, project_id: int | None) -> list[Webhook]:
    """The hooks of project ``project_id`` (None: the studio-wide ones), by name."""
    scope = Webhook.project_id.is_(None) if project_id is None else Webhook.project_id == project_id
    return list(dbsession.scalars(select(Webhook).where(scope).order_by(Webhook.name, Webhook.id)))

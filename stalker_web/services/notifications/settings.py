"""The e-mail settings of the ini file, read and checked once when the app or the worker starts.

- ``mail.mode``: ``smtp`` (send through ``mail.host``:``mail.port``, with ``mail.starttls``
  and ``mail.username``/``mail.password`` when set; ``STALKER_WEB_MAIL_PASSWORD`` wins) or
  ``files`` (write each mail as an .eml file under ``mail.folder``: development). Default:
  files under var/mail, so that nothing leaves a machine nobody configured.
- ``mail.sender``: the From address (its domain also ends each Message-ID).
- ``mail.base_url``: what links in mails start with (default ``app.base_url``, or
  ``STALKER_WEB_BASE_URL``).
- ``mail.templates``: a folder whose templates replace the packaged ones of the same name.
- ``mail.retries`` and ``mail.retry_delay_seconds``: how often, and how far apart, the worker
  tries a mail again after the server refused it or could not be reached.
- ``mail.digest_hour``: the hour of the studio's day when the daily digests go out.
"""

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pyramid.settings import asbool

MODES = ("smtp", "files")
PASSWORD_ENV_VAR = "STALKER_WEB_MAIL_PASSWORD"  # noqa: S105 - the variable's name
BASE_URL_ENV_VAR = "STALKER_WEB_BASE_URL"
DEFAULT_FOLDER = "var/mail"
DEFAULT_SENDER = "stalker-web@localhost"
DEFAULT_BASE_URL = "http://localhost:6543"


class MailConfigError(ValueError):
    """An e-mail setting of the ini file is not one the app can use; the message names it."""


def _number(settings: Mapping[str, Any], key: str, default: int, low: int, high: int) -> int:
    raw = settings.get(key)
    if raw in (None, ""):
        return default
    try:
        value = int(str(raw).strip())
    except ValueError:
        value = None
    if value is None or not low <= value <= high:
        raise MailConfigError(f"{key} = {raw!r}: give a whole number from {low} to {high}.")
    return value


@dataclass(frozen=True)
class MailSettings:
    """How mails are written, sent and retried (see the module's docstring)."""

    mode: str = "files"
    host: str = "127.0.0.1"
    port: int = 25
    sender: str = DEFAULT_SENDER
    starttls: bool = False
    username: str = ""
    password: str = ""
    folder: Path = Path(DEFAULT_FOLDER)
    base_url: str = DEFAULT_BASE_URL
    templates: str = ""
    timeout_seconds: int = 30
    retries: int = 5
    retry_delay_seconds: int = 60
    digest_hour: int = 7

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> "MailSettings":
        """The settings of an ini's ``[app:main]`` section; ``MailConfigError`` names a bad one."""
        mode = (settings.get("mail.mode") or "files").strip().lower()
        if mode not in MODES:
            raise MailConfigError(f"mail.mode = {mode!r}: use one of {', '.join(MODES)}.")
        base_url = (
            os.environ.get(BASE_URL_ENV_VAR)
            or settings.get("mail.base_url")
            or settings.get("app.base_url")
            or DEFAULT_BASE_URL
        ).strip()
        if not base_url.startswith(("http://", "https://")):
            raise MailConfigError(
                f"mail.base_url = {base_url!r}: start it with https:// or http://."
            )
        sender = (settings.get("mail.sender") or DEFAULT_SENDER).strip()
        if "@" not in sender:
            raise MailConfigError(f"mail.sender = {sender!r}: give an e-mail address.")
        return cls(
            mode=mode,
            host=(settings.get("mail.host") or "127.0.0.1").strip(),
            port=_number(settings, "mail.port", 25, 1, 65535),
            sender=sender,
            starttls=asbool(settings.get("mail.starttls", False)),
            username=(settings.get("mail.username") or "").strip(),
            password=os.environ.get(PASSWORD_ENV_VAR) or settings.get("mail.password") or "",
            folder=Path(settings.get("mail.folder") or DEFAULT_FOLDER),
            base_url=base_url.rstrip("/"),
            templates=(settings.get("mail.templates") or "").strip(),
            timeout_seconds=_number(settings, "mail.timeout_seconds", 30, 1, 600),
            retries=_number(settings, "mail.retries", 5, 0, 100),
            retry_delay_seconds=_number(settings, "mail.retry_delay_seconds", 60, 0, 86_400),
            digest_hour=_number(settings, "mail.digest_hour", 7, 0, 23),
        )

    @property
    def domain(self) -> str:
        """The domain of the sender, which ends each Message-ID."""
        return self.sender.rpartition("@")[2].strip(">") or "localhost"

    @property
    def attempts(self) -> int:
        """How many times a mail is tried in all: once, then each retry."""
        return self.retries + 1

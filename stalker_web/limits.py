"""Bounded input: the largest ids, texts and request bodies the application accepts, and the
parsers that turn what a client sent into values within those bounds (or into nothing).

Request bodies are capped before anything reads them: pyramid_retry copies the body of every
request (to replay it), so the check wraps its execution policy and a refused body is replaced by
an empty one; a tween then answers 413 with the usual error layout.
"""

import io
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from pyramid.config import PHASE3_CONFIG
from pyramid.exceptions import ConfigurationError
from pyramid.httpexceptions import HTTPRequestEntityTooLarge
from pyramid.interfaces import IExecutionPolicy
from pyramid.router import default_execution_policy
from pyramid.tweens import EXCVIEW

from .config import load_studio_config
from .services.checked_uploads import readable_size

# Ids are INTEGER columns: PostgreSQL refuses a larger number even in a comparison.
MAX_ID = 2**31 - 1
QUERY_TEXT_MAX_LENGTH = 256
# The longest path (with its query string) the app redirects to or carries in a form.
URL_MAX_LENGTH = 2048
MIB = 1024 * 1024
FORM_BODY_BYTES = MIB
TOO_LARGE_KEY = "stalker_web.body_limit"
# The years a calendar page may show: the weeks and months next to it must exist too.
FIRST_YEAR, LAST_YEAR = 1900, 9998
# Characters a text may hold although they are control characters (category Cc).
LINE_BREAKS = "\t\n\r"


def whole_number(value, maximum: int = MAX_ID) -> int | None:
    """``value`` as a whole number from 0 to ``maximum`` (an int, or ASCII digits with optional
    surrounding spaces), else None: ``"²"``, ``"-1"``, ``"1e9"`` and 25 digits all mean none."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value <= maximum else None
    if not isinstance(value, str):
        return None
    digits = value.strip()
    if not digits or not digits.isascii() or not digits.isdigit():
        return None
    if len(digits.lstrip("0")) > len(str(maximum)):
        return None
    number = int(digits)
    return number if number <= maximum else None


def control_characters(text: str, allowed: str = "") -> list[str]:
    """The control characters of ``text`` (NUL, escape, line breaks...) other than ``allowed``."""
    return sorted(
        {char for char in text if unicodedata.category(char) == "Cc" and char not in allowed}
    )


def query_text(
    params: Mapping, name: str, default: str = "", max_length: int = QUERY_TEXT_MAX_LENGTH
) -> str:
    """The query parameter ``name`` as a trimmed text of at most ``max_length`` characters,
    control characters removed; ``default`` when it is missing or not text."""
    value = params.get(name)
    if not isinstance(value, str):
        return default
    kept = "".join(char for char in value if unicodedata.category(char) != "Cc")
    return kept.strip()[:max_length]


def query_int(params: Mapping, name: str, maximum: int = MAX_ID) -> int | None:
    """The query parameter ``name`` as a whole number (see :func:`whole_number`), else None."""
    return whole_number(params.get(name), maximum)


@dataclass(frozen=True)
class BodyLimits:
    """The largest request bodies accepted: uploads (multipart) and everything else."""

    multipart_bytes: int
    form_bytes: int

    @classmethod
    def from_settings(cls, settings: Mapping, upload_max_bytes: int) -> "BodyLimits":
        """``app.max_request_body_bytes`` (default: the upload limit plus 1 MiB for the rest of
        the form) and ``app.max_form_body_bytes`` (default 1 MiB, at most the former)."""
        multipart = _positive(settings, "app.max_request_body_bytes", upload_max_bytes + MIB)
        form = _positive(settings, "app.max_form_body_bytes", FORM_BODY_BYTES)
        return cls(multipart_bytes=multipart, form_bytes=min(form, multipart))

    def for_content_type(self, content_type: str) -> int:
        """The limit of a body of ``content_type``."""
        if content_type.strip().lower().startswith("multipart/"):
            return self.multipart_bytes
        return self.form_bytes


def _positive(settings: Mapping, key: str, default: int) -> int:
    raw = settings.get(key)
    if raw is None or str(raw).strip() == "":
        return default
    number = whole_number(str(raw), maximum=2**62)
    if not number:
        raise ConfigurationError(f"{key} must be a number of bytes greater than 0, not {raw!r}.")
    return number


def refuse_oversized_body(environ: dict, limits: BodyLimits) -> None:
    """When the body of ``environ`` is larger than its limit, replace it by an empty one and
    note the limit under ``TOO_LARGE_KEY``; a chunked body without a length is read up to the
    limit only. Nothing else of the body is read."""
    limit = limits.for_content_type(environ.get("CONTENT_TYPE", ""))
    length = (environ.get("CONTENT_LENGTH") or "").strip()
    if length:
        size = whole_number(length, maximum=2**62)
        if size is not None and size <= limit:
            return
    elif "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower():
        body = environ["wsgi.input"].read(limit + 1)
        if len(body) <= limit:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            return
    else:
        return
    environ[TOO_LARGE_KEY] = limit
    environ["wsgi.input"] = io.BytesIO(b"")
    environ["CONTENT_LENGTH"] = "0"
    environ.pop("HTTP_TRANSFER_ENCODING", None)


def limited_execution_policy(inner, limits: BodyLimits):
    """An execution policy checking the body size, then handing the request to ``inner``."""

    def execution_policy(environ, router):
        refuse_oversized_body(environ, limits)
        return inner(environ, router)

    return execution_policy


def body_limit_tween_factory(handler, registry):
    """A tween answering 413 (through the error views) for a body refused by the policy."""

    def body_limit_tween(request):
        limit = request.environ.get(TOO_LARGE_KEY)
        if limit is not None:
            raise HTTPRequestEntityTooLarge(readable_size(limit))
        return handler(request)

    return body_limit_tween


def too_large_view(exc, request):
    """The 413 page: what was too large and what the limit is."""
    request.response.status_int = 413
    return {"limit": exc.detail}


def includeme(config) -> None:
    """Cap request bodies: wrap the execution policy (once all others are set) and add the
    tween and the 413 page."""
    settings = config.get_settings()
    upload_max = load_studio_config(settings)["uploads"]["max_bytes"]
    limits = BodyLimits.from_settings(settings, upload_max)

    def wrap_execution_policy() -> None:
        inner = config.registry.queryUtility(IExecutionPolicy, default=default_execution_policy)
        config.registry.registerUtility(limited_execution_policy(inner, limits), IExecutionPolicy)

    # After every other action, so that pyramid_retry's policy (which copies the body) is the
    # one wrapped, whatever the order of the includes.
    config.action(None, wrap_execution_policy, order=PHASE3_CONFIG + 1)
    config.add_tween("stalker_web.limits.body_limit_tween_factory", under=EXCVIEW)
    config.add_exception_view(
        too_large_view, context=HTTPRequestEntityTooLarge, renderer="errors/413.jinja2"
    )

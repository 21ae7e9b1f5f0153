"""The signature of webhook deliveries: standard library only, so pipeline tools and receivers
reuse it as it is (nothing here imports Pyramid or SQLAlchemy).

A delivery carries ``Stalker-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>``, where the HMAC
is computed with the hook's secret over ``"<t>.<raw body>"``. A receiver checks it with
:func:`verify_signature`, which also refuses a timestamp too far from its clock (a replayed
request).
"""

import hashlib
import hmac
import time

SIGNATURE_HEADER = "Stalker-Signature"
EVENT_HEADER = "Stalker-Event"
DELIVERY_HEADER = "Stalker-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    message = str(timestamp).encode("ascii") + b"." + body
    return hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    """The ``Stalker-Signature`` header's value for ``body`` sent at ``timestamp`` (now)."""
    timestamp = int(time.time()) if timestamp is None else int(timestamp)
    return f"t={timestamp},v1={_digest(secret, timestamp, body)}"


def _parts(header: str) -> tuple[int | None, list[str]]:
    """The timestamp and the v1 signatures of a header (None when it has no valid ``t``)."""
    timestamp, signatures = None, []
    for item in header.split(","):
        key, _, value = item.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    return timestamp, signatures


def verify_signature(
    secret: str,
    header: str,
    body: bytes,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """Whether ``header`` signs ``body`` with ``secret`` at a time within ``tolerance`` seconds
    of ``now`` (the clock)."""
    timestamp, signatures = _parts(header or "")
    if timestamp is None or not signatures:
        return False
    current = time.time() if now is None else now
    if abs(current - timestamp) > tolerance:
        return False
    expected = _digest(secret, timestamp, body)
    return any(hmac.compare_digest(expected, signature) for signature in signatures)

"""CSRF tokens masked afresh in every response, so that compressed pages do not leak them.

The session keeps one secret (Pyramid's session token, as before). Pages never show it as it
is: each response shows ``base64url(pad + (pad XOR secret))`` with a new random ``pad``, and a
POST (its ``csrf_token`` field or the ``X-CSRF-Token`` header) is checked by unmasking what it
sends and comparing with the secret in constant time. Any masked form of the current secret is
accepted, so a token read from any earlier page of the session works.

Why: BREACH guesses a secret that is repeated in every compressed response beside text an
attacker chose, from the responses' lengths. A token that differs in every response gives the
guessing nothing to converge on, so signed-in pages may be compressed (``compression.py``).
One pad serves a whole response: its forms repeat one string, which compresses, instead of
carrying a random one each.
"""

import base64
import binascii
import hmac
import secrets

from pyramid.interfaces import ICSRFStoragePolicy
from zope.interface import implementer

# Where a request keeps the secret it masked and the masked token its page shows.
MASKED_ATTRIBUTE = "_masked_csrf_token"


def mask(secret: bytes) -> str:
    """``secret`` behind a fresh random pad, as text fit for a form field or a header."""
    pad = secrets.token_bytes(len(secret))
    masked = bytes(a ^ b for a, b in zip(pad, secret, strict=True))
    return base64.urlsafe_b64encode(pad + masked).rstrip(b"=").decode("ascii")


def unmask(token: str) -> bytes | None:
    """The secret a masked ``token`` carries, or None when it is not one (any length, any
    characters: it comes from the request)."""
    try:
        raw = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        return None
    half, odd = divmod(len(raw), 2)
    if odd or not half:
        return None
    pad, masked = raw[:half], raw[half:]
    return bytes(a ^ b for a, b in zip(pad, masked, strict=True))


@implementer(ICSRFStoragePolicy)
class MaskedCSRFStoragePolicy:
    """The session's CSRF secret, shown masked (see the module's docstring)."""

    def new_csrf_token(self, request) -> str:
        """Replace the session's secret (at login) and return the new one, masked."""
        request.session.new_csrf_token()
        return self.get_csrf_token(request)

    def get_csrf_token(self, request) -> str:
        """The token this response shows: the session's secret (made when missing) masked once
        per response, and again if the secret changed since."""
        secret = request.session.get_csrf_token()
        shown = getattr(request, MASKED_ATTRIBUTE, None)
        if shown is None or shown[0] != secret:
            shown = (secret, mask(secret.encode()))
            setattr(request, MASKED_ATTRIBUTE, shown)
        return shown[1]

    def check_csrf_token(self, request, supplied_token: str) -> bool:
        """Whether ``supplied_token`` is a masked form of the session's secret."""
        secret = request.session.get_csrf_token().encode()
        supplied = unmask(supplied_token)
        return supplied is not None and hmac.compare_digest(supplied, secret)


def includeme(config) -> None:
    """Make the masked tokens the application's CSRF policy."""
    config.set_csrf_storage_policy(MaskedCSRFStoragePolicy())

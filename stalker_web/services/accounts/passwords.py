"""Password hashing with argon2id, and the studio's password rules (NIST SP 800-63B)."""

import functools
import threading
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..errors import ValidationError

# NIST SP 800-63B asks for a maximum of at least 64; argon2 hashes any length in the same time.
PASSWORD_MAX_LENGTH = 1024
# A login or e-mail name shorter than this may appear inside a password ("bob" in "bobsled
# racing"); only the whole password equal to it is refused.
SHORTEST_NAME_SEARCHED = 4
COMMON_PASSWORDS_FILE = "common_passwords.txt"
COMMON_PASSWORD_MESSAGE = "This password is among the most common ones; choose a longer phrase."  # noqa: S105
# The plain text hashed for a login that does not exist, so that it costs the same time.
_UNKNOWN_USER_PASSWORD = "no such user"  # noqa: S105 - not a credential

# Each hash or verification holds ``memory_cost`` KiB (64 MiB by default) while it runs: a burst
# of ten logins took one process from 137 to 660 MB. At most this many run at once in a process;
# the others wait their turn (a login takes a fraction of a second), so memory stays bounded.
DEFAULT_MAX_CONCURRENT = 2

_hasher = PasswordHasher()
_slots = threading.BoundedSemaphore(DEFAULT_MAX_CONCURRENT)


def configure_hasher(settings: dict) -> None:
    """Set the argon2id cost from ``argon2.time_cost``/``memory_cost``/``parallelism`` settings,
    and how many hashes or verifications may run at once in this process from
    ``argon2.max_concurrent`` (default 2).

    The defaults are argon2-cffi's (RFC 9106 low-memory profile). Hashes made with other
    parameters are upgraded at the next successful login.
    """
    global _hasher, _slots
    defaults = PasswordHasher()
    _hasher = PasswordHasher(
        time_cost=int(settings.get("argon2.time_cost", defaults.time_cost)),
        memory_cost=int(settings.get("argon2.memory_cost", defaults.memory_cost)),
        parallelism=int(settings.get("argon2.parallelism", defaults.parallelism)),
    )
    max_concurrent = int(settings.get("argon2.max_concurrent", DEFAULT_MAX_CONCURRENT))
    if max_concurrent < 1:
        raise ValueError(f"argon2.max_concurrent must be at least 1, not {max_concurrent}.")
    _slots = threading.BoundedSemaphore(max_concurrent)


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` with the configured cost."""
    with _slots:  # waits while the process's slots are taken
        return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``."""
    with _slots:  # waits while the process's slots are taken
        try:
            return _hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False


_dummy: tuple[PasswordHasher, str] | None = None


def dummy_hash() -> str:
    """A hash made with the configured cost, verified in place of a missing user's hash so
    that an unknown login takes as long to refuse as a wrong password."""
    global _dummy
    if _dummy is None or _dummy[0] is not _hasher:
        _dummy = (_hasher, hash_password(_UNKNOWN_USER_PASSWORD))
    return _dummy[1]


def needs_rehash(password_hash: str) -> bool:
    """Whether ``password_hash`` was made with another cost than the configured one."""
    return _hasher.check_needs_rehash(password_hash)


@functools.cache
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, lower-cased; read once, at the first check."""
    text = resources.files("stalker_web.config").joinpath(COMMON_PASSWORDS_FILE).read_text("utf-8")
    return frozenset(
        line.lower() for line in text.splitlines() if line and not line.startswith("# ")
    )


def _names_of(login: str, email: str | None) -> list[tuple[str, str]]:
    """The user's own names a password must not be built on, with how to call each."""
    names = [(login.lower(), "the login")]
    local_part = (email or "").strip().lower().partition("@")[0]
    if local_part:
        names.append((local_part, "the part of the e-mail address before the @"))
    return names


def check_password_rules(
    password: str,
    login: str,
    min_length: int,
    field: str = "password",
    *,
    email: str | None = None,
) -> None:
    """Refuse a password that is too short or too long, blank-padded, built on the login or
    the e-mail's name, or among the most common ones. Any character is allowed, and no mix of
    kinds is required (NIST SP 800-63B)."""
    if len(password) < min_length:
        raise ValidationError(f"Use at least {min_length} characters.", field)
    if len(password) > PASSWORD_MAX_LENGTH:
        raise ValidationError(f"Use at most {PASSWORD_MAX_LENGTH:,} characters.", field)
    if password != password.strip():
        raise ValidationError("A password cannot start or end with spaces.", field)
    typed = password.lower()
    for name, what in _names_of(login, email):
        if typed == name or (len(name) >= SHORTEST_NAME_SEARCHED and name in typed):
            raise ValidationError(f"The password cannot be {what}, nor contain it.", field)
    if typed in common_passwords():
        raise ValidationError(COMMON_PASSWORD_MESSAGE, field)

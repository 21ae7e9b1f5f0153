"""Password hashing with argon2id, and the studio's password rules."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from .errors import ValidationError

_hasher = PasswordHasher()


def configure_hasher(settings: dict) -> None:
    """Set the argon2id cost from ``argon2.time_cost``/``memory_cost``/``parallelism`` settings.

    The defaults are argon2-cffi's (RFC 9106 low-memory profile). Hashes made with other
    parameters are upgraded at the next successful login.
    """
    global _hasher
    defaults = PasswordHasher()
    _hasher = PasswordHasher(
        time_cost=int(settings.get("argon2.time_cost", defaults.time_cost)),
        memory_cost=int(settings.get("argon2.memory_cost", defaults.memory_cost)),
        parallelism=int(settings.get("argon2.parallelism", defaults.parallelism)),
    )


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def check_password_rules(
    password: str, login: str, min_length: int, field: str = "password"
) -> None:
    """Refuse a password that is too short, blank-padded or equal to the login."""
    if len(password) < min_length:
        raise ValidationError(f"Use at least {min_length} characters.", field)
    if password != password.strip():
        raise ValidationError("A password cannot start or end with spaces.", field)
    if password.lower() == login.lower():
        raise ValidationError("The password cannot be the login.", field)

"""Creating and editing user accounts."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Group, User
from ..models.meta import InvalidValue
from ..models.user import normalize_login
from .errors import ValidationError
from .passwords import check_password_rules, hash_password


def _check_unique(dbsession: Session, login: str, email: str, exclude_id: int | None) -> None:
    others = select(User).where(User.id != exclude_id) if exclude_id else select(User)
    if dbsession.scalar(others.where(User.login == login).with_only_columns(func.count())):
        raise ValidationError(f"The login {login!r} is taken.", "login")
    if dbsession.scalar(others.where(User.email == email).with_only_columns(func.count())):
        raise ValidationError(f"The e-mail address {email} is used by another user.", "email")


def create_user(
    dbsession: Session,
    *,
    name: str,
    login: str,
    email: str,
    password: str,
    password_min_length: int,
    must_change_password: bool = False,
    efficiency: float = 1.0,
    rate: float = 0.0,
    groups: list[Group] | None = None,
) -> User:
    """Create a user with a hashed password; refuses taken logins/e-mails and weak passwords."""
    normalized = normalize_login(login)
    if not normalized:
        raise ValidationError("A login needs at least one letter (a-z).", "login")
    _check_unique(dbsession, normalized, (email or "").strip().lower(), None)
    check_password_rules(password, normalized, password_min_length)
    try:
        user = User(
            name=name,
            login=normalized,
            email=email,
            password_hash=hash_password(password),
            must_change_password=must_change_password,
            efficiency=efficiency,
            rate=rate,
            groups=list(groups or []),
        )
    except InvalidValue as error:
        raise ValidationError(error.message, error.field) from error
    dbsession.add(user)
    dbsession.flush()
    return user

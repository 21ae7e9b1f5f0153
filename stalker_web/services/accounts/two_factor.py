"""Two-factor sign-in: TOTP enrolment (RFC 6238), one-time recovery codes, the second step."""

import hmac
import re
import secrets
from dataclasses import dataclass

import pyotp
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from ...models import RecoveryCode, User
from ...models.authentication_log import FAILED, LOCKED
from ...models.meta import utcnow
from ..errors import ValidationError
from ..tasks.progress import studio_calendar
from .authentication import (
    Attempt,
    LoginRefused,
    Throttle,
    check_current_password,
    record_login,
    refusal_message,
)
from .passwords import hash_password, verify_password
from .user_rights import UserRights

RECOVERY_CODE_COUNT = 10
# Recovery codes use letters and digits that cannot be misread (no 0/o, 1/l/i).
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_CODE_LENGTH = 10
# Codes of the time step before and after the current one are accepted too (clock drift).
ACCEPTED_STEPS = (-1, 0, 1)
WRONG_CODE = (
    "That code is not right. Type the 6-digit code your authenticator app shows now, "
    "or one of your recovery codes."
)
_NOT_CODE_CHARACTERS = re.compile(r"[\s-]+")


@dataclass(frozen=True)
class SecondStep:
    """How the second step was passed: with a recovery code, and how many are left."""

    used_recovery_code: bool
    recovery_codes_left: int


@dataclass(frozen=True)
class QrImage:
    """A QR code as one SVG path of dark modules on a ``size`` × ``size`` grid (quiet zone
    included)."""

    size: int
    path: str


def start_enrolment(dbsession: Session, user: User) -> None:
    """Give ``user`` a new secret to load into an authenticator app; it is not used for
    signing in until :func:`confirm_enrolment`. Refused while two-factor sign-in is on (turning
    it off needs the password and a code)."""
    if user.totp_enabled:
        raise ValidationError(
            "Two-factor sign-in is on. To move it to another phone, turn it off first, then set "
            "it up again."
        )
    user.totp_secret = pyotp.random_base32()
    user.totp_enabled = False
    user.totp_last_counter = None
    dbsession.flush()


def must_enrol(
    dbsession: Session, user: User, admin_group: str, rights: UserRights | None = None
) -> bool:
    """Whether ``user`` must set two-factor sign-in up before anything else: the studio requires
    it of the members of ``admin_group``, and they have not done it yet. ``rights`` are the
    user's when already read (a request's), so their groups need no query."""
    if user.totp_enabled:
        return False
    if rights is None:
        rights = UserRights.of_user(user, memberships=False)
    if not rights.in_group(admin_group):
        return False
    return bool(studio_calendar(dbsession).require_admin_two_factor)


def provisioning_uri(user: User, issuer: str) -> str:
    """The ``otpauth://`` address an authenticator app reads (from the QR code)."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.login, issuer_name=issuer)


def qr_code(text: str) -> QrImage:
    """``text`` as a QR code, drawn as runs of dark modules, row by row."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    code.add_data(text)
    code.make(fit=True)
    matrix = code.get_matrix()
    runs = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if row[x]:
                start = x
                while x < len(row) and row[x]:
                    x += 1
                runs.append(f"M{start},{y}h{x - start}v1h-{x - start}z")
            else:
                x += 1
    return QrImage(size=len(matrix), path="".join(runs))


def _matching_step(secret: str, code: str) -> int | None:
    """The time step whose code is ``code``, among the accepted ones, or None."""
    totp = pyotp.TOTP(secret)
    current = totp.timecode(utcnow())
    for offset in ACCEPTED_STEPS:
        if hmac.compare_digest(totp.generate_otp(current + offset), code):
            return current + offset
    return None


def _spend_totp(dbsession: Session, user: User, code: str) -> bool:
    """Accept a TOTP ``code`` once: its step must be later than the last one accepted. One
    conditional UPDATE, so two requests racing with the same code cannot both pass."""
    if not user.totp_secret or not re.fullmatch(r"\d{6}", code):
        return False
    step = _matching_step(user.totp_secret, code)
    if step is None:
        return False
    spent = dbsession.execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_counter.is_(None), User.totp_last_counter < step),
        )
        .values(totp_last_counter=step),
        execution_options={"synchronize_session": False},
    )
    dbsession.expire(user, ["totp_last_counter"])
    return spent.rowcount == 1


def _normalized(code: str) -> str:
    return _NOT_CODE_CHARACTERS.sub("", code or "").lower()


def _spend_recovery_code(dbsession: Session, user: User, code: str) -> bool:
    """Accept one of the user's unused recovery codes, and mark it used."""
    if len(code) != RECOVERY_CODE_LENGTH or not code.isalnum():
        return False
    unused = dbsession.scalars(
        select(RecoveryCode).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    ).all()
    for recovery_code in unused:
        if verify_password(recovery_code.code_hash, code):
            spent = dbsession.execute(
                update(RecoveryCode)
                .where(RecoveryCode.id == recovery_code.id, RecoveryCode.used_at.is_(None))
                .values(used_at=utcnow()),
                execution_options={"synchronize_session": False},
            )
            dbsession.expire(recovery_code, ["used_at"])
            return spent.rowcount == 1
    return False


def recovery_codes_left(dbsession: Session, user: User) -> int:
    """How many of the user's recovery codes are still unused."""
    return dbsession.scalar(
        select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))
    )


def _new_recovery_codes(dbsession: Session, user: User) -> list[str]:
    """Replace the user's recovery codes with new ones; returns them as shown (``abcde-fghjk``)."""
    dbsession.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [
        "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_CODE_LENGTH))
        for _ in range(RECOVERY_CODE_COUNT)
    ]
    dbsession.add_all(
        RecoveryCode(user_id=user.id, code_hash=hash_password(code)) for code in codes
    )
    dbsession.flush()
    half = RECOVERY_CODE_LENGTH // 2
    return [f"{code[:half]}-{code[half:]}" for code in codes]


def confirm_enrolment(dbsession: Session, user: User, code: str) -> list[str]:
    """Turn two-factor sign-in on once ``code`` shows the app holds the secret; returns the
    new recovery codes, to be shown once."""
    if not user.totp_secret:
        raise ValidationError("Start setting up two-factor sign-in first.", "code")
    if not _spend_totp(dbsession, user, _normalized(code)):
        raise ValidationError(
            "That is not the code your authenticator app shows for this account; check that "
            "the phone's clock is right and type the newest code.",
            "code",
        )
    user.totp_enabled = True
    return _new_recovery_codes(dbsession, user)


def verify_second_step(
    dbsession: Session,
    user: User,
    code: str,
    *,
    remote_addr: str,
    accounts_config: dict,
    known_browser: bool,
) -> SecondStep:
    """Complete a sign-in whose password was right with a TOTP code or a recovery code, or
    raise :class:`LoginRefused`. Wrong codes are logged and throttled like wrong passwords."""
    attempt = Attempt(login=user.login, user_id=user.id, remote_addr=remote_addr)
    refusal = refusal_message(
        dbsession, attempt, Throttle.from_config(accounts_config), known_browser=known_browser
    )
    if refusal:
        attempt.log(dbsession, LOCKED)
        raise LoginRefused(refusal)
    typed = _normalized(code)
    if _spend_totp(dbsession, user, typed):
        used_recovery_code = False
    elif _spend_recovery_code(dbsession, user, typed):
        used_recovery_code = True
    else:
        attempt.log(dbsession, FAILED)
        raise LoginRefused(WRONG_CODE)
    record_login(dbsession, user, user.login, remote_addr)
    return SecondStep(used_recovery_code, recovery_codes_left(dbsession, user))


def _check_password_and_code(
    dbsession: Session,
    user: User,
    password: str,
    code: str,
    remote_addr: str,
    accounts_config: dict,
) -> None:
    """Confirm a change of two-factor sign-in with the password and a current code (or a
    recovery code); failures are logged and throttled like failed logins."""
    check_current_password(
        dbsession, user, password, remote_addr=remote_addr, accounts_config=accounts_config
    )
    typed = _normalized(code)
    if not _spend_totp(dbsession, user, typed) and not _spend_recovery_code(dbsession, user, typed):
        Attempt(login=user.login, user_id=user.id, remote_addr=remote_addr).log(dbsession, FAILED)
        raise ValidationError(WRONG_CODE, "code")


def regenerate_recovery_codes(
    dbsession: Session,
    user: User,
    *,
    password: str,
    code: str,
    remote_addr: str,
    accounts_config: dict,
) -> list[str]:
    """Replace the user's recovery codes (the old ones stop working); returns the new ones."""
    if not user.totp_enabled:
        raise ValidationError("Two-factor sign-in is off: there are no recovery codes to renew.")
    _check_password_and_code(dbsession, user, password, code, remote_addr, accounts_config)
    return _new_recovery_codes(dbsession, user)


def turn_off(
    dbsession: Session,
    user: User,
    *,
    password: str,
    code: str,
    remote_addr: str,
    accounts_config: dict,
) -> None:
    """Turn two-factor sign-in off: the secret and the recovery codes are forgotten."""
    if not user.totp_enabled:
        raise ValidationError("Two-factor sign-in is already off.")
    _check_password_and_code(dbsession, user, password, code, remote_addr, accounts_config)
    dbsession.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.totp_secret = None
    user.totp_enabled = False
    user.totp_last_counter = None
    dbsession.flush()

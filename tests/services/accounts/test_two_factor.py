"""services/two_factor: enrolment, TOTP codes used once, recovery codes, the second sign-in step."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import qrcode
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import select

from stalker_web.models import AuthenticationLog, RecoveryCode
from stalker_web.models.meta import utcnow
from stalker_web.services.accounts import two_factor as service
from stalker_web.services.accounts.authentication import LoginRefused
from stalker_web.services.errors import ValidationError

from ...factories import Factory

ADDRESS = "203.0.113.7"
ACCOUNTS = {
    "max_failed_logins": 3,
    "login_backoff_max_minutes": 60,
    "failed_login_window_minutes": 15,
    "max_failed_logins_all_addresses": 50,
}


def code_at(user, seconds_from_now: float = 0) -> str:
    return pyotp.TOTP(user.totp_secret).at(utcnow() + timedelta(seconds=seconds_from_now))


@pytest.fixture
def enrolled(factory, dbsession):
    """A user with two-factor sign-in on, and their recovery codes."""
    user = factory.user()
    service.start_enrolment(dbsession, user)
    codes = service.confirm_enrolment(dbsession, user, code_at(user))
    # The confirming code is spent: later steps use the next time step's code.
    return user, codes


def second_step(dbsession, user, code, known_browser=False):
    return service.verify_second_step(
        dbsession,
        user,
        code,
        remote_addr=ADDRESS,
        accounts_config=ACCOUNTS,
        known_browser=known_browser,
    )


def log_of(dbsession, user) -> list[str]:
    return list(
        dbsession.scalars(
            select(AuthenticationLog.action)
            .where(AuthenticationLog.user_id == user.id)
            .order_by(AuthenticationLog.id)
        )
    )


def test_enrolment_starts_with_a_secret_that_is_not_on_yet(factory, dbsession):
    user = factory.user(login="anaartist")
    service.start_enrolment(dbsession, user)
    assert len(user.totp_secret) == 32
    assert not user.totp_enabled
    uri = service.provisioning_uri(user, "Blue Sky Studio")
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp")
    assert "anaartist" in parts.path
    assert parse_qs(parts.query)["secret"] == [user.totp_secret]
    assert parse_qs(parts.query)["issuer"] == ["Blue Sky Studio"]


def test_starting_again_gives_a_new_secret(factory, dbsession):
    user = factory.user()
    service.start_enrolment(dbsession, user)
    first = user.totp_secret
    service.start_enrolment(dbsession, user)
    assert user.totp_secret != first


def test_enrolment_cannot_start_again_while_it_is_on(enrolled, dbsession):
    user, _ = enrolled
    secret = user.totp_secret
    with pytest.raises(ValidationError, match="turn it off first"):
        service.start_enrolment(dbsession, user)
    assert user.totp_enabled and user.totp_secret == secret


def test_only_admins_must_enrol_and_only_when_the_studio_requires_it(factory, dbsession):
    studio = factory.studio()
    admin, artist = factory.admin(), factory.user()
    group = factory.admin_group().name
    assert not service.must_enrol(dbsession, admin, group)
    studio.require_admin_two_factor = True
    dbsession.flush()
    assert service.must_enrol(dbsession, admin, group)
    assert not service.must_enrol(dbsession, artist, group)
    service.start_enrolment(dbsession, admin)
    service.confirm_enrolment(dbsession, admin, code_at(admin))
    assert not service.must_enrol(dbsession, admin, group)


def test_a_wrong_code_does_not_turn_it_on(factory, dbsession):
    user = factory.user()
    service.start_enrolment(dbsession, user)
    wrong = "000000" if code_at(user) != "000000" else "111111"
    with pytest.raises(ValidationError, match="not the code") as refused:
        service.confirm_enrolment(dbsession, user, wrong)
    assert refused.value.field == "code"
    assert not user.totp_enabled


def test_confirming_turns_it_on_with_ten_hashed_recovery_codes(enrolled, dbsession):
    user, codes = enrolled
    assert user.totp_enabled
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = dbsession.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()
    assert len(stored) == 10
    assert all(row.code_hash.startswith("$argon2id$") for row in stored)
    assert not {row.code_hash for row in stored} & set(codes)


def test_confirming_needs_a_started_enrolment(factory, dbsession):
    user = factory.user()
    with pytest.raises(ValidationError, match="Start"):
        service.confirm_enrolment(dbsession, user, "123456")


def test_the_second_step_takes_the_next_code_and_logs_the_login(enrolled, dbsession):
    user, _ = enrolled
    result = second_step(dbsession, user, code_at(user, 30))
    assert not result.used_recovery_code
    assert user.last_login is not None
    assert log_of(dbsession, user) == ["login"]


def test_a_code_of_the_step_before_is_still_accepted(factory, dbsession):
    user = factory.user()
    service.start_enrolment(dbsession, user)
    service.confirm_enrolment(dbsession, user, code_at(user, -30))
    user.totp_last_counter -= 5
    dbsession.flush()
    second_step(dbsession, user, code_at(user, -30))


def test_a_code_two_steps_away_is_refused(enrolled, dbsession):
    user, _ = enrolled
    far = code_at(user, 90)
    if far in {code_at(user, offset) for offset in (-30, 0, 30)}:
        pytest.skip("the far code happens to equal a near one")
    with pytest.raises(LoginRefused, match="not right"):
        second_step(dbsession, user, far)


def test_a_code_works_once(enrolled, dbsession):
    user, _ = enrolled
    code = code_at(user, 30)
    second_step(dbsession, user, code)
    with pytest.raises(LoginRefused, match="not right"):
        second_step(dbsession, user, code)
    with pytest.raises(LoginRefused):
        second_step(dbsession, user, code_at(user))
    assert log_of(dbsession, user) == ["login", "failed", "failed"]


def test_a_recovery_code_works_once_in_any_spelling(enrolled, dbsession):
    user, codes = enrolled
    typed = f"  {codes[3].upper().replace('-', ' ')} "
    result = second_step(dbsession, user, typed)
    assert result.used_recovery_code and result.recovery_codes_left == 9
    with pytest.raises(LoginRefused, match="not right"):
        second_step(dbsession, user, codes[3])
    assert second_step(dbsession, user, codes[4]).recovery_codes_left == 8


def test_wrong_second_step_codes_are_throttled_like_passwords(enrolled, dbsession):
    user, codes = enrolled
    for _ in range(ACCOUNTS["max_failed_logins"]):
        with pytest.raises(LoginRefused, match="not right"):
            second_step(dbsession, user, "abcde-fghij")
    with pytest.raises(LoginRefused, match="Try again in 1 minute"):
        second_step(dbsession, user, codes[0])
    assert log_of(dbsession, user) == ["failed"] * 3 + ["locked"]


def test_regenerating_recovery_codes_needs_the_password_and_a_code(enrolled, dbsession):
    user, old_codes = enrolled

    def regenerate(password, code):
        return service.regenerate_recovery_codes(
            dbsession,
            user,
            password=password,
            code=code,
            remote_addr=ADDRESS,
            accounts_config=ACCOUNTS,
        )

    with pytest.raises(ValidationError, match="not your current password") as refused:
        regenerate("wrong password", code_at(user, 30))
    assert refused.value.field == "current_password"
    with pytest.raises(ValidationError, match="not right") as refused:
        regenerate(Factory.PASSWORD, "999999" if code_at(user, 30) != "999999" else "888888")
    assert refused.value.field == "code"
    new_codes = regenerate(Factory.PASSWORD, code_at(user, 30))
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    assert second_step(dbsession, user, new_codes[0]).used_recovery_code
    with pytest.raises(LoginRefused, match="not right"):
        second_step(dbsession, user, old_codes[0])


def test_turning_it_off_needs_the_password_and_a_code_and_forgets_everything(enrolled, dbsession):
    user, codes = enrolled
    with pytest.raises(ValidationError, match="not your current password"):
        service.turn_off(
            dbsession,
            user,
            password="wrong password",
            code=codes[0],
            remote_addr=ADDRESS,
            accounts_config=ACCOUNTS,
        )
    assert user.totp_enabled
    service.turn_off(
        dbsession,
        user,
        password=Factory.PASSWORD,
        code=codes[0],
        remote_addr=ADDRESS,
        accounts_config=ACCOUNTS,
    )
    assert not user.totp_enabled
    assert user.totp_secret is None and user.totp_last_counter is None
    assert not dbsession.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all()


def test_the_qr_code_path_draws_exactly_the_dark_modules():
    text = "otpauth://totp/Studio:ana?secret=JBSWY3DPEHPK3PXP&issuer=Studio"
    image = service.qr_code(text)
    expected = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4)
    expected.add_data(text)
    expected.make(fit=True)
    matrix = expected.get_matrix()
    assert image.size == len(matrix) >= 21 + 8
    drawn = [[False] * image.size for _ in range(image.size)]
    for x, y, width in re.findall(r"M(\d+),(\d+)h(\d+)v1h-\3z", image.path):
        for column in range(int(x), int(x) + int(width)):
            drawn[int(y)][column] = True
    assert drawn == matrix

"""Two-factor sign-in in a real browser: the studio requires it of administrators, the admin
sets it up with the key shown, then signs in with a code and with a recovery code."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import expect

from ..factories import Factory
from .conftest import LIVE_ADMIN_LOGIN
from .test_admin_flow import open_admin_page

pytestmark = pytest.mark.browser


def log_in(page, base_url: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Login or e-mail").fill(LIVE_ADMIN_LOGIN)
    page.get_by_label("Password").fill(Factory.PASSWORD)
    page.get_by_role("button", name="Log in").click()


def log_out(page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))


def next_code(secret: str) -> str:
    """The code of the next time step: the current one was spent by the step before."""
    return pyotp.TOTP(secret).at(time.time() + 30)


def test_an_admin_required_to_use_two_factor_sets_it_up_and_signs_in_with_it(page, live_server):
    log_in(page, live_server)
    open_admin_page(page, "Studio settings")
    page.get_by_label("Administrators must use two-factor sign-in").check()
    page.get_by_role("button", name="Save").click()

    # Nothing else until it is set up.
    expect(page).to_have_url(re.compile(r"/profile/two-factor$"))
    expect(page.get_by_text("Your studio requires administrators")).to_be_visible()
    open_admin_page(page, "Users")
    expect(page).to_have_url(re.compile(r"/profile/two-factor$"))

    page.get_by_role("button", name="Set up two-factor sign-in").click()
    expect(page.locator("#totp-qr path")).to_have_count(1)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.get_by_label("Code the app shows").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn two-factor sign-in on").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have saved them").click()
    expect(page.get_by_role("heading", name="Welcome, Live Admin")).to_be_visible()
    log_out(page)

    log_in(page, live_server)
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#error-summary")).to_contain_text("That code is not right")
    page.get_by_label("Code from your authenticator app").fill(next_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Welcome, Live Admin")).to_be_visible()
    log_out(page)

    log_in(page, live_server)
    page.get_by_label("Code from your authenticator app").fill(codes[0])
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("You signed in with a recovery code; 9 are left.")).to_be_visible()
    page.get_by_role("link", name="Live Admin").click()
    page.get_by_role("link", name="Two-factor sign-in (on)").click()
    expect(page.locator("#recovery-codes-left")).to_have_text("9 of 10 recovery codes unused.")

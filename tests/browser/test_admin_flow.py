"""The admin's first flow in a real browser: a department, a user in it, that user's first login."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import Factory
from .conftest import LIVE_ADMIN_LOGIN

pytestmark = pytest.mark.browser

NEW_USER_PASSWORD = "first-day-password"
CHOSEN_PASSWORD = "my own secret phrase"


def open_admin_page(page, label: str) -> None:
    """Open one of the admin pages from the top bar's Admin menu."""
    navigation = page.get_by_role("navigation", name="Main")
    navigation.get_by_text("Admin", exact=True).click()
    navigation.get_by_role("link", name=label, exact=True).click()


def log_in(page, base_url: str, login: str, password: str) -> None:
    page.goto(f"{base_url}/login")
    page.get_by_label("Login or e-mail").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_admin_creates_a_department_and_a_user_who_then_logs_in(page, live_server):
    log_in(page, live_server, LIVE_ADMIN_LOGIN, Factory.PASSWORD)
    expect(page.get_by_role("heading", name="Welcome, Live Admin")).to_be_visible()

    open_admin_page(page, "Departments")
    page.get_by_role("link", name="New department").click()
    page.get_by_label("Name").fill("Lighting")
    page.get_by_role("button", name="Create department").click()
    expect(page.get_by_role("heading", name="Lighting")).to_be_visible()

    open_admin_page(page, "Users")
    page.get_by_role("link", name="New user").click()
    page.get_by_label("Name", exact=True).fill("Lara Light")
    page.get_by_label("Login", exact=True).fill("lara")
    page.get_by_label("E-mail").fill("lara@example.com")
    page.get_by_label("Password", exact=True).fill(NEW_USER_PASSWORD)
    page.get_by_label("Repeat the password").fill(NEW_USER_PASSWORD)
    page.get_by_label("Department", exact=True).select_option(label="Lighting")
    page.get_by_label("Role in the department").select_option(label="Artist")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", name="Lara Light")).to_be_visible()
    expect(page.get_by_role("link", name="Lighting")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login$"))

    log_in(page, live_server, "lara", NEW_USER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/profile/password$"))
    page.get_by_label("Current password").fill(NEW_USER_PASSWORD)
    page.get_by_label("New password", exact=True).fill(CHOSEN_PASSWORD)
    page.get_by_label("Repeat the new password").fill(CHOSEN_PASSWORD)
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="Welcome, Lara Light")).to_be_visible()

    page.get_by_role("link", name="Lara Light").click()
    expect(page.locator("#profile-details")).to_contain_text("Lighting (Artist)")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_text("Admin", exact=True)).to_have_count(0)
    expect(navigation.get_by_role("link", name="Users")).to_have_count(0)

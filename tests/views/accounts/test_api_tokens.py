"""My API tokens page: making a token (its secret shown once, working against the API),
refusals in words, the list, and revoking (mine only)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from stalker_web.models import ApiToken
from stalker_web.models.meta import utcnow
from stalker_web.services.accounts.api_tokens import create_token

from ...conftest import login
from ...pages import csrf_token

PAGE = "/profile/api-tokens"


def token_rows(page) -> list[str]:
    table = page.html.find("table", id="api-tokens")
    return [row.get_text(" ", strip=True) for row in table.find("tbody")("tr")] if table else []


def make(testapp, status: int = 200, **fields):
    form = testapp.get(PAGE).forms["api-token-form"]
    for name, value in {"name": "Maya publisher", **fields}.items():
        form[name] = value
    return form.submit(status=status)


def error_of(page, field: str) -> str:
    return page.html.find(id=f"{field}-errors").get_text(" ", strip=True)


@pytest.fixture
def artist(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    return user


def test_with_no_token_the_page_says_what_a_token_is_for(testapp, artist):
    page = testapp.get(PAGE)
    assert "You have no token yet" in page.text
    assert "Maya, Houdini, Nuke, Blender" in page.text and "docs/api.md" in page.text
    expiry = page.forms["api-token-form"]["expires_at"].value
    assert date.fromisoformat(expiry) - date.today() in (timedelta(days=89), timedelta(days=90))
    assert page.forms["api-token-form"]["scope"].value == "read"


def test_the_profile_links_to_my_tokens(testapp, artist):
    page = testapp.get("/profile").click(href=PAGE)
    assert page.html.find("h1").get_text(strip=True) == "API tokens"


def test_a_new_tokens_secret_is_shown_once_and_signs_in_to_the_api(testapp, artist, dbsession):
    page = make(testapp, scope="write")
    secret = page.html.find(id="new-token-secret")["value"]
    assert secret.startswith("swt_") and "shown only this once" in page.text
    assert page.headers["Cache-Control"] == "no-store"
    assert secret not in page.headers.get("Location", "") and secret not in str(testapp.cookies)
    me = testapp.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}).json
    assert me["id"] == artist.id and me["token"]["scope"] == "write"
    again = testapp.get(PAGE)
    assert secret not in again.text and again.html.find(id="new-token-secret") is None
    [row] = token_rows(again)
    token = dbsession.scalars(select(ApiToken).where(ApiToken.user_id == artist.id)).one()
    assert f"swt_{token.prefix}…" in row and "Read and write" in row and "active" in row
    assert token.token_hash != secret and secret not in token.token_hash


def test_the_list_shows_scope_expiry_last_use_and_state(testapp, artist, dbsession):
    now = utcnow()
    create_token(dbsession, artist, name="Forever", scope="read", expires_at=None)
    ended, _ = create_token(
        dbsession, artist, name="Ended", scope="write", expires_at=now + timedelta(days=1)
    )
    ended.expires_at = now - timedelta(hours=1)
    used, _ = create_token(dbsession, artist, name="Used", scope="read", expires_at=None)
    used.last_used_at = now
    gone, _ = create_token(dbsession, artist, name="Gone", scope="read", expires_at=None)
    gone.revoked_at = now
    dbsession.flush()
    names = ["Gone", "Used", "Ended", "Forever"]
    rows = dict(zip(names, token_rows(testapp.get(PAGE)), strict=True))
    assert "Read only" in rows["Forever"] and "never" in rows["Forever"]
    assert "never used" in rows["Forever"] and "active" in rows["Forever"]
    assert "Read and write" in rows["Ended"] and "expired" in rows["Ended"]
    assert "never used" not in rows["Used"]
    assert "revoked" in rows["Gone"] and "Revoke" not in rows["Gone"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"name": "  "}, "name", "Name the token after the tool"),
        ({"name": "x" * 65}, "name", "at most 64 characters"),
        ({"expires_at": "2001-01-01"}, "expires_at", "Choose a day after today"),
        ({"expires_at": ""}, "expires_at", "or tick No expiry"),
        ({"expires_at": "soon"}, "expires_at", "YYYY-MM-DD"),
    ],
)
def test_a_refused_token_says_why_under_its_field(testapp, artist, dbsession, fields, field, words):
    page = make(testapp, status=400, **fields)
    assert words in error_of(page, field)
    assert dbsession.scalars(select(ApiToken).where(ApiToken.user_id == artist.id)).all() == []


def test_a_token_beyond_the_longest_lifetime_is_refused(testapp, artist):
    too_late = (date.today() + timedelta(days=400)).isoformat()
    assert "at most 366 days" in error_of(
        make(testapp, status=400, expires_at=too_late), "expires_at"
    )


def test_a_bad_scope_is_refused_in_words(testapp, artist):
    fields = {"csrf_token": csrf_token(testapp), "name": "Nuke", "scope": "admin"}
    page = testapp.post(PAGE, {**fields, "never_expires": "y"}, status=400)
    assert "Choose read only, or read and write." in page.text


def test_a_token_without_expiry(testapp, artist, dbsession):
    make(testapp, never_expires=True, expires_at="")
    token = dbsession.scalars(select(ApiToken).where(ApiToken.user_id == artist.id)).one()
    assert token.expires_at is None and token.scope.value == "read"


def test_revoking_my_token_ends_it_on_the_api(testapp, artist):
    page = make(testapp)
    secret = page.html.find(id="new-token-secret")["value"]
    listed = testapp.get(PAGE)
    [form] = [form for form in listed.forms.values() if "/revoke" in form.action]
    after = form.submit(status=303).follow()
    assert "is revoked" in after.text and "revoked" in token_rows(after)[0]
    testapp.get("/api/v1/me", headers={"Authorization": f"Bearer {secret}"}, status=401)


def test_somebody_elses_token_is_not_found(testapp, artist, factory, dbsession):
    token, secret = create_token(
        dbsession, factory.user(), name="Theirs", scope="read", expires_at=None
    )
    url = f"/profile/api-tokens/{token.id}/revoke"
    testapp.post(url, {"csrf_token": csrf_token(testapp)}, status=404)
    assert token.revoked_at is None


def test_anonymous_visitors_are_sent_to_log_in(testapp):
    assert "/login" in testapp.get(PAGE, status=303).location

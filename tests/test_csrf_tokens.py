"""CSRF tokens masked afresh in every response: any masked form of the session's secret is
accepted, in the form or the X-CSRF-Token header; anything else gets the expired-form page."""

import pytest
import webtest

from stalker_web.csrf_tokens import mask, unmask

from .conftest import login
from .pages import csrf_token

EXPIRED = "This form has expired"


@pytest.fixture
def signed_in(testapp, factory):
    login(testapp, factory.user().login)
    return testapp


def is_logged_in(testapp) -> bool:
    return testapp.get("/", status="*").status_int == 200


def test_a_masked_secret_unmasks_to_itself_and_differs_each_time():
    secret = b"0123456789abcdef0123456789abcdef01234567"
    first, second = mask(secret), mask(secret)
    assert first != second
    assert unmask(first) == unmask(second) == secret
    assert secret.decode() not in first


def test_the_token_differs_between_two_renders_and_never_shows_the_secret(signed_in):
    first_page, second_page = signed_in.get("/"), signed_in.get("/")
    first = first_page.html.find("input", attrs={"name": "csrf_token"})["value"]
    second = second_page.html.find("input", attrs={"name": "csrf_token"})["value"]
    assert first != second
    secret = unmask(first)
    assert secret == unmask(second)
    assert secret.decode() not in first_page.text + second_page.text


def test_one_page_shows_one_token_in_all_its_forms(signed_in):
    # One mask per response: a page with many forms repeats one string, which compresses.
    fields = signed_in.get("/profile/api-tokens").html.find_all(
        "input", attrs={"name": "csrf_token"}
    )
    assert len(fields) > 1
    assert len({field["value"] for field in fields}) == 1


def test_a_token_from_an_earlier_page_is_accepted(signed_in):
    earlier = csrf_token(signed_in)
    assert csrf_token(signed_in) != earlier
    signed_in.post("/logout", {"csrf_token": earlier}, status=303)
    assert not is_logged_in(signed_in)


def test_the_token_is_accepted_in_the_header_scripts_send(signed_in):
    signed_in.post("/logout", headers={"X-CSRF-Token": csrf_token(signed_in)}, status=303)
    assert not is_logged_in(signed_in)


def tampered(token: str) -> str:
    """``token`` with one character in the middle changed (six bits of the masked secret)."""
    middle = len(token) * 3 // 4
    return token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]


@pytest.mark.parametrize(
    "change",
    [
        tampered,
        lambda token: token[:-4],
        lambda token: token + "AAAA",
        lambda token: token[: len(token) // 2],
        lambda token: token[:20] + "é" + token[21:],
        lambda token: token.replace(token[10], "*"),
        lambda token: "",
    ],
    ids=["one-character", "shortened", "lengthened", "half", "not-ascii", "not-base64", "empty"],
)
def test_a_tampered_token_is_refused_with_the_expired_form_page(signed_in, change):
    page = signed_in.post("/logout", {"csrf_token": change(csrf_token(signed_in))}, status=400)
    assert EXPIRED in page.text
    assert is_logged_in(signed_in)


def test_a_token_of_another_session_is_refused(testapp, factory, app):
    other = webtest.TestApp(app, extra_environ=dict(testapp.extra_environ))
    login(other, factory.user().login)
    login(testapp, factory.user().login)
    page = testapp.post("/logout", {"csrf_token": csrf_token(other)}, status=400)
    assert EXPIRED in page.text
    assert is_logged_in(testapp)

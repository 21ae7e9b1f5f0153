"""Gzipped text responses: static files, JSON and signed-in pages (their CSRF token masked
afresh each time); never a page showing another secret.

WebTest decodes gzipped answers, so the requests here call the WSGI app with WebOb directly and
see the bytes a browser would."""

import gzip
from pathlib import Path

from webob import Request

from stalker_web import main
from stalker_web.services.webhooks.registration import create_webhook

from .conftest import login

STATIC = Path(__file__).resolve().parent.parent / "stalker_web" / "static"
GZIP = {"Accept-Encoding": "gzip, deflate, br"}


def raw_get(testapp, url: str, headers: dict | None = None, app=None):
    """GET ``url`` from ``app`` (default: ``testapp``'s) with ``testapp``'s environ and cookies."""
    request = Request.blank(url, environ=dict(testapp.extra_environ), headers=headers or {})
    if testapp.cookies:
        request.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in testapp.cookies.items())
    return request.get_response(app or testapp.app)


def test_a_stylesheet_is_gzipped_for_a_client_that_accepts_it(testapp):
    plain = raw_get(testapp, "/static/style.css")
    assert plain.content_encoding is None
    assert plain.headers["Vary"] == "Accept-Encoding"

    zipped = raw_get(testapp, "/static/style.css", GZIP)
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert int(zipped.headers["Content-Length"]) == len(zipped.body) < len(plain.body)
    assert gzip.decompress(zipped.body) == (STATIC / "style.css").read_bytes()


def test_a_range_request_gets_the_plain_bytes(testapp):
    response = raw_get(testapp, "/static/style.css", {**GZIP, "Range": "bytes=0-99"})
    assert response.status_int == 206 and response.content_encoding is None
    assert response.body == (STATIC / "style.css").read_bytes()[:100]


def test_a_small_file_is_sent_as_it_is(testapp):
    # favicon.svg is under 1 KiB: compressing it would save nothing.
    assert (STATIC / "favicon.svg").stat().st_size < 1024
    assert raw_get(testapp, "/static/favicon.svg", GZIP).content_encoding is None


def test_signed_in_pages_are_gzipped(testapp, admin):
    """Their CSRF token differs in every response (csrf_tokens.py), so BREACH has nothing to
    guess from their lengths."""
    login_page = raw_get(testapp, "/login", GZIP)
    assert login_page.content_encoding == "gzip"
    assert b'name="csrf_token"' in gzip.decompress(login_page.body)

    login(testapp, admin.login)
    home = raw_get(testapp, "/", GZIP)
    assert home.status_int == 200 and home.content_encoding == "gzip"
    assert home.headers["Vary"] == "Accept-Encoding"
    assert b'name="csrf_token"' in gzip.decompress(home.body)


def test_the_authenticator_key_being_set_up_is_never_gzipped(testapp, factory):
    user = factory.user()
    login(testapp, user.login)
    testapp.get("/profile/two-factor").forms["two-factor-start-form"].submit(status=303)
    page = raw_get(testapp, "/profile/two-factor", GZIP)
    assert page.status_int == 200 and page.content_encoding is None
    assert user.totp_secret[:4].encode() in page.body
    # Once it is on, the page shows no key and is compressed like any other.
    user.totp_enabled = True
    assert raw_get(testapp, "/profile/two-factor", GZIP).content_encoding == "gzip"


def test_a_webhooks_page_showing_its_secret_is_never_gzipped(admin_app, dbsession, factory):
    hook = create_webhook(
        dbsession,
        None,
        factory.project(),
        name="Farm",
        url="https://farm.example.com/hook",
        kinds=["version.published"],
    )
    page = raw_get(admin_app, f"/webhooks/{hook.id}", GZIP)
    assert page.status_int == 200 and page.content_encoding is None
    assert hook.secret.encode() in page.body


def test_a_new_api_tokens_secret_is_never_gzipped(testapp, factory):
    """An answer to a POST is never compressed; the view marks it as well, should that change."""
    login(testapp, factory.user().login)
    form = testapp.get("/profile/api-tokens").forms["api-token-form"]
    fields = dict(form.submit_fields(), name="Maya publisher")
    request = Request.blank(
        "/profile/api-tokens", environ=dict(testapp.extra_environ), headers=GZIP, POST=fields
    )
    request.headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in testapp.cookies.items())
    page = request.get_response(testapp.app)
    assert page.status_int == 200 and page.content_encoding is None
    assert b'id="new-token-secret"' in page.body


def test_json_is_gzipped(testapp):
    plain = raw_get(testapp, "/api/v1/openapi.json")
    zipped = raw_get(testapp, "/api/v1/openapi.json", GZIP)
    assert plain.status_int == zipped.status_int == 200
    assert zipped.content_encoding == "gzip"
    assert gzip.decompress(zipped.body) == plain.body


def test_compression_can_be_left_to_a_proxy(app_settings, testapp):
    app = main({}, **{**app_settings, "app.compress_responses": "false"})
    response = raw_get(testapp, "/static/style.css", GZIP, app=app)
    assert response.content_encoding is None and "Vary" not in response.headers

"""Gzipped text responses: static files and JSON; never a body carrying the CSRF token.

WebTest decodes gzipped answers, so the requests here call the WSGI app with WebOb directly and
see the bytes a browser would."""

import gzip
from pathlib import Path

from webob import Request

from stalker_web import main

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


def test_a_page_carrying_the_csrf_token_is_never_gzipped(testapp, admin):
    """BREACH: the login form and every signed-in page (its sign-out form) carry the session's
    token next to text from the address; compressed, their length would leak it."""
    login_page = raw_get(testapp, "/login", GZIP)
    assert b'name="csrf_token"' in login_page.body
    assert login_page.content_encoding is None

    login(testapp, admin.login)
    home = raw_get(testapp, "/", GZIP)
    assert home.status_int == 200 and b'name="csrf_token"' in home.body
    assert home.content_encoding is None
    assert home.headers["Vary"] == "Accept-Encoding"


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

"""Bounded input: the whole-number and query-text parsers, and the request-body cap (a 413 page,
sent before anything reads the body)."""

import io

import pytest
import webob
import webtest
from pyramid.exceptions import ConfigurationError

from stalker_web import main
from stalker_web.limits import (
    MAX_ID,
    MIB,
    TOO_LARGE_KEY,
    BodyLimits,
    control_characters,
    query_int,
    query_text,
    refuse_oversized_body,
    whole_number,
)

LIMITS = BodyLimits(multipart_bytes=4096, form_bytes=1024)
FORM = "application/x-www-form-urlencoded"
MULTIPART = "multipart/form-data; boundary=xyz"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7),
        (" 42 ", 42),
        ("0", 0),
        ("007", 7),
        (7, 7),
        (str(MAX_ID), MAX_ID),
        (str(MAX_ID + 1), None),
        ("2147483648", None),
        ("9" * 25, None),
        ("9" * 5000, None),
        ("²", None),
        ("٣", None),
        ("-1", None),
        ("+1", None),
        ("1e9", None),
        ("1.0", None),
        ("1_000", None),
        ("", None),
        (None, None),
        (True, None),
        (-1, None),
        (2**40, None),
        (b"7", None),
    ],
)
def test_whole_number_takes_ascii_digits_up_to_the_largest_id(value, expected):
    assert whole_number(value) == expected


def test_whole_number_takes_another_maximum():
    assert whole_number("9", maximum=9) == 9
    assert whole_number("10", maximum=9) is None


def test_control_characters_lists_those_not_allowed():
    assert control_characters("a\x00b\r\n\t\x1b\x7f") == ["\x00", "\t", "\n", "\r", "\x1b", "\x7f"]
    assert control_characters("a\r\nb\t", allowed="\r\n\t") == []
    assert control_characters("مرحبا 😀 \u202e") == []


def test_query_text_trims_drops_control_characters_and_cuts():
    params = {"q": "  a\x00b\r\nc  ", "long": "x" * 300, "upload": object()}
    assert query_text(params, "q") == "abc"
    assert query_text(params, "long") == "x" * 256
    assert query_text(params, "long", max_length=10) == "x" * 10
    assert query_text(params, "missing", default="all") == "all"
    assert query_text(params, "upload") == ""


def test_query_int_is_a_whole_number_or_none():
    params = {"page": "3", "parent": "²", "status": "9" * 25}
    assert query_int(params, "page") == 3
    assert query_int(params, "parent") is None
    assert query_int(params, "status") is None
    assert query_int(params, "missing") is None


def test_body_limits_default_to_the_upload_limit_and_one_mib():
    limits = BodyLimits.from_settings({}, upload_max_bytes=512 * MIB)
    assert limits == BodyLimits(multipart_bytes=513 * MIB, form_bytes=MIB)
    assert limits.for_content_type(MULTIPART) == 513 * MIB
    assert limits.for_content_type(FORM) == MIB
    assert limits.for_content_type("") == MIB


def test_body_limits_come_from_the_settings():
    settings = {"app.max_request_body_bytes": "4096", "app.max_form_body_bytes": "9999"}
    assert BodyLimits.from_settings(settings, upload_max_bytes=MIB) == BodyLimits(4096, 4096)


@pytest.mark.parametrize("value", ["0", "-5", "lots", "1e6"])
def test_a_malformed_body_limit_stops_the_start(value):
    with pytest.raises(ConfigurationError, match="app.max_request_body_bytes"):
        BodyLimits.from_settings({"app.max_request_body_bytes": value}, upload_max_bytes=MIB)


class CountingBody(io.RawIOBase):
    """A request body of ``size`` bytes that counts how many were read."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.read_bytes = 0

    def readable(self) -> bool:
        return True

    def read(self, wanted: int = -1) -> bytes:
        left = self.size - self.read_bytes
        count = left if wanted is None or wanted < 0 else min(wanted, left)
        self.read_bytes += count
        return b"x" * count


def environ(content_type: str, size: int, chunked: bool = False) -> dict:
    body = CountingBody(size)
    values = {"CONTENT_TYPE": content_type, "wsgi.input": body}
    if chunked:
        values["HTTP_TRANSFER_ENCODING"] = "chunked"
    else:
        values["CONTENT_LENGTH"] = str(size)
    return values


def test_a_body_within_its_limit_is_left_unread():
    values = environ(FORM, 1024)
    body = values["wsgi.input"]
    refuse_oversized_body(values, LIMITS)
    assert values["wsgi.input"] is body and body.read_bytes == 0
    assert TOO_LARGE_KEY not in values


@pytest.mark.parametrize(("content_type", "size"), [(FORM, 1025), (MULTIPART, 4097)])
def test_a_body_beyond_its_limit_is_replaced_unread(content_type, size):
    values = environ(content_type, size)
    body = values["wsgi.input"]
    refuse_oversized_body(values, LIMITS)
    assert body.read_bytes == 0
    assert values[TOO_LARGE_KEY] == LIMITS.for_content_type(content_type)
    assert values["CONTENT_LENGTH"] == "0" and values["wsgi.input"].read() == b""


def test_a_multipart_body_may_be_larger_than_a_form():
    values = environ(MULTIPART, 4000)
    refuse_oversized_body(values, LIMITS)
    assert TOO_LARGE_KEY not in values


def test_a_small_chunked_body_is_kept_with_its_length():
    values = environ(FORM, 1000, chunked=True)
    refuse_oversized_body(values, LIMITS)
    assert TOO_LARGE_KEY not in values
    assert values["CONTENT_LENGTH"] == "1000" and "HTTP_TRANSFER_ENCODING" not in values
    assert values["wsgi.input"].read() == b"x" * 1000


def test_a_large_chunked_body_is_read_only_up_to_the_limit():
    values = environ(FORM, 10 * MIB, chunked=True)
    body = values["wsgi.input"]
    refuse_oversized_body(values, LIMITS)
    assert values[TOO_LARGE_KEY] == 1024
    assert body.read_bytes == 1025


class UnreadableBody(io.RawIOBase):
    """A body the application must not read."""

    def readable(self) -> bool:
        return True

    def read(self, *args) -> bytes:
        raise AssertionError("the request body was read")

    readline = readinto = read


def send(testapp, url: str, values: dict) -> webtest.TestResponse:
    request = webob.Request.blank(url, method="POST", environ={**testapp.extra_environ, **values})
    return testapp.do_request(request, expect_errors=True)


def test_a_30_mb_login_is_refused_with_a_413_page_before_it_is_read(testapp):
    response = send(
        testapp,
        "/login",
        {"CONTENT_TYPE": FORM, "CONTENT_LENGTH": str(30 * MIB), "wsgi.input": UnreadableBody()},
    )
    assert response.status_int == 413
    assert "Too much was sent at once" in response.text
    assert "1.0 MB" in response.text


def test_a_large_chunked_form_is_refused_with_a_413_page(testapp):
    values = environ(FORM, 5 * MIB, chunked=True)
    response = send(testapp, "/login", values)
    assert response.status_int == 413
    assert values["wsgi.input"].read_bytes == MIB + 1


def test_an_upload_larger_than_a_form_is_let_through(testapp):
    boundary = "xyz"
    body = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="upload"; filename="a.png"\r\n'
        f"Content-Type: image/png\r\n\r\n{'x' * (2 * MIB)}\r\n--{boundary}--\r\n"
    ).encode()
    values = {"CONTENT_TYPE": MULTIPART, "CONTENT_LENGTH": str(len(body))}
    values["wsgi.input"] = io.BytesIO(body)
    response = send(testapp, "/login", values)
    assert response.status_int != 413


@pytest.fixture(scope="module")
def small_app(app_settings, dbengine):
    settings = {
        **app_settings,
        "app.max_request_body_bytes": "4096",
        "app.max_form_body_bytes": "1024",
    }
    return main({}, **settings)


def test_the_configured_limits_apply(small_app, tm, dbsession):
    testapp = webtest.TestApp(
        small_app,
        extra_environ={"tm.active": True, "tm.manager": tm, "app.dbsession": dbsession},
    )
    assert testapp.post("/login", {"login": "x" * 2000}, expect_errors=True).status_int == 413
    assert testapp.post("/login", {"login": "x" * 500}, expect_errors=True).status_int == 400
    upload = [("upload", "a.png", b"x" * 3000)]
    assert testapp.post("/login", upload_files=upload, expect_errors=True).status_int == 400
    upload = [("upload", "a.png", b"x" * 5000)]
    response = testapp.post("/login", upload_files=upload, expect_errors=True)
    assert response.status_int == 413
    assert "4.0 KB" in response.text

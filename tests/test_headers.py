"""Response security headers, the status colour stylesheet, and the host the app answers as."""

import re
from pathlib import Path

import pytest
import webtest
from pyramid.exceptions import ConfigurationError
from sqlalchemy import select

from stalker_web import main
from stalker_web.headers import BASE_URL_ENV_VAR, CONTENT_SECURITY_POLICY
from stalker_web.models import Status, UserSession

from .conftest import login
from .factories import Factory
from .pages import csrf_token

TEMPLATES = Path(__file__).resolve().parent.parent / "stalker_web" / "templates"
EVIL_HOST = "evil.example"
PEER = "192.0.2.10"  # the address conftest's testapp sends from


def assert_security_headers(response) -> None:
    assert response.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"


def app_with(app_settings, testapp, **settings) -> webtest.TestApp:
    """A second app built with ``settings`` over the test's settings, sharing its transaction."""
    built = main({}, **{**app_settings, **settings})
    return webtest.TestApp(built, extra_environ=testapp.extra_environ)


def test_the_policy_allows_nothing_inline_and_no_framing():
    assert CONTENT_SECURITY_POLICY == (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def test_a_page_of_a_logged_in_user_is_never_stored(testapp, factory):
    login(testapp, factory.user().login)
    response = testapp.get("/")
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Strict-Transport-Security" not in response.headers  # session.secure is off here


def test_the_login_page_and_redirects_carry_the_headers(testapp):
    assert_security_headers(testapp.get("/login"))
    assert_security_headers(testapp.get("/users", status=303))


def test_error_pages_carry_the_headers(testapp, factory):
    login(testapp, factory.user().login)
    assert_security_headers(testapp.get("/no-such-page", status=404))
    assert_security_headers(testapp.get("/studio", status=403))
    assert_security_headers(testapp.post("/logout", status=400))


def test_static_files_keep_their_caching(testapp, factory):
    login(testapp, factory.user().login)
    response = testapp.get("/static/style.css")
    assert_security_headers(response)
    assert response.headers["Cache-Control"] == "max-age=3600"


def test_hsts_is_sent_when_cookies_are_secure(app_settings, testapp):
    secure = app_with(app_settings, testapp, **{"session.secure": "true"})
    response = secure.get("/login")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert_security_headers(response)


def test_csv_exports_are_attachments_never_sniffed_nor_stored(admin_app, factory):
    project = factory.project(code="HDR")
    for url in ("/users.csv", f"/projects/{project.id}/breakdown.csv"):
        response = admin_app.get(url)
        assert response.headers["Content-Disposition"].startswith("attachment; filename=")
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Cache-Control"] == "no-store"


def test_the_gantt_image_is_an_attachment_never_sniffed(admin_app, factory):
    project = factory.project(code="SVG")
    response = admin_app.get(f"/projects/{project.id}/gantt", {"format": "svg"})
    assert response.headers["Content-Disposition"].startswith("attachment; filename=")
    assert response.headers["X-Content-Type-Options"] == "nosniff"


# No inline script or style: the policy would block them.

INLINE = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=|javascript:", re.I)


@pytest.mark.parametrize(
    "template",
    sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.jinja2")),
)
def test_no_template_holds_inline_style_or_script(template):
    text = (TEMPLATES / template).read_text()
    assert INLINE.findall(text) == []


# Status colours come from a stylesheet the app serves.


def test_the_status_colour_stylesheet_has_a_rule_per_colour(testapp, dbsession):
    colours = set(dbsession.scalars(select(Status.color)))
    response = testapp.get("/status-colours.css")
    assert response.content_type == "text/css"
    for colour in colours:
        assert f".status-colour-{colour[1:]} {{ --status-color: {colour}; --status-ink: " in (
            response.text
        )
    assert response.headers["Cache-Control"] == "max-age=300"
    again = testapp.get("/status-colours.css", headers={"If-None-Match": response.etag})
    assert again.status_int == 304


def test_a_changed_colour_changes_the_stylesheet(testapp, dbsession):
    first = testapp.get("/status-colours.css")
    status = dbsession.scalars(select(Status)).first()
    status.color = "#123abc"
    dbsession.flush()
    second = testapp.get("/status-colours.css", headers={"If-None-Match": first.etag})
    assert second.status_int == 200
    rule = ".status-colour-123abc { --status-color: #123abc; --status-ink: #ffffff; }"
    assert rule in second.text


def test_badges_name_their_colour_class(admin_app, factory):
    project = factory.project(code="CLR")
    page = admin_app.get("/projects")
    badge = page.html.find("span", string=project.status.name)
    assert f"status-colour-{project.status.color[1:]}" in badge["class"]


def test_a_user_who_must_change_password_still_gets_the_stylesheets(testapp, factory):
    login(testapp, factory.user(must_change_password=True).login)
    assert testapp.get("/static/style.css").content_type == "text/css"
    assert testapp.get("/status-colours.css").content_type == "text/css"


# The host of absolute URLs and redirects


def test_without_a_base_url_the_requests_host_is_used(testapp):
    response = testapp.get("/users", status=303)
    assert response.location.startswith("http://example.com/login")


def test_a_forged_host_gets_redirects_to_the_configured_host(app_settings, testapp):
    configured = app_with(app_settings, testapp, **{"app.base_url": "https://stalker.example.com"})
    for headers in ({"Host": EVIL_HOST}, {"X-Forwarded-Host": EVIL_HOST}):
        response = configured.get("/users", headers=headers, status=303)
        assert response.location == "https://stalker.example.com/login?next=%2Fusers"
    page = configured.get("/login", headers={"Host": EVIL_HOST})
    assert EVIL_HOST not in page.text


def test_the_environment_names_the_base_url(app_settings, testapp, monkeypatch):
    monkeypatch.setenv(BASE_URL_ENV_VAR, "https://studio.example.org:8443")
    configured = app_with(app_settings, testapp, **{"app.base_url": "https://ignored.example"})
    response = configured.get("/users", headers={"Host": EVIL_HOST}, status=303)
    assert response.location.startswith("https://studio.example.org:8443/login")


def test_a_trusted_proxy_names_the_host_and_scheme(app_settings, testapp):
    configured = app_with(
        app_settings,
        testapp,
        **{"app.base_url": "https://stalker.example.com", "app.trusted_proxies": f"{PEER}/32 ::1"},
    )
    forwarded = {"X-Forwarded-Host": "films.example.com", "X-Forwarded-Proto": "https"}
    response = configured.get("/users", headers=forwarded, status=303)
    assert response.location.startswith("https://films.example.com/login")
    # Without forwarded headers the configured host stands.
    response = configured.get("/users", headers={"Host": EVIL_HOST}, status=303)
    assert response.location.startswith("https://stalker.example.com/login")


def test_a_malformed_forwarded_host_falls_back_to_the_configured_host(app_settings, testapp):
    configured = app_with(
        app_settings,
        testapp,
        **{"app.base_url": "https://stalker.example.com", "app.trusted_proxies": PEER},
    )
    forwarded = {"X-Forwarded-Host": "evil.example/path?", "X-Forwarded-Proto": "gopher"}
    response = configured.get("/users", headers=forwarded, status=303)
    assert response.location.startswith("https://stalker.example.com/login")


def test_the_forwarded_address_counts_only_from_a_trusted_proxy(
    app_settings, testapp, factory, dbsession
):
    user = factory.user()
    spoofed = {"HTTP_X_FORWARDED_FOR": "203.0.113.99"}
    login(
        webtest.TestApp(testapp.app, extra_environ={**testapp.extra_environ, **spoofed}), user.login
    )
    proxied = app_with(app_settings, testapp, **{"app.trusted_proxies": PEER})
    proxied.extra_environ = {
        **proxied.extra_environ,
        "HTTP_X_FORWARDED_FOR": "203.0.113.99, 198.51.100.4",
    }
    login(proxied, user.login)
    addresses = dbsession.scalars(
        select(UserSession.remote_addr)
        .where(UserSession.user_id == user.id)
        .order_by(UserSession.id)
    ).all()
    assert addresses == [PEER, "198.51.100.4"]


@pytest.mark.parametrize(
    "base_url",
    [
        "stalker.example.com",
        "ftp://stalker.example.com",
        "https://",
        "https://a.example/app",
        "https://a.example/?x=1",
    ],
)
def test_a_malformed_base_url_stops_the_start(app_settings, base_url):
    with pytest.raises(ConfigurationError, match="app.base_url"):
        main({}, **{**app_settings, "app.base_url": base_url})


def test_a_malformed_trusted_proxy_stops_the_start(app_settings):
    with pytest.raises(ConfigurationError, match="app.trusted_proxies"):
        main({}, **{**app_settings, "app.trusted_proxies": "proxy.example"})


def test_forms_post_from_the_configured_origin(app_settings, testapp, factory):
    """Over https Pyramid also checks the Origin of a POST: the configured host must pass it."""
    configured = app_with(app_settings, testapp, **{"app.base_url": "https://stalker.example.com"})
    # A browser at the configured address (WebTest keeps cookies per host and scheme).
    configured.extra_environ.update(HTTP_HOST="stalker.example.com", **{"wsgi.url_scheme": "https"})
    user = factory.user()
    form = configured.get("/login").forms["login-form"]
    assert form.action == "https://stalker.example.com/login"
    form["login"] = user.login
    form["password"] = Factory.PASSWORD
    form.submit(headers={"Origin": f"https://{EVIL_HOST}"}, status=400)
    origin = {"Origin": "https://stalker.example.com"}
    form.submit(headers=origin, status=303)
    token = csrf_token(configured)
    response = configured.post("/logout", {"csrf_token": token}, headers=origin, status=303)
    assert response.location == "https://stalker.example.com/login"

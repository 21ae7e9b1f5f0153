"""The site's icon: linked from every page, and at /favicon.ico for anyone."""

from urllib.parse import urlsplit

from ...conftest import login


def test_favicon_ico_leads_anyone_to_the_icon(testapp):
    response = testapp.get("/favicon.ico", status=301)
    assert urlsplit(response.location).path == "/static/favicon.svg"  # with its content hash
    icon = testapp.get(response.location, status=200)
    assert icon.content_type == "image/svg+xml"
    assert icon.body.startswith(b"<svg")


def test_pages_link_the_icon(testapp, factory):
    login(testapp, factory.user().login)
    page = testapp.get("/")
    link = page.html.find("link", rel="icon")
    assert urlsplit(link["href"]).path == "/static/favicon.svg"
    assert link["type"] == "image/svg+xml"

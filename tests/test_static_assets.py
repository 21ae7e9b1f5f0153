"""Static files: fingerprinted URLs kept a year by browsers, other URLs an hour."""

import hashlib
import re
from pathlib import Path

from .conftest import login

STATIC = Path(__file__).resolve().parent.parent / "stalker_web" / "static"
IMMUTABLE = "public, max-age=31536000, immutable"


def fingerprint_of(name: str) -> str:
    return hashlib.sha256((STATIC / name).read_bytes()).hexdigest()[:12]


def test_pages_link_static_files_by_their_content_hash(testapp, admin):
    login(testapp, admin.login)
    page = testapp.get("/")
    linked = re.findall(r'/static/([\w.]+)\?x=(\w+)"', page.text)
    assert ("style.css", fingerprint_of("style.css")) in linked
    assert ("app.js", fingerprint_of("app.js")) in linked
    assert not re.search(r'/static/[\w.]+"', page.text)  # every link carries its hash


def test_a_fingerprinted_file_is_kept_a_year(testapp):
    response = testapp.get(f"/static/style.css?x={fingerprint_of('style.css')}")
    assert response.headers["Cache-Control"] == IMMUTABLE
    assert "Expires" not in response.headers
    assert response.body == (STATIC / "style.css").read_bytes()


def test_a_file_asked_for_with_another_hash_or_none_is_kept_an_hour(testapp):
    """An old hash (one host upgraded before another) must not pin the new file for a year."""
    for url in ("/static/style.css", "/static/style.css?x=000000000000"):
        assert testapp.get(url).headers["Cache-Control"] == "max-age=3600"


def test_a_missing_file_is_not_found(testapp):
    testapp.get("/static/no-such-file.css?x=000000000000", status=404)

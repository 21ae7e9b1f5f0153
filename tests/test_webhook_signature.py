"""The webhook signature: made and checked with the standard library only."""

import ast
from pathlib import Path

from stalker_web import webhook_signature
from stalker_web.webhook_signature import sign, verify_signature

SECRET = "s3cret-of-the-hook"
BODY = b'{"event":"version.published","version_id":7}'
NOW = 1_790_000_000


def test_a_signature_made_with_the_secret_verifies():
    header = sign(SECRET, BODY, NOW)
    assert header.startswith(f"t={NOW},v1=")
    assert verify_signature(SECRET, header, BODY, now=NOW + 10)


def test_the_signature_is_the_hmac_of_timestamp_dot_body():
    import hashlib
    import hmac

    expected = hmac.new(SECRET.encode(), f"{NOW}.".encode() + BODY, hashlib.sha256).hexdigest()
    assert sign(SECRET, BODY, NOW) == f"t={NOW},v1={expected}"


def test_another_secret_is_refused():
    assert not verify_signature("another", sign(SECRET, BODY, NOW), BODY, now=NOW)


def test_a_stale_timestamp_is_refused():
    header = sign(SECRET, BODY, NOW)
    assert not verify_signature(SECRET, header, BODY, now=NOW + 301)
    assert verify_signature(SECRET, header, BODY, tolerance=600, now=NOW + 301)


def test_a_tampered_body_is_refused():
    header = sign(SECRET, BODY, NOW)
    assert not verify_signature(SECRET, header, BODY.replace(b"7", b"8"), now=NOW)


def test_malformed_headers_are_refused():
    for header in ("", "t=abc,v1=00", f"t={NOW}", "v1=00", "garbage"):
        assert not verify_signature(SECRET, header, BODY, now=NOW)


def test_the_module_imports_only_the_standard_library():
    tree = ast.parse(Path(webhook_signature.__file__).read_text(encoding="utf-8"))
    imported = {
        alias.name.split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert imported <= {"hashlib", "hmac", "time"}

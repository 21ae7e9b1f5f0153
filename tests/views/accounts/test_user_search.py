"""The user picker's search answers (GET /users/search.json) for any signed-in user."""

import pytest

from ...conftest import login
from ...factories.projects import member


@pytest.fixture
def artist_app(testapp, factory):
    """Logged in as a plain user, member of nothing."""
    login(testapp, factory.user(name="Zoe Artist").login)
    return testapp


def test_matches_come_as_json_with_members_first(artist_app, factory):
    project = factory.project()
    factory.user("ann", name="Ann Lee")
    dan = member(project, factory.user("dan", name="Dan Ng"))
    factory.department("Layout", members=[dan])
    answer = artist_app.get(
        "/users/search.json", {"q": "AN", "project_id": project.id, "limit": "5"}
    ).json
    assert answer == {
        "users": [
            {
                "id": dan.id,
                "name": "Dan Ng",
                "login": "dan",
                "departments": "Layout",
                "initials": "DN",
            },
            {
                "id": answer["users"][1]["id"],
                "name": "Ann Lee",
                "login": "ann",
                "departments": "",
                "initials": "AL",
            },
        ],
        "more": False,
    }


def test_the_answer_is_not_cached(artist_app):
    response = artist_app.get("/users/search.json", {"q": "zoe"})
    assert "no-store" in response.headers["Cache-Control"]
    assert [user["name"] for user in response.json["users"]] == ["Zoe Artist"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "Type at least one letter"),
        ({"q": "  "}, "Type at least one letter"),
        ({"q": "a" * 101}, "at most 100 characters"),
        ({"q": "an", "limit": "26"}, "Ask for 1 to 25 people"),
        ({"q": "an", "limit": "ten"}, "Ask for 1 to 25 people"),
    ],
)
def test_refused_searches_say_why(artist_app, query, message):
    response = artist_app.get("/users/search.json", query, status=400)
    assert message in response.json["error"]


def test_strangers_must_log_in(testapp):
    response = testapp.get("/users/search.json", {"q": "an"}, status="*")
    assert response.status_int in (302, 303, 401, 403)

"""Searching people for the user picker, and typed logins turned into users."""

import pytest

from stalker_web.services.accounts.user_search import (
    MAX_PEOPLE,
    Picked,
    initials,
    picked_user_ids,
    search_users,
    typed_logins,
    users_by_logins,
)
from stalker_web.services.errors import ValidationError

from ...factories.accounts import cheap_users
from ...factories.projects import member


def names(found) -> list[str]:
    return [person.name for person in found.users]


@pytest.fixture
def people(factory):
    """Ann Lee (login alee), Anna Berg, Dan Ng and the deactivated Hank Ames."""
    found = {
        "ann": factory.user("alee", name="Ann Lee"),
        "anna": factory.user("aberg", name="Anna Berg"),
        "dan": factory.user("dng", name="Dan Ng"),
        "hank": factory.user("hames", name="Hank Ames"),
    }
    found["hank"].is_active = False
    factory.dbsession.flush()
    return found


def test_name_or_login_contains_the_text_in_any_case(dbsession, people):
    assert names(search_users(dbsession, "AN")) == ["Ann Lee", "Anna Berg", "Dan Ng"]
    assert names(search_users(dbsession, "  ABER ")) == ["Anna Berg"]


def test_deactivated_people_are_never_offered(dbsession, people):
    assert "Hank Ames" not in names(search_users(dbsession, "a"))
    assert names(search_users(dbsession, "hames")) == []


def test_members_of_the_project_then_of_the_department_come_first(dbsession, factory, people):
    project = factory.project()
    member(project, people["dan"])
    factory.department("Animation", members=[people["anna"]])
    found = search_users(dbsession, "an", project_id=project.id)
    assert names(found) == ["Dan Ng", "Ann Lee", "Anna Berg"]
    department = factory.department("Layout", members=[people["anna"]])
    found = search_users(dbsession, "an", project_id=project.id, department_id=department.id)
    assert names(found) == ["Dan Ng", "Anna Berg", "Ann Lee"]


def test_a_match_says_its_login_departments_and_initials(dbsession, factory, people):
    factory.department("Layout", members=[people["ann"]])
    factory.department("Animation", members=[people["ann"]])
    (ann,) = search_users(dbsession, "alee").users
    assert (ann.id, ann.login, ann.departments, ann.initials) == (
        people["ann"].id,
        "alee",
        "Animation, Layout",
        "AL",
    )
    assert search_users(dbsession, "alee").as_json()["users"][0]["departments"] == (
        "Animation, Layout"
    )


def test_the_limit_cuts_the_list_and_says_there_is_more(dbsession, people):
    found = search_users(dbsession, "an", limit=2)
    assert (names(found), found.more) == (["Ann Lee", "Anna Berg"], True)
    assert search_users(dbsession, "an", limit=3).more is False


def test_wildcards_are_searched_as_typed(dbsession, factory, people):
    factory.user("under_score", name="Under Score")
    assert names(search_users(dbsession, "%")) == []
    assert names(search_users(dbsession, "r_s")) == ["Under Score"]


@pytest.mark.parametrize(
    ("text", "limit", "message"),
    [
        ("   ", 20, "Type at least one letter"),
        ("a" * 101, 20, "at most 100 characters"),
        ("an", 0, "Ask for 1 to 25 people"),
        ("an", 26, "Ask for 1 to 25 people"),
    ],
)
def test_refused_searches(dbsession, text, limit, message):
    with pytest.raises(ValidationError, match=message):
        search_users(dbsession, text, limit=limit)


def test_a_search_among_2000_people_takes_two_queries(dbsession, factory, count_queries):
    crowd = cheap_users(dbsession, 2000)
    project = factory.project()
    for user in crowd[:300]:
        member(project, user)
    department = factory.department("Crowd", members=crowd[100:400])
    dbsession.flush()
    with count_queries() as counter:
        found = search_users(dbsession, "crowd", project_id=project.id, department_id=department.id)
    assert counter.count == 2
    assert len(found.users) == 20 and found.more
    # Members of both the project and the department come first.
    assert {user.id for user in found.users} <= {user.id for user in crowd[100:300]}


def test_initials():
    assert [initials(name) for name in ("Ann Lee", "Ann", "jean-luc van damme", "")] == [
        "AL",
        "AN",
        "JD",
        "?",
    ]


def test_typed_logins_are_trimmed_and_kept_once():
    assert typed_logins(" ann, bob ,, ann ,") == ["ann", "bob"]


def test_logins_become_users_in_the_typed_order(dbsession, people):
    assert users_by_logins(dbsession, "dng, ALEE", "resources") == [people["dan"], people["ann"]]


@pytest.mark.parametrize("login", ["bob", "hames"])
def test_an_unknown_or_deactivated_login_is_refused_by_name(dbsession, people, login):
    with pytest.raises(ValidationError, match=f"No active user with the login '{login}'") as error:
        users_by_logins(dbsession, f"alee, {login}", "responsible")
    assert error.value.field == "responsible"


def test_ticked_and_typed_people_are_added_up_once(dbsession, people):
    picked = Picked((people["ann"].id, people["dan"].id), "alee, aberg")
    assert picked_user_ids(dbsession, picked, "resources") == [
        people["ann"].id,
        people["dan"].id,
        people["anna"].id,
    ]


def test_at_most_50_people_per_field(dbsession):
    crowd = cheap_users(dbsession, MAX_PEOPLE + 1)
    with pytest.raises(ValidationError, match="at most 50 people") as error:
        picked_user_ids(dbsession, Picked(tuple(user.id for user in crowd)), "resources")
    assert error.value.field == "resources"
    logins = ", ".join(user.login for user in crowd)
    with pytest.raises(ValidationError, match="at most 50 people"):
        users_by_logins(dbsession, logins, "resources")

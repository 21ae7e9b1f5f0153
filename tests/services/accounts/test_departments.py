"""The departments service: names, optimistic locking, deletion and membership changes."""

import pytest
from sqlalchemy import select

from stalker_web.models import Department, DepartmentUser, User
from stalker_web.services.accounts import departments
from stalker_web.services.errors import ConflictError, ValidationError


def _memberships(dbsession, department):
    return dbsession.scalars(
        select(DepartmentUser).where(DepartmentUser.department_id == department.id)
    ).all()


def test_create_department_cleans_name_and_description(dbsession):
    department = departments.create_department(
        dbsession, name="  Look   Dev ", description=" Shaders and lighting. "
    )
    assert (department.name, department.description) == ("Look Dev", "Shaders and lighting.")


def test_create_department_requires_a_name(dbsession):
    with pytest.raises(ValidationError) as error:
        departments.create_department(dbsession, name=" ")
    assert (error.value.field, error.value.message) == ("name", "A name is required.")


def test_create_department_refuses_a_name_taken_in_another_case(dbsession, factory):
    factory.department("Modeling")
    with pytest.raises(ValidationError) as error:
        departments.create_department(dbsession, name="MODELING")
    assert error.value.field == "name"
    assert error.value.message == "A department named 'MODELING' already exists."


def test_update_department_saves_name_and_description(dbsession, factory):
    department = factory.department("Modeling")
    departments.update_department(
        dbsession,
        department,
        submitted_version=department.version_id,
        name="Modelling",
        description="Hard surface and organic.",
    )
    dbsession.expire_all()
    saved = dbsession.get(Department, department.id)
    assert (saved.name, saved.description) == ("Modelling", "Hard surface and organic.")


def test_update_department_refuses_a_stale_version_and_changes_nothing(dbsession, factory):
    department = factory.department("Modeling")
    with pytest.raises(ConflictError):
        departments.update_department(
            dbsession, department, submitted_version=None, name="Other", description="x"
        )
    assert (department.name, department.description) == ("Modeling", "")


def test_update_department_refuses_another_departments_name(dbsession, factory):
    factory.department("Animation")
    department = factory.department("Modeling")
    with pytest.raises(ValidationError) as error:
        departments.update_department(
            dbsession,
            department,
            submitted_version=department.version_id,
            name="animation",
            description="changed",
        )
    assert error.value.field == "name"
    assert (department.name, department.description) == ("Modeling", "")


def test_delete_department_deletes_memberships_but_keeps_users(dbsession, factory):
    user = factory.user()
    department = factory.department(members=[(user, factory.role("Lead"))])
    department_id = department.id
    departments.delete_department(dbsession, department)
    assert dbsession.get(Department, department_id) is None
    assert (
        dbsession.scalars(
            select(DepartmentUser).where(DepartmentUser.department_id == department_id)
        ).all()
        == []
    )
    assert dbsession.get(User, user.id) is not None


def test_add_member_with_a_role(dbsession, factory):
    department, user, lead = factory.department(), factory.user(), factory.role("Lead")
    departments.add_member(dbsession, department, user_id=user.id, role_id=lead.id)
    [membership] = _memberships(dbsession, department)
    assert (membership.user, membership.role) == (user, lead)


def test_add_member_without_a_role(dbsession, factory):
    department, user = factory.department(), factory.user()
    departments.add_member(dbsession, department, user_id=user.id, role_id=None)
    [membership] = _memberships(dbsession, department)
    assert membership.role is None


def test_add_member_refuses_a_deactivated_user(dbsession, factory):
    department, user = factory.department(), factory.user(name="Old Timer")
    user.is_active = False
    with pytest.raises(ValidationError) as error:
        departments.add_member(dbsession, department, user_id=user.id, role_id=None)
    assert error.value.field == "user_id"
    assert "Old Timer is deactivated" in error.value.message
    assert _memberships(dbsession, department) == []


def test_add_member_refuses_a_user_already_a_member(dbsession, factory):
    user = factory.user(name="Ana")
    department = factory.department("Modeling", members=[user])
    with pytest.raises(ValidationError, match="Ana is already a member of Modeling"):
        departments.add_member(dbsession, department, user_id=user.id, role_id=None)


@pytest.mark.parametrize("user_id", [None, 10**9])
def test_add_member_refuses_no_or_an_unknown_user(dbsession, factory, user_id):
    department = factory.department()
    with pytest.raises(ValidationError) as error:
        departments.add_member(dbsession, department, user_id=user_id, role_id=None)
    assert error.value.field == "user_id"
    assert _memberships(dbsession, department) == []


def test_add_member_refuses_an_unknown_role_and_adds_nothing(dbsession, factory):
    department, user = factory.department(), factory.user()
    with pytest.raises(ValidationError) as error:
        departments.add_member(dbsession, department, user_id=user.id, role_id=10**9)
    assert error.value.field == "role_id"
    assert _memberships(dbsession, department) == []


def test_change_member_role_sets_and_clears_the_role(dbsession, factory):
    user, lead = factory.user(), factory.role("Lead")
    department = factory.department(members=[user])
    departments.change_member_role(dbsession, department, user_id=user.id, role_id=lead.id)
    assert _memberships(dbsession, department)[0].role == lead
    departments.change_member_role(dbsession, department, user_id=user.id, role_id=None)
    assert _memberships(dbsession, department)[0].role is None


def test_change_member_role_refuses_a_non_member(dbsession, factory):
    department = factory.department("Modeling")
    with pytest.raises(ValidationError, match="not a member of Modeling"):
        departments.change_member_role(
            dbsession, department, user_id=factory.user().id, role_id=None
        )


def test_change_member_role_refuses_an_unknown_role_and_keeps_the_old_one(dbsession, factory):
    user, lead = factory.user(), factory.role("Lead")
    department = factory.department(members=[(user, lead)])
    with pytest.raises(ValidationError):
        departments.change_member_role(dbsession, department, user_id=user.id, role_id=10**9)
    assert _memberships(dbsession, department)[0].role == lead


def test_remove_member_keeps_the_user(dbsession, factory):
    user, other = factory.user(), factory.user()
    department = factory.department(members=[user, other])
    assert departments.remove_member(dbsession, department, user_id=user.id) == user
    assert [m.user for m in _memberships(dbsession, department)] == [other]
    assert dbsession.get(User, user.id).is_active


def test_remove_member_refuses_a_non_member(dbsession, factory):
    department = factory.department()
    with pytest.raises(ValidationError):
        departments.remove_member(dbsession, department, user_id=factory.user().id)


def test_department_page_counts_members_and_lists_managers_by_role_flag(dbsession, factory):
    chief = factory.role("Chief", manages_department=True)
    artist = factory.role("Artist")
    renamed = factory.role("Lead Artist", manages_department=False, manages_project=True)
    bo, al = factory.user(name="Bo Lead"), factory.user(name="Al Sup")
    modeling = factory.department(
        "Modeling",
        members=[
            (bo, factory.role("Lead")),
            (al, chief),
            (factory.user(), artist),
            (factory.user(), renamed),
        ],
    )
    empty = factory.department("Matte Painting")
    page = departments.department_page(dbsession, search="", number=1)
    summaries = {summary.department: summary for summary in page.items}
    assert summaries[modeling].member_count == 4
    assert [m.user for m in summaries[modeling].managers] == [al, bo]
    assert (summaries[empty].member_count, summaries[empty].managers) == (0, [])


def test_department_page_searches_names_without_case_and_wildcards(dbsession, factory):
    factory.department("Modeling")
    factory.department("Animation")
    factory.department("100% Paint")
    page = departments.department_page(dbsession, search="MODEL", number=1)
    assert [s.department.name for s in page.items] == ["Modeling"]
    page = departments.department_page(dbsession, search="%", number=1)
    assert [s.department.name for s in page.items] == ["100% Paint"]
    assert page.params == {"q": "%"}


def test_load_roster_offers_active_non_members_and_every_role(dbsession, factory):
    member, candidate, inactive = factory.user(), factory.user(), factory.user()
    inactive.is_active = False
    department = factory.department(members=[member])
    roster = departments.load_roster(dbsession, department, with_choices=True)
    assert [m.user for m in roster.memberships] == [member]
    assert candidate in roster.candidates
    assert member not in roster.candidates and inactive not in roster.candidates
    assert factory.role("Lead") in roster.roles


def test_load_roster_without_choices_skips_them(dbsession, factory):
    department = factory.department(members=[factory.user()])
    roster = departments.load_roster(dbsession, department, with_choices=False)
    assert (len(roster.memberships), roster.roles, roster.candidates) == (1, [], [])

"""The roles service: unique names, optimistic locking and refusing to delete a held role."""

import pytest
from sqlalchemy import select

from stalker_web.models import ProjectUser, Role
from stalker_web.services.accounts import roles
from stalker_web.services.errors import ConflictError, ValidationError


def test_create_role_cleans_the_name(dbsession):
    role = roles.create_role(dbsession, name="  Look   Dev ")
    assert role.id is not None
    assert role.name == "Look Dev"


def test_create_role_requires_a_name(dbsession):
    with pytest.raises(ValidationError) as error:
        roles.create_role(dbsession, name="   ")
    assert error.value.field == "name"
    assert error.value.message == "A name is required."


def test_create_role_refuses_a_name_taken_in_another_case(dbsession, factory):
    factory.role("Compositor")
    with pytest.raises(ValidationError) as error:
        roles.create_role(dbsession, name="compositor")
    assert error.value.field == "name"
    assert "already exists" in error.value.message


def test_create_role_refuses_an_overlong_name(dbsession):
    with pytest.raises(ValidationError) as error:
        roles.create_role(dbsession, name="x" * 257)
    assert "at most 256" in error.value.message


def test_update_role_renames_it(dbsession, factory):
    role = factory.role("Rigger")
    roles.update_role(dbsession, role, submitted_version=role.version_id, name="Rigging TD")
    assert dbsession.get(Role, role.id).name == "Rigging TD"


def test_update_role_may_change_only_the_case_of_its_own_name(dbsession, factory):
    role = factory.role("rigger")
    roles.update_role(dbsession, role, submitted_version=role.version_id, name="Rigger")
    assert role.name == "Rigger"


def test_update_role_refuses_a_stale_version(dbsession, factory):
    role = factory.role("Rigger")
    with pytest.raises(ConflictError):
        roles.update_role(dbsession, role, submitted_version=role.version_id - 1, name="Other")
    assert role.name == "Rigger"


def test_update_role_refuses_another_roles_name_and_keeps_its_own(dbsession, factory):
    role = factory.role("Rigger")
    with pytest.raises(ValidationError) as error:
        roles.update_role(dbsession, role, submitted_version=role.version_id, name="lead")
    assert error.value.field == "name"
    assert role.name == "Rigger"


def test_delete_role_deletes_an_unused_role(dbsession, factory):
    role = factory.role("Rigger")
    roles.delete_role(dbsession, role)
    assert dbsession.scalars(select(Role).where(Role.name == "Rigger")).first() is None


def test_delete_role_is_refused_while_members_hold_it(dbsession, factory):
    role = factory.role("Rigger")
    factory.department(members=[(factory.user(), role), (factory.user(), role)])
    factory.department(members=[(factory.user(), role)])
    with pytest.raises(ValidationError) as error:
        roles.delete_role(dbsession, role)
    assert error.value.message == (
        "Rigger is held by 3 department members; give them another role first."
    )
    assert dbsession.get(Role, role.id) is not None


def test_delete_role_message_counts_one_member_in_the_singular(dbsession, factory):
    role = factory.role("Rigger")
    factory.department(members=[(factory.user(), role)])
    with pytest.raises(ValidationError, match="held by 1 department member;"):
        roles.delete_role(dbsession, role)


def test_role_page_counts_the_memberships_of_each_role(dbsession, factory):
    rigger, unused = factory.role("Rigger"), factory.role("Unused")
    factory.department(members=[(factory.user(), rigger), (factory.user(), rigger)])
    project = factory.project()
    project.members.append(ProjectUser(user=factory.user(), role=rigger))
    page, uses = roles.role_page(dbsession, 1)
    assert rigger in page.items and unused in page.items
    assert uses[rigger.id] == roles.RoleUse(departments=2, projects=1)
    assert unused.id not in uses


def test_delete_role_is_refused_while_project_members_hold_it(dbsession, factory):
    role = factory.role("Rigger")
    project = factory.project()
    project.members.append(ProjectUser(user=factory.user(), role=role))
    with pytest.raises(ValidationError) as error:
        roles.delete_role(dbsession, role)
    assert (
        error.value.message == "Rigger is held by 1 project member; give them another role first."
    )
    factory.department(members=[(factory.user(), role), (factory.user(), role)])
    with pytest.raises(ValidationError) as error:
        roles.delete_role(dbsession, role)
    assert error.value.message == (
        "Rigger is held by 2 department members and 1 project member; give them another role first."
    )
    assert dbsession.get(Role, role.id) is not None


# What a role's holders manage


def test_a_new_role_manages_nothing_unless_a_permission_editor_says_so(dbsession):
    plain = roles.create_role(dbsession, name="Coordinator")
    assert (plain.manages_department, plain.manages_project) == (False, False)
    with pytest.raises(ValidationError, match="may change what a role manages") as error:
        roles.create_role(dbsession, name="Chief", manages_project=True)
    assert error.value.field == "manages_project"
    chief = roles.create_role(dbsession, name="Chief", manages_project=True, may_set_flags=True)
    assert (chief.manages_department, chief.manages_project) == (False, True)


def test_renaming_a_role_keeps_what_its_holders_manage(dbsession, factory):
    artist = factory.role("Artist")
    lead = factory.role("Lead")
    roles.update_role(dbsession, lead, submitted_version=lead.version_id, name="Former Lead")
    roles.update_role(dbsession, artist, submitted_version=artist.version_id, name="Lead")
    assert (artist.manages_department, artist.manages_project) == (False, False)
    assert (lead.manages_department, lead.manages_project) == (True, True)


def test_only_a_permission_editor_changes_a_flag(dbsession, factory):
    role = factory.role("Coordinator")
    with pytest.raises(ValidationError, match="may change what a role manages"):
        roles.update_role(
            dbsession,
            role,
            submitted_version=role.version_id,
            name="Coordinators",
            manages_department=True,
        )
    assert (role.name, role.manages_department) == ("Coordinator", False)
    roles.update_role(
        dbsession, role, submitted_version=role.version_id, name="Coordinator",
        manages_department=False, manages_project=None,
    )  # fmt: skip
    roles.update_role(
        dbsession,
        role,
        submitted_version=role.version_id,
        name="Coordinator",
        manages_department=True,
        may_set_flags=True,
    )
    assert role.manages_department

"""User account services: the filtered list and export, create, edit, (de)activate, passwords."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from stalker_web.models import DepartmentUser, User, UserSession
from stalker_web.services.accounts import directory as user_directory
from stalker_web.services.accounts import users as service
from stalker_web.services.accounts.passwords import verify_password
from stalker_web.services.accounts.sessions import start_session
from stalker_web.services.accounts.studio_rights import StudioRights
from stalker_web.services.errors import ConflictError, ValidationError

from ...factories import Factory

MIN_LENGTH = 10
NEW_PASSWORD = "a brand new secret"


@pytest.fixture
def admin_group(factory):
    return factory.admin_group()


def rights(factory, *held: str, **values) -> service.AssignmentRights:
    """What an acting user holding the rights ``held`` ("Update_Group") may hand out."""
    return service.AssignmentRights(
        admin_group_name=factory.admin_group().name,
        held=StudioRights(frozenset(held)),
        **values,
    )


def user_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(User))


def listed(dbsession, **filters) -> list[str]:
    statement = user_directory.user_select(user_directory.UserFilters(**filters))
    return [user.login for user in dbsession.scalars(statement)]


def create(dbsession, **values) -> User:
    values.setdefault("name", "Ana Artist")
    values.setdefault("login", "ana")
    values.setdefault("email", "ana@example.com")
    values.setdefault("password", Factory.PASSWORD)
    return service.create_user(dbsession, password_min_length=MIN_LENGTH, **values)


def edit(dbsession, user, **values) -> User:
    values.setdefault("submitted_version", user.version_id)
    for key in ("name", "login", "email", "efficiency", "rate", "must_change_password"):
        values.setdefault(key, getattr(user, key))
    values.setdefault("password", "")
    values.setdefault("group_ids", None)
    values.setdefault("department_id", None)
    values.setdefault("role_id", None)
    values.setdefault("rights", service.AssignmentRights(admin_group_name="admins"))
    return service.update_user(dbsession, user, password_min_length=MIN_LENGTH, **values)


# The list and its export


def test_search_matches_name_login_or_email_without_case(factory, dbsession):
    factory.user("bob", name="Bob Builder", email="bob@example.com")
    factory.user("carla", name="Carla", email="carla@BUILDERS.example")
    factory.user("dan", name="Dan")
    assert sorted(listed(dbsession, search="BUILD")) == ["bob", "carla"]
    assert listed(dbsession, search="DAN") == ["dan"]


def test_search_treats_wildcards_as_plain_characters(factory, dbsession):
    factory.user("percent", name="100% Done")
    factory.user("plain", name="Plain")
    assert listed(dbsession, search="%") == ["percent"]


def test_list_filters_by_department_and_group(factory, dbsession):
    modeler, animator, both = factory.user("mod"), factory.user("anim"), factory.user("both")
    modeling = factory.department(members=[modeler, both])
    group = factory.group(users=[animator, both])
    assert sorted(listed(dbsession, department_id=modeling.id)) == ["both", "mod"]
    assert sorted(listed(dbsession, group_id=group.id)) == ["anim", "both"]
    assert listed(dbsession, department_id=modeling.id, group_id=group.id) == ["both"]


def test_list_shows_active_users_unless_told_otherwise(factory, dbsession):
    factory.user("here")
    factory.user("gone").is_active = False
    assert listed(dbsession) == ["here"]
    assert listed(dbsession, state="inactive") == ["gone"]
    assert sorted(listed(dbsession, state="all")) == ["gone", "here"]


def test_user_page_keeps_only_the_filters_that_are_set(factory, dbsession):
    factory.user("bob")
    page = user_directory.user_page(dbsession, user_directory.UserFilters(search="bo"), 1)
    assert [user.login for user in page.items] == ["bob"]
    assert page.query_for(2) == {"q": "bo", "state": "active", "page": 2}


def test_export_has_a_header_and_one_row_per_user(factory, dbsession):
    lead = factory.role("Lead")
    user = factory.user("bob", name="Bob", efficiency=0.5, rate=30)
    user.last_login = datetime(2024, 5, 1, 9, 30, tzinfo=UTC)
    factory.department("Modeling", members=[(user, lead)])
    factory.department("Animation", members=[user])
    factory.group("Artists", users=[user])
    header, row = user_directory.export_rows(dbsession, user_directory.UserFilters())
    assert header == list(user_directory.CSV_HEADER)
    assert row == [
        str(user.id), "Bob", "bob", "bob@example.com", "yes", "Animation; Modeling (Lead)",
        "Artists", "0.5", "30.0", "2024-05-01T09:30:00+00:00",
    ]  # fmt: skip


def test_export_neutralises_spreadsheet_formulas(factory, dbsession):
    factory.user("bob", name='=HYPERLINK("http://evil")')
    [_header, row] = user_directory.export_rows(dbsession, user_directory.UserFilters())
    assert row[1] == '\'=HYPERLINK("http://evil")'


@pytest.mark.parametrize("value", ["=1+2", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_cells_a_spreadsheet_would_run_get_an_apostrophe(value):
    assert user_directory.spreadsheet_safe(value) == "'" + value


def test_ordinary_cells_are_kept_as_they_are():
    assert user_directory.spreadsheet_safe("Ana O'Neil") == "Ana O'Neil"


# Creating


def test_create_user_normalises_the_login_and_hashes_the_password(dbsession):
    user = create(dbsession, login=" 12Ana Artist! ", email="Ana@Example.com")
    assert user.login == "anaartist"
    assert user.email == "ana@example.com"
    assert verify_password(user.password_hash, Factory.PASSWORD)


def test_create_user_straight_into_a_department_with_a_role(factory, dbsession):
    department, lead = factory.department(), factory.role("Lead")
    user = create(
        dbsession,
        department_id=department.id,
        role_id=lead.id,
        rights=rights(factory, department_ids=frozenset({department.id})),
    )
    membership = dbsession.get(DepartmentUser, (department.id, user.id))
    assert membership.role is lead


def test_create_user_in_groups_needs_the_right_to_change_groups(factory, dbsession):
    group = factory.group()
    with pytest.raises(ValidationError) as refused:
        create(dbsession, group_ids=[group.id], rights=rights(factory))
    assert refused.value.field == "group_ids"
    user = create(dbsession, group_ids=[group.id], rights=rights(factory, "Update_Group"))
    assert user.groups == [group]


def test_create_user_in_the_admin_group_needs_the_right_to_manage_admins(
    factory, dbsession, admin_group
):
    may_change_groups = rights(factory, "Update_Group")
    with pytest.raises(ValidationError, match="allowed to update permissions"):
        create(dbsession, group_ids=[admin_group.id], rights=may_change_groups)
    assert user_count(dbsession) == 0
    may_manage = rights(factory, "Update_Group", "Update_Permission")
    assert create(dbsession, group_ids=[admin_group.id], rights=may_manage).groups == [admin_group]


def test_a_withheld_group_is_neither_given_nor_taken_away(factory, dbsession):
    editors = factory.group(
        "Permission Editors", permissions=[factory.permission("Allow", "Update", "Permission")]
    )
    no_deleting = factory.group(
        "No deleting", permissions=[factory.permission("Deny", "Delete", "Project")]
    )
    other = factory.group("Artists")
    withheld = rights(factory, "Update_Group")
    for group in (editors, no_deleting):
        with pytest.raises(ValidationError, match=f"You may not add users to {group.name}"):
            create(dbsession, group_ids=[group.id], rights=withheld)
    user = factory.user(groups=[no_deleting])
    edit(dbsession, user, group_ids=[other.id], rights=withheld)
    assert {group.name for group in user.groups} == {"No deleting", "Artists"}
    holder = rights(factory, "Update_Group", "Delete_Project")
    edit(dbsession, user, group_ids=[other.id], rights=holder)
    assert user.groups == [other]


def test_create_user_refuses_a_department_the_actor_may_not_manage(factory, dbsession):
    department = factory.department("Modeling")
    with pytest.raises(ValidationError, match="may not add people to Modeling") as refused:
        create(dbsession, department_id=department.id, rights=rights(factory))
    assert refused.value.field == "department_id"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"login": "!!!"}, "login", "at least one letter"),
        ({"email": "not-an-address"}, "email", "name@example.com"),
        ({"name": "   "}, "name", "A name is required"),
        ({"name": "x" * 257}, "name", "at most 256"),
        ({"efficiency": -1.0}, "efficiency", "cannot be negative"),
        ({"rate": float("nan")}, "rate", "Enter a number"),
        ({"password": "short"}, "password", "at least 10"),
        ({"password": "anaartist1", "login": "anaartist1"}, "password", "cannot be the login"),
        ({"role_id": 1}, "role_id", "choose the department too"),
        ({"department_id": 999999}, "department_id", "does not exist"),
        ({"group_ids": [999999]}, "group_ids", "does not exist"),
    ],
)
def test_create_user_refuses_bad_input_and_saves_nothing(
    factory, dbsession, values, field, message
):
    may_do_all = rights(factory, "Update_Group", "Update_Permission")
    with pytest.raises(ValidationError, match=message) as refused:
        create(dbsession, rights=may_do_all, **values)
    assert refused.value.field == field
    assert user_count(dbsession) == 0


def test_create_user_refuses_a_taken_login_or_email(factory, dbsession):
    factory.user("ana", email="ana@example.com")
    with pytest.raises(ValidationError, match="login 'ana' is taken") as refused:
        create(dbsession, login="Ana", email="other@example.com")
    assert refused.value.field == "login"
    with pytest.raises(ValidationError, match="used by another user") as refused:
        create(dbsession, login="other", email="ANA@example.com")
    assert refused.value.field == "email"


# Editing


def test_update_user_saves_the_fields_and_keeps_a_blank_password(factory, dbsession):
    user = factory.user("ana")
    old_hash = user.password_hash
    edit(dbsession, user, name="Ana Lead", login="Ana.L", email="ana.l@example.com", rate=12.5)
    assert (user.name, user.login, user.email, user.rate) == (
        "Ana Lead",
        "ana.l",
        "ana.l@example.com",
        12.5,
    )
    assert user.password_hash == old_hash


def test_update_user_sets_a_new_password(factory, dbsession):
    user = factory.user()
    edit(dbsession, user, password=NEW_PASSWORD, must_change_password=True)
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user.must_change_password


def test_update_user_on_a_stale_page_is_refused(factory, dbsession):
    user = factory.user()
    with pytest.raises(ConflictError):
        edit(dbsession, user, submitted_version=user.version_id - 1, name="Other")
    assert user.name != "Other"


def test_update_user_refuses_a_taken_login_and_changes_nothing(factory, dbsession):
    factory.user("taken")
    user = factory.user("ana", name="Ana")
    with pytest.raises(ValidationError, match="taken") as refused:
        edit(dbsession, user, name="Renamed", login="taken")
    assert refused.value.field == "login"
    assert (user.name, user.login) == ("Ana", "ana")


def test_update_user_replaces_groups_when_allowed(factory, dbsession):
    old, new = factory.group("Old"), factory.group("New")
    user = factory.user(groups=[old])
    edit(dbsession, user, group_ids=[new.id], rights=rights(factory, "Update_Group"))
    assert user.groups == [new]


def test_update_user_without_group_ids_keeps_the_groups(factory, dbsession):
    group = factory.group()
    user = factory.user(groups=[group])
    edit(dbsession, user, name="Renamed")
    assert user.groups == [group]


def test_update_user_refuses_changing_groups_without_the_right(factory, dbsession):
    group = factory.group()
    user = factory.user()
    with pytest.raises(ValidationError, match="right to update groups"):
        edit(dbsession, user, group_ids=[group.id], rights=rights(factory))
    assert user.groups == []


def test_the_groups_of_an_admin_change_only_by_who_may_manage_admins(
    factory, dbsession, admin_group
):
    factory.admin()
    other = factory.group("Artists")
    user = factory.admin()
    with pytest.raises(ValidationError, match="may change the groups of a member of admins"):
        edit(dbsession, user, group_ids=[other.id], rights=rights(factory, "Update_Group"))
    assert user.groups == [admin_group]
    may_manage = rights(factory, "Update_Group", "Update_Permission")
    edit(dbsession, user, group_ids=[admin_group.id, other.id], rights=may_manage)
    assert set(user.groups) == {admin_group, other}


def test_removing_the_last_active_admin_from_the_admin_group_is_refused(factory, dbsession):
    factory.admin().is_active = False
    user = factory.admin()
    may_do_all = rights(factory, "Update_Group", "Update_Permission")
    with pytest.raises(ValidationError, match="last active member") as refused:
        edit(dbsession, user, group_ids=[], rights=may_do_all)
    assert refused.value.field == "group_ids"


def test_an_admin_password_can_be_changed_only_by_who_may_manage_admins(factory, dbsession):
    user = factory.admin()
    with pytest.raises(ValidationError, match="allowed to update permissions") as refused:
        edit(dbsession, user, password=NEW_PASSWORD, rights=rights(factory))
    assert refused.value.field == "password"
    edit(dbsession, user, password=NEW_PASSWORD, rights=rights(factory, "Update_Permission"))
    assert verify_password(user.password_hash, NEW_PASSWORD)


# Who may change whose password, groups and activation


def live_session(dbsession, user) -> UserSession:
    record, _token = start_session(dbsession, user.id, remote_addr="192.0.2.1", user_agent="test")
    return record


def test_a_password_of_someone_holding_a_right_the_actor_lacks_is_refused(factory, dbsession):
    producer = factory.user_allowed("Update_Project", "Delete_Project", name="Paula Producer")
    old_hash = producer.password_hash
    with pytest.raises(ValidationError) as refused:
        edit(dbsession, producer, password=NEW_PASSWORD, rights=rights(factory, "Update_User"))
    assert refused.value.field == "password"
    assert refused.value.message.startswith(
        "You may not change the password of Paula Producer: Paula Producer holds rights you "
        "lack (Delete Project, Update Project)."
    )
    assert producer.password_hash == old_hash
    holder = rights(factory, "Update_User", "Update_Project", "Delete_Project")
    edit(dbsession, producer, password=NEW_PASSWORD, rights=holder)
    assert verify_password(producer.password_hash, NEW_PASSWORD)


def test_a_password_set_by_someone_else_must_be_changed_and_ends_the_sessions(factory, dbsession):
    user = factory.user()
    session = live_session(dbsession, user)
    edit(
        dbsession,
        user,
        password=NEW_PASSWORD,
        must_change_password=False,
        rights=rights(factory, acting_user_id=factory.user().id),
    )
    assert user.must_change_password
    dbsession.refresh(session)
    assert session.revoked_at is not None


def test_nobody_sets_their_own_password_on_the_user_form(factory, dbsession):
    user = factory.admin()
    with pytest.raises(ValidationError, match="on your profile page") as refused:
        edit(dbsession, user, password=NEW_PASSWORD, rights=rights(factory, acting_user_id=user.id))
    assert refused.value.field == "password"


def test_the_forced_change_of_someone_out_of_reach_stays(factory, dbsession):
    producer = factory.user_allowed("Delete_Project", must_change_password=False)
    with pytest.raises(ValidationError, match="holds rights you lack") as refused:
        edit(dbsession, producer, must_change_password=True, rights=rights(factory))
    assert refused.value.field == "must_change_password"
    edit(dbsession, producer, name="Renamed", must_change_password=None, rights=rights(factory))
    assert producer.name == "Renamed" and not producer.must_change_password


def test_the_groups_of_someone_out_of_reach_stay(factory, dbsession):
    producers = factory.group(
        "Producers", permissions=[factory.permission("Allow", "Delete", "Project")]
    )
    artists = factory.group("Artists")
    producer = factory.user(name="Paula Producer", groups=[producers])
    with pytest.raises(ValidationError, match="change the groups of Paula Producer") as refused:
        edit(
            dbsession,
            producer,
            group_ids=[producers.id, artists.id],
            rights=rights(factory, "Update_Group"),
        )
    assert refused.value.field == "group_ids"
    assert producer.groups == [producers]


def test_update_user_adds_a_department_or_changes_the_role_there(factory, dbsession):
    lead, artist = factory.role("Lead"), factory.role("Artist")
    user = factory.user()
    modeling = factory.department(members=[(user, artist)])
    animation = factory.department()
    allowed = rights(factory, department_ids=frozenset({modeling.id, animation.id}))
    edit(dbsession, user, department_id=modeling.id, role_id=lead.id, rights=allowed)
    edit(dbsession, user, department_id=animation.id, rights=allowed)
    roles = {m.department_id: m.role for m in user.department_memberships}
    assert roles == {modeling.id: lead, animation.id: None}


# Activating and deactivating


def test_deactivate_and_activate_a_user(factory, dbsession):
    actor, user = factory.user(), factory.user()
    service.set_user_active(
        dbsession, user, active=False, acting_user_id=actor.id, rights=rights(factory)
    )
    assert not user.is_active
    service.set_user_active(
        dbsession, user, active=True, acting_user_id=actor.id, rights=rights(factory)
    )
    assert user.is_active


def test_someone_out_of_reach_is_neither_deactivated_nor_activated(factory, dbsession):
    producer = factory.user_allowed("Delete_Project", name="Paula Producer")
    actor = factory.user()
    for active in (False, True):
        producer.is_active = not active
        with pytest.raises(ValidationError, match="Paula Producer holds rights you lack"):
            service.set_user_active(
                dbsession, producer, active=active, acting_user_id=actor.id, rights=rights(factory)
            )
        assert producer.is_active is not active


def test_deactivation_ends_the_users_sessions(factory, dbsession):
    user, actor = factory.user(), factory.user()
    session = live_session(dbsession, user)
    service.set_user_active(
        dbsession, user, active=False, acting_user_id=actor.id, rights=rights(factory)
    )
    dbsession.refresh(session)
    assert session.revoked_at is not None


def test_nobody_may_deactivate_themselves(factory, dbsession):
    user = factory.admin()
    factory.admin()
    may_manage = rights(factory, "Update_Permission")
    with pytest.raises(ValidationError, match="your own account"):
        service.set_user_active(
            dbsession, user, active=False, acting_user_id=user.id, rights=may_manage
        )
    assert user.is_active


def test_the_last_active_admin_cannot_be_deactivated(factory, dbsession):
    actor, user = factory.user(), factory.admin()
    may_manage = rights(factory, "Update_Permission")
    with pytest.raises(ValidationError, match="last active member"):
        service.set_user_active(
            dbsession, user, active=False, acting_user_id=actor.id, rights=may_manage
        )
    assert user.is_active


def test_an_admin_can_be_deactivated_only_by_who_may_manage_admins(factory, dbsession):
    factory.admin()
    actor, user = factory.user(), factory.admin()
    with pytest.raises(ValidationError, match="allowed to update permissions"):
        service.set_user_active(
            dbsession, user, active=False, acting_user_id=actor.id, rights=rights(factory)
        )
    assert user.is_active


# My password and profile


def test_change_password_stores_the_new_one_and_ends_a_forced_change(
    factory, dbsession, studio_config
):
    user = factory.user(must_change_password=True)
    service.change_password(
        dbsession,
        user,
        current_password=Factory.PASSWORD,
        new_password=NEW_PASSWORD,
        password_min_length=MIN_LENGTH,
        remote_addr="192.0.2.1",
        accounts_config=studio_config["accounts"],
    )
    assert verify_password(user.password_hash, NEW_PASSWORD)
    assert user.password_hash.startswith("$argon2id$")
    assert not user.must_change_password


@pytest.mark.parametrize(
    ("current", "new", "field", "message"),
    [
        ("wrong password", NEW_PASSWORD, "current_password", "not your current password"),
        (Factory.PASSWORD, "short", "new_password", "at least 10"),
        (Factory.PASSWORD, Factory.PASSWORD, "new_password", "different from the current"),
    ],
)
def test_change_password_refuses_bad_input(
    factory, dbsession, studio_config, current, new, field, message
):
    user = factory.user(must_change_password=True)
    old_hash = user.password_hash
    with pytest.raises(ValidationError, match=message) as refused:
        service.change_password(
            dbsession,
            user,
            current_password=current,
            new_password=new,
            password_min_length=MIN_LENGTH,
            remote_addr="192.0.2.1",
            accounts_config=studio_config["accounts"],
        )
    assert refused.value.field == field
    assert user.password_hash == old_hash
    assert user.must_change_password


def profile(dbsession, user, studio_config, **values):
    values.setdefault("submitted_version", user.version_id)
    values.setdefault("name", user.name)
    values.setdefault("email", user.email)
    values.setdefault("current_password", "")
    return service.update_profile(
        dbsession,
        user,
        remote_addr="192.0.2.1",
        accounts_config=studio_config["accounts"],
        **values,
    )


def test_update_profile_saves_the_name_without_a_password(factory, dbsession, studio_config):
    user = factory.user("ana")
    profile(dbsession, user, studio_config, name="  Ana   Artist ", email="ANA@example.com")
    assert (user.name, user.email, user.login) == ("Ana Artist", "ana@example.com", "ana")


def test_a_new_email_needs_the_current_password(factory, dbsession, studio_config):
    user = factory.user("ana")
    for password, message in (("", "Enter your current password"), ("wrong", "not your current")):
        with pytest.raises(ValidationError, match=message) as refused:
            profile(
                dbsession, user, studio_config, email="new@example.com", current_password=password
            )
        assert refused.value.field == "current_password"
        assert user.email == "ana@example.com"
    profile(
        dbsession,
        user,
        studio_config,
        email="New@Example.com",
        current_password=Factory.PASSWORD,
    )
    assert user.email == "new@example.com"


def test_a_taken_email_is_refused_without_saying_whose_it_is(factory, dbsession, studio_config):
    factory.user(email="taken@example.com")
    user = factory.user()
    with pytest.raises(ValidationError) as refused:
        profile(
            dbsession,
            user,
            studio_config,
            name="Renamed",
            email="taken@example.com",
            current_password=Factory.PASSWORD,
        )
    assert refused.value.message == service.EMAIL_UNUSABLE
    assert refused.value.field == "email"
    assert user.name != "Renamed"


def test_update_profile_on_a_stale_page_is_refused(factory, dbsession, studio_config):
    user = factory.user()
    with pytest.raises(ConflictError, match="Your profile was changed"):
        profile(dbsession, user, studio_config, submitted_version=None, name="Renamed")

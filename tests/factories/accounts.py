"""Builders of users, groups, roles, departments, permissions and the authentication log."""

from sqlalchemy import select

from stalker_web.models import (
    AuthenticationLog,
    Department,
    DepartmentUser,
    Group,
    Permission,
    Role,
    User,
)
from stalker_web.services.accounts.users import create_user

from .counter import next_number


class AccountsFactory:
    """Builds users, groups, departments and roles in the test's session."""

    PASSWORD = "correct horse battery"

    def user(self, login: str | None = None, groups=(), **values):
        """A user created through the service, who logs in with ``PASSWORD``."""
        number = next_number()
        login = login or f"user{number}"
        values.setdefault("name", f"User {number}")
        values.setdefault("email", f"{login}@example.com")
        values.setdefault("password", self.PASSWORD)
        user = create_user(
            self.dbsession,
            login=login,
            password_min_length=self.config["accounts"]["password_min_length"],
            groups=list(groups),
            **values,
        )
        return user

    def admin_group(self) -> Group:
        """The group the studio config names as the administrators'."""
        name = self.config["accounts"]["admin_group"]
        return self.dbsession.scalars(select(Group).where(Group.name == name)).one()

    def admin(self, login: str | None = None, **values):
        """A user in the admin group."""
        return self.user(login or f"admin{next_number()}", groups=[self.admin_group()], **values)

    def group(self, name: str | None = None, users=(), permissions=()):
        """A group of ``users`` holding the Permission rows ``permissions``."""
        group = Group(name=name or f"Group {next_number()}", users=list(users))
        group.permissions = list(permissions)
        self.dbsession.add(group)
        self.dbsession.flush()
        return group

    def role(
        self,
        name: str | None = None,
        *,
        manages_department: bool | None = None,
        manages_project: bool | None = None,
    ) -> Role:
        """The role ``name`` (the default roles exist already, with their flags), created when
        missing; the flags given are set on it."""
        role = self.dbsession.scalars(select(Role).where(Role.name == name)).one_or_none()
        if role is None:
            role = Role(name=name or f"Role {next_number()}")
            role.manages_department = role.manages_project = False
            self.dbsession.add(role)
        if manages_department is not None:
            role.manages_department = manages_department
        if manages_project is not None:
            role.manages_project = manages_project
        self.dbsession.flush()
        return role

    def department(self, name: str | None = None, members=()):
        """``members`` is a list of users or of (user, role) pairs."""
        department = Department(name=name or f"Department {next_number()}")
        for member in members:
            user, role = member if isinstance(member, tuple) else (member, None)
            department.memberships.append(DepartmentUser(user=user, role=role))
        self.dbsession.add(department)
        self.dbsession.flush()
        return department

    def user_allowed(self, *permission_names: str, **values):
        """A user in a new group holding the Allow rows of ``permission_names`` ("List_Role")."""
        rows = [self.permission("Allow", *str(name).split("_", 1)) for name in permission_names]
        user = self.user(**values)
        self.group(users=[user], permissions=rows)
        return user

    def permission(self, access: str, action: str, class_name: str):
        """The existing Permission row for ``("Deny", "List", "User")`` and the like."""
        return self.dbsession.scalars(
            select(Permission).filter_by(access=access, action=action, class_name=class_name)
        ).one()

    def log_entry(self, login: str, action: str = "failed", user=None, **values):
        """An AuthenticationLog row; ``date`` (timezone-aware) defaults to now."""
        values.setdefault("remote_addr", "192.0.2.99")
        entry = AuthenticationLog(login=login, action=action, user=user, **values)
        self.dbsession.add(entry)
        self.dbsession.flush()
        return entry


def cheap_users(dbsession, count: int, **values) -> list[User]:
    """Users without a real password hash, for tests that only need many rows."""
    users = []
    for _ in range(count):
        number = next_number()
        users.append(
            User(
                name=f"Crowd {number}",
                login=f"crowd{number}",
                email=f"crowd{number}@example.com",
                password_hash="unusable",
                **values,
            )
        )
    dbsession.add_all(users)
    dbsession.flush()
    return users

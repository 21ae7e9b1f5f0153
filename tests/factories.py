"""Test factories: rows built through the same services the application uses."""

import itertools

from sqlalchemy import select

from stalker_web.models import Department, DepartmentUser, Group, Role, User
from stalker_web.services.accounts.users import create_user

_counter = itertools.count(1)


class Factory:
    """Builds users, groups, departments and roles in the test's session."""

    PASSWORD = "correct horse battery"

    def __init__(self, dbsession, studio_config) -> None:
        self.dbsession = dbsession
        self.config = studio_config

    def user(self, login: str | None = None, groups=(), **values):
        number = next(_counter)
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
        name = self.config["accounts"]["admin_group"]
        return self.dbsession.scalars(select(Group).where(Group.name == name)).one()

    def admin(self, login: str | None = None, **values):
        return self.user(login or f"admin{next(_counter)}", groups=[self.admin_group()], **values)

    def group(self, name: str | None = None, users=(), permissions=()):
        group = Group(name=name or f"Group {next(_counter)}", users=list(users))
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
            role = Role(name=name or f"Role {next(_counter)}")
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
        department = Department(name=name or f"Department {next(_counter)}")
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
        from stalker_web.models import Permission

        return self.dbsession.scalars(
            select(Permission).filter_by(access=access, action=action, class_name=class_name)
        ).one()

    def studio(self):
        """The studio row every test database holds."""
        from stalker_web.services.studio.initial_data import ensure_studio

        return ensure_studio(self.dbsession, self.config)

    def log_entry(self, login: str, action: str = "failed", user=None, **values):
        """An AuthenticationLog row; ``date`` (timezone-aware) defaults to now."""
        from stalker_web.models import AuthenticationLog

        values.setdefault("remote_addr", "192.0.2.99")
        entry = AuthenticationLog(login=login, action=action, user=user, **values)
        self.dbsession.add(entry)
        self.dbsession.flush()
        return entry

    # Projects and the task tree

    def project(self, name: str | None = None, code: str | None = None, **values):
        from stalker_web.models import Project, StatusList

        number = next(_counter)
        status_list = self.dbsession.scalars(
            select(StatusList).where(StatusList.target_entity_type == "Project")
        ).one()
        project = Project(
            name=name or f"Project {number}",
            code=code or f"PRJ{number}",
            status=status_list.statuses[0],
            **values,
        )
        self.dbsession.add(project)
        self.dbsession.flush()
        return project

    def task_type(self, target: str = "Task", name: str | None = None):
        """The Type ``name`` for ``target`` entities, created when missing."""
        from stalker_web.models import Type

        name = name or f"{target} type {next(_counter)}"
        existing = self.dbsession.scalars(
            select(Type).filter_by(target_entity_type=target, name=name)
        ).one_or_none()
        if existing is not None:
            return existing
        kind = Type(name=name, code=name, target_entity_type=target)
        self.dbsession.add(kind)
        self.dbsession.flush()
        return kind

    def task(self, kind: str = "Task", *, project=None, parent=None, **values):
        """A task of ``kind`` (Task, Asset, Sequence, Scene, Shot, Variant) with generated
        name, code and (for assets) type; a new project when neither project nor parent is given."""
        from stalker_web.services.tasks.commands import create_task

        number = next(_counter)
        if project is None and parent is None:
            project = self.project()
        values.setdefault("name", f"{kind} {number}")
        if kind in ("Asset", "Sequence", "Scene", "Shot"):
            values.setdefault("code", f"{kind[:2].upper()}{number:04d}")
        if kind == "Asset":
            values.setdefault("type", self.task_type("Asset", "Character"))
        return create_task(self.dbsession, kind, project=project, parent=parent, **values)

    def repository(self, code: str | None = None, **values):
        from stalker_web.models import Repository

        number = next(_counter)
        values.setdefault("name", f"Repository {number}")
        values.setdefault("linux_path", f"/mnt/repo{number}")
        values.setdefault("windows_path", f"//fileserver/repo{number}")
        values.setdefault("macos_path", f"/Volumes/repo{number}")
        repository = Repository(code=code or f"R{number}", **values)
        self.dbsession.add(repository)
        self.dbsession.flush()
        return repository

    def filename_template(self, target: str = "Task", name: str | None = None, **values):
        from stalker_web.models import FilenameTemplate

        values.setdefault("path", "{{project.code}}/{{task.name}}")
        values.setdefault("filename", "{{task.name}}_v{{'%03d' % version.version_number}}")
        template = FilenameTemplate(
            name=name or f"Template {next(_counter)}", target_entity_type=target, **values
        )
        self.dbsession.add(template)
        self.dbsession.flush()
        return template

    def structure(self, name: str | None = None, templates=(), **values):
        from stalker_web.models import Structure

        structure = Structure(
            name=name or f"Structure {next(_counter)}", templates=list(templates), **values
        )
        self.dbsession.add(structure)
        self.dbsession.flush()
        return structure


def cheap_users(dbsession, count: int, **values) -> list[User]:
    """Users without a real password hash, for tests that only need many rows."""
    users = []
    for _ in range(count):
        number = next(_counter)
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


def production(factory: Factory, scale: int, users=None):
    """A project whose size grows with ``scale``: ``scale`` sequences of ``scale`` shots, each
    shot with an animation and a lighting task (lighting waits for animation, both staffed), and
    ``scale`` assets. Returns (project, a sequence, a lighting task)."""
    from stalker_web.models import ProjectUser
    from stalker_web.services.tasks.dependencies import add_dependency

    project = factory.project()
    users = users or cheap_users(factory.dbsession, 2)
    for user in users:
        project.members.append(ProjectUser(user=user))
    sequences = []
    for _ in range(scale):
        sequence = factory.task("Sequence", project=project)
        sequences.append(sequence)
        for _ in range(scale):
            shot = factory.task("Shot", parent=sequence, sequence=sequence)
            animation = factory.task(parent=shot, name="Animation", resources=[users[0]])
            lighting = factory.task(parent=shot, name="Lighting", resources=users[1:])
            add_dependency(factory.dbsession, lighting, animation)
    for _ in range(scale):
        factory.task("Asset", project=project)
    return project, sequences[0], lighting

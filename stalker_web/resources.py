"""Route context factories: each loads its object (or 404s) and carries the ACL for it.

Resources chain through ``__parent__`` up to :class:`StudioRoot`, whose ACL holds the studio-wide
permissions of the logged-in user, so object-level entries come first and class-level ones after.
"""

from functools import cached_property

from pyramid.authorization import Allow, Deny, Everyone
from pyramid.httpexceptions import HTTPNotFound
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .limits import whole_number
from .models import (
    Daily,
    DailyVersion,
    Department,
    File,
    Group,
    Note,
    NoteAttachment,
    Project,
    Repository,
    Review,
    ReviewStatus,
    Role,
    Scenario,
    ScheduleRun,
    Structure,
    Task,
    Ticket,
    TimeLog,
    Type,
    User,
    Vacation,
    Version,
)
from .permissions import Permissions
from .security import department_principal, project_principal
from .services.accounts.studio_rights import held_rights, may_hand_out
from .services.accounts.user_rights import UserRights
from .services.tasks.people import TaskPeople, task_people


def is_member(rights: UserRights | None, project_id: int) -> bool:
    """Whether the user of ``rights`` is a member of project ``project_id``, read from the
    memberships their ``project:<id>:member`` principal comes from (no query)."""
    return rights is not None and project_id in rights.project_ids


class StudioRoot:
    """The root of every resource; its ACL comes from the user's and groups' Permission rows."""

    __name__ = ""
    __parent__ = None

    def __init__(self, request) -> None:
        self.request = request

    @property
    def __acl__(self) -> tuple[tuple, ...]:
        return self.request.studio_acl


class EntityResource:
    """A loaded entity placed under the studio root; subclasses add object-level entries."""

    def __init__(self, entity, parent: StudioRoot) -> None:
        self.entity = entity
        self.__parent__ = parent
        self.__name__ = str(entity.id)

    @property
    def __acl__(self) -> list[tuple]:
        return []


class UserResource(EntityResource):
    """A user: everyone may read their own record and workload; the managers of the projects
    and departments the user is a member of read the user's workload (charts of their people)."""

    @property
    def __acl__(self) -> list[tuple]:
        user = self.entity
        managers = [
            project_principal(membership.project_id, "manager")
            for membership in user.project_memberships
        ] + [
            department_principal(membership.department_id, "manager")
            for membership in user.department_memberships
        ]
        return [
            (Allow, user.principal, (Permissions.READ_USER, Permissions.READ_WORKLOAD)),
            *((Allow, principal, Permissions.READ_WORKLOAD) for principal in managers),
        ]


class DepartmentResource(EntityResource):
    """A department: members holding a role that manages departments (``Role.manages_department``)
    read it and manage its members."""

    @property
    def __acl__(self) -> list[tuple]:
        return [
            (
                Allow,
                department_principal(self.entity.id, "manager"),
                (
                    Permissions.READ_DEPARTMENT,
                    Permissions.UPDATE_DEPARTMENT,
                    Permissions.READ_WORKLOAD,
                    Permissions.LOCK_TIMESHEETS,
                ),
            )
        ]


class ProjectResource(EntityResource):
    """A project: members read it and its tasks; members holding a role that manages projects
    (``Role.manages_project``) edit it and its tasks. Anybody else needs class-level rights."""

    @property
    def __acl__(self) -> list[tuple]:
        read = (Permissions.READ_PROJECT, Permissions.READ_TASK, Permissions.LIST_TASKS)
        manage = (
            Permissions.UPDATE_PROJECT,
            Permissions.CREATE_TASK,
            Permissions.UPDATE_TASK,
            Permissions.DELETE_TASK,
            Permissions.CREATE_TIME_LOG,
            Permissions.REQUEST_REVIEW,
            Permissions.ANSWER_REVIEW,
            Permissions.CREATE_VERSION,
            Permissions.UPDATE_VERSION,
            Permissions.CREATE_SCHEDULE_RUN,  # a run of this project only (projects.schedule)
            Permissions.READ_WORKLOAD,  # of the project's people (projects.workload)
        )
        return [
            (Allow, project_principal(self.entity.id, "member"), read),
            (Allow, project_principal(self.entity.id, "manager"), manage),
            # Dailies (issue 14, reviews and dailies part): members read them, managers (the
            # leads and producers who answer the project's reviews) create and run them.
            (Allow, project_principal(self.entity.id, "member"), Permissions.LIST_DAILY),
            (
                Allow,
                project_principal(self.entity.id, "manager"),
                (Permissions.CREATE_DAILY, Permissions.UPDATE_DAILY),
            ),
            # Notes (issue 14, notes part): members write notes on anything of the project.
            (Allow, project_principal(self.entity.id, "member"), Permissions.CREATE_NOTE),
            # Tickets (issue 14, tickets part): members read, open and act on its tickets.
            (
                Allow,
                project_principal(self.entity.id, "member"),
                (Permissions.LIST_TICKETS, Permissions.CREATE_TICKET, Permissions.UPDATE_TICKET),
            ),
        ]


class TaskResource(EntityResource):
    """A task, placed under its project's resource so the project's ACL decides; its resources
    may also log time, request reviews and create versions on it, and its responsible users
    answer its reviews, while they are members of its project (as reading it needs)."""

    def __init__(self, entity: Task, request) -> None:
        super().__init__(entity, ProjectResource(entity.project, StudioRoot(request)))
        self.request = request

    @property
    def project(self) -> Project:
        return self.entity.project

    @cached_property
    def acting_member(self) -> bool:
        """Whether the acting user is a member of the task's project, read from the memberships
        their ``project:<id>:member`` principal comes from: a write needs it as a read does, so
        someone who left keeps no right from being named on the task, its reviews or its logs."""
        return is_member(self.request.user_rights, self.entity.project_id)

    @cached_property
    def people(self) -> TaskPeople:
        """Everybody named on the task, its inherited responsible users included: one
        statement per request, shared by the ACL and the task page."""
        return task_people(self.request.dbsession, self.entity)

    @property
    def resource_principals(self) -> list[str]:
        """``user:<id>`` of the task's resources, read with its other people (``people``), so
        page query counts stay constant whether or not the collection was loaded."""
        return [user.principal for user in self.people.lists["resources"]]

    @property
    def responsible(self) -> list[User]:
        """The task's responsible users, inherited from its parents."""
        return self.people.responsible

    @property
    def responsible_principals(self) -> list[str]:
        return [user.principal for user in self.responsible]

    @property
    def __acl__(self) -> list[tuple]:
        if not self.acting_member:
            return []  # no query either: nothing here could grant a non-member anything
        work = (
            Permissions.CREATE_TIME_LOG,
            Permissions.REQUEST_REVIEW,
            Permissions.CREATE_VERSION,
        )
        return [(Allow, principal, work) for principal in self.resource_principals] + [
            (Allow, principal, Permissions.ANSWER_REVIEW)
            for principal in self.responsible_principals
        ]


class TaskChildResource(EntityResource):
    """An object of a task (time log, review, version, file), placed under the task's resource."""

    def __init__(self, entity, task: Task, request) -> None:
        super().__init__(entity, TaskResource(task, request))

    @property
    def task(self) -> Task:
        return self.__parent__.entity

    @property
    def acting_member(self) -> bool:
        """Whether the acting user is a member of the task's project (see TaskResource)."""
        return self.__parent__.acting_member


class TimeLogResource(TaskChildResource):
    """A time log: its resource may change and delete it while a member of the project (the
    logs of someone who left stay as they are)."""

    @property
    def __acl__(self) -> list[tuple]:
        if not self.acting_member:
            return []
        rights = (Permissions.UPDATE_TIME_LOG, Permissions.DELETE_TIME_LOG)
        return [(Allow, self.entity.resource.principal, rights)]


class ReviewResource(TaskChildResource):
    """A review: its reviewer may answer it while a member of the project."""

    @property
    def __acl__(self) -> list[tuple]:
        if not self.acting_member:
            return []
        return [(Allow, self.entity.reviewer.principal, Permissions.ANSWER_REVIEW)]


class VersionResource(TaskChildResource):
    """A version: the task's resources may also publish and unpublish it (artists publish their
    work) while members of the project; beyond that the task's and project's ACLs decide (members
    read, resources add files, managers do everything)."""

    @property
    def __acl__(self) -> list[tuple]:
        if not self.acting_member:
            return []
        principals = self.__parent__.resource_principals
        return [(Allow, principal, Permissions.UPDATE_VERSION) for principal in principals]


class FileResource(TaskChildResource):
    """A file: read by whoever may read its version's task."""


class GroupResource(EntityResource):
    """A group: class-level permissions only."""


class RoleResource(EntityResource):
    """A role: class-level permissions only."""


class RepositoryResource(EntityResource):
    """A repository: class-level permissions only."""


class StructureResource(EntityResource):
    """A structure with its filename templates: class-level permissions only."""


class VacationResource(EntityResource):
    """A vacation: its user may change and delete it; anything else needs class-level rights
    (a studio-wide holiday has no user, so only those)."""

    @property
    def __acl__(self) -> list[tuple]:
        user = self.entity.user
        if user is None:
            return []
        return [(Allow, user.principal, (Permissions.UPDATE_VACATION, Permissions.DELETE_VACATION))]


class TypeResource(EntityResource):
    """A type (a pipeline step, an asset type...): class-level rights only."""


class ScenarioResource(EntityResource):
    """A what-if scenario of the whole studio: class-level permissions only."""


class ScheduleRunResource(EntityResource):
    """A schedule run: read by holders of the class-level List_ScheduleRun, by whoever may start
    a run studio-wide (Create_ScheduleRun), and by the managers of every project the run covers
    (who may schedule those projects themselves); the run of the whole studio needs a class-level
    right. A scenario's run is read by whoever may list scenarios."""

    def __init__(self, entity: ScheduleRun, request) -> None:
        super().__init__(entity, StudioRoot(request))
        self.request = request

    def _manages_every_project(self) -> bool:
        return set(self.entity.project_ids) <= self.request.user_rights.managed_project_ids

    @property
    def __acl__(self) -> list[tuple]:
        user = self.request.user
        if user is None:
            return []
        if self.entity.scenario_id is not None:
            # A what-if scenario's run: read by whoever may see scenarios.
            if studio_permits(self.request, Permissions.LIST_SCENARIOS):
                return [(Allow, user.principal, Permissions.LIST_SCHEDULE_RUNS)]
            return []
        may_start = studio_permits(self.request, Permissions.CREATE_SCHEDULE_RUN)
        if may_start or (not self.entity.is_whole_studio and self._manages_every_project()):
            return [(Allow, user.principal, Permissions.LIST_SCHEDULE_RUNS)]
        return []


def studio_permits(request, permission: str) -> bool:
    """Whether the user holds ``permission`` studio-wide (navigation; works on error pages too)."""
    return bool(request.has_permission(permission, StudioRoot(request)))


def may_hand_out_group(request, group: Group) -> bool:
    """Whether the acting user holds every right the rows of ``group`` name: joining grants its
    Allow rows and leaving lifts its Deny rows. The admin group grants everything, so handing it
    out takes the right to update permissions."""
    admin_group = request.studio_config["accounts"]["admin_group"]
    return may_hand_out(held_rights(request.user_rights, admin_group), group, admin_group)


def department_permits(request, department: Department, permission: str) -> bool:
    """Whether the user holds ``permission`` on ``department`` (its leads included)."""
    return bool(
        request.has_permission(permission, DepartmentResource(department, StudioRoot(request)))
    )


def root_factory(request) -> StudioRoot:
    return StudioRoot(request)


def matched_id(request, key: str) -> int:
    """The id ``key`` of the URL, or 404 when it is beyond any id (so no query is sent)."""
    number = whole_number(request.matchdict[key])
    if number is None:
        raise HTTPNotFound("No row has this id.")
    return number


def _entity_factory(model, resource_class, matchdict_key: str, options: tuple = ()):
    def factory(request):
        entity = request.dbsession.get(model, matched_id(request, matchdict_key), options=options)
        if entity is None:
            raise HTTPNotFound(f"No {model.__name__.lower()} with this id.")
        return resource_class(entity, StudioRoot(request))

    factory.__name__ = f"{model.__name__.lower()}_factory"
    factory.__doc__ = f"Load the {model.__name__} named by ``{matchdict_key}`` or raise 404."
    return factory


user_factory = _entity_factory(User, UserResource, "user_id")
department_factory = _entity_factory(Department, DepartmentResource, "department_id")
group_factory = _entity_factory(Group, GroupResource, "group_id")
role_factory = _entity_factory(Role, RoleResource, "role_id")
# Every project page names the project's status: read with it.
project_factory = _entity_factory(
    Project, ProjectResource, "project_id", options=(joinedload(Project.status),)
)
repository_factory = _entity_factory(Repository, RepositoryResource, "repository_id")
structure_factory = _entity_factory(Structure, StructureResource, "structure_id")
vacation_factory = _entity_factory(Vacation, VacationResource, "vacation_id")
scenario_factory = _entity_factory(Scenario, ScenarioResource, "scenario_id")
type_factory = _entity_factory(Type, TypeResource, "type_id")


def schedule_run_factory(request) -> ScheduleRunResource:
    """Load the ScheduleRun named by ``run_id`` or raise 404."""
    run = request.dbsession.get(ScheduleRun, matched_id(request, "run_id"))
    if run is None:
        raise HTTPNotFound("No schedule run with this id.")
    return ScheduleRunResource(run, request)


def task_factory(request) -> TaskResource:
    """Load the Task named by ``task_id`` with its project and type (one statement) or raise
    404."""
    task = request.dbsession.scalar(
        select(Task)
        .where(Task.id == matched_id(request, "task_id"))
        .options(joinedload(Task.project), joinedload(Task.type))
    )
    if task is None:
        raise HTTPNotFound("No task with this id.")
    return TaskResource(task, request)


def _task_child_factory(model, resource_class, matchdict_key: str, task_of):
    def factory(request):
        entity = request.dbsession.get(model, matched_id(request, matchdict_key))
        if entity is None:
            raise HTTPNotFound(f"No {model.__name__.lower()} with this id.")
        return resource_class(entity, task_of(entity), request)

    factory.__name__ = f"{resource_class.__name__.removesuffix('Resource').lower()}_factory"
    factory.__doc__ = f"Load the {model.__name__} named by ``{matchdict_key}`` or raise 404."
    return factory


time_log_factory = _task_child_factory(TimeLog, TimeLogResource, "time_log_id", lambda e: e.task)
review_factory = _task_child_factory(Review, ReviewResource, "review_id", lambda e: e.task)
version_factory = _task_child_factory(Version, VersionResource, "version_id", lambda e: e.task)
file_factory = _task_child_factory(File, FileResource, "file_id", lambda e: e.version.task)


# Dailies (issue 14, reviews and dailies part)


class ProjectChildResource(EntityResource):
    """An object of a project (daily, note, ticket), placed under the project's resource, so
    the project's ACL decides unless the subclass adds entries."""

    def __init__(self, entity, request) -> None:
        super().__init__(entity, ProjectResource(entity.project, StudioRoot(request)))
        self.request = request

    @property
    def project(self) -> Project:
        return self.entity.project


def project_child_factory(
    model, resource_class, matchdict_key: str, missing: str, options: tuple = ()
):
    def factory(request):
        entity = request.dbsession.get(model, matched_id(request, matchdict_key), options=options)
        if entity is None:
            raise HTTPNotFound(missing)
        return resource_class(entity, request)

    factory.__name__ = f"{resource_class.__name__.removesuffix('Resource').lower()}_factory"
    factory.__doc__ = f"Load the {model.__name__} named by ``{matchdict_key}`` or raise 404."
    return factory


class DailyResource(ProjectChildResource):
    """A daily: the project's ACL decides (members read, managers run it)."""


class DailyEntryResource(EntityResource):
    """A version at its place (``rank``) in a daily, placed under the resource of the version's
    task: whoever may answer that task's reviews answers it in the daily, as in the review inbox
    (its responsible users, the project's managers, and the reviewers it waits for while they
    are members of the project); reading and running it are the daily's rights."""

    def __init__(self, entity: DailyVersion, request) -> None:
        super().__init__(entity, TaskResource(entity.version.task, request))
        self.request = request

    @property
    def daily(self) -> Daily:
        return self.entity.daily

    @property
    def project(self) -> Project:
        return self.entity.daily.project

    @property
    def __acl__(self) -> list[tuple]:
        if not self.__parent__.acting_member:
            return []
        waiting_for = self.request.dbsession.scalars(
            select(Review.reviewer_id).where(
                Review.task_id == self.entity.version.task_id,
                Review.status == ReviewStatus.NEW,
            )
        )
        return [(Allow, f"user:{user_id}", Permissions.ANSWER_REVIEW) for user_id in waiting_for]


# A daily's pages show its project and its status (open or closed): read with it.
daily_factory = project_child_factory(
    Daily,
    DailyResource,
    "daily_id",
    "No daily with this id.",
    options=(joinedload(Daily.project), joinedload(Daily.status)),
)


def daily_entry_factory(request) -> DailyEntryResource:
    """Load the version at place ``rank`` of the daily ``daily_id`` or raise 404."""
    entry = request.dbsession.scalar(
        select(DailyVersion).where(
            DailyVersion.daily_id == matched_id(request, "daily_id"),
            DailyVersion.rank == matched_id(request, "rank"),
        )
    )
    if entry is None:
        raise HTTPNotFound("No version at this place of this daily.")
    return DailyEntryResource(entry, request)


# Notes (issue 14, notes part)


def may_edit_own_notes(request, project_id: int) -> bool:
    """Whether the acting user may change the notes they wrote on project ``project_id``: while
    a member of it (read from the memberships their principals come from), or with a
    studio-wide Update_Note."""
    if request.user is None:
        return False
    return is_member(request.user_rights, project_id) or studio_permits(
        request, Permissions.UPDATE_NOTE
    )


class NoteResource(ProjectChildResource):
    """A note: whoever reads the project reads it and its files. Only its author changes it
    (while a member, see :func:`may_edit_own_notes`): nobody else, whatever their rights, since
    a note is its author's words."""

    @property
    def __acl__(self) -> list[tuple]:
        user, note = self.request.user, self.entity
        author = user is not None and user.id == note.author_id
        entries = []
        if author and may_edit_own_notes(self.request, note.project_id):
            entries.append((Allow, user.principal, Permissions.UPDATE_NOTE))
        return [*entries, (Deny, Everyone, Permissions.UPDATE_NOTE)]


class NoteAttachmentResource(EntityResource):
    """A file attached to a note, placed under the note's resource (read as the note is)."""

    def __init__(self, entity: NoteAttachment, note: Note, request) -> None:
        super().__init__(entity, NoteResource(note, request))


note_factory = project_child_factory(Note, NoteResource, "note_id", "No note with this id.")


def note_attachment_factory(request) -> NoteAttachmentResource:
    """Load the NoteAttachment named by ``attachment_id`` (with its note) or raise 404."""
    attachment = request.dbsession.get(NoteAttachment, matched_id(request, "attachment_id"))
    if attachment is None:
        raise HTTPNotFound("No attached file with this id.")
    note = request.dbsession.get(Note, attachment.note_id)
    return NoteAttachmentResource(attachment, note, request)


# Tickets (issue 14, tickets part)


class TicketResource(ProjectChildResource):
    """A ticket: the project's ACL decides (its members read, edit and act on it; class-level
    rights do the same studio-wide)."""


ticket_factory = project_child_factory(
    Ticket, TicketResource, "ticket_id", "No ticket with this id."
)

"""The Stalker object model; importing this package registers every mapped class."""

from . import task_path  # noqa: F401  (the mapper events keeping Task.path right)
from .activity import Activity
from .api import (
    ApiToken,
    DeliveryState,
    IdempotencyRecord,
    TokenScope,
    Webhook,
    WebhookAttempt,
    WebhookDelivery,
)
from .asset import Asset, Variant
from .authentication_log import AuthenticationLog
from .baseline import BaselineTask, ScheduleBaseline
from .breakdown_import import BreakdownImport, ImportStage, ImportStatus
from .daily import Daily, DailyOutcome, DailyVersion
from .department import Department, DepartmentUser, Role
from .file import File
from .image_format import ImageFormat
from .meta import Base
from .note import Note, NoteAttachment, NoteMention, NoteRevision
from .notification import (
    MailState,
    Notification,
    NotificationChannel,
    NotificationPreference,
    OutgoingMail,
)
from .permission import Permission
from .pipeline_step import PipelineStep
from .project import Project, ProjectRepository, ProjectUser
from .project_step import ProjectStep
from .recovery_code import RecoveryCode
from .repository import Repository
from .review import Review, ReviewStatus
from .scenario import (
    Scenario,
    ScenarioPerson,
    ScenarioState,
    ScenarioTaskChange,
    ScenarioTaskResult,
)
from .schedule_run import RunPhase, RunStatus, ScheduleRun
from .sequence import Scene, Sequence
from .shot import Shot
from .status import Status, StatusList, StatusListStatus
from .structure import FilenameTemplate, Structure
from .studio import Studio
from .tag import Tag
from .task import Task
from .task_dependency import TaskDependency
from .ticket import Ticket, TicketLink, TicketLog, TicketPriority, ticket_relations
from .time_log import TimeLog
from .timesheet_week import TimesheetWeek, WeekState
from .type import Type
from .user import Group, User
from .user_session import UserSession
from .vacation import Vacation
from .version import Version

# The app's own tables (extensions add theirs to Base.metadata when they are imported; see
# stalker_web/extensions.py): what the app's migrations build.
APP_TABLES = frozenset(Base.metadata.tables)

__all__ = [
    "APP_TABLES",
    "Activity",
    "ApiToken",
    "Asset",
    "AuthenticationLog",
    "Base",
    "BaselineTask",
    "BreakdownImport",
    "Daily",
    "DailyOutcome",
    "DailyVersion",
    "Department",
    "DeliveryState",
    "DepartmentUser",
    "File",
    "FilenameTemplate",
    "Group",
    "IdempotencyRecord",
    "ImageFormat",
    "ImportStage",
    "ImportStatus",
    "MailState",
    "Note",
    "NoteAttachment",
    "NoteMention",
    "NoteRevision",
    "Notification",
    "NotificationChannel",
    "NotificationPreference",
    "OutgoingMail",
    "Permission",
    "PipelineStep",
    "Project",
    "ProjectRepository",
    "ProjectStep",
    "ProjectUser",
    "RecoveryCode",
    "Repository",
    "Review",
    "ReviewStatus",
    "Role",
    "RunPhase",
    "RunStatus",
    "Scenario",
    "ScenarioPerson",
    "ScenarioState",
    "ScenarioTaskChange",
    "ScenarioTaskResult",
    "Scene",
    "ScheduleBaseline",
    "ScheduleRun",
    "Sequence",
    "Shot",
    "Status",
    "StatusList",
    "StatusListStatus",
    "Structure",
    "Studio",
    "Tag",
    "Task",
    "TaskDependency",
    "Ticket",
    "TicketLink",
    "TicketLog",
    "TicketPriority",
    "TimeLog",
    "TimesheetWeek",
    "TokenScope",
    "Type",
    "User",
    "UserSession",
    "Vacation",
    "Variant",
    "Version",
    "Webhook",
    "WebhookAttempt",
    "WebhookDelivery",
    "WeekState",
    "ticket_relations",
]

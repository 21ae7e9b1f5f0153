"""The permission vocabulary used by ACLs, views and templates alike.

Class-level permissions keep Stalker's ``<Action>_<ClassName>`` spelling, so a ``Permission`` row
(Allow, Update, User) held by a group grants exactly the view permission ``Update_User``.
"""

from enum import StrEnum


class Permissions(StrEnum):
    """Every permission a view may require."""

    VIEW = "view"
    EDIT_PROFILE = "edit_profile"

    LIST_USERS = "List_User"
    READ_USER = "Read_User"
    CREATE_USER = "Create_User"
    UPDATE_USER = "Update_User"

    LIST_DEPARTMENTS = "List_Department"
    READ_DEPARTMENT = "Read_Department"
    CREATE_DEPARTMENT = "Create_Department"
    UPDATE_DEPARTMENT = "Update_Department"
    DELETE_DEPARTMENT = "Delete_Department"

    LIST_GROUPS = "List_Group"
    READ_GROUP = "Read_Group"
    CREATE_GROUP = "Create_Group"
    UPDATE_GROUP = "Update_Group"
    DELETE_GROUP = "Delete_Group"

    READ_PERMISSIONS = "Read_Permission"
    UPDATE_PERMISSIONS = "Update_Permission"

    LIST_ROLES = "List_Role"
    CREATE_ROLE = "Create_Role"
    UPDATE_ROLE = "Update_Role"
    DELETE_ROLE = "Delete_Role"

    READ_STUDIO = "Read_Studio"
    UPDATE_STUDIO = "Update_Studio"

    LIST_AUTHENTICATION_LOGS = "List_AuthenticationLog"

    LIST_PROJECTS = "List_Project"
    READ_PROJECT = "Read_Project"
    CREATE_PROJECT = "Create_Project"
    UPDATE_PROJECT = "Update_Project"
    DELETE_PROJECT = "Delete_Project"

    LIST_TASKS = "List_Task"
    READ_TASK = "Read_Task"
    CREATE_TASK = "Create_Task"
    UPDATE_TASK = "Update_Task"
    DELETE_TASK = "Delete_Task"

    LIST_REPOSITORIES = "List_Repository"
    CREATE_REPOSITORY = "Create_Repository"
    UPDATE_REPOSITORY = "Update_Repository"
    DELETE_REPOSITORY = "Delete_Repository"

    LIST_STRUCTURES = "List_Structure"
    CREATE_STRUCTURE = "Create_Structure"
    UPDATE_STRUCTURE = "Update_Structure"
    DELETE_STRUCTURE = "Delete_Structure"

    CREATE_FILENAME_TEMPLATE = "Create_FilenameTemplate"
    UPDATE_FILENAME_TEMPLATE = "Update_FilenameTemplate"
    DELETE_FILENAME_TEMPLATE = "Delete_FilenameTemplate"

    LIST_TYPES = "List_Type"
    CREATE_TYPE = "Create_Type"
    UPDATE_TYPE = "Update_Type"
    DELETE_TYPE = "Delete_Type"

    # Scheduled against available hours of people: a project's managers see its people, a
    # department's managers its members, everyone their own; studio-wide by a Permission row.
    READ_WORKLOAD = "Read_Workload"
    # Seeing people's submitted weeks and locking or unlocking them: a department's managers for
    # its members; studio-wide by a Permission row.
    LOCK_TIMESHEETS = "Update_Timesheet"

    LIST_VACATIONS = "List_Vacation"
    CREATE_VACATION = "Create_Vacation"
    UPDATE_VACATION = "Update_Vacation"
    DELETE_VACATION = "Delete_Vacation"

    LIST_SCHEDULE_RUNS = "List_ScheduleRun"
    CREATE_SCHEDULE_RUN = "Create_ScheduleRun"

    LIST_SCENARIOS = "List_Scenario"
    CREATE_SCENARIO = "Create_Scenario"
    UPDATE_SCENARIO = "Update_Scenario"
    DELETE_SCENARIO = "Delete_Scenario"

    CREATE_TIME_LOG = "Create_TimeLog"
    UPDATE_TIME_LOG = "Update_TimeLog"
    DELETE_TIME_LOG = "Delete_TimeLog"

    REQUEST_REVIEW = "Create_Review"
    ANSWER_REVIEW = "Update_Review"

    CREATE_VERSION = "Create_Version"
    UPDATE_VERSION = "Update_Version"

    # Notes (issue 14, notes part): a project's members write notes on anything of it; only a
    # note's author changes it, while a member.
    CREATE_NOTE = "Create_Note"
    UPDATE_NOTE = "Update_Note"

    # Dailies (issue 14, reviews and dailies part): a project's members read its dailies, its
    # managers (leads, producers) create and run them; answering a version in one needs the
    # right to answer that task's review (ANSWER_REVIEW).
    LIST_DAILY = "List_Daily"
    CREATE_DAILY = "Create_Daily"
    UPDATE_DAILY = "Update_Daily"

    # Tickets (issue 14, tickets part): a project's members read, open, edit and act on its
    # tickets (Trac's open model: the workflow is the guard); studio-wide by a Permission row.
    LIST_TICKETS = "List_Ticket"
    CREATE_TICKET = "Create_Ticket"
    UPDATE_TICKET = "Update_Ticket"

    # Webhooks (issue 15, webhooks part): studio-wide hooks by a Permission row (admins); a
    # project's hooks also by the project's managers.
    LIST_WEBHOOKS = "List_Webhook"
    CREATE_WEBHOOK = "Create_Webhook"
    UPDATE_WEBHOOK = "Update_Webhook"
    DELETE_WEBHOOK = "Delete_Webhook"

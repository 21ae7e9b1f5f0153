"""The one route table of the application."""

from . import resources, webhook_resources

# An id: ASCII digits only (``\d`` would match "٣"); the factories answer 404 beyond the largest.
ID = r"[0-9]+"


def includeme(config) -> None:
    config.include(".static_assets")

    config.add_route("home", "/")
    config.add_route("login", "/login")
    config.add_route("logout", "/logout")
    config.add_route("profile.view", "/profile")
    config.add_route("profile.password", "/profile/password")

    config.add_route("users.list", "/users")
    config.add_route("users.export", "/users.csv")
    config.add_route("users.create", "/users/new")
    user = {"factory": resources.user_factory}
    config.add_route("users.view", f"/users/{{user_id:{ID}}}", **user)
    config.add_route("users.edit", f"/users/{{user_id:{ID}}}/edit", **user)
    config.add_route("users.deactivate", f"/users/{{user_id:{ID}}}/deactivate", **user)
    config.add_route("users.activate", f"/users/{{user_id:{ID}}}/activate", **user)
    config.add_route("users.permissions", f"/users/{{user_id:{ID}}}/permissions", **user)

    config.add_route("departments.list", "/departments")
    config.add_route("departments.create", "/departments/new")
    department = {"factory": resources.department_factory}
    base = f"/departments/{{department_id:{ID}}}"
    config.add_route("departments.view", base, **department)
    config.add_route("departments.edit", f"{base}/edit", **department)
    config.add_route("departments.delete", f"{base}/delete", **department)
    config.add_route("departments.members.add", f"{base}/members", **department)
    config.add_route(
        "departments.members.update", f"{base}/members/{{member_id:{ID}}}", **department
    )
    config.add_route(
        "departments.members.remove", f"{base}/members/{{member_id:{ID}}}/remove", **department
    )

    config.add_route("groups.list", "/groups")
    config.add_route("groups.create", "/groups/new")
    group = {"factory": resources.group_factory}
    base = f"/groups/{{group_id:{ID}}}"
    config.add_route("groups.view", base, **group)
    config.add_route("groups.edit", f"{base}/edit", **group)
    config.add_route("groups.delete", f"{base}/delete", **group)
    config.add_route("groups.permissions", f"{base}/permissions", **group)
    config.add_route("groups.members.add", f"{base}/members", **group)
    config.add_route("groups.members.remove", f"{base}/members/{{member_id:{ID}}}/remove", **group)

    config.add_route("roles.list", "/roles")
    config.add_route("roles.create", "/roles/new")
    role = {"factory": resources.role_factory}
    config.add_route("roles.edit", f"/roles/{{role_id:{ID}}}/edit", **role)
    config.add_route("roles.delete", f"/roles/{{role_id:{ID}}}/delete", **role)

    config.add_route("projects.list", "/projects")
    config.add_route("projects.create", "/projects/new")
    project = {"factory": resources.project_factory}
    base = f"/projects/{{project_id:{ID}}}"
    config.add_route("projects.view", base, **project)
    config.add_route("projects.edit", f"{base}/edit", **project)
    config.add_route("projects.members", f"{base}/members", **project)
    config.add_route("projects.members.update", f"{base}/members/{{member_id:{ID}}}", **project)
    config.add_route(
        "projects.members.remove", f"{base}/members/{{member_id:{ID}}}/remove", **project
    )
    config.add_route("projects.delete", f"{base}/delete", **project)
    config.add_route("projects.settings", f"{base}/settings", **project)
    config.add_route("projects.repositories", f"{base}/settings/repositories", **project)
    config.add_route("projects.tasks", f"{base}/tasks", **project)
    config.add_route("projects.tasks.create", f"{base}/tasks/new", **project)
    config.add_route("projects.shots.range", f"{base}/shots/new-range", **project)
    config.add_route("projects.tasks.template", f"{base}/tasks/from-template", **project)
    config.add_route("projects.breakdown.export", f"{base}/breakdown.csv", **project)
    config.add_route("projects.breakdown.import", f"{base}/breakdown/import", **project)
    config.add_route(
        "projects.breakdown.import_progress",
        f"{base}/breakdown/imports/{{import_id:\\d+}}",
        **project,
    )
    # The production board (views/board/), the late and at-risk lists of the overview's health
    # (views/projects/health.py), the board's step columns and the project's workload.
    config.add_route("projects.board", f"{base}/board", **project)
    config.add_route("projects.board.export", f"{base}/board.csv", **project)
    config.add_route("projects.board.bulk", f"{base}/board/bulk", **project)
    config.add_route("projects.lateness", f"{base}/lateness", **project)
    config.add_route("projects.steps", f"{base}/settings/steps", **project)
    config.add_route("projects.workload", f"{base}/workload", **project)

    task = {"factory": resources.task_factory}
    base = f"/tasks/{{task_id:{ID}}}"
    config.add_route("tasks.view", base, **task)
    config.add_route("tasks.children", f"{base}/children", **task)
    config.add_route("tasks.edit", f"{base}/edit", **task)
    config.add_route("tasks.move", f"{base}/move", **task)
    config.add_route("tasks.delete", f"{base}/delete", **task)
    config.add_route("tasks.dependencies.add", f"{base}/dependencies", **task)
    config.add_route(
        "tasks.dependencies.remove",
        f"{base}/dependencies/{{depends_on_id:{ID}}}/remove",
        **task,
    )
    config.add_route("my.tasks", "/my/tasks")
    config.add_route("my.timesheet", "/my/timesheet")
    # The week grid (views/timesheets/): saving it, submitting the week, a lead's locks.
    config.add_route("my.timesheet.grid", "/my/timesheet/grid")
    config.add_route("my.timesheet.submit", "/my/timesheet/submit")
    config.add_route(
        "departments.timesheets", f"/departments/{{department_id:{ID}}}/timesheets", **department
    )
    config.add_route(
        "departments.timesheets.lock",
        f"/departments/{{department_id:{ID}}}/timesheets/lock",
        **department,
    )
    config.add_route("reviews.inbox", "/reviews")
    config.add_route("tasks.time_logs.add", f"/tasks/{{task_id:{ID}}}/time-logs", **task)
    config.add_route("tasks.status", f"/tasks/{{task_id:{ID}}}/status/{{action}}", **task)
    config.add_route("tasks.versions.create", f"/tasks/{{task_id:{ID}}}/versions/new", **task)
    time_log = {"factory": resources.time_log_factory}
    config.add_route("time_logs.edit", f"/time-logs/{{time_log_id:{ID}}}/edit", **time_log)
    config.add_route("time_logs.delete", f"/time-logs/{{time_log_id:{ID}}}/delete", **time_log)
    review = {"factory": resources.review_factory}
    config.add_route("reviews.answer", f"/reviews/{{review_id:{ID}}}/answer", **review)
    version = {"factory": resources.version_factory}
    base = f"/versions/{{version_id:{ID}}}"
    config.add_route("versions.view", base, **version)
    config.add_route("versions.publish", f"{base}/publish", **version)
    config.add_route("versions.unpublish", f"{base}/unpublish", **version)
    config.add_route("versions.files.upload", f"{base}/files", **version)
    file = {"factory": resources.file_factory}
    config.add_route("files.download", f"/files/{{file_id:{ID}}}", **file)
    config.add_route("files.thumbnail", f"/files/{{file_id:{ID}}}/thumbnail", **file)

    config.add_route("repositories.list", "/repositories")
    config.add_route("repositories.create", "/repositories/new")
    repository = {"factory": resources.repository_factory}
    base = f"/repositories/{{repository_id:{ID}}}"
    config.add_route("repositories.edit", f"{base}/edit", **repository)
    config.add_route("repositories.delete", f"{base}/delete", **repository)

    config.add_route("structures.list", "/structures")
    config.add_route("structures.create", "/structures/new")
    structure = {"factory": resources.structure_factory}
    base = f"/structures/{{structure_id:{ID}}}"
    config.add_route("structures.view", base, **structure)
    config.add_route("structures.edit", f"{base}/edit", **structure)
    config.add_route("structures.delete", f"{base}/delete", **structure)
    config.add_route("structures.templates.add", f"{base}/templates", **structure)
    config.add_route("structures.templates.preview", f"{base}/templates/preview", **structure)
    config.add_route(
        "structures.templates.edit", f"{base}/templates/{{template_id:{ID}}}/edit", **structure
    )
    config.add_route(
        "structures.templates.remove",
        f"{base}/templates/{{template_id:{ID}}}/remove",
        **structure,
    )

    config.add_route("projects.gantt", f"/projects/{{project_id:{ID}}}/gantt", **project)
    config.add_route("projects.slips", f"/projects/{{project_id:{ID}}}/slips", **project)
    config.add_route(
        "projects.critical_path", f"/projects/{{project_id:{ID}}}/critical-path", **project
    )
    config.add_route("tasks.gantt_rows", f"/tasks/{{task_id:{ID}}}/gantt-rows", **task)
    config.add_route("users.gantt", f"/users/{{user_id:{ID}}}/gantt", **user)
    config.add_route(
        "departments.gantt", f"/departments/{{department_id:{ID}}}/gantt", **department
    )

    # Workload (views/workload/): scheduled against available hours per person and week.
    config.add_route("workload.index", "/workload")
    config.add_route(
        "departments.workload", f"/departments/{{department_id:{ID}}}/workload", **department
    )
    config.add_route("users.workload", f"/users/{{user_id:{ID}}}/workload", **user)

    # Types and pipeline steps (views/pipeline/), and the searching user picker's answers.
    config.add_route("types.list", "/types")
    config.add_route("types.create", "/types/new")
    kind = {"factory": resources.type_factory}
    config.add_route("types.edit", f"/types/{{type_id:{ID}}}/edit", **kind)
    config.add_route("types.delete", f"/types/{{type_id:{ID}}}/delete", **kind)
    config.add_route("users.search", "/users/search.json")

    config.add_route("vacations.list", "/vacations")
    config.add_route("vacations.create", "/vacations/new")
    vacation = {"factory": resources.vacation_factory}
    config.add_route("vacations.edit", f"/vacations/{{vacation_id:{ID}}}/edit", **vacation)
    config.add_route("vacations.delete", f"/vacations/{{vacation_id:{ID}}}/delete", **vacation)
    config.add_route("users.vacations", f"/users/{{user_id:{ID}}}/vacations", **user)

    config.add_route("schedule.runs", "/schedule")
    config.add_route("schedule.start", "/schedule/start")
    config.add_route("projects.schedule", f"/projects/{{project_id:{ID}}}/schedule", **project)
    run = {"factory": resources.schedule_run_factory}
    config.add_route("schedule.run", f"/schedule/runs/{{run_id:{ID}}}", **run)
    config.add_route("schedule.run.status", f"/schedule/runs/{{run_id:{ID}}}/status.json", **run)

    config.add_route("scenarios.list", "/scenarios")
    scenario = {"factory": resources.scenario_factory}
    base = f"/scenarios/{{scenario_id:{ID}}}"
    config.add_route("scenarios.view", base, **scenario)
    config.add_route("scenarios.edit", f"{base}/edit", **scenario)
    config.add_route("scenarios.people.add", f"{base}/people", **scenario)
    config.add_route("scenarios.people.edit", f"{base}/people/{{person_id:{ID}}}", **scenario)
    config.add_route(
        "scenarios.people.remove", f"{base}/people/{{person_id:{ID}}}/remove", **scenario
    )
    config.add_route("scenarios.tasks", f"{base}/tasks", **scenario)
    config.add_route("scenarios.task", f"{base}/tasks/{{task_id:{ID}}}", **scenario)
    config.add_route("scenarios.task.clear", f"{base}/tasks/{{task_id:{ID}}}/clear", **scenario)
    config.add_route("scenarios.schedule", f"{base}/schedule", **scenario)
    config.add_route("scenarios.compare", f"{base}/compare", **scenario)
    config.add_route("scenarios.promote", f"{base}/promote", **scenario)
    config.add_route("scenarios.discard", f"{base}/discard", **scenario)

    config.add_route("studio.settings", "/studio")
    config.add_route("auth_log.list", "/authentication-log")

    # Sign-in sessions (views/sessions.py) and the status colours stylesheet.
    config.add_route("profile.sessions", "/profile/sessions")
    config.add_route("profile.sessions.revoke_others", "/profile/sessions/revoke-others")
    config.add_route("profile.sessions.revoke", f"/profile/sessions/{{session_id:{ID}}}/revoke")
    # API tokens (issue 15; views/accounts/api_tokens.py): made, listed and revoked by their owner.
    config.add_route("profile.api_tokens", "/profile/api-tokens")
    config.add_route("profile.api_tokens.revoke", f"/profile/api-tokens/{{token_id:{ID}}}/revoke")
    config.add_route("users.sessions.revoke", f"/users/{{user_id:{ID}}}/sessions/revoke", **user)
    config.add_route("status_colours", "/status-colours.css")
    # The address browsers and tools ask for the site's icon (views/studio/favicon.py).
    config.add_route("favicon", "/favicon.ico")

    # Two-factor sign-in (views/two_factor.py): the code step of logging in, and its setup.
    config.add_route("login.two_factor", "/login/two-factor")
    config.add_route("profile.two_factor", "/profile/two-factor")
    config.add_route("profile.two_factor.start", "/profile/two-factor/start")
    config.add_route("profile.two_factor.confirm", "/profile/two-factor/confirm")
    config.add_route("profile.two_factor.recovery_codes", "/profile/two-factor/recovery-codes")
    config.add_route("profile.two_factor.disable", "/profile/two-factor/disable")

    # Dailies (issue 14, reviews and dailies part; views/dailies/): a project's review sessions,
    # the versions collected into one, walked through one page each and answered.
    config.add_route("projects.dailies", f"/projects/{{project_id:{ID}}}/dailies", **project)
    daily = {"factory": resources.daily_factory}
    base = f"/dailies/{{daily_id:{ID}}}"
    config.add_route("dailies.view", base, **daily)
    config.add_route("dailies.versions.add", f"{base}/versions", **daily)
    config.add_route("dailies.versions.collect", f"{base}/versions/collect", **daily)
    config.add_route("dailies.close", f"{base}/close", **daily)
    config.add_route("dailies.notes.add", f"{base}/notes", **daily)
    entry = {"factory": resources.daily_entry_factory}
    config.add_route("dailies.walk", f"{base}/versions/{{rank:{ID}}}", **entry)
    config.add_route("dailies.answer", f"{base}/versions/{{rank:{ID}}}/answer", **entry)
    config.add_route("dailies.versions.move", f"{base}/versions/{{rank:{ID}}}/move", **entry)
    config.add_route("dailies.versions.remove", f"{base}/versions/{{rank:{ID}}}/remove", **entry)

    # Notes (issue 14, notes part; views/notes/): adding one to a project, task, version or
    # review, a note's edit page and history, and its attached files.
    config.add_route("projects.notes.add", f"/projects/{{project_id:{ID}}}/notes", **project)
    config.add_route("tasks.notes.add", f"/tasks/{{task_id:{ID}}}/notes", **task)
    config.add_route("versions.notes.add", f"/versions/{{version_id:{ID}}}/notes", **version)
    config.add_route("reviews.notes.add", f"/reviews/{{review_id:{ID}}}/notes", **review)
    note = {"factory": resources.note_factory}
    config.add_route("notes.edit", f"/notes/{{note_id:{ID}}}/edit", **note)
    config.add_route("notes.history", f"/notes/{{note_id:{ID}}}/history", **note)
    attachment = {"factory": resources.note_attachment_factory}
    base = f"/notes/attachments/{{attachment_id:{ID}}}"
    config.add_route("notes.attachments.download", base, **attachment)
    config.add_route("notes.attachments.thumbnail", f"{base}/thumbnail", **attachment)

    # Tickets (issue 14, tickets part; views/tickets/): a project's list, its CSV and a new
    # ticket; a ticket's page, edit, workflow actions, links and related tickets; my tickets.
    base = f"/projects/{{project_id:{ID}}}/tickets"
    config.add_route("projects.tickets", base, **project)
    config.add_route("projects.tickets.export", f"{base}.csv", **project)
    config.add_route("projects.tickets.create", f"{base}/new", **project)
    ticket = {"factory": resources.ticket_factory}
    base = f"/tickets/{{ticket_id:{ID}}}"
    config.add_route("tickets.view", base, **ticket)
    config.add_route("tickets.edit", f"{base}/edit", **ticket)
    config.add_route("tickets.action", f"{base}/actions/{{action}}", **ticket)
    config.add_route("tickets.links.add", f"{base}/links", **ticket)
    config.add_route("tickets.links.remove", f"{base}/links/{{link_id:{ID}}}/remove", **ticket)
    config.add_route("tickets.related.add", f"{base}/related", **ticket)
    config.add_route(
        "tickets.related.remove", f"{base}/related/{{related_id:{ID}}}/remove", **ticket
    )
    config.add_route("tickets.notes.add", f"{base}/notes", **ticket)
    config.add_route("my.tickets", "/my/tickets")

    # Activity and notifications (issue 14, notifications part; views/notifications/,
    # views/activity/): my inbox and marking it read, my notification preferences, a
    # project's feed.
    config.add_route("inbox", "/inbox")
    config.add_route("inbox.read", "/inbox/read")
    config.add_route("inbox.read_all", "/inbox/read-all")
    config.add_route("profile.notifications", "/profile/notifications")
    config.add_route("projects.activity", f"/projects/{{project_id:{ID}}}/activity", **project)

    # Webhooks (issue 15, webhooks part; views/webhooks/): the studio's hooks and a project's,
    # a hook's page with its delivery log, its form, new secret, deletion, and sending again.
    config.add_route("webhooks.list", "/webhooks")
    config.add_route("webhooks.create", "/webhooks/new")
    hooks = {"factory": webhook_resources.project_webhooks_factory}
    config.add_route("projects.webhooks", f"/projects/{{project_id:{ID}}}/webhooks", **hooks)
    config.add_route(
        "projects.webhooks.create", f"/projects/{{project_id:{ID}}}/webhooks/new", **hooks
    )
    webhook = {"factory": webhook_resources.webhook_factory}
    base = f"/webhooks/{{webhook_id:{ID}}}"
    config.add_route("webhooks.view", base, **webhook)
    config.add_route("webhooks.edit", f"{base}/edit", **webhook)
    config.add_route("webhooks.secret", f"{base}/secret", **webhook)
    config.add_route("webhooks.delete", f"{base}/delete", **webhook)
    config.add_route(
        "webhooks.replay",
        f"/webhooks/deliveries/{{delivery_id:{ID}}}/replay",
        factory=webhook_resources.webhook_delivery_factory,
    )

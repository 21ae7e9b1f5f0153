"""The API's route table: every address under ``/api/v1/``, with the context factories the
pages use (so the same ACLs decide)."""

from .. import resources
from ..routes import ID

BASE = "/api/v1"


def includeme(config) -> None:
    config.add_route("api.openapi", f"{BASE}/openapi.json")
    config.add_route("api.me", f"{BASE}/me")

    project = {"factory": resources.project_factory}
    config.add_route("api.projects", f"{BASE}/projects")
    config.add_route("api.projects.view", f"{BASE}/projects/{{project_id:{ID}}}", **project)
    base = f"{BASE}/projects/{{project_id:{ID}}}"
    config.add_route("api.projects.repositories", f"{base}/repositories", **project)
    config.add_route("api.projects.files", f"{base}/files", **project)

    # --- Reading the studio (tasks, assets, sequences, shots, statuses, types, users) ---
    config.add_route("api.tasks", f"{BASE}/tasks")
    task = {"factory": resources.task_factory}
    config.add_route("api.tasks.view", f"{BASE}/tasks/{{task_id:{ID}}}", **task)
    for kind in ("assets", "sequences", "shots"):
        pattern = f"{BASE}/projects/{{project_id:{ID}}}/{kind}"
        config.add_route(f"api.projects.{kind}", pattern, **project)
    config.add_route("api.statuses", f"{BASE}/statuses")
    config.add_route("api.types", f"{BASE}/types")
    config.add_route("api.users", f"{BASE}/users")
    user = {"factory": resources.user_factory}
    config.add_route("api.users.view", f"{BASE}/users/{{user_id:{ID}}}", **user)

    # --- Work (versions, files, time logs, reviews) ---
    task = {"factory": resources.task_factory}
    task_base = f"{BASE}/tasks/{{task_id:{ID}}}"
    config.add_route("api.tasks.versions", f"{task_base}/versions", **task)
    config.add_route("api.tasks.time_logs", f"{task_base}/time-logs", **task)
    config.add_route("api.tasks.reviews", f"{task_base}/reviews", **task)
    version = {"factory": resources.version_factory}
    version_base = f"{BASE}/versions/{{version_id:{ID}}}"
    config.add_route("api.versions.view", version_base, **version)
    config.add_route("api.versions.publish", f"{version_base}/publish", **version)
    config.add_route("api.versions.unpublish", f"{version_base}/unpublish", **version)
    config.add_route("api.versions.files", f"{version_base}/files", **version)
    file = {"factory": resources.file_factory}
    config.add_route("api.files.view", f"{BASE}/files/{{file_id:{ID}}}", **file)
    config.add_route("api.files.content", f"{BASE}/files/{{file_id:{ID}}}/content", **file)
    time_log = {"factory": resources.time_log_factory}
    config.add_route("api.time_logs.view", f"{BASE}/time-logs/{{time_log_id:{ID}}}", **time_log)
    review = {"factory": resources.review_factory}
    review_base = f"{BASE}/reviews/{{review_id:{ID}}}"
    config.add_route("api.reviews.approve", f"{review_base}/approve", **review)
    config.add_route("api.reviews.request_revision", f"{review_base}/request-revision", **review)

    # --- Supervision (tickets, notes) and schedule runs ---
    base = f"{BASE}/projects/{{project_id:{ID}}}"
    config.add_route("api.projects.tickets", f"{base}/tickets", **project)
    config.add_route("api.projects.notes", f"{base}/notes", **project)
    ticket = {"factory": resources.ticket_factory}
    base = f"{BASE}/tickets/{{ticket_id:{ID}}}"
    config.add_route("api.tickets.view", base, **ticket)
    config.add_route("api.tickets.action", f"{base}/actions/{{action}}", **ticket)
    config.add_route("api.tickets.notes", f"{base}/notes", **ticket)
    task, version = {"factory": resources.task_factory}, {"factory": resources.version_factory}
    config.add_route("api.tasks.notes", f"{BASE}/tasks/{{task_id:{ID}}}/notes", **task)
    config.add_route("api.versions.notes", f"{BASE}/versions/{{version_id:{ID}}}/notes", **version)
    note = {"factory": resources.note_factory}
    config.add_route("api.notes.view", f"{BASE}/notes/{{note_id:{ID}}}", **note)
    config.add_route("api.schedule.runs", f"{BASE}/schedule/runs")
    run = {"factory": resources.schedule_run_factory}
    config.add_route("api.schedule.run", f"{BASE}/schedule/runs/{{run_id:{ID}}}", **run)

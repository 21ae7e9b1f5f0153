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

    # --- Reading the studio (tasks, assets, sequences, shots, statuses, types, users) ---

    # --- Work (versions, files, time logs, reviews) ---

    # --- Supervision (tickets, notes) and schedule runs ---

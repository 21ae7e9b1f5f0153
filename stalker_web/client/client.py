"""The client of the stalker_web API: the pipeline flow of a DCC tool as methods, answers as the
API's plain dicts (see the OpenAPI document at /api/v1/openapi.json for every field)."""

import datetime
import os
from typing import Any, Dict, Iterator, List, Optional

from . import multipart, paths
from .transport import Response, Transport

API = "/api/v1"
# Statuses of work not finished (every status but Completed).
OPEN_STATUSES = ("WFD", "RTS", "WIP", "PREV", "HREV", "DREV", "OH", "STOP")

Item = Dict[str, Any]


def _moment(value: Any) -> Any:
    """A datetime as ISO 8601 (a naive one is taken as UTC); anything else as it is."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=datetime.timezone.utc)
        return value.isoformat()
    return value


class Client:
    """Talks to the server at ``url`` with the personal API ``token`` (made on the profile page).

    ``Client.from_environment()`` reads STALKER_WEB_URL and STALKER_WEB_TOKEN.
    """

    def __init__(self, url: str, token: str, *, timeout: float = 30.0, retries: int = 3) -> None:
        self.transport = Transport(url, token, timeout=timeout, retries=retries)

    @classmethod
    def from_environment(cls) -> "Client":
        url, token = os.environ.get("STALKER_WEB_URL"), os.environ.get("STALKER_WEB_TOKEN")
        if not url or not token:
            raise ValueError("Set STALKER_WEB_URL and STALKER_WEB_TOKEN (a token of your profile).")
        return cls(url, token)

    # Reading -----------------------------------------------------------------------------

    def get(self, endpoint: str, **params: Any) -> Any:
        """GET ``/api/v1`` + ``endpoint`` with the query ``params``; the answer's body."""
        return self.transport.request("GET", API + endpoint, params=params).body

    def pages(self, endpoint: str, **params: Any) -> Iterator[Item]:
        """Every item of a list, page after page (``limit`` items a page)."""
        params.setdefault("limit", 500)
        while True:
            page = self.get(endpoint, **params)
            yield from page["data"]
            if not page["next_cursor"]:
                return
            params["cursor"] = page["next_cursor"]

    def me(self) -> Item:
        """The person the token signs in as."""
        return self.get("/me")

    def projects(self) -> List[Item]:
        return list(self.pages("/projects"))

    def tasks(self, **filters: Any) -> Iterator[Item]:
        """Tasks the person may see: project_id, parent_id, under, status, resource_id,
        type_id, entity_type, updated_since, fields (see the API's documentation)."""
        return self.pages("/tasks", **{k: _moment(v) for k, v in filters.items()})

    def task(self, task_id: int) -> Item:
        return self.get(f"/tasks/{task_id}")

    def my_tasks(self, project_id: Optional[int] = None) -> List[Item]:
        """The unfinished tasks the person works on (optionally of one project)."""
        me = self.me()
        return list(
            self.tasks(resource_id=me["id"], status=",".join(OPEN_STATUSES), project_id=project_id)
        )

    def repositories(self, project_id: int) -> List[Item]:
        """The project's repositories with their roots on each system."""
        return self.get(f"/projects/{project_id}/repositories")["data"]

    # The pipeline: a version, its file, time, a review -------------------------------------

    def create_version(self, task_id: int, **values: Any) -> Item:
        """A new version of the task (numbered by the server) with the path to save to on
        each system: values as the API takes them (extension, revision_number, parent_id,
        created_with, description)."""
        return self._create(f"/tasks/{task_id}/versions", values)

    def upload_file(self, version_id: int, path: str) -> Item:
        """Upload the file at ``path`` as an output of the version."""
        body, content_type = multipart.encode({}, "file", path)
        return self.transport.request(
            "POST",
            f"{API}/versions/{version_id}/files",
            body=body,
            content_type=content_type,
            create=True,
        ).body

    def publish(self, version_id: int) -> Item:
        """Mark the version published (read first, so a change made meanwhile is not lost)."""
        etag = self._etag(f"/versions/{version_id}")
        return self.transport.request(
            "POST", f"{API}/versions/{version_id}/publish", headers={"If-Match": etag}
        ).body

    def log_time(
        self,
        task_id: int,
        start: datetime.datetime,
        end: datetime.datetime,
        description: str = "",
    ) -> Item:
        """Log the person's time on the task from ``start`` to ``end``."""
        values = {"start": _moment(start), "end": _moment(end), "description": description}
        return self._create(f"/tasks/{task_id}/time-logs", values)

    def request_review(
        self, task_id: int, version_id: Optional[int] = None, note: str = ""
    ) -> Item:
        """Ask the task's responsible people to review it (the latest version by default)."""
        values: Dict[str, Any] = {"note": note}
        if version_id is not None:
            values["version_id"] = version_id
        return self._create(f"/tasks/{task_id}/reviews", values)

    # Files on disk -----------------------------------------------------------------------

    def files_at(self, project_id: int, path: str) -> List[Item]:
        """The project's files stored at ``path`` (any system's, or $REPO<code>/...)."""
        return list(self.pages(f"/projects/{project_id}/files", path=path))

    def version_of(self, project_id: int, path: str) -> Optional[int]:
        """The id of the version the file at ``path`` belongs to, or None."""
        found = self.files_at(project_id, path)
        return found[0]["version_id"] if found else None

    def versions_under(self, project_id: int, folder: str) -> List[int]:
        """The ids of the versions with files anywhere under ``folder``, in order."""
        files = self.pages(f"/projects/{project_id}/files", under=folder)
        return sorted({item["version_id"] for item in files})

    def repository_of(self, project_id: int, path: str) -> Optional[Item]:
        """The project's repository holding ``path`` (found here, without asking the server
        for each path once the repositories are read)."""
        return paths.find_repository(self.repositories(project_id), path)

    # ---------------------------------------------------------------------------------------

    def _create(self, path: str, values: Dict[str, Any]) -> Item:
        return self.transport.request("POST", API + path, json_body=values, create=True).body

    def _etag(self, path: str) -> str:
        answer: Response = self.transport.request("GET", API + path)
        return answer.headers.get("ETag") or answer.headers.get("Etag") or ""

"""The stalker_web client: what pipeline tools in Maya, Houdini, Nuke and Blender need of the
studio's data, with Python's standard library only (3.7 and newer), so it runs in a DCC's own
Python without installing anything. Importing it imports neither Pyramid nor SQLAlchemy.

    from stalker_web.client import Client

    client = Client("https://pam.studio.example", "swt_...")   # or Client.from_environment()
    task = client.my_tasks()[0]
    version = client.create_version(task["id"], extension=".ma", created_with="Maya 2025")
    # save the scene at version["paths"][<this system>], then:
    client.upload_file(version["id"], scene_path)
    client.log_time(task["id"], started, finished)
    client.request_review(task["id"], version["id"], note="Ready for a look")

Every create carries an Idempotency-Key and is retried after a dropped connection without
making a second object; errors are exceptions with the API's words (``errors``). The command
line: ``python -m stalker_web.client --help``.
"""

from .client import Client
from .errors import (
    ApiError,
    Conflict,
    ConnectionFailed,
    Forbidden,
    Invalid,
    NotFound,
    RateLimited,
    ServerError,
    StalkerError,
    Unauthenticated,
)
from .paths import find_repository, native_path, os_independent_path, relative_path

__all__ = [
    "ApiError",
    "Client",
    "Conflict",
    "ConnectionFailed",
    "Forbidden",
    "Invalid",
    "NotFound",
    "RateLimited",
    "ServerError",
    "StalkerError",
    "Unauthenticated",
    "find_repository",
    "native_path",
    "os_independent_path",
    "relative_path",
]

"""The client's command line: ``python -m stalker_web.client my-tasks`` and
``python -m stalker_web.client publish FILE --task ID``. The server and the token come from
--url/--token or STALKER_WEB_URL/STALKER_WEB_TOKEN."""

import argparse
import os
import sys
from typing import List, Optional

from .client import Client
from .errors import StalkerError


def _arguments(argv: Optional[List[str]]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m stalker_web.client", description="Work with stalker_web from a shell."
    )
    parser.add_argument("--url", default=os.environ.get("STALKER_WEB_URL"), help="the server")
    parser.add_argument(
        "--token", default=os.environ.get("STALKER_WEB_TOKEN"), help="a personal API token"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("my-tasks", help="the tasks you work on that are not finished")
    publish = commands.add_parser(
        "publish", help="a new version of a task with FILE as its output, published"
    )
    publish.add_argument("file", help="the file to upload")
    publish.add_argument("--task", type=int, required=True, help="the task's id")
    publish.add_argument("--note", default="", help="also ask for a review, with this note")
    publish.add_argument("--review", action="store_true", help="also ask for a review")
    return parser.parse_args(argv)


def _my_tasks(client: Client) -> None:
    tasks = client.my_tasks()
    if not tasks:
        print("No unfinished task is yours.")
    for task in tasks:
        print(f"{task['id']:>8}  {task['status']:<5} {task.get('path') or task['name']}")


def _publish(client: Client, arguments: argparse.Namespace) -> None:
    if not os.path.isfile(arguments.file):
        raise FileNotFoundError(f"no file {arguments.file} (nothing was created)")
    extension = os.path.splitext(arguments.file)[1]
    version = client.create_version(
        arguments.task, extension=extension, created_with="stalker_web.client"
    )
    stored = client.upload_file(version["id"], arguments.file)
    client.publish(version["id"])
    print(f"version {version['id']} ({version.get('label', '')}): {stored.get('relative_path')}")
    if arguments.review or arguments.note:
        client.request_review(arguments.task, version["id"], arguments.note)
        print("review requested")


def main(argv: Optional[List[str]] = None) -> int:
    arguments = _arguments(argv)
    if not arguments.url or not arguments.token:
        print(
            "Give --url and --token, or set STALKER_WEB_URL and STALKER_WEB_TOKEN.", file=sys.stderr
        )
        return 2
    client = Client(arguments.url, arguments.token)
    try:
        if arguments.command == "my-tasks":
            _my_tasks(client)
        else:
            _publish(client, arguments)
    except (StalkerError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

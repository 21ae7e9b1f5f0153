"""Creating versions through the pipeline client against a real server.

    .venv/bin/python -m bench.client [--db sqlite|postgresql] [--versions N] [--json PATH]

A fresh database with the demo studio (``stalker-web init`` + ``load-demo``), the app served
by waitress on 127.0.0.1 (a production-like ini, one process, in this process's threads), a
write token of an artist of the demo, then N versions created one after the other through
``stalker_web.client.Client.create_version`` (each with its Idempotency-Key, its paths per
system, over real HTTP), on the artist's tasks in turn. Prints the total and the median and
p95 per create, as the tool sees it (the round trip, the client's JSON work included).
"""

import argparse
import sys
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from waitress.server import create_server

from stalker_web.client import Client
from stalker_web.models import Task, User
from stalker_web.models.task import task_resources
from stalker_web.services.accounts.api_tokens import create_token

from .common import (
    DATABASES,
    DEFAULT_POSTGRES_URL,
    app_engine,
    fresh_database,
    load_app,
    percentile,
    run_command,
    write_ini,
    write_json,
)

ARTIST = "animation3"


def _token_and_tasks(engine) -> tuple[str, list[int]]:
    with Session(engine) as dbsession, dbsession.begin():
        artist = dbsession.scalars(select(User).where(User.login == ARTIST)).one()
        task_ids = list(
            dbsession.scalars(
                select(Task.id)
                .join(task_resources, task_resources.c.task_id == Task.id)
                .where(task_resources.c.user_id == artist.id)
                .order_by(Task.id)
            )
        )
        _token, secret = create_token(
            dbsession, artist, name="bench", scope="write", expires_at=None
        )
    return secret, task_ids


def measure(database: str, count: int, postgres_url: str) -> dict:
    with (
        tempfile.TemporaryDirectory(prefix="stalker_web_bench_client_") as directory,
        fresh_database(database, Path(directory), postgres_url) as url,
    ):
        ini = write_ini(Path(directory), url)
        run_command(ini, "init")
        run_command(ini, "load-demo")
        app = load_app(ini)
        engine = app_engine(app)
        # The API answers 429 past the per-minute limit: the bench measures creates, not waits.
        app.registry["studio_config"]["api"]["requests_per_minute"] = 1_000_000
        secret, task_ids = _token_and_tasks(engine)
        # Served until the process ends (closing waitress under its own thread only adds noise).
        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        try:
            client = Client(f"http://127.0.0.1:{server.effective_port}", secret)
            seconds = []
            started = time.perf_counter()
            for number in range(count):
                before = time.perf_counter()
                client.create_version(task_ids[number % len(task_ids)], created_with="bench")
                seconds.append(time.perf_counter() - before)
            total = time.perf_counter() - started
        finally:
            engine.dispose()
    return {
        "database": database,
        "versions": count,
        "total_seconds": round(total, 3),
        "median_ms": round(percentile(seconds, 0.5) * 1000, 1),
        "p95_ms": round(percentile(seconds, 0.95) * 1000, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.client", description=__doc__)
    parser.add_argument("--db", choices=[*DATABASES, "both"], default="both")
    parser.add_argument("--versions", type=int, default=1000)
    parser.add_argument("--postgresql-url", default=DEFAULT_POSTGRES_URL)
    parser.add_argument("--json", type=Path, metavar="PATH")
    arguments = parser.parse_args(argv)
    databases = list(DATABASES) if arguments.db == "both" else [arguments.db]
    results = []
    for database in databases:
        result = measure(database, arguments.versions, arguments.postgresql_url)
        results.append(result)
        print(
            f"{database}: {result['versions']} versions in {result['total_seconds']} s "
            f"(median {result['median_ms']} ms, p95 {result['p95_ms']} ms per create)",
            flush=True,
        )
    if arguments.json:
        write_json(arguments.json, {"benchmark": "client", "runs": results})
    return 0


if __name__ == "__main__":
    sys.exit(main())

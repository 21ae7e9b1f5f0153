"""Run the whole suite on SQLite, then on PostgreSQL when a server is reachable.

PostgreSQL is found through STALKER_WEB_TEST_POSTGRES_URL (default: root on 127.0.0.1:5432).
With STALKER_WEB_REQUIRE_POSTGRES=1 (as in CI) an unreachable server is a failure, not a skip.
The two runs share nothing (each test makes its own databases, folders, ports and queue names):
STALKER_WEB_TEST_SIDE_BY_SIDE=1 runs them at once, each writing to a log under
``var/test-logs/`` printed whole when the run ends (on this 2-core machine, with Chromium and
PostgreSQL beside them, that was slower than in turn: 34 min against about 27). Extra arguments
are passed to pytest.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/postgres"
LOGS = Path(__file__).resolve().parents[1] / "var" / "test-logs"


def postgres_reachable(url: str) -> bool:
    engine = create_engine(url, connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return True
    except OperationalError:
        return False
    finally:
        engine.dispose()


def pytest_command(db_url: str, extra_args: list[str]) -> list[str]:
    return [sys.executable, "-m", "pytest", "--db-url", db_url, *extra_args]


def run_serially(runs: dict[str, str], extra_args: list[str]) -> list[str]:
    """Run each database's suite in turn on this terminal; the names of those that failed."""
    failures = []
    for name, db_url in runs.items():
        print(f"\n=== tests on {db_url} ===", flush=True)
        if subprocess.call(pytest_command(db_url, extra_args)) != 0:
            failures.append(name)
    return failures


def run_side_by_side(runs: dict[str, str], extra_args: list[str]) -> list[str]:
    """Start every database's suite at once, each logging to its own file, print each log as
    its run ends; the names of those that failed."""
    LOGS.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()
    running = {}
    for name, db_url in runs.items():
        log_path = LOGS / f"{name.lower()}.log"
        log = log_path.open("w")
        process = subprocess.Popen(
            pytest_command(db_url, extra_args), stdout=log, stderr=subprocess.STDOUT
        )
        running[name] = (process, log, log_path, db_url)
        print(f"tests on {db_url} started (output: {log_path})", flush=True)
    failures = []
    while running:
        for name, (process, log, log_path, db_url) in list(running.items()):
            if process.poll() is None:
                continue
            log.close()
            minutes = (time.monotonic() - started) / 60
            print(f"\n=== tests on {db_url} ({minutes:.1f} min) ===", flush=True)
            sys.stdout.write(log_path.read_text(errors="replace"))
            sys.stdout.flush()
            if process.returncode != 0:
                failures.append(name)
            del running[name]
        time.sleep(1)
    return failures


def main() -> int:
    extra_args = sys.argv[1:]
    runs = {"SQLite": "sqlite"}
    failures = []
    postgres_url = os.environ.get("STALKER_WEB_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    if postgres_reachable(postgres_url):
        runs["PostgreSQL"] = postgres_url
    elif os.environ.get("STALKER_WEB_REQUIRE_POSTGRES") == "1":
        print(f"PostgreSQL is required but not reachable at {postgres_url}", flush=True)
        failures.append("PostgreSQL (unreachable)")
    else:
        print(f"\nPostgreSQL not reachable at {postgres_url}: its run is skipped.", flush=True)
    if os.environ.get("STALKER_WEB_TEST_SIDE_BY_SIDE") == "1" and len(runs) > 1:
        failures += run_side_by_side(runs, extra_args)
    else:
        failures += run_serially(runs, extra_args)
    if failures:
        print(f"\nFAILED on: {', '.join(failures)}", flush=True)
        return 1
    print("\nall test runs passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

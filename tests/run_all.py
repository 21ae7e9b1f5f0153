"""Run the whole suite on SQLite, then on PostgreSQL when a server is reachable.

PostgreSQL is found through STALKER_WEB_TEST_POSTGRES_URL (default: root on 127.0.0.1:5432).
With STALKER_WEB_REQUIRE_POSTGRES=1 (as in CI) an unreachable server is a failure, not a skip.
Extra arguments are passed to pytest.
"""

import os
import subprocess
import sys

from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError

DEFAULT_POSTGRES_URL = "postgresql+psycopg://root@127.0.0.1:5432/postgres"


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


def run_pytest(db_url: str, extra_args: list[str]) -> int:
    print(f"\n=== tests on {db_url} ===", flush=True)
    return subprocess.call([sys.executable, "-m", "pytest", "--db-url", db_url, *extra_args])


def main() -> int:
    extra_args = sys.argv[1:]
    failures = []
    if run_pytest("sqlite", extra_args) != 0:
        failures.append("SQLite")
    postgres_url = os.environ.get("STALKER_WEB_TEST_POSTGRES_URL", DEFAULT_POSTGRES_URL)
    if postgres_reachable(postgres_url):
        if run_pytest(postgres_url, extra_args) != 0:
            failures.append("PostgreSQL")
    elif os.environ.get("STALKER_WEB_REQUIRE_POSTGRES") == "1":
        print(f"PostgreSQL is required but not reachable at {postgres_url}", flush=True)
        failures.append("PostgreSQL (unreachable)")
    else:
        print(f"\nPostgreSQL not reachable at {postgres_url}: its run is skipped.", flush=True)
    if failures:
        print(f"\nFAILED on: {', '.join(failures)}", flush=True)
        return 1
    print("\nall test runs passed", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""A stand-in worker process for the fault tests: carries out one schedule run and exits.

``python -m tests.faults.schedule_worker DATABASE_URL RUN_ID TJ3_COMMAND WORK_DIRECTORY``
"""

import sys
from pathlib import Path

from stalker_web.db import get_engine, get_session_factory
from stalker_web.services.scheduling.runs import execute_run
from stalker_web.services.scheduling.settings import SchedulingSettings


def main(url: str, run_id: str, tj3_command: str, work_directory: str) -> None:
    settings = SchedulingSettings(
        tj3_command=tj3_command, work_directory=Path(work_directory), heartbeat_seconds=1
    )
    execute_run(get_session_factory(get_engine({"sqlalchemy.url": url})), int(run_id), settings)


if __name__ == "__main__":
    main(*sys.argv[1:])

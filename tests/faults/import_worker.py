"""A stand-in worker process for the fault tests: carries out one breakdown import, which takes
``PAUSE`` seconds before its lines are checked (as a very large file would), and exits.

``python -m tests.faults.import_worker DATABASE_URL IMPORT_ID``
"""

import sys
import time

from stalker_web.db import get_engine, get_session_factory
from stalker_web.services.breakdown import import_jobs

PAUSE = 120
real_import_breakdown = import_jobs.import_breakdown


def slow_import_breakdown(*args, **kwargs):
    time.sleep(PAUSE)
    return real_import_breakdown(*args, **kwargs)


def main(url: str, import_id: str) -> None:
    import_jobs.import_breakdown = slow_import_breakdown
    import_jobs.run_import(get_session_factory(get_engine({"sqlalchemy.url": url})), int(import_id))


if __name__ == "__main__":
    main(*sys.argv[1:])

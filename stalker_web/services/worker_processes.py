"""Which worker process carries a job out, and whether it is still alive: shared by the jobs
that record their worker (schedule runs, breakdown imports) so that a worker starting on the
same host, and its watchdog, can end the jobs whose worker is gone."""

import os
import socket


def this_host() -> str:
    """The name of the host this process runs on, as jobs record it."""
    return socket.gethostname()


def this_worker() -> dict:
    """A job's values naming the process carrying it out (``worker_host``, ``worker_pid``)."""
    return {"worker_host": this_host(), "worker_pid": os.getpid()}


def worker_is_gone(pid: int, *, starting: bool = False) -> bool:
    """Whether the worker process ``pid`` of this host has ended. ``starting``: this process's
    own id counts as gone, as a restarted worker (in a container, say) may reuse the id of the
    one it replaces, and a worker that is only starting carries nothing out yet."""
    if starting and pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # someone else's process
    return False

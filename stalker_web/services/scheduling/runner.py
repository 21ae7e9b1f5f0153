"""Running tj3: a subprocess in its own process group, with a timeout and periodic ticks.

``tj3 --no-color FILE.tjp -o DIR``: stdout (progress bars) goes to /dev/null, stderr (the
messages) is read by a thread so a chatty run never blocks on a full pipe. ``--silent`` is not
passed, as it hides the Info lines explaining loops. On timeout the whole process group is
killed (tj3 is a Ruby program and could leave children behind).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TJ3_MISSING = "tj3 is not installed: apt-get install tj3"


class Tj3Missing(RuntimeError):
    """The tj3 command cannot be found or started."""


@dataclass(frozen=True)
class Tj3Outcome:
    """How a tj3 run ended: its exit code (negative: killed by that signal), stderr text,
    whether the timeout stopped it, and its wall time in seconds."""

    exit_code: int
    stderr: str
    timed_out: bool
    seconds: float

    @property
    def succeeded(self) -> bool:
        return self.exit_code == 0 and not self.timed_out

    @property
    def signal_name(self) -> str | None:
        """The signal that ended tj3, if one did (SIGKILL, SIGSEGV, ...)."""
        if self.exit_code >= 0:
            return None
        try:
            return signal.Signals(-self.exit_code).name
        except ValueError:
            return f"signal {-self.exit_code}"


def find_tj3(command: str) -> str:
    """The executable of ``command`` (a name on PATH or a path), or Tj3Missing."""
    found = shutil.which(command)
    if found is None:
        raise Tj3Missing(f"{TJ3_MISSING} (no program {command!r} was found)")
    return found


def _kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def run_tj3(
    command: str,
    tjp_path: Path,
    output_directory: Path,
    *,
    timeout_seconds: float,
    tick_seconds: float = 10,
    on_start: Callable[[int], None] | None = None,
    on_tick: Callable[[], None] | None = None,
) -> Tj3Outcome:
    """Run tj3 on ``tjp_path`` writing reports into ``output_directory``.

    ``on_start(pid)`` is called once tj3 runs and ``on_tick()`` every ``tick_seconds`` while it
    does (heartbeats). After ``timeout_seconds`` the process group is killed.
    """
    executable = find_tj3(command)
    started = time.monotonic()
    try:
        process = subprocess.Popen(  # noqa: S603 - an argument list, no shell
            [executable, "--no-color", str(tjp_path), "-o", str(output_directory)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            cwd=str(output_directory),
            start_new_session=True,
        )
    except OSError as error:
        raise Tj3Missing(f"{TJ3_MISSING} ({executable} could not start: {error})") from error
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(process.stderr.read()), daemon=True)
    reader.start()
    timed_out = False
    try:
        if on_start is not None:
            on_start(process.pid)
        while True:
            remaining = timeout_seconds - (time.monotonic() - started)
            if remaining <= 0:
                timed_out = True
                _kill_group(process)
                break
            try:
                process.wait(timeout=min(tick_seconds, remaining))
                break
            except subprocess.TimeoutExpired:
                if on_tick is not None and time.monotonic() - started < timeout_seconds:
                    on_tick()
    except BaseException:
        _kill_group(process)
        raise
    finally:
        reader.join()
        process.stderr.close()
    return Tj3Outcome(
        exit_code=process.returncode,
        stderr=b"".join(chunks).decode("utf-8", errors="replace"),
        timed_out=timed_out,
        seconds=time.monotonic() - started,
    )

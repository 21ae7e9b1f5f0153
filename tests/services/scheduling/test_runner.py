"""Running the real tj3 as a subprocess: output, ticks, timeout and a missing program."""

import os
import shutil

import pytest

from stalker_web.services.scheduling.runner import Tj3Missing, find_tj3, run_tj3

TJP = """\
project p "p" 2024-01-01 - 2024-02-01 {
  now 2024-01-01-09:00
}
resource r "r"
task t "t" {
  effort 2h
  allocate r
}
taskreport out "out" {
  formats csv
  timeformat "%Y-%m-%d-%H:%M"
  columns id, start, end
}
"""


def test_tj3_runs_and_writes_its_report(tmp_path):
    tjp = tmp_path / "p.tjp"
    tjp.write_text(TJP, encoding="utf-8")
    started = []

    outcome = run_tj3("tj3", tjp, tmp_path, timeout_seconds=60, on_start=started.append)

    assert outcome.succeeded and outcome.exit_code == 0 and not outcome.timed_out
    assert outcome.signal_name is None
    assert started and started[0] > 0
    assert (tmp_path / "out.csv").read_text().splitlines()[1] == (
        '"t";"2024-01-01-09:00";"2024-01-01-11:00"'
    )


def test_tj3_errors_come_back_on_stderr(tmp_path):
    tjp = tmp_path / "p.tjp"
    tjp.write_text(TJP.replace("allocate r", "allocate nobody"), encoding="utf-8")
    outcome = run_tj3("tj3", tjp, tmp_path, timeout_seconds=60)
    assert outcome.exit_code == 1 and not outcome.succeeded
    assert "Error: nobody is not a defined resource." in outcome.stderr


def test_a_timeout_kills_tj3_and_ticks_come_meanwhile(tmp_path):
    tjp = tmp_path / "p.tjp"
    tjp.write_text(TJP, encoding="utf-8")
    ticks, pids = [], []

    # 0.1 s: tj3 needs over 0.2 s just to start, so the timeout always comes first.
    outcome = run_tj3(
        "tj3", tjp, tmp_path, timeout_seconds=0.1, tick_seconds=0.04,
        on_start=pids.append, on_tick=lambda: ticks.append(1),
    )  # fmt: skip

    assert outcome.timed_out and not outcome.succeeded
    assert outcome.signal_name == "SIGKILL"
    assert 1 <= len(ticks) <= 3
    with pytest.raises(ProcessLookupError):
        os.killpg(pids[0], 0)


def test_a_missing_tj3_says_how_to_install_it(tmp_path):
    with pytest.raises(Tj3Missing, match=r"^tj3 is not installed: apt-get install tj3"):
        run_tj3("/nonexistent/tj3", tmp_path / "p.tjp", tmp_path, timeout_seconds=5)
    assert find_tj3("tj3") == shutil.which("tj3")

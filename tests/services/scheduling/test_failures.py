"""Runs that fail leave the previous schedule exactly as it was and say why: a loop the checks
find, input tj3 itself refuses, a tj3 crash, a timeout and a missing tj3."""

import os
import signal
import threading
import time

import pytest
from sqlalchemy import select

from stalker_web.models import Project, RunStatus, ScheduleRun, Task, TaskDependency
from stalker_web.models.task import task_computed_resources

from .conftest import at, schedule


def schedule_state(session_factory) -> dict:
    """Every task's and project's computed dates and every task's computed resources."""
    with session_factory() as dbsession:
        tasks = dbsession.execute(select(Task.id, Task.computed_start, Task.computed_end)).all()
        projects = dbsession.execute(
            select(Project.id, Project.computed_start, Project.computed_end)
        ).all()
        resources = dbsession.execute(select(task_computed_resources)).all()
    return {
        "tasks": sorted(tasks),
        "projects": sorted(projects),
        "resources": sorted(resources),
    }


@pytest.fixture
def scheduled_studio(builder, session_factory, settings):
    """A small studio scheduled once, and its schedule."""
    ann, bob = builder.user("Ann"), builder.user("Bob")
    project = builder.project("Film")
    tasks = {
        "model": builder.task("Model", project=project, hours=18, resources=[ann]),
        "rig": builder.task("Rig", project=project, hours=9, resources=[bob]),
        "anim": builder.task("Anim", project=project, hours=27, resources=[ann, bob]),
    }
    builder.depends(tasks["rig"], tasks["model"])
    builder.depends(tasks["anim"], tasks["rig"], gap_timing=2, gap_unit="h")
    builder.commit()
    run = schedule(session_factory, settings)
    assert run.status == RunStatus.SUCCEEDED
    state = schedule_state(session_factory)
    assert state["tasks"][0][1] is not None
    return builder, tasks, state


def test_a_loop_is_refused_by_the_checks_before_tj3_runs(
    scheduled_studio, session_factory, settings
):
    builder, tasks, before = scheduled_studio
    # The services refuse loops; data written another way can still hold one.
    builder.dbsession.add(TaskDependency(task=tasks["model"], depends_on=tasks["anim"]))
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED
    assert run.exit_code is None and run.tj3_seconds is None  # tj3 never started
    assert "These tasks wait for each other in a loop" in run.error
    for name in ("Model", "Rig", "Anim"):
        assert f"{name} (task" in run.error
    (loop,) = run.errors
    assert loop["origin"] == "check"
    assert set(loop["task_ids"]) == {task.id for task in tasks.values()}
    assert schedule_state(session_factory) == before
    assert run.finished_at is not None and run.lock_studio_id is None


def test_work_that_does_not_fit_the_window_is_refused_by_tj3(
    scheduled_studio, session_factory, settings
):
    builder, tasks, before = scheduled_studio
    tasks["model"].schedule_timing = 200
    builder.commit()

    run = schedule(session_factory, settings.with_changes(horizon_days=7))

    assert run.status == RunStatus.FAILED
    assert run.exit_code == 1
    assert run.error.startswith(
        "Some tasks did not fit into the planning window, which ends 7 days after now: "
        f"Model (task {tasks['model'].id}). Raise scheduling.horizon_days"
    )
    assert any(message["origin"] == "tj3" for message in run.errors)
    assert run.input_path and os.path.exists(run.input_path)  # kept for inspection
    assert schedule_state(session_factory) == before


def test_a_pin_before_the_dependency_allows_is_refused_by_tj3_naming_both_tasks(
    scheduled_studio, session_factory, settings
):
    builder, tasks, before = scheduled_studio
    tasks["rig"].schedule_constraint = "start"
    tasks["rig"].start = at(8, 10)
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED
    (error,) = run.errors
    assert error["task_ids"] == [tasks["rig"].id, tasks["model"].id]
    assert error["line"] > 0
    assert error["readable"].startswith(f"Task Rig (task {tasks['rig'].id}) (2024-01-08 10:00 UTC)")
    assert "must start after end (2024-01-09 18:00 UTC) of task Model" in run.error
    assert schedule_state(session_factory) == before


def kill_tj3_when_it_starts(session_factory, run_ids: list) -> threading.Thread:
    """A thread waiting for the run to record tj3's process id, then killing its group."""

    def kill() -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            with session_factory() as dbsession:
                pid = dbsession.scalar(
                    select(ScheduleRun.tj3_pid).where(ScheduleRun.tj3_pid.is_not(None))
                )
            if pid:
                os.killpg(pid, signal.SIGKILL)
                run_ids.append(pid)
                return
            time.sleep(0.005)

    thread = threading.Thread(target=kill)
    thread.start()
    return thread


def test_a_tj3_crash_leaves_the_schedule_and_says_so(scheduled_studio, session_factory, settings):
    builder, tasks, before = scheduled_studio
    with session_factory() as dbsession, dbsession.begin():
        for run in dbsession.scalars(select(ScheduleRun)):
            run.tj3_pid = None  # only the next run's tj3 is to be killed
    killed: list = []
    killer = kill_tj3_when_it_starts(session_factory, killed)

    run = schedule(session_factory, settings)
    killer.join()

    assert killed == [run.tj3_pid]
    assert run.status == RunStatus.FAILED
    assert run.exit_code == -signal.SIGKILL
    assert run.error == "tj3 crashed (it was ended by SIGKILL); the schedule is unchanged."
    assert schedule_state(session_factory) == before
    with pytest.raises(ProcessLookupError):
        os.killpg(run.tj3_pid, 0)


def test_a_timeout_stops_tj3_and_leaves_the_schedule(scheduled_studio, session_factory, settings):
    _, _, before = scheduled_studio

    run = schedule(session_factory, settings.with_changes(timeout_seconds=0.2))

    assert run.status == RunStatus.TIMED_OUT
    assert run.error.startswith("tj3 did not finish within 0.2 s and was stopped")
    assert 0.2 <= run.tj3_seconds < 10
    assert schedule_state(session_factory) == before
    with pytest.raises(ProcessLookupError):
        os.killpg(run.tj3_pid, 0)  # the whole process group is gone


def test_a_missing_tj3_is_a_clear_error(scheduled_studio, session_factory, settings):
    _, _, before = scheduled_studio

    run = schedule(session_factory, settings.with_changes(tj3_command="/nonexistent/tj3"))

    assert run.status == RunStatus.FAILED
    assert run.error.startswith("tj3 is not installed: apt-get install tj3")
    assert schedule_state(session_factory) == before
    assert run.lock_studio_id is None


def test_the_ini_settings_name_the_studio_config_a_run_follows(
    scheduled_studio, session_factory, tmp_path
):
    from stalker_web.services.scheduling.runs import execute_run, request_run

    _, _, before = scheduled_studio
    override = tmp_path / "studio.toml"
    override.write_text('[scheduling]\ntj3_command = "/opt/nowhere/tj3"\n', encoding="utf-8")
    ini_settings = {"stalker_web.studio_config": str(override)}
    with session_factory() as dbsession, dbsession.begin():
        run_id = request_run(dbsession, None)[0].id

    run = execute_run(session_factory, run_id, ini_settings)

    assert run.status == RunStatus.FAILED
    assert (
        run.error
        == "tj3 is not installed: apt-get install tj3 (no program '/opt/nowhere/tj3' was found)"
    )
    assert schedule_state(session_factory) == before

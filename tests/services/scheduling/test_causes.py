"""A plan that does not fit says why: an effort too big for its pinned dates, a pinned end
before now, people on vacation for the whole window, or a window too short (real tj3)."""

from stalker_web.models import RunStatus

from .conftest import at, computed, schedule

BOTH_PINS = {"schedule_constraint": "both", "start": at(9), "end": at(10, 18)}


def ann_on_film(builder):
    """Ann and a project "Film" to put her tasks in."""
    return builder.user("Ann"), builder.project("Film")


def model(builder, ann, project, hours: float, **pins):
    """A task "Model" of ``hours`` of effort for Ann, pinned by ``pins``."""
    return builder.task("Model", project=project, hours=hours, resources=[ann], **pins)


def backward_and_forward(builder, ann, project):
    """Layout (priority 900) waits for Rig (100) while Comp (500), pinned to its end and so
    planned backwards, takes Ann first: tj3's priority inversion. (Layout, Comp)."""
    layout = builder.task("Layout", project=project, hours=24, resources=[ann], priority=900)
    rig = builder.task("Rig", project=project, hours=16, resources=[ann], priority=100)
    comp = builder.task(
        "Comp",
        project=project,
        hours=16,
        resources=[ann],
        priority=500,
        schedule_constraint="end",
        end=at(12, 18),
    )
    builder.depends(layout, rig)
    return layout, comp


def only_error(run) -> dict:
    (error,) = run.errors
    return error


def test_an_effort_too_big_for_its_pinned_start_and_end_is_refused_before_tj3(
    builder, session_factory, settings
):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 40, **BOTH_PINS)
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED
    assert run.exit_code is None  # tj3 never started
    error = only_error(run)
    assert error["origin"] == "check" and error["task_ids"] == [task.id]
    assert run.error.startswith(
        f"Model (task {task.id}) needs 40 h of work between its pinned start "
        "2024-01-09 09:00 UTC and its pinned end 2024-01-10 18:00 UTC, but Ann can work only "
        "18 h in that time"
    )
    assert "Move a pinned date, lower the effort or add people." in run.error


def test_the_fit_check_counts_holidays_and_vacations(builder, session_factory, settings):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 16, **BOTH_PINS)
    builder.vacation(ann, at(10, 0), at(11, 0))
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED
    assert f"Model (task {task.id}) needs 16 h of work" in run.error
    assert "Ann can work only 9 h in that time" in run.error


def test_an_effort_that_fits_both_pins_is_ignored_with_a_warning(
    builder, session_factory, settings
):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 9, **BOTH_PINS)
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.SUCCEEDED
    (warning,) = [m for m in run.messages if m["level"] == "warning"]
    assert warning["task_ids"] == [task.id]
    assert warning["readable"] == (
        f"Model (task {task.id}) is pinned at both ends (2024-01-09 09:00 UTC to "
        "2024-01-10 18:00 UTC) and has an effort of 9 h: tj3 cannot plan both, so the effort "
        "is ignored and the task takes the whole pinned time. Remove one pin to plan it by "
        "its effort."
    )
    assert computed(session_factory, task) == [(at(9), at(10, 18))]


def test_a_pinned_end_before_now_is_refused_before_tj3(builder, session_factory, settings):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 4, schedule_constraint="end", end=at(5, 18))
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED and run.exit_code is None
    assert only_error(run)["task_ids"] == [task.id]
    assert run.error.startswith(
        f"Model (task {task.id}) is pinned to end 2024-01-05 18:00 UTC, which lies before now "
        "(2024-01-08 09:00 UTC), with 4 h of work to do. Move the end after now or remove "
        "the pin."
    )


def test_an_effort_too_big_for_the_time_before_a_pinned_end_is_refused(
    builder, session_factory, settings
):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 40, schedule_constraint="end", end=at(9, 18))
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED and run.exit_code is None
    assert run.error.startswith(
        f"Model (task {task.id}) needs 40 h of work between now 2024-01-08 09:00 UTC and its "
        "pinned end 2024-01-09 18:00 UTC, but Ann can work only 18 h in that time"
    )


def test_people_on_vacation_for_the_whole_window_are_named(builder, session_factory, settings):
    ann, project = ann_on_film(builder)
    bob = builder.user("Bob")
    task = builder.task("Model", project=project, hours=4, resources=[ann, bob])
    builder.vacation(ann, at(1), at(1, month=12))
    builder.vacation(bob, at(5), at(1, month=3))
    builder.commit()

    run = schedule(session_factory, settings.with_changes(horizon_days=30))

    assert run.status == RunStatus.FAILED and run.exit_code is None
    assert only_error(run)["task_ids"] == [task.id]
    assert run.error.startswith(
        f"Model (task {task.id}) has 4 h of work, but Ann and Bob are on vacation for the "
        "whole planning window (2024-01-08 09:00 UTC to 2024-02-07 00:00 UTC). Assign someone "
        "else, move the vacation or raise scheduling.horizon_days."
    )


def test_a_vacation_that_ends_inside_the_window_is_no_error(builder, session_factory, settings):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 4)
    builder.vacation(ann, at(1), at(15))
    builder.commit()

    run = schedule(session_factory, settings.with_changes(horizon_days=30))

    assert run.status == RunStatus.SUCCEEDED
    assert computed(session_factory, task) == [(at(15), at(15, 13))]


def test_work_beyond_the_window_says_how_much_is_left_and_when_the_window_ends(
    builder, session_factory, settings
):
    ann, project = ann_on_film(builder)
    task = model(builder, ann, project, 400)
    builder.commit()

    run = schedule(session_factory, settings.with_changes(horizon_days=7))

    assert run.status == RunStatus.FAILED and run.exit_code == 1
    assert run.error.startswith(
        "Some tasks did not fit into the planning window, which ends 7 days after now: "
        f"Model (task {task.id}). Raise scheduling.horizon_days"
    )
    assert "(the window ends 2024-01-15 00:00 UTC)" in run.error
    runaway = [m for m in run.messages if m["origin"] == "tj3" and m["task_ids"] == [task.id]]
    assert runaway[0]["readable"] == (
        f"Model (task {task.id}) still had 39.4 working days of work left when the planning "
        "window ended."
    )


def test_a_mix_of_backward_and_forward_tasks_is_explained_with_both_tasks(
    builder, session_factory, settings
):
    ann, project = ann_on_film(builder)
    layout, comp = backward_and_forward(builder, ann, project)
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.SUCCEEDED, (run.error, run.messages)
    (warning,) = [m for m in run.messages if m["level"] == "warning"]
    assert warning["task_ids"] == [layout.id, comp.id]
    assert warning["readable"].startswith(
        f"Layout (task {layout.id}) lost its people to lower-priority work: Comp (task {comp.id})."
    )
    assert "Give these tasks the same priority, or pin them the same way." in warning["readable"]
    assert not [m for m in run.messages if m["level"] == "info"]


def test_a_task_pinned_to_its_end_crowded_out_by_other_work_is_not_blamed_on_the_window(
    builder, session_factory, settings
):
    ann, project = ann_on_film(builder)
    builder.task("Layout", project=project, hours=24, resources=[ann], priority=900)
    rig = builder.task(
        "Rig",
        project=project,
        hours=16,
        resources=[ann],
        priority=100,
        schedule_constraint="end",
        end=at(10, 18),
    )
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED and run.exit_code == 1
    assert run.error.startswith(
        f"Rig (task {rig.id}) could not fit its work before its pinned end 2024-01-10 18:00 UTC: "
        "its people are busy with other tasks until then. Move the end later, lower the "
        "priority of the other tasks or add people."
    )
    assert "horizon_days" not in run.error

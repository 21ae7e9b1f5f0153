"""Progress per pipeline step: the board's steps in order, tasks done of all, hours logged of
scheduled; the task types in use when the project has no steps."""

from stalker_web.models import ProjectStep
from stalker_web.services.health.step_progress import step_progress

from .conftest import HOUR, NOW


def test_the_board_steps_in_order_with_done_and_hours(factory, dbsession, calendar, put, log):
    project = factory.project()
    layout, anim, comp = (factory.task_type(name=name) for name in ("Layout", "Anim", "Comp"))
    dbsession.add_all(
        [
            ProjectStep(project_id=project.id, target="Shot", type=anim, position=1),
            ProjectStep(project_id=project.id, target="Shot", type=layout, position=0),
            ProjectStep(project_id=project.id, target="Asset", type=anim, position=0),
        ]
    )
    shot = factory.task("Shot", project=project)
    done = factory.task(parent=shot, type=layout, schedule_timing=4, schedule_unit="h")
    factory.task(parent=shot, type=layout, schedule_timing=1, schedule_unit="d")
    factory.task(parent=shot, type=anim, schedule_timing=2, schedule_unit="h")
    put(done, "CMPL")
    log(done, NOW, 3)

    steps = step_progress(dbsession, project, calendar).steps

    assert [step.step.name for step in steps] == ["Layout", "Anim"]
    layout_row, anim_row = steps
    assert (layout_row.done, layout_row.total, layout_row.percent_done) == (1, 2, 50)
    assert layout_row.scheduled_seconds == 13 * HOUR
    assert layout_row.logged_seconds == 3 * HOUR
    assert layout_row.percent_logged == 23
    assert (anim_row.done, anim_row.total, anim_row.logged_seconds) == (0, 1, 0)
    assert comp.id not in {step.step.id for step in steps}


def test_bars_move_in_steps_of_five_percent(factory, dbsession, calendar, put):
    project = factory.project()
    step = factory.task_type(name="Rig")
    dbsession.add(ProjectStep(project_id=project.id, target="Asset", type=step))
    tasks = [factory.task(project=project, type=step) for _ in range(7)]
    put(tasks[0], "CMPL")

    (row,) = step_progress(dbsession, project, calendar).steps

    # 1 of 7 is 14.3 %: the bar shows 10 %.
    assert row.percent_done == 10


def test_without_steps_the_task_types_in_use(factory, dbsession, calendar):
    project = factory.project()
    model = factory.task_type(name="Model")
    factory.task(project=project, type=model)
    factory.task(project=project)

    progress = step_progress(dbsession, project, calendar)

    assert not progress.from_board
    assert [(row.step.name, row.total) for row in progress.steps] == [("Model", 1)]


def test_a_project_without_tasks_has_no_steps(factory, dbsession, calendar):
    assert step_progress(dbsession, factory.project(), calendar).steps == []

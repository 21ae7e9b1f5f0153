"""The critical path and floats of the hand-computed studio of ``explained_studio.py``, scheduled
by the real tj3, towards the project's end and towards its milestone; the same number of queries
for a small and a ten times larger project.

Float is working time on the studio calendar (09:00-18:00 on weekdays, Monday the 15th a
holiday) from a task's end to the latest moment it could end; the project ends when Delivery
ends, Tuesday the 16th at 18:00.
"""

import pytest

from stalker_web.models import Project, RunStatus, Task
from stalker_web.services.scheduling.critical_path import critical_path, store_placements

from ...conftest import QueryCounter
from ...factories.tasks import production
from .conftest import at, schedule
from .explained_studio import build_explained_studio

HOUR = 3600


def path_of(session_factory, studio, milestone=None):
    with session_factory() as dbsession:
        project = dbsession.get(Project, studio.project)
        return critical_path(dbsession, project, milestone)


def test_the_chain_that_decides_the_project_end_and_every_float(builder, session_factory, settings):
    studio = build_explained_studio(builder, session_factory, settings)

    path = path_of(session_factory, studio)

    assert path.end == at(16, 18)
    # Delivery waits for Review, Review for Anim, Anim for Rig (Rig and Texture end together;
    # the first is followed), Rig for Model plus its gap; Model starts at the run's now.
    assert [(link.name, link.start, link.end) for link in path.chain] == [
        ("Model", at(8, 9), at(9, 18)),
        ("Rig", at(11, 9), at(11, 18)),
        ("Anim", at(12, 9), at(12, 18)),
        ("Review", at(12, 18), at(12, 18)),
        ("Delivery", at(16, 9), at(16, 18)),
    ]
    assert [link.reason.kind for link in path.chain] == ["now"] + ["dependency"] * 4
    assert path.chain[1].path_names == ["Hero"]
    floats = {name: path.floats[task_id] for name, task_id in studio.tasks.items()}
    assert floats == {
        # On the chain, and Texture beside Rig (Anim waits for both): no float.
        "Model": 0,
        "Rig": 0,
        "Texture": 0,
        "Anim": 0,
        "Review": 0,
        "Delivery": 0,
        # A container has its children's least float.
        "Hero": 0,
        # Wednesday 18:00 to Tuesday 18:00: Thursday, Friday and Tuesday (Monday is off).
        "Paint": 27 * HOUR,
        # Monday 18:00: Tuesday to Friday and Tuesday the 16th.
        "Layout": 45 * HOUR,
        # Tuesday 18:00: Wednesday to Friday and Tuesday the 16th.
        "Props": 36 * HOUR,
        "Sound": 36 * HOUR,
        # Thursday 13:00: 5 h on Thursday, Friday and Tuesday the 16th.
        "Grade": 23 * HOUR,
        # Monday 15:00: 3 h on Monday, then five days.
        "Prep": 48 * HOUR,
        # Friday 18:00: only Tuesday the 16th.
        "Trailer": 9 * HOUR,
    }
    texts = {name: path.float_texts[task_id] for name, task_id in studio.tasks.items()}
    assert (texts["Rig"], texts["Trailer"], texts["Grade"], texts["Prep"]) == (
        "none",
        "1 d",
        "2.6 d",
        "5.3 d",
    )
    assert [link.name for link in path.least_float] == [
        "Model", "Rig", "Texture", "Anim", "Review", "Delivery", "Trailer", "Grade", "Paint",
        "Props",
    ]  # fmt: skip
    critical = {studio[name] for name in ("Model", "Rig", "Anim", "Review", "Delivery", "Hero")}
    assert {task_id for task_id in studio.tasks.values() if path.is_critical(task_id)} == critical
    assert path.milestones == [(studio["Review"], "Review")]


def test_the_run_keeps_each_tasks_float_and_critical_mark(builder, session_factory, settings):
    studio = build_explained_studio(builder, session_factory, settings)
    path = path_of(session_factory, studio)

    with session_factory() as dbsession:
        tasks = {name: dbsession.get(Task, task_id) for name, task_id in studio.tasks.items()}
        assert {name: task.computed_float_seconds for name, task in tasks.items()} == {
            name: path.floats[task_id] for name, task_id in studio.tasks.items()
        }
        assert {name for name, task in tasks.items() if task.computed_critical} == {
            "Model", "Rig", "Anim", "Review", "Delivery", "Hero"
        }  # fmt: skip
        # A task the next placement does not schedule loses what an earlier run kept.
        tasks["Paint"].computed_start = tasks["Paint"].computed_end = None
        dbsession.flush()
        store_placements(dbsession, [studio.project], at(8, 9))
        dbsession.expire_all()
        paint = dbsession.get(Task, studio["Paint"])
        assert (paint.computed_float_seconds, paint.computed_critical) == (None, False)
        assert dbsession.get(Task, studio["Rig"]).computed_critical


def test_the_chain_and_floats_towards_a_milestone(builder, session_factory, settings):
    studio = build_explained_studio(builder, session_factory, settings)

    path = path_of(session_factory, studio, studio["Review"])

    assert path.milestone == (studio["Review"], "Review")
    assert path.end == at(12, 18)
    assert [link.name for link in path.chain] == ["Model", "Rig", "Anim", "Review"]
    floats = {name: path.floats[task_id] for name, task_id in studio.tasks.items()}
    # Only what leads to Review has a float towards it.
    assert {name for name, value in floats.items() if value is not None} == {
        "Hero", "Model", "Rig", "Texture", "Anim", "Review",
    }  # fmt: skip
    assert set(floats.values()) == {0, None}
    assert path.float_texts[studio["Delivery"]] == "does not lead to it"


def test_a_project_never_scheduled_has_no_path_and_a_stranger_milestone_is_refused(
    builder, session_factory, settings
):
    studio = build_explained_studio(builder, session_factory, settings)
    other = builder.project("Never scheduled")
    builder.task("Idle", project=other, hours=9)
    builder.commit()

    with session_factory() as dbsession:
        assert critical_path(dbsession, dbsession.get(Project, other.id)) is None
        with pytest.raises(LookupError):
            critical_path(dbsession, dbsession.get(Project, studio.project), studio["Anim"])


def test_critical_path_takes_the_same_queries_for_a_small_and_a_ten_times_larger_project(
    builder, session_factory, settings, scheduling_engine
):
    small, _, _ = production(builder.factory, 2)
    large, _, _ = production(builder.factory, 7)
    builder.vacation(None, at(15, 0), at(16, 0))
    builder.commit()
    assert schedule(session_factory, settings).status is RunStatus.SUCCEEDED

    def queries(project_id) -> tuple[int, int]:
        with session_factory() as dbsession:
            project = dbsession.get(Project, project_id)
            with QueryCounter(scheduling_engine) as counter:
                path = critical_path(dbsession, project)
            return counter.count, len(path.floats)

    few, small_count = queries(small.id)
    many, large_count = queries(large.id)
    assert large_count >= 10 * small_count - 10
    assert many == few

"""Baselines with the real tj3: every successful run keeps each project's computed dates, the
retention setting prunes the oldest, and the slips since a baseline are measured in working time.

Calendar: Monday to Friday 09:00-18:00 UTC, 9-hour days; "now" is Monday 8 January 2024, 09:00.
"""

import pytest
from sqlalchemy import func, select

from stalker_web.config import ConfigError, load_studio_config
from stalker_web.models import BaselineTask, ScheduleBaseline, Task
from stalker_web.services.scheduling.baselines import (
    baseline_dates,
    chosen_baseline,
    project_baselines,
    slips_page,
)
from stalker_web.services.scheduling.settings import scheduling_settings

from .conftest import at, schedule
from .test_features import succeeded


def pipeline(builder):
    """Model (18 h of Ann), then Rig (9 h of Ann), then the Delivery milestone; Layout (9 h of
    Bob) waits for nothing."""
    ann, bob = builder.user("Ann"), builder.user("Bob")
    project = builder.project("Film")
    model = builder.task("Model", project=project, hours=18, resources=[ann])
    rig = builder.task("Rig", project=project, hours=9, resources=[ann])
    delivery = builder.task("Delivery", project=project, is_milestone=True)
    layout = builder.task("Layout", project=project, hours=9, resources=[bob])
    builder.depends(rig, model)
    builder.depends(delivery, rig)
    builder.commit()
    return project, model, rig, delivery, layout


def set_hours(session_factory, task, hours):
    with session_factory() as dbsession, dbsession.begin():
        dbsession.get(Task, task.id).schedule_timing = hours


def baselines_of(session_factory, project):
    with session_factory() as dbsession:
        return [
            (baseline.run_id, baseline.task_count)
            for baseline in project_baselines(dbsession, project)
        ]


def test_a_successful_run_keeps_each_projects_dates_as_a_baseline(
    builder, session_factory, settings
):
    project, model, rig, delivery, layout = pipeline(builder)
    other = builder.project("Other")
    builder.task("Alone", project=other, hours=9, resources=[builder.user("Cid")])
    builder.commit()

    run = succeeded(schedule(session_factory, settings))

    assert baselines_of(session_factory, project) == [(run.id, 4)]
    assert baselines_of(session_factory, other) == [(run.id, 1)]
    with session_factory() as dbsession:
        baseline = project_baselines(dbsession, project)[0]
        assert baseline.recorded_at is not None
        dates = baseline_dates(dbsession, baseline, [model.id, rig.id, delivery.id, layout.id])
    assert dates[model.id] == (at(8, 9), at(9, 18))
    assert dates[rig.id] == (at(10, 9), at(10, 18))
    assert dates[delivery.id] == (at(10, 18), at(10, 18))


def test_the_slip_report_lists_what_ended_later_by_its_working_time(
    builder, session_factory, settings
):
    project, model, rig, delivery, layout = pipeline(builder)
    succeeded(schedule(session_factory, settings))
    set_hours(session_factory, model, 22)

    succeeded(schedule(session_factory, settings))

    with session_factory() as dbsession:
        baselines = project_baselines(dbsession, project)
        assert len(baselines) == 2
        oldest = chosen_baseline(baselines, None, default_oldest=True)
        page = slips_page(dbsession, oldest)
        slips = [(s.task.name, s.amount, s.baseline_end, s.current_end) for s in page.items]
    # Model ends Wednesday 13:00 instead of Tuesday 18:00: 4 working hours later, and so do
    # Rig and the milestone after it; the milestone comes first; Layout did not move.
    assert slips == [
        ("Delivery", "4 h", at(10, 18), at(11, 13)),
        ("Model", "4 h", at(9, 18), at(10, 13)),
        ("Rig", "4 h", at(10, 18), at(11, 13)),
    ]
    with session_factory() as dbsession:
        newest = chosen_baseline(project_baselines(dbsession, project), None, default_oldest=False)
        assert newest is None
        latest = project_baselines(dbsession, project)[0]
        assert slips_page(dbsession, latest).items == []


def test_slips_are_sorted_by_working_time_and_counted_in_days(builder, session_factory, settings):
    project, model, rig, delivery, layout = pipeline(builder)
    succeeded(schedule(session_factory, settings))
    set_hours(session_factory, model, 27)
    set_hours(session_factory, layout, 13)

    succeeded(schedule(session_factory, settings))

    with session_factory() as dbsession:
        oldest = project_baselines(dbsession, project)[-1]
        names = [(s.task.name, s.amount) for s in slips_page(dbsession, oldest).items]
    assert names == [("Delivery", "1 d"), ("Model", "1 d"), ("Rig", "1 d"), ("Layout", "4 h")]


def test_retention_keeps_the_newest_baselines_of_each_project(builder, session_factory, settings):
    project, model, *_ = pipeline(builder)
    kept_two = settings.with_changes(baselines_kept=2)

    runs = [succeeded(schedule(session_factory, kept_two)).id for _ in range(3)]

    assert [run_id for run_id, _ in baselines_of(session_factory, project)] == runs[:0:-1]
    with session_factory() as dbsession:
        assert dbsession.scalar(select(func.count()).select_from(ScheduleBaseline)) == 2
        assert dbsession.scalar(select(func.count()).select_from(BaselineTask)) == 2 * 4


def test_a_failed_run_keeps_no_baseline(builder, session_factory, settings):
    ann = builder.user("Ann")
    project = builder.project("Film")
    builder.task("Too long", project=project, hours=9 * 5 * 200, resources=[ann])
    builder.commit()

    run = schedule(session_factory, settings.with_changes(horizon_days=7))

    assert run.status != "succeeded"
    assert baselines_of(session_factory, project) == []


@pytest.mark.parametrize("value", ["0", "1001", "2.5", '"20"'])
def test_the_retention_setting_is_validated(tmp_path, value):
    override = tmp_path / "studio.toml"
    override.write_text(f"[scheduling]\nbaselines_kept = {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="scheduling.baselines_kept must be"):
        load_studio_config({"stalker_web.studio_config": str(override)})


def test_the_retention_setting_reaches_the_runs(tmp_path):
    override = tmp_path / "studio.toml"
    override.write_text("[scheduling]\nbaselines_kept = 3\n", encoding="utf-8")
    settings = scheduling_settings({"stalker_web.studio_config": str(override)})
    assert settings.baselines_kept == 3
    assert scheduling_settings({}).baselines_kept == 20

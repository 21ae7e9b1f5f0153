"""A project's board columns: configured ProjectStep rows, the default from the steps its tasks
use, and replacing them in one go."""

import pytest
from sqlalchemy import select

from stalker_web.models import ProjectStep
from stalker_web.services.errors import ValidationError
from stalker_web.services.pipeline.steps import (
    board_steps,
    every_board_step,
    save_step_columns,
    step_columns,
)


@pytest.fixture(name="steps")
def steps_fixture(factory):
    """Pipeline steps Model (10), Rig (20), Layout (50), Animation (60), Comp (90)."""
    steps = {}
    for position, name in (
        (60, "Animation"),
        (10, "Model"),
        (90, "Comp"),
        (20, "Rig"),
        (50, "Layout"),
    ):
        steps[name] = factory.task_type("Task", name)
        steps[name].position = position
    return steps


def shot_with(factory, project, steps, names):
    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", parent=sequence, sequence=sequence)
    for name in names:
        factory.task(parent=shot, name=name, type=steps[name])
    return shot


def asset_with(factory, project, steps, names):
    asset = factory.task("Asset", project=project)
    for name in names:
        factory.task(parent=asset, name=name, type=steps[name])
    return asset


def names(types) -> list[str]:
    return [kind.name for kind in types]


def test_default_columns_are_the_steps_used_under_shots_by_position(dbsession, factory, steps):
    project = factory.project()
    shot_with(factory, project, steps, ["Comp", "Animation"])
    shot_with(factory, project, steps, ["Layout", "Animation"])
    asset_with(factory, project, steps, ["Rig", "Model"])
    assert names(board_steps(dbsession, project, "Shot")) == ["Layout", "Animation", "Comp"]
    assert names(board_steps(dbsession, project, "Asset")) == ["Model", "Rig"]


def test_every_board_step_takes_the_shot_columns_then_the_asset_ones_each_once(
    dbsession, factory, steps, count_queries
):
    project = factory.project()
    shot_with(factory, project, steps, ["Layout"])
    asset_with(factory, project, steps, ["Rig", "Model", "Comp"])
    save_step_columns(
        dbsession, project, {"Shot": [(steps["Comp"].id, 1), (steps["Animation"].id, 2)]}
    )
    with count_queries() as counter:
        both = every_board_step(dbsession, project)
    # The configured shot columns, then the asset board's default (Comp already listed).
    assert names(both) == ["Comp", "Animation", "Model", "Rig"]
    assert counter.count == 2


def test_default_columns_ignore_other_projects_and_deeper_tasks(dbsession, factory, steps):
    project = factory.project()
    shot = shot_with(factory, project, steps, ["Layout"])
    group = factory.task(parent=shot, name="FX group")
    factory.task(parent=group, name="Comp", type=steps["Comp"])
    shot_with(factory, factory.project(), steps, ["Animation"])
    assert names(board_steps(dbsession, project, "Shot")) == ["Layout"]


def test_a_project_without_tasks_has_no_columns(dbsession, factory, steps):
    assert board_steps(dbsession, factory.project(), "Shot") == []


def test_configured_columns_win_in_their_order(dbsession, factory, steps):
    project = factory.project()
    shot_with(factory, project, steps, ["Layout", "Animation"])
    save_step_columns(
        dbsession,
        project,
        {"Shot": [(steps["Comp"].id, 2), (steps["Animation"].id, 1), (steps["Model"].id, None)]},
    )
    assert names(board_steps(dbsession, project, "Shot")) == ["Animation", "Comp", "Model"]
    # Assets keep their default.
    asset_with(factory, project, steps, ["Model"])
    assert names(board_steps(dbsession, project, "Asset")) == ["Model"]


def test_saving_replaces_the_old_columns(dbsession, factory, steps):
    project = factory.project()
    save_step_columns(dbsession, project, {"Shot": [(steps["Comp"].id, 1)]})
    save_step_columns(
        dbsession,
        project,
        {"Shot": [(steps["Layout"].id, 1), (steps["Comp"].id, 2)], "Asset": [(steps["Rig"].id, 1)]},
    )
    rows = dbsession.scalars(
        select(ProjectStep)
        .where(ProjectStep.project_id == project.id)
        .order_by(ProjectStep.target, ProjectStep.position)
    ).all()
    assert [(row.target, row.type.name, row.position) for row in rows] == [
        ("Asset", "Rig", 0),
        ("Shot", "Layout", 0),
        ("Shot", "Comp", 1),
    ]


def test_an_unknown_step_refuses_the_whole_save(dbsession, factory, steps):
    project = factory.project()
    save_step_columns(dbsession, project, {"Shot": [(steps["Comp"].id, 1)]})
    with pytest.raises(ValidationError, match="no longer exists") as refused:
        save_step_columns(
            dbsession,
            project,
            {"Shot": [(steps["Layout"].id, 1)], "Asset": [(10**6, 1)]},
        )
    assert refused.value.field == "asset_steps"
    assert names(board_steps(dbsession, project, "Shot")) == ["Comp"]


def test_a_non_step_type_is_not_a_column(dbsession, factory, steps):
    asset_type = factory.task_type("Asset", "Character")
    with pytest.raises(ValidationError):
        save_step_columns(dbsession, factory.project(), {"Shot": [(asset_type.id, 1)]})


def test_step_columns_mark_the_chosen_steps_with_their_order(dbsession, factory, steps):
    project = factory.project()
    asset_with(factory, project, steps, ["Model", "Rig"])
    save_step_columns(
        dbsession, project, {"Shot": [(steps["Comp"].id, 1), (steps["Layout"].id, 2)]}
    )
    shots, assets = step_columns(dbsession, project)
    assert (shots.target, shots.configured, assets.configured) == ("Shot", True, False)
    chosen = {choice.step.name: choice.order for choice in shots.choices if choice.chosen}
    assert chosen == {"Comp": 1, "Layout": 2}
    chosen = {choice.step.name: choice.order for choice in assets.choices if choice.chosen}
    assert chosen == {"Model": 1, "Rig": 2}


@pytest.mark.parametrize("configured", [False, True])
def test_board_steps_take_the_same_queries_on_a_small_and_a_10x_project(
    dbsession, factory, steps, count_queries, configured
):
    def build(scale: int):
        project = factory.project()
        for _ in range(scale):
            shot_with(factory, project, steps, ["Layout", "Animation", "Comp"])
        if configured:
            save_step_columns(dbsession, project, {"Shot": [(steps["Comp"].id, 1)]})
        return project

    def measure(project) -> int:
        dbsession.expire_all()
        dbsession.refresh(project)  # the board has its project loaded already
        with count_queries() as counter:
            board_steps(dbsession, project, "Shot")
        return counter.count

    small, large = build(1), build(10)
    assert measure(small) == measure(large) == (1 if configured else 2)

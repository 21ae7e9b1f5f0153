"""What the bulk-creation pages offer: sequences, parent groups, templates, ranges with tasks."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import Task
from stalker_web.services.breakdown.bulk_creation import create_shot_range
from stalker_web.services.breakdown.choices import (
    create_shots_with_tasks,
    create_template_tasks,
    parent_groups,
    project_sequence,
    project_sequences,
    template_choices,
    template_parents,
)
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.commands import move_task

SHOT_TYPES = ("Layout", "Animation", "Lighting", "Comp")


@pytest.fixture
def project(factory):
    return factory.project(name="Choices")


@pytest.fixture
def sequence(factory, project):
    return factory.task("Sequence", project=project, code="SQ010", name="SQ010")


def task_count(dbsession, project) -> int:
    return dbsession.scalar(select(func.count()).where(Task.project_id == project.id))


def test_template_choices_follow_the_config_and_skip_empty_entries():
    config = {
        "task_templates": {
            "Shot": [["Layout", "Layout", 1, "d"], ["Comp", "Comp", 1, "d", ["Layout"]]],
            "Empty": [],
            "Prop": [["Model", "Model"]],
        }
    }
    choices = template_choices(config)
    assert [(choice.key, choice.label) for choice in choices] == [
        ("Shot", "Shot: Layout, Comp"),
        ("Prop", "Prop: Model"),
    ]
    assert choices[0].tasks[1].depends_on == ("Layout",)
    assert template_choices({}) == []


def test_project_sequences_are_the_projects_own_by_code(factory, dbsession, project, sequence):
    second = factory.task("Sequence", project=project, code="SQ005")
    factory.task("Sequence", code="SQ001")
    factory.task("Scene", project=project, code="SC001")
    assert project_sequences(dbsession, project) == [second, sequence]


def test_project_sequence_refuses_other_tasks(factory, dbsession, project, sequence):
    assert project_sequence(dbsession, project, sequence.id) is sequence
    refused = [
        None,
        factory.task("Sequence", code="SQ999").id,
        factory.task(project=project).id,
        10**9,
    ]
    for sequence_id in refused:
        with pytest.raises(
            ValidationError, match="Choose one of the sequences of Choices."
        ) as error:
            project_sequence(dbsession, project, sequence_id)
        assert error.value.field == "sequence"


def test_parent_groups_count_assets_by_type_and_shots_by_sequence(
    factory, dbsession, project, sequence
):
    character, prop = factory.task_type("Asset", "Character"), factory.task_type("Asset", "Prop")
    for asset_type in (character, character, prop):
        factory.task("Asset", project=project, type=asset_type)
    factory.task("Asset", type=prop)  # another project's
    create_shot_range(dbsession, sequence, start=1, end=3, step=1)
    empty = factory.task("Sequence", project=project, code="SQ020", name="Empty one")
    folder = factory.task(project=project, name="Folder")
    factory.task("Shot", parent=folder, code="LINKED", sequence=sequence)  # linked, elsewhere
    nested = factory.task(parent=sequence, name="Nested")
    factory.task("Shot", parent=nested, code="DEEP")  # inside the sequence, not linked
    factory.task("Shot", project=project, code="LOOSE")
    assets, shots = parent_groups(dbsession, project)
    assert [
        (label, [(g.key, g.label, g.count) for g in groups]) for label, groups in (assets, shots)
    ] == [
        (
            "Assets",
            [
                (f"asset_type:{character.id}", "Character assets (2)", 2),
                (f"asset_type:{prop.id}", "Prop assets (1)", 1),
            ],
        ),
        (
            "Shots",
            [
                (f"sequence:{sequence.id}", "Shots of SQ010 (5)", 5),
                (f"sequence:{empty.id}", "Shots of SQ020 Empty one (0)", 0),
                ("shots", "Every shot of the project (6)", 6),
            ],
        ),
    ]


def test_parent_groups_take_three_queries_however_big_the_project(
    factory, dbsession, project, count_queries
):
    for number in range(5):
        sequence = factory.task("Sequence", project=project, code=f"SQ{number}")
        create_shot_range(dbsession, sequence, prefix=f"S{number}_", start=1, end=4, step=1)
        factory.task("Asset", project=project, type=factory.task_type("Asset", f"Kind {number}"))
    with count_queries() as queries:
        assets, shots = parent_groups(dbsession, project)
    assert (len(assets[1]), len(shots[1])) == (5, 6)
    assert queries.count == 3


def test_template_parents_resolve_each_kind_of_group(factory, dbsession, project, sequence):
    prop = factory.task_type("Asset", "Prop")
    cups = [factory.task("Asset", project=project, type=prop, code=code) for code in ("B", "A")]
    shots = create_shot_range(dbsession, sequence, start=1, end=2, step=1)
    loose = factory.task("Shot", project=project, code="AAA")
    factory.task("Shot", code="OTHER")
    assert template_parents(dbsession, project, f"asset_type:{prop.id}") == (
        [cups[1], cups[0]],
        "2 Prop assets",
    )
    assert template_parents(dbsession, project, f"sequence:{sequence.id}") == (
        shots,
        "2 shots of SQ010",
    )
    assert template_parents(dbsession, project, "shots") == ([loose, *shots], "3 shots")


@pytest.mark.parametrize(
    ("choice", "message"),
    [
        (None, "Choose the tasks to add the template's tasks to."),
        ("", "Choose the tasks to add the template's tasks to."),
        ("shots:1", "Choose the tasks to add the template's tasks to."),
        ("sequence:", "Choose the tasks to add the template's tasks to."),
        ("asset_type:x", "Choose the tasks to add the template's tasks to."),
        ("task:{task}", "Choose the tasks to add the template's tasks to."),
        ("asset_type:{shot_type}", "Choose one of the asset types listed."),
        ("asset_type:{prop}", "There is no Prop asset in Choices yet."),
        ("sequence:{task}", "Choose one of the sequences of Choices."),
        ("sequence:{foreign}", "Choose one of the sequences of Choices."),
        ("sequence:{sequence}", "There is no shot of SQ010 in Choices yet."),
        ("shots", "There is no shot in Choices yet."),
    ],
)
def test_template_parents_refuse_what_is_not_a_group_of_this_project(
    factory, dbsession, project, sequence, choice, message
):
    factory.task("Asset", type=factory.task_type("Asset", "Prop"))  # another project's prop
    ids = {
        "task": factory.task(project=project).id,
        "shot_type": factory.task_type("Shot", "Hero shot").id,
        "prop": factory.task_type("Asset", "Prop").id,
        "foreign": factory.task("Sequence", code="SQ999").id,
        "sequence": sequence.id,
    }
    with pytest.raises(ValidationError) as error:
        template_parents(dbsession, project, choice.format(**ids) if choice else choice)
    assert (error.value.message, error.value.field) == (message, "parents")


@pytest.fixture
def shot_types(factory):
    return [factory.task_type("Task", name) for name in SHOT_TYPES]


def test_a_range_with_tasks_creates_both(dbsession, studio_config, project, sequence, shot_types):
    created = create_shots_with_tasks(
        dbsession,
        project,
        studio_config,
        sequence_id=sequence.id,
        template_key="Shot",
        start=1,
        end=2,
        step=1,
    )
    assert created.sequence is sequence
    assert [shot.code for shot in created.shots] == ["SH001", "SH002"]
    assert [task.name for task in created.children] == list(SHOT_TYPES) * 2
    assert {task.parent for task in created.children} == set(created.shots)


def test_a_range_without_a_template_creates_only_shots(dbsession, studio_config, project, sequence):
    created = create_shots_with_tasks(
        dbsession, project, studio_config, sequence_id=sequence.id, template_key="", end=30
    )
    assert (len(created.shots), created.children) == (3, [])


def test_a_range_whose_tasks_are_refused_leaves_no_shot(
    factory, dbsession, studio_config, project, sequence
):
    factory.task_type("Task", "Layout")  # the other types of the Shot template are missing
    with pytest.raises(ValidationError, match="These task types do not exist"):
        create_shots_with_tasks(
            dbsession, project, studio_config, sequence_id=sequence.id, template_key="Shot"
        )
    assert task_count(dbsession, project) == 1


def test_a_range_refuses_an_unknown_template_before_creating(
    dbsession, studio_config, project, sequence
):
    with pytest.raises(ValidationError, match="no task template for Robot") as error:
        create_shots_with_tasks(
            dbsession, project, studio_config, sequence_id=sequence.id, template_key="Robot"
        )
    assert error.value.field == "template"
    assert task_count(dbsession, project) == 1


def test_template_tasks_are_added_under_the_group(
    factory, dbsession, studio_config, project, sequence, shot_types
):
    shots = create_shot_range(dbsession, sequence, start=1, end=3, step=1)
    created, described = create_template_tasks(
        dbsession,
        project,
        studio_config,
        template_key="Shot",
        parents_choice=f"sequence:{sequence.id}",
    )
    assert (len(created), described) == (12, "3 shots of SQ010")
    assert {task.parent for task in created} == set(shots)


def test_template_tasks_need_a_template(dbsession, studio_config, project):
    with pytest.raises(ValidationError, match="Choose a template.") as error:
        create_template_tasks(
            dbsession, project, studio_config, template_key="", parents_choice="shots"
        )
    assert error.value.field == "template"


def test_template_tasks_are_all_or_nothing(
    factory, dbsession, studio_config, project, sequence, shot_types
):
    shots = create_shot_range(dbsession, sequence, start=1, end=3, step=1)
    factory.task(parent=shots[2], name="Comp")
    with pytest.raises(ValidationError, match="These child tasks already exist: SH003/Comp."):
        create_template_tasks(
            dbsession, project, studio_config, template_key="Shot", parents_choice="shots"
        )
    assert task_count(dbsession, project) == 1 + 3 + 1


def test_a_shot_moved_out_of_its_sequence_still_belongs_to_it(
    factory, dbsession, project, sequence
):
    shot = create_shot_range(dbsession, sequence, start=1, end=1)[0]
    move_task(dbsession, shot, None, submitted_version=shot.version_id)
    assert template_parents(dbsession, project, f"sequence:{sequence.id}")[0] == [shot]

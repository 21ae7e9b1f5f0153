"""Bulk creation: shot ranges in a sequence and standard child tasks from a template."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import Shot, Task, TaskDependency
from stalker_web.services.breakdown.bulk_creation import (
    ChildTask,
    create_child_tasks,
    create_shot_range,
    shot_codes,
    shot_cuts,
    studio_template,
    template_from_config,
)
from stalker_web.services.errors import ValidationError


@pytest.fixture
def sequence(factory):
    return factory.task("Sequence", project=factory.project(name="Foo"), code="SQ010")


def shot_count(dbsession, project) -> int:
    return dbsession.scalar(
        select(func.count()).where(Task.project_id == project.id, Task.entity_type == "Shot")
    )


def test_shot_codes_follow_prefix_start_end_step_and_digits():
    assert shot_codes("SH", 10, 50, 10, 3) == ["SH010", "SH020", "SH030", "SH040", "SH050"]
    assert shot_codes("A_", 1, 3, 1, 4) == ["A_0001", "A_0002", "A_0003"]


def test_a_range_creates_every_shot_in_the_sequence(dbsession, sequence):
    shots = create_shot_range(dbsession, sequence, cut_in=1001, cut_out=1048)
    assert [shot.code for shot in shots] == [f"SH{number:03d}" for number in range(10, 201, 10)]
    for shot in shots:
        assert shot.parent is sequence and shot.sequence is sequence
        assert shot.name == shot.code and shot.status.code == "RTS"
        assert (shot.cut_in, shot.cut_out) == (1001, 1048)
        assert shot.path == f"{sequence.path}{shot.id}/"
    assert shot_count(dbsession, sequence.project) == 20


def test_a_range_of_200_shots_looks_the_status_up_once(dbsession, sequence, count_queries):
    with count_queries() as queries:
        create_shot_range(dbsession, sequence, start=1, end=200, step=1, digits=4)
    status_lookups = [sql for sql in queries.statements if "status_list" in sql.lower()]
    assert len(status_lookups) <= 1  # none when the session has read the status list already
    assert shot_count(dbsession, sequence.project) == 200


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"step": 0}, "The step must be 1 or more."),
        ({"start": 50, "end": 10}, "The last number must not be before the first."),
        ({"start": 1, "end": 2001, "step": 1}, "at most 2000 can be created at once"),
        ({"digits": 0}, "The number of digits must be from 1 to 8."),
        ({"cut_in": 20, "cut_out": 10}, r"The cut out \(10\) must not be before the cut in \(20\)"),
        ({"cut_in": 1.5}, "The cut in must be a whole number."),
        ({"cut_out": 10_000_000}, "The cut out must be from 0 to 9,999,999."),
        (
            {"cut_in": 1, "cut_out": 9_999_999, "cuts_continue": True},
            "the last shot would end on frame 199,999,980, past 9,999,999",
        ),
    ],
)
def test_a_bad_range_creates_nothing(dbsession, sequence, arguments, message):
    with pytest.raises(ValidationError, match=message):
        create_shot_range(dbsession, sequence, **arguments)
    dbsession.flush()
    assert shot_count(dbsession, sequence.project) == 0


def test_existing_codes_are_listed_in_one_message_and_nothing_is_created(
    dbsession, factory, sequence
):
    factory.task("Shot", parent=sequence, code="SH020")
    factory.task("Shot", project=sequence.project, code="sh040")
    with pytest.raises(ValidationError) as error:
        create_shot_range(dbsession, sequence, start=10, end=50)
    assert "SH020, sh040" in error.value.message
    assert shot_count(dbsession, sequence.project) == 2


def test_shots_are_created_only_in_a_sequence(dbsession, factory):
    with pytest.raises(ValidationError, match="Shots are created in a sequence."):
        create_shot_range(dbsession, factory.task("Task"))


@pytest.fixture
def pipeline_types(factory):
    return {name: factory.task_type("Task", name) for name in ("Layout", "Animation", "Lighting")}


SHOT_TEMPLATE = [
    ChildTask("Layout", "Layout", 1, "d"),
    ChildTask("Animation", "Animation", 3, "d", ("Layout",)),
    ChildTask("Lighting", "Lighting", 2, "d", ("Animation",)),
]


def test_child_tasks_are_added_to_every_parent_with_their_dependencies(
    dbsession, sequence, pipeline_types
):
    shots = create_shot_range(dbsession, sequence, start=10, end=30)
    created = create_child_tasks(dbsession, shots, SHOT_TEMPLATE)
    assert len(created) == 9
    for shot in shots:
        dbsession.refresh(shot)
        children = {child.name: child for child in shot.children}
        assert list(children) == ["Layout", "Animation", "Lighting"]
        assert children["Layout"].type is pipeline_types["Layout"]
        assert children["Animation"].schedule_timing == 3.0
        assert children["Animation"].schedule_unit.value == "d"
        assert children["Animation"].depends_on == [children["Layout"]]
        assert children["Lighting"].depends_on == [children["Animation"]]
        assert children["Layout"].status.code == "RTS"
        assert children["Lighting"].status.code == "WFD"


def test_the_studio_config_holds_templates(studio_config):
    template = studio_template(studio_config, "Shot")
    assert [entry.name for entry in template][:3] == ["Layout", "Animation", "Lighting"]
    assert template[1].depends_on == ("Layout",)
    with pytest.raises(ValidationError, match="no task template for Vehicle"):
        studio_template(studio_config, "Vehicle")


def test_template_rows_read_like_the_config():
    rows = [["Model", "Model", 2, "d"], ["Rig", None, 1, "w", "Model"]]
    assert template_from_config(rows) == [
        ChildTask("Model", "Model", 2, "d"),
        ChildTask("Rig", None, 1, "w", ("Model",)),
    ]


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ([ChildTask("Layout", "Nope")], "These task types do not exist: Nope."),
        ([ChildTask("A"), ChildTask("A")], "The template names A twice."),
        ([ChildTask("A", depends_on=("B",)), ChildTask("B")], "which must come before it"),
        ([ChildTask("A", schedule_unit="parsec")], "The schedule unit must be one of"),
        ([ChildTask("A", schedule_timing=-1)], "zero or more"),
        ([], None),
    ],
)
def test_a_bad_template_creates_nothing(dbsession, factory, template, message):
    parent = factory.task("Task")
    if message is None:
        assert create_child_tasks(dbsession, [parent], template) == []
        return
    with pytest.raises(ValidationError, match=message):
        create_child_tasks(dbsession, [parent], template)
    assert dbsession.scalar(select(func.count()).where(Task.parent_id == parent.id)) == 0


def test_existing_children_are_listed_and_nothing_is_created(dbsession, factory, sequence):
    first, second = factory.task("Shot", parent=sequence), factory.task("Shot", parent=sequence)
    factory.task(parent=second, name="Layout")
    with pytest.raises(ValidationError, match=f"already exist: {second.name}/Layout"):
        create_child_tasks(dbsession, [first, second], [ChildTask("Layout")])
    assert dbsession.scalar(select(func.count()).where(Task.parent_id == first.id)) == 0
    assert dbsession.scalar(select(func.count()).select_from(TaskDependency)) == 0


def test_a_parent_with_resources_gets_no_children(dbsession, factory):
    parent = factory.task("Task", resources=[factory.user()])
    with pytest.raises(ValidationError, match="has resources"):
        create_child_tasks(dbsession, [parent], [ChildTask("Layout")])


def test_child_tasks_need_a_parent(dbsession):
    with pytest.raises(ValidationError, match="at least one task"):
        create_child_tasks(dbsession, [], [ChildTask("Layout")])


def test_shots_made_by_range_are_shots(dbsession, sequence):
    create_shot_range(dbsession, sequence, start=1, end=2, step=1)
    assert all(isinstance(shot, Shot) for shot in sequence.shots)


def test_child_tasks_for_many_parents_look_statuses_and_types_up_once(
    dbsession, sequence, pipeline_types, count_queries
):
    shots = create_shot_range(dbsession, sequence, start=1, end=20, step=1)
    with count_queries() as queries:
        create_child_tasks(dbsession, shots, SHOT_TEMPLATE)
    lookups = [sql for sql in queries.statements if "status_list" in sql.lower()]
    type_lookups = [sql for sql in queries.statements if "FROM types" in sql]
    assert len(lookups) <= 1 and len(type_lookups) == 1


def test_a_template_row_with_only_a_name_gets_the_defaults():
    [entry] = template_from_config([["Model"]])
    assert (entry.name, entry.type_name, entry.schedule_timing, entry.schedule_unit) == (
        "Model",
        None,
        1.0,
        "h",
    )


def test_a_shot_prefix_with_a_slash_is_refused():
    with pytest.raises(ValidationError, match="cannot contain"):
        shot_codes("SH/", 10, 20, 10, 3)


def test_a_range_is_cut_from_1001_unless_told(dbsession, sequence):
    shots = create_shot_range(dbsession, sequence, start=1, end=2, step=1)
    assert [(shot.cut_in, shot.cut_out) for shot in shots] == [(1001, 1100)] * 2


def test_continued_cuts_start_after_the_shot_before():
    assert shot_cuts(3, 1001, 1010, continued=True) == [(1001, 1010), (1011, 1020), (1021, 1030)]
    assert shot_cuts(2, 1001, 1010) == [(1001, 1010), (1001, 1010)]

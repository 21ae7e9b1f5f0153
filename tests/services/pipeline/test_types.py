"""Types managed from the browser: listing with use counts, per-target unique names, step
details, optimistic locking and deletion refused while the type is used."""

import pytest
from sqlalchemy import select

from stalker_web.models import PipelineStep, Type
from stalker_web.models.schedule import TimeUnit
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.pipeline import types as service
from stalker_web.services.pipeline.types import TypeFields


def fields(name="Animation", **values) -> TypeFields:
    return TypeFields(
        name=name,
        code=values.pop("code", name[:4].upper()),
        color=values.pop("color", "#3A7BD5"),
        position=values.pop("position", 50),
        **values,
    )


def test_create_step_stores_colour_order_department_and_default_effort(dbsession, factory):
    department = factory.department("Animation dept")
    step = service.create_type(
        dbsession,
        "Task",
        fields(department_id=department.id, default_timing=2, default_unit="d"),
    )
    assert (step.name, step.code, step.color, step.position) == ("Animation", "ANIM", "#3a7bd5", 50)
    assert step.step.department == department
    assert (step.step.default_schedule_timing, step.step.default_schedule_unit) == (
        2.0,
        TimeUnit.DAY,
    )


def test_a_colour_may_leave_out_the_hash_or_be_empty(dbsession):
    assert (
        service.create_type(dbsession, "Asset", fields("Prop", color="FFaa00")).color == "#ffaa00"
    )
    assert service.create_type(dbsession, "Asset", fields("Set", color=" ")).color is None


def test_only_pipeline_steps_get_step_details(dbsession):
    kind = service.create_type(dbsession, "Shot", fields("Hero", default_timing=3))
    assert kind.step is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "A name is required."),
        ({"name": "x" * 257}, "name", "Use at most 256 characters."),
        ({"code": ""}, "code", "A code is required."),
        ({"color": "#12345z"}, "color", "#rrggbb"),
        ({"position": 10_001}, "position", "from 0 to 10000"),
        ({"position": None}, "position", "Give the order"),
        ({"default_timing": -1}, "default_timing", "from 0 to"),
        ({"default_timing": 2, "default_unit": "fortnight"}, "default_unit", "unit"),
        ({"department_id": 10**6}, "department_id", "no longer exists"),
    ],
)
def test_bad_values_are_refused_under_their_field(dbsession, changes, field, message):
    values = {"name": "Animation", **changes}
    with pytest.raises(ValidationError) as refused:
        service.create_type(dbsession, "Task", fields(**values))
    assert refused.value.field == field
    assert message in refused.value.message


def test_names_are_unique_per_target_without_case(dbsession, factory):
    factory.task_type("Task", "Animation")
    with pytest.raises(ValidationError, match="A pipeline step named 'ANIMATION' already exists"):
        service.create_type(dbsession, "Task", fields("ANIMATION"))
    # Another target may use the same name.
    assert service.create_type(dbsession, "Asset", fields("animation")).name == "animation"


def test_update_saves_and_moves_the_version_on_even_for_step_details_only(dbsession, factory):
    step = service.create_type(dbsession, "Task", fields())
    department = factory.department()
    version = step.version_id
    service.update_type(
        dbsession,
        step,
        submitted_version=version,
        fields=fields(department_id=department.id, default_timing=1, default_unit="w"),
    )
    assert step.version_id != version
    assert step.step.department == department
    assert step.step.default_schedule_unit == TimeUnit.WEEK


def test_update_keeps_its_own_name_and_refuses_another_types(dbsession, factory):
    factory.task_type("Task", "Layout")
    step = service.create_type(dbsession, "Task", fields())
    service.update_type(
        dbsession, step, submitted_version=step.version_id, fields=fields("animation")
    )
    assert step.name == "animation"
    with pytest.raises(ValidationError, match="already exists"):
        service.update_type(
            dbsession, step, submitted_version=step.version_id, fields=fields("layout")
        )


def test_update_refuses_a_stale_page(dbsession):
    step = service.create_type(dbsession, "Task", fields())
    with pytest.raises(ConflictError, match="This pipeline step was changed by someone else"):
        service.update_type(
            dbsession, step, submitted_version=step.version_id - 1, fields=fields("Anim")
        )


def test_an_unused_type_is_deleted_with_its_step_details(dbsession):
    step = service.create_type(dbsession, "Task", fields(default_timing=1, default_unit="d"))
    step_id = step.id
    service.delete_type(dbsession, step)
    assert dbsession.get(Type, step_id) is None
    assert dbsession.scalars(select(PipelineStep).filter_by(type_id=step_id)).first() is None


def test_deleting_a_used_step_is_refused_naming_its_tasks(dbsession, factory):
    step = factory.task_type("Task", "Animation")
    project = factory.project(code="LHK")
    shot = factory.task("Shot", project=project, name="SH010", code="SH010")
    for _ in range(4):
        factory.task(parent=shot, name="Animation", type=step)
    with pytest.raises(ValidationError) as refused:
        service.delete_type(dbsession, step)
    message = refused.value.message
    assert message.startswith("4 tasks use Animation: LHK / ")
    assert "SH010 / Animation" in message
    assert "and 1 more" in message
    assert dbsession.get(Type, step.id) is not None


def test_deleting_a_used_project_type_is_refused_naming_its_projects(dbsession, factory):
    kind = factory.task_type("Project", "Commercial")
    factory.project(name="Fizz", type=kind)
    with pytest.raises(ValidationError, match="1 project uses Commercial: Fizz"):
        service.delete_type(dbsession, kind)


def test_type_rows_lists_by_position_then_name_with_use_counts(dbsession, factory):
    late = service.create_type(dbsession, "Task", fields("Comp", position=70))
    early = service.create_type(dbsession, "Task", fields("Model", position=10))
    tie = service.create_type(dbsession, "Task", fields("Animation", position=70))
    shot = factory.task("Shot")
    factory.task(parent=shot, name="Comp", type=late)
    rows = service.type_rows(dbsession, "Task")
    ours = [row for row in rows if row.kind in (late, early, tie)]
    assert [(row.kind.name, row.use_count) for row in ours] == [
        ("Model", 0),
        ("Animation", 0),
        ("Comp", 1),
    ]


def test_type_rows_take_two_queries_whatever_the_number_of_types(dbsession, factory, count_queries):
    def measure() -> int:
        dbsession.expire_all()
        with count_queries() as counter:
            rows = service.type_rows(dbsession, "Task")
            for row in rows:
                _ = row.kind.step and row.kind.step.department
        return counter.count

    department = factory.department()
    service.create_type(dbsession, "Task", fields("Step 0", department_id=department.id))
    few = measure()
    for number in range(1, 10):
        service.create_type(
            dbsession, "Task", fields(f"Step {number}", department_id=department.id)
        )
    assert measure() == few == 2


def test_an_unknown_target_means_pipeline_steps():
    assert service.checked_target("Ticket") == "Task"
    assert service.checked_target(None) == "Task"
    assert service.checked_target("Asset") == "Asset"

"""The choices the task forms offer and the submitted ids turned back into rows."""

import pytest

from stalker_web.models import ImageFormat
from stalker_web.services.errors import ValidationError
from stalker_web.services.tasks.choices import (
    chosen_image_format,
    chosen_parent,
    chosen_people,
    chosen_task,
    chosen_type,
    dependency_candidates,
    parent_candidates,
    project_members,
    project_tasks_of_kind,
    types_for,
    upstream_dependencies,
)
from stalker_web.services.tasks.dependencies import add_dependency

from ...factories.projects import member


@pytest.fixture
def project(factory):
    return factory.project(name="Film")


@pytest.fixture
def tree(factory, project):
    """Assets / Characters / Hero, Assets / Props, and Shots (name → task)."""
    assets = factory.task(project=project, name="Assets")
    characters = factory.task(parent=assets, name="Characters", code="CHR")
    hero = factory.task(parent=characters, name="Hero")
    props = factory.task(parent=assets, name="Props")
    shots = factory.task(project=project, name="Shots")
    return {task.name: task for task in (assets, characters, hero, props, shots)}


def names(tasks) -> list[str]:
    return [task.name for task in tasks]


# Paths and searches


def test_parent_candidates_leave_out_the_task_its_subtree_and_its_parent(dbsession, tree):
    assert names(parent_candidates(dbsession, tree["Characters"], "")) == ["Shots", "Props"]
    assert names(parent_candidates(dbsession, tree["Assets"], None)) == ["Shots"]


def test_parent_candidates_match_name_or_code_without_case(dbsession, tree):
    assert names(parent_candidates(dbsession, tree["Shots"], "chr")) == ["Characters"]
    assert names(parent_candidates(dbsession, tree["Shots"], " PRO ")) == ["Props"]


def test_the_search_treats_wildcards_as_text(dbsession, factory, project, tree):
    factory.task(project=project, name="100% done")
    factory.task(project=project, name="a_b")
    assert names(parent_candidates(dbsession, tree["Shots"], "%")) == ["100% done"]
    assert names(parent_candidates(dbsession, tree["Shots"], "_")) == ["a_b"]


def test_parent_candidates_stay_in_the_project_and_are_limited(dbsession, factory, tree):
    factory.task(project=factory.project(), name="Shots elsewhere")
    assert names(parent_candidates(dbsession, tree["Hero"], "shots")) == ["Shots"]
    assert len(parent_candidates(dbsession, tree["Hero"], "", limit=2)) == 2


def test_dependency_candidates_leave_out_relatives_and_what_it_waits_for(dbsession, tree):
    hero = tree["Hero"]
    add_dependency(dbsession, hero, tree["Props"])
    # Not itself, not its containers (Characters, Assets), not Props it already waits for.
    assert names(dependency_candidates(dbsession, hero, "", [hero.project_id])) == ["Shots"]
    # A container cannot wait for what is inside it.
    assert names(dependency_candidates(dbsession, tree["Assets"], "", None)) == ["Shots"]


def test_dependency_candidates_span_the_given_projects_own_project_first(dbsession, factory, tree):
    other = factory.project(name="Other")
    library = factory.task(project=other, name="Aardvark library")
    factory.task(project=factory.project(), name="Abandoned")
    shots = tree["Shots"]
    in_both = dependency_candidates(dbsession, shots, "r", [shots.project_id, other.id])
    assert names(in_both) == ["Characters", "Props", "Hero", library.name]
    assert names(dependency_candidates(dbsession, shots, "abandon", None)) == ["Abandoned"]
    assert dependency_candidates(dbsession, shots, "", []) == []


# Choices


def test_types_for_groups_the_types_by_the_kind_they_are_for(dbsession, factory):
    prop = factory.task_type("Asset", "Prop")
    character = factory.task_type("Asset", "Character")
    action = factory.task_type("Shot", "Action")
    factory.task_type("Project", "Feature")
    assert types_for(dbsession, ["Asset", "Shot", "Variant"]) == {
        "Asset": [character, prop],
        "Shot": [action],
        "Variant": [],
    }


def test_types_for_lists_steps_by_position_then_name(dbsession, factory):
    comp, layout, animation = (
        factory.task_type("Task", name) for name in ("Comp", "Layout", "Anim")
    )
    comp.position, layout.position, animation.position = 70, 40, 40
    assert types_for(dbsession, ["Task"])["Task"][-3:] == [animation, layout, comp]


def test_project_members_and_tasks_of_a_kind(dbsession, factory, project):
    bob, ann = member(project, factory.user(name="Bob")), member(project, factory.user(name="Ann"))
    factory.user(name="Outsider")
    assert project_members(dbsession, project) == [ann, bob]
    second = factory.task("Sequence", project=project, code="SQ02")
    first = factory.task("Sequence", project=project, code="SQ01")
    factory.task("Sequence", project=factory.project(), code="SQ00")
    factory.task("Scene", project=project, code="SC01")
    assert project_tasks_of_kind(dbsession, project, "Sequence") == [first, second]


def test_chosen_rows_are_loaded_or_refused_under_their_field(dbsession, factory, project):
    kind_type = factory.task_type("Task", "Modeling")
    image_format = ImageFormat(name="Square", width=1000, height=1000)
    dbsession.add(image_format)
    dbsession.flush()
    task = factory.task(project=project)
    assert chosen_type(dbsession, kind_type.id) is kind_type
    assert chosen_type(dbsession, None) is None
    assert chosen_image_format(dbsession, image_format.id) is image_format
    assert chosen_task(dbsession, task.id, "sequence", required=False) is task
    assert chosen_task(dbsession, None, "sequence", required=False) is None
    for call, field, message in (
        (lambda: chosen_type(dbsession, 999999), "type", "That type no longer exists"),
        (
            lambda: chosen_image_format(dbsession, 999999),
            "image_format",
            "That image format no longer exists",
        ),
        (
            lambda: chosen_task(dbsession, None, "depends_on", required=True),
            "depends_on",
            "Choose a task from the list.",
        ),
        (
            lambda: chosen_task(dbsession, 999999, "scene", required=False),
            "scene",
            "That task no longer exists",
        ),
    ):
        with pytest.raises(ValidationError, match=message) as error:
            call()
        assert error.value.field == field


def test_a_parent_must_be_in_the_project(dbsession, factory, project):
    parent = factory.task(project=project, name="Mine")
    elsewhere = factory.task(project=factory.project(), name="Elsewhere")
    assert chosen_parent(dbsession, project, parent.id) is parent
    assert chosen_parent(dbsession, project, None) is None
    with pytest.raises(ValidationError, match="Elsewhere is in another project") as error:
        chosen_parent(dbsession, project, elsewhere.id)
    assert error.value.field == "parent"


def test_people_are_members_or_already_in_place(dbsession, factory, project):
    ann = member(project, factory.user(name="Ann"))
    former = factory.user(name="Former")
    stranger = factory.user(name="Stranger")
    other = factory.user(name="Other")
    ids = [ann.id, former.id, ann.id]
    assert chosen_people(dbsession, project, ids, "watchers", already=[former]) == [ann, former]
    assert chosen_people(dbsession, project, [], "watchers") == []
    with pytest.raises(ValidationError) as error:
        chosen_people(dbsession, project, [ann.id, stranger.id, other.id], "resources")
    assert error.value.field == "resources"
    assert error.value.message == (
        "Stranger, Other are not on the team of Film: add them to the project first."
    )
    with pytest.raises(ValidationError, match="One of the chosen people no longer exists"):
        chosen_people(dbsession, project, [ann.id, 999999], "responsible")


def test_upstream_dependencies_come_with_their_tasks_in_one_query(
    dbsession, factory, project, count_queries
):
    task = factory.task(project=project, name="Comp")
    for name in ("Light", "Anim", "FX"):
        add_dependency(dbsession, task, factory.task(project=project, name=name))
    add_dependency(dbsession, task, factory.task(project=factory.project(name="Lib"), name="Asset"))
    dbsession.expire_all()
    with count_queries() as counter:
        found = upstream_dependencies(dbsession, task)
        shown = [
            (d.depends_on.name, d.depends_on.project.name, d.depends_on.status.code) for d in found
        ]
    assert shown == [
        ("Anim", "Film", "RTS"),
        ("Asset", "Lib", "RTS"),
        ("FX", "Film", "RTS"),
        ("Light", "Film", "RTS"),
    ]
    assert counter.count <= 2  # the expired task's id, then one query

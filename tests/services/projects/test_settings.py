"""The project settings service: type, structure, the ordered repositories and deletion."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import (
    Project,
    ProjectRepository,
    ProjectUser,
    Repository,
    Structure,
    Task,
    TaskDependency,
    User,
)
from stalker_web.models.task import task_resources
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.projects import settings


def save(dbsession, project, **values):
    values = {"type_id": None, "is_stereoscopic": False, "structure_id": None} | values
    return settings.update_project_settings(
        dbsession, project, submitted_version=project.version_id, **values
    )


def order(project) -> list[str]:
    return [link.repository.code for link in project.project_repositories]


def test_update_settings(dbsession, factory):
    project = factory.project()
    kind = factory.task_type("Project", "Feature")
    structure = factory.structure()
    save(dbsession, project, type_id=kind.id, is_stereoscopic=True, structure_id=structure.id)
    dbsession.expire_all()
    assert (project.type, project.is_stereoscopic, project.structure) == (kind, True, structure)
    save(dbsession, project)
    assert (project.type, project.is_stereoscopic, project.structure) == (None, False, None)


def test_a_type_for_another_kind_of_entity_is_refused(dbsession, factory):
    project = factory.project()
    with pytest.raises(ValidationError) as error:
        save(
            dbsession, project, type_id=factory.task_type("Asset", "Prop").id, is_stereoscopic=True
        )
    assert error.value.field == "type_id"
    assert error.value.message == "The type Prop is for Asset entities, not Project."
    assert (project.type, project.is_stereoscopic) == (None, False)


@pytest.mark.parametrize("field", ["type_id", "structure_id"])
def test_a_missing_choice_is_refused(dbsession, factory, field):
    project = factory.project()
    with pytest.raises(ValidationError) as error:
        save(dbsession, project, **{field: 10**9})
    assert error.value.field == field
    assert "does not exist any more" in error.value.message


def test_settings_from_a_stale_page_are_refused(dbsession, factory):
    project = factory.project()
    with pytest.raises(ConflictError):
        settings.update_project_settings(
            dbsession,
            project,
            submitted_version=project.version_id - 1,
            type_id=None,
            is_stereoscopic=True,
            structure_id=None,
        )
    assert project.is_stereoscopic is False


def test_choices_offer_project_types_and_unused_repositories(dbsession, factory):
    project = factory.project()
    used, free = factory.repository(), factory.repository()
    project.repositories.append(used)
    feature = factory.task_type("Project", "Feature")
    factory.task_type("Asset", "Prop")
    structure = factory.structure()
    choices = settings.settings_choices(dbsession, project)
    assert feature in choices.types and all(
        kind.target_entity_type == "Project" for kind in choices.types
    )
    assert structure in choices.structures
    assert free in choices.repositories and used not in choices.repositories


def test_add_move_and_remove_repositories(dbsession, factory):
    project = factory.project()
    a, b, c = (factory.repository(code=code) for code in ("A", "B", "C"))
    for repository in (a, b, c):
        settings.change_repositories(dbsession, project, action="add", repository_id=repository.id)
    assert order(project) == ["A", "B", "C"]
    moved = settings.change_repositories(dbsession, project, action="up", repository_id=c.id)
    assert moved is c
    assert order(project) == ["A", "C", "B"]
    settings.change_repositories(dbsession, project, action="down", repository_id=a.id)
    assert order(project) == ["C", "A", "B"]
    assert project.repository is c
    settings.change_repositories(dbsession, project, action="remove", repository_id=c.id)
    dbsession.expire_all()
    assert order(project) == ["A", "B"]
    assert [link.position for link in project.project_repositories] == [0, 1]
    assert dbsession.get(Repository, c.id) is not None


@pytest.mark.parametrize(
    ("action", "which", "field", "message"),
    [
        ("add", "first", "repository_id", "A is already one of the repositories of Film."),
        ("add", None, "repository_id", "Choose a repository to add."),
        ("add", "gone", "repository_id", "That repository does not exist any more"),
        ("up", "first", None, "A is already first."),
        ("down", "last", None, "B is already last."),
        ("remove", "outsider", None, "That repository is not one of the repositories of Film"),
        ("up", None, None, "That repository is not one of the repositories of Film"),
        ("sideways", "first", None, "Unknown action"),
    ],
)
def test_repository_actions_are_checked(dbsession, factory, action, which, field, message):
    project = factory.project(name="Film")
    first, last = factory.repository(code="A", name="A"), factory.repository(code="B", name="B")
    project.repositories.extend([first, last])
    dbsession.flush()
    ids = {
        "first": first.id,
        "last": last.id,
        "outsider": factory.repository().id,
        "gone": 10**9,
        None: None,
    }
    with pytest.raises(ValidationError) as error:
        settings.change_repositories(dbsession, project, action=action, repository_id=ids[which])
    assert error.value.field == field
    assert message in error.value.message
    assert order(project) == ["A", "B"]


def count(dbsession, statement) -> int:
    return dbsession.scalar(select(func.count()).select_from(statement.subquery()))


def test_delete_project_needs_its_code(dbsession, factory):
    project = factory.project(code="FILM")
    for typed in ("", "film", "OTHER"):
        with pytest.raises(ValidationError) as error:
            settings.delete_project(dbsession, project, confirmation=typed)
        assert error.value.field == "confirmation"
        assert error.value.message == "Type the code of the project, FILM, to delete it."
    assert dbsession.get(Project, project.id) is not None


def test_delete_project_deletes_its_task_tree_memberships_and_repository_list(dbsession, factory):
    project, other = factory.project(code="FILM"), factory.project()
    artist = factory.user()
    project.members.append(ProjectUser(user=artist))
    repository = factory.repository()
    project.repositories.append(repository)
    project.structure = structure = factory.structure()
    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", parent=sequence, sequence=sequence)
    layout, animation = factory.task(parent=shot), factory.task(parent=shot)
    animation.depends_on.append(layout)
    layout.resources.append(artist)
    kept = factory.task(project=other)
    dbsession.flush()
    ids = [sequence.id, shot.id, layout.id, animation.id]

    settings.delete_project(dbsession, project, confirmation=" FILM ")
    dbsession.expire_all()

    assert dbsession.get(Project, project.id) is None
    assert count(dbsession, select(Task).where(Task.id.in_(ids))) == 0
    assert count(dbsession, select(TaskDependency).where(TaskDependency.task_id.in_(ids))) == 0
    assert count(dbsession, select(task_resources).where(task_resources.c.task_id.in_(ids))) == 0
    assert count(dbsession, select(ProjectUser).where(ProjectUser.project_id == project.id)) == 0
    assert (
        count(
            dbsession, select(ProjectRepository).where(ProjectRepository.project_id == project.id)
        )
        == 0
    )
    # What the project used or held stays.
    assert dbsession.get(User, artist.id) is not None
    assert dbsession.get(Repository, repository.id) is not None
    assert dbsession.get(Structure, structure.id) is not None
    assert dbsession.get(Task, kept.id) is not None

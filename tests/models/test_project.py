"""Project, its members and repositories, image formats, structures and filename templates."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from stalker_web.models import (
    FilenameTemplate,
    ImageFormat,
    Project,
    ProjectUser,
    Repository,
    Structure,
    Task,
    User,
)
from stalker_web.models.meta import InvalidValue
from stalker_web.services.studio.initial_data import IMAGE_FORMATS

NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


def test_a_project_keeps_its_settings(factory, dbsession):
    hd = dbsession.scalars(select(ImageFormat).where(ImageFormat.name == "HD 1080")).one()
    project = factory.project(name="Big Film", code="BF", fps=24, image_format=hd)
    dbsession.expire_all()
    assert (project.name, project.code, project.fps) == ("Big Film", "BF", 24.0)
    assert project.image_format.width == 1920
    assert project.status.code == "RTS"
    assert not project.is_active


def test_the_frame_rate_defaults_to_25(factory):
    assert factory.project().fps == 25.0


@pytest.mark.parametrize("fps", [0, -24, "fast", None])
def test_a_frame_rate_must_be_above_zero(factory, fps):
    project = factory.project()
    with pytest.raises(InvalidValue, match="frame rate must be a number above zero") as error:
        project.fps = fps
    assert error.value.field == "fps"


def test_a_project_code_is_required(factory):
    with pytest.raises(InvalidValue, match="A code is required"):
        factory.project(code=" ")


def test_a_project_type_must_be_for_projects(factory):
    project = factory.project()
    project.type = factory.task_type("Project", "Feature")
    with pytest.raises(InvalidValue, match="is for Asset entities, not Project") as error:
        project.type = factory.task_type("Asset", "Prop")
    assert error.value.field == "type"


def test_the_end_cannot_come_before_the_start(factory):
    project = factory.project(start=NOW, end=NOW + timedelta(days=30))
    with pytest.raises(InvalidValue, match="The end cannot come before the start"):
        project.end = NOW - timedelta(days=1)
    with pytest.raises(InvalidValue, match="The end cannot come before the start"):
        project.start = NOW + timedelta(days=31)


def test_set_dates_moves_a_range_later_in_one_step(factory):
    project = factory.project(start=NOW, end=NOW + timedelta(days=1))
    project.set_dates(NOW + timedelta(days=10), NOW + timedelta(days=20))
    assert (project.start, project.end) == (NOW + timedelta(days=10), NOW + timedelta(days=20))
    with pytest.raises(InvalidValue, match="before the start"):
        project.set_dates(NOW, NOW - timedelta(hours=1))


def test_naive_dates_are_refused(factory):
    with pytest.raises(InvalidValue, match="time zone"):
        factory.project().start = datetime(2026, 1, 1)


def test_repositories_keep_their_order_and_the_first_is_the_repository(factory, dbsession):
    first, second = factory.repository(), factory.repository()
    project = factory.project()
    project.repositories = [second, first]
    dbsession.flush()
    dbsession.expire_all()
    assert project.repositories == [second, first]
    assert project.repository is second
    assert [link.position for link in project.project_repositories] == [0, 1]


def test_a_project_without_repositories_has_no_repository(factory):
    assert factory.project().repository is None


def test_members_hold_a_role_and_the_rate_of_the_day_they_joined(factory, dbsession):
    artist = factory.user(rate=40)
    lead = factory.user(rate=55)
    project = factory.project()
    project.members.append(ProjectUser(artist, role=factory.role("Artist")))
    project.members.append(ProjectUser(lead, role=factory.role("Lead"), rate=70))
    dbsession.flush()
    artist.rate = 45
    dbsession.expire_all()
    rates = {member.user.login: (member.role.name, member.rate) for member in project.members}
    assert rates == {artist.login: ("Artist", 40.0), lead.login: ("Lead", 70.0)}
    assert set(project.users) == {artist, lead}


def test_a_member_rate_cannot_be_negative(factory):
    with pytest.raises(InvalidValue, match="A rate cannot be negative"):
        ProjectUser(factory.user(), rate=-1)


def test_deleting_a_project_keeps_its_members_and_repositories(factory, dbsession):
    user, repository = factory.user(), factory.repository()
    project = factory.project()
    project.members.append(ProjectUser(user))
    project.repositories.append(repository)
    dbsession.flush()
    dbsession.delete(project)
    dbsession.flush()
    dbsession.expire_all()
    assert dbsession.get(Project, project.id) is None
    assert dbsession.get(User, user.id) is not None
    assert dbsession.get(Repository, repository.id) is not None


def test_deleting_a_project_deletes_its_task_tree(factory, dbsession):
    project = factory.project()
    shot = factory.task("Shot", parent=factory.task("Sequence", project=project))
    leaf = factory.task(parent=shot)
    leaf.depends_on.append(factory.task(parent=shot))
    dbsession.flush()
    dbsession.delete(project)
    dbsession.flush()
    dbsession.expire_all()
    assert dbsession.scalars(select(Task).where(Task.project_id == project.id)).all() == []


def test_a_project_needs_a_status(factory):
    with pytest.raises(InvalidValue, match="A project needs a status"):
        factory.project().status = None


def test_the_common_image_formats_are_seeded(dbsession):
    names = set(dbsession.scalars(select(ImageFormat.name)))
    assert set(IMAGE_FORMATS) <= names


def test_device_aspect_includes_the_pixel_aspect():
    image_format = ImageFormat(name="Anamorphic", width=1920, height=1080, pixel_aspect=2)
    assert image_format.device_aspect == pytest.approx(1920 / 1080 * 2)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("width", 0, "The width must be a number above zero"),
        ("height", -5, "The height must be a number above zero"),
        ("width", 0.5, "The width must be at least one pixel"),
        ("pixel_aspect", 0, "The pixel aspect must be a number above zero"),
        ("print_resolution", "dpi", "The print resolution must be a number above zero"),
    ],
)
def test_image_format_numbers_must_be_positive(field, value, message):
    image_format = ImageFormat(name="Test", width=100, height=100)
    with pytest.raises(InvalidValue, match=message) as error:
        setattr(image_format, field, value)
    assert error.value.field == field


def test_sizes_are_stored_as_whole_pixels():
    assert ImageFormat(name="Test", width=1920.0, height=1080).width == 1920


def test_a_filename_template_targets_a_kind_of_task():
    template = FilenameTemplate(
        name="Shots", target_entity_type="Shot", path="{{project.code}}/{{shot.code}}"
    )
    assert template.path == "{{project.code}}/{{shot.code}}"
    with pytest.raises(InvalidValue, match="for one of Task, Asset") as error:
        FilenameTemplate(name="Users", target_entity_type="User")
    assert error.value.field == "target_entity_type"


def test_a_template_that_does_not_parse_is_refused():
    with pytest.raises(InvalidValue, match="The path is not a valid template") as error:
        FilenameTemplate(name="Broken", target_entity_type="Task", path="{{ project.code ")
    assert error.value.field == "path"
    with pytest.raises(InvalidValue, match="The file name is not a valid template"):
        FilenameTemplate(name="Broken", target_entity_type="Task", filename="{% if %}")
    with pytest.raises(InvalidValue, match="The folder template is not a valid template"):
        Structure(name="Broken", custom_template="{% for %}")


def test_a_structure_holds_one_template_per_target(factory, dbsession):
    shots = FilenameTemplate(name="Shots", target_entity_type="Shot", path="{{shot.code}}")
    assets = FilenameTemplate(name="Assets", target_entity_type="Asset", path="{{asset.code}}")
    structure = Structure(name="Film", templates=[shots, assets])
    dbsession.add(structure)
    factory.project(structure=structure)
    dbsession.flush()
    assert structure.template_for("Shot") is shots
    assert structure.template_for("Variant") is None
    with pytest.raises(InvalidValue, match="already has a template for Shot: Shots"):
        structure.templates.append(FilenameTemplate(name="More shots", target_entity_type="Shot"))

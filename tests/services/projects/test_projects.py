"""The projects service: codes, dates, optimistic locking, members, the list and the overview."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from stalker_web.models import ImageFormat, Project, Status
from stalker_web.services.errors import ConflictError, ValidationError
from stalker_web.services.projects import projects

from ...factories.accounts import cheap_users


def _image_format(dbsession, name="Test 1080"):
    image_format = ImageFormat(name=name, width=1920, height=1080)
    dbsession.add(image_format)
    dbsession.flush()
    return image_format


def _refusal(call, **values):
    with pytest.raises(ValidationError) as error:
        call(**values)
    return error.value.field, error.value.message


def test_create_project_is_ready_to_start_with_its_settings(dbsession):
    image_format = _image_format(dbsession)
    project = projects.create_project(
        dbsession,
        name="  Big   Film ",
        code="BF_01",
        fps=24,
        image_format_id=image_format.id,
        start=date(2027, 1, 4),
        end=date(2027, 6, 30),
        description=" A film. ",
    )
    assert (project.name, project.code, project.status.code) == ("Big Film", "BF_01", "RTS")
    assert (project.fps, project.image_format, project.description) == (
        24.0,
        image_format,
        "A film.",
    )
    assert (project.start.date(), project.end.date()) == (date(2027, 1, 4), date(2027, 6, 30))
    assert project.start.tzinfo is not None


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"code": " "}, "code", "A code is required."),
        ({"code": "BF-01"}, "code", "Use only letters, digits and underscores in the code."),
        ({"name": ""}, "name", "A name is required."),
        ({"fps": 0}, "fps", "The frame rate must be a number above zero."),
        ({"fps": None}, "fps", "The frame rate must be a number above zero."),
        ({"image_format_id": 999999}, "image_format_id", None),
        (
            {"start": date(2027, 2, 1), "end": date(2027, 1, 1)},
            "end",
            "The end cannot come before the start.",
        ),
    ],
)
def test_create_project_refuses_bad_values_and_saves_nothing(dbsession, values, field, message):
    arguments = {"name": "Film", "code": "FILM"} | values
    refused_field, refused_message = _refusal(
        lambda **kw: projects.create_project(dbsession, **kw), **arguments
    )
    assert refused_field == field
    if message is not None:
        assert refused_message == message
    assert dbsession.query(Project).filter_by(code="FILM").count() == 0


def test_project_codes_are_unique_without_case(dbsession, factory):
    factory.project(code="Film")
    field, message = _refusal(
        lambda **kw: projects.create_project(dbsession, **kw), name="Other", code="FILM"
    )
    assert (field, message) == ("code", "Another project already has the code 'FILM'.")


def test_update_project_saves_everything_and_checks_the_version(dbsession, factory):
    project = factory.project(code="OLD")
    wip = next(s for s in projects.project_statuses(dbsession) if s.code == "WIP")
    projects.update_project(
        dbsession,
        project,
        submitted_version=project.version_id,
        status_id=wip.id,
        name="Renamed",
        code="old",
        fps=30,
        image_format_id=None,
        start=None,
        end=date(2028, 1, 1),
        description="",
    )
    assert (project.name, project.code, project.status, project.fps) == ("Renamed", "old", wip, 30)
    with pytest.raises(ConflictError):
        projects.update_project(
            dbsession,
            project,
            submitted_version=project.version_id - 1,
            status_id=wip.id,
            name="X",
            code="X",
            fps=25,
            image_format_id=None,
            start=None,
            end=None,
            description="",
        )
    assert project.name == "Renamed"


def test_update_project_refuses_a_status_from_another_list(dbsession, factory):
    project = factory.project()
    task_status = dbsession.scalars(select(Status).where(Status.code == "PREV")).one()
    with pytest.raises(ValidationError) as error:
        projects.update_project(
            dbsession,
            project,
            submitted_version=project.version_id,
            status_id=task_status.id,
            name="X",
            code="X",
            fps=25,
            image_format_id=None,
            start=None,
            end=None,
            description="",
        )
    assert error.value.field == "status_id"
    assert project.name != "X"


def test_a_new_member_gets_the_users_rate_unless_another_is_given(dbsession, factory):
    project = factory.project()
    lead = factory.role("Lead")
    anna, bob = factory.user(rate=40), factory.user(rate=50)
    first = projects.add_member(dbsession, project, user_id=anna.id, role_id=lead.id)
    second = projects.add_member(dbsession, project, user_id=bob.id, role_id=None, rate=65)
    assert (first.role, first.rate) == (lead, 40)
    assert (second.role, second.rate) == (None, 65)


def test_add_member_refusals(dbsession, factory):
    project = factory.project()
    member, inactive = factory.user(), factory.user()
    inactive.is_active = False
    projects.add_member(dbsession, project, user_id=member.id, role_id=None)
    add = lambda **kw: projects.add_member(dbsession, project, **kw)  # noqa: E731
    assert _refusal(add, user_id=None, role_id=None) == ("user_id", "Choose a user to add.")
    assert _refusal(add, user_id=member.id, role_id=None)[0] == "user_id"
    assert _refusal(add, user_id=inactive.id, role_id=None)[0] == "user_id"
    assert _refusal(add, user_id=factory.user().id, role_id=999999)[0] == "role_id"
    assert _refusal(add, user_id=factory.user().id, role_id=None, rate=-1) == (
        "rate",
        "A rate cannot be negative.",
    )
    assert len(project.members) == 1


def test_update_and_remove_member(dbsession, factory):
    project = factory.project()
    user = factory.user(rate=10)
    projects.add_member(dbsession, project, user_id=user.id, role_id=None)
    producer = factory.role("Producer")
    membership = projects.update_member(
        dbsession, project, user_id=user.id, role_id=producer.id, rate=None
    )
    assert (membership.role, membership.rate) == (producer, 10)
    projects.update_member(dbsession, project, user_id=user.id, role_id=None, rate=12.5)
    assert (membership.role, membership.rate) == (None, 12.5)
    assert projects.remove_member(dbsession, project, user_id=user.id).user == user
    assert project.members == []
    with pytest.raises(ValidationError):
        projects.remove_member(dbsession, project, user_id=user.id)


@pytest.fixture
def involved(dbsession, factory):
    """Ann on tasks of Film in every way (and on a task of another project); returns
    (project, ann, tasks by name)."""
    project, ann = factory.project(name="Film"), factory.user(name="Ann")
    projects.add_member(dbsession, project, user_id=ann.id, role_id=None)
    tasks = {
        name: factory.task(project=project, name=name)
        for name in ("Anim", "Blocking", "Comp", "Dust", "Edit", "Fx", "Grade")
    }
    for name in ("Edit", "Comp", "Anim", "Dust", "Blocking"):
        tasks[name].resources.append(ann)
    tasks["Fx"].alternative_resources.append(ann)
    tasks["Grade"].responsible.append(ann)
    tasks["Anim"].watchers.append(ann)
    tasks["Grade"].watchers.append(ann)
    tasks["Dust"].computed_resources.append(ann)
    elsewhere = factory.task(name="Elsewhere", resources=[ann], watchers=[ann])
    dbsession.flush()
    return project, ann, tasks, elsewhere


def test_member_tasks_says_how_a_member_is_named_on_the_projects_tasks(dbsession, involved):
    project, ann, _tasks, _elsewhere = involved
    summary = projects.member_tasks(dbsession, project, ann)
    assert summary.task_count == 7
    assert [(i.label, i.count, i.names, i.more) for i in summary.involvements] == [
        ("resource of", 5, ["Anim", "Blocking", "Comp"], 2),
        ("alternative resource of", 1, ["Fx"], 0),
        ("responsible for", 1, ["Grade"], 0),
        ("watcher of", 2, ["Anim", "Grade"], 0),
        ("booked by the last schedule on", 1, ["Dust"], 0),
    ]
    assert (
        summary.involvements[0].sentence() == "Resource of 5 tasks: Anim, Blocking, Comp and 2 more"
    )
    assert summary.involvements[1].sentence() == "Alternative resource of 1 task: Fx"
    assert summary.reviews is None


def test_member_tasks_takes_two_queries_whatever_the_number_of_tasks(
    dbsession, factory, involved, count_queries
):
    project, ann, _tasks, _elsewhere = involved
    with count_queries() as few:
        projects.member_tasks(dbsession, project, ann)
    for number in range(30):
        factory.task(project=project, name=f"More {number}", resources=[ann], watchers=[ann])
    dbsession.flush()
    with count_queries() as many:
        summary = projects.member_tasks(dbsession, project, ann)
    assert summary.task_count == 37
    assert many.count == few.count <= 2


def test_removing_a_member_takes_them_off_the_projects_tasks_only(dbsession, involved):
    from stalker_web.models import TimeLog

    project, ann, tasks, elsewhere = involved
    log = TimeLog(
        task=tasks["Comp"],
        resource=ann,
        start=datetime(2026, 3, 2, 9, tzinfo=UTC),
        end=datetime(2026, 3, 2, 11, tzinfo=UTC),
    )
    dbsession.add(log)
    dbsession.flush()
    removal = projects.remove_member(dbsession, project, user_id=ann.id)
    assert (removal.user, removal.task_count) == (ann, 7)
    assert ann not in project.users
    for task in tasks.values():
        people = (
            task.resources,
            task.alternative_resources,
            task.responsible,
            task.watchers,
            task.computed_resources,
        )
        assert all(ann not in users for users in people), task.name
    assert (elsewhere.resources, elsewhere.watchers) == ([ann], [ann])
    assert tasks["Comp"].time_logs == [log]  # the history stays


def test_a_member_with_reviews_to_answer_is_not_removed(dbsession, factory, involved):
    from stalker_web.models import Review

    project, ann, tasks, _elsewhere = involved
    for name in ("Anim", "Blocking", "Comp", "Dust"):
        dbsession.add(Review(task=tasks[name], reviewer=ann, review_number=1))
    dbsession.flush()
    summary = projects.member_tasks(dbsession, project, ann)
    assert (summary.reviews.count, summary.reviews.names) == (4, ["Anim", "Blocking", "Comp"])
    field, message = _refusal(
        projects.remove_member, dbsession=dbsession, project=project, user_id=ann.id
    )
    assert message == (
        "Ann still has 4 reviews to answer in Film (Anim, Blocking, Comp and 1 more). "
        "Ask Ann to answer them, or answer them in their place as a manager of the project, "
        "then remove Ann."
    )
    assert ann in project.users
    assert ann in tasks["Edit"].resources


def test_the_list_holds_every_project_or_only_the_users_own(dbsession, factory):
    user = factory.user()
    mine, _other = factory.project(name="A mine"), factory.project(name="B other")
    projects.add_member(dbsession, mine, user_id=user.id, role_id=None)
    own = projects.visible_projects(dbsession, user, see_all=False, number=1)
    assert [(s.project, s.member_count) for s in own.items] == [(mine, 1)]
    every = projects.visible_projects(dbsession, user, see_all=True, number=1)
    assert {s.project.name for s in every.items} >= {"A mine", "B other"}


def test_overview_counts_tasks_by_status_and_kind(dbsession, factory):
    project = factory.project()
    sequence = factory.task("Sequence", project=project)
    factory.task("Shot", parent=sequence, sequence=sequence)
    factory.task("Shot", parent=sequence, sequence=sequence)
    factory.task(project=project)
    overview = projects.project_overview(dbsession, project)
    assert overview.task_count == 4
    assert dict(overview.type_counts) == {"Sequence": 1, "Shot": 2, "Task": 1}
    assert sum(row[3] for row in overview.status_counts) == 4
    # One row a status, whatever the kinds of tasks holding it.
    assert len({row[0] for row in overview.status_counts}) == len(overview.status_counts)
    assert len(overview.recent) == 4


def test_overview_lists_the_ten_tasks_changed_last(dbsession, factory):
    project = factory.project()
    tasks = [factory.task(project=project) for _ in range(12)]
    tasks[0].name = "Changed last"
    dbsession.flush()
    recent = projects.project_overview(dbsession, project).recent
    assert len(recent) == projects.RECENT_CHANGES
    assert recent[0].name == "Changed last"


def test_overview_takes_the_same_queries_for_a_big_team_and_tree(dbsession, factory, count_queries):
    def build(count):
        project = factory.project()
        for user in cheap_users(dbsession, count):
            projects.add_member(dbsession, project, user_id=user.id, role_id=None)
        for _ in range(count):
            factory.task(project=project)
        return project.id

    small_id, big_id = build(3), build(30)
    dbsession.expire_all()
    small, big = dbsession.get(Project, small_id), dbsession.get(Project, big_id)
    with count_queries() as few:
        projects.project_overview(dbsession, small)
    with count_queries() as many:
        projects.project_overview(dbsession, big)
    assert many.count == few.count == 5

"""The task edit page through the real form: every editable field, refusals under their field,
the stale-version refusal, partial posts, permissions and a fixed number of queries."""

from datetime import UTC, datetime

import pytest

from stalker_web.models import ImageFormat

from ...conftest import login
from ...factories.accounts import cheap_users
from ...factories.projects import member
from ...pages import csrf_token


@pytest.fixture
def project(factory):
    return factory.project(name="Film")


@pytest.fixture
def team(factory, project):
    """Two artists who are members of ``project``."""
    return [member(project, factory.user(name=name)) for name in ("Ann", "Bob")]


@pytest.fixture
def producer_app(testapp, factory, project):
    """Logged in as a member of ``project`` holding the Producer role."""
    login(testapp, member(project, factory.user(name="Pat"), factory.role("Producer")).login)
    return testapp


def edit_url(task) -> str:
    return f"/tasks/{task.id}/edit"


def field_errors(page, name: str) -> str:
    """The error list rendered under the field ``name``."""
    errors = page.html.find(id=f"{name}-errors")
    return errors.get_text(" ", strip=True) if errors else ""


def option_labels(page, name: str) -> list[str]:
    return [option.get_text() for option in page.html.find(id=name)("option")]


def chosen(page, name: str) -> list[str]:
    """The people ticked in the user picker ``name``."""
    return [
        box.find_next("label").get_text()
        for box in page.html.find(id=f"{name}-chosen")("input", checked=True)
    ]


def post(testapp, task, **fields):
    """A hand-made post of only ``fields`` (plus the token and, unless given, the version)."""
    data = {"csrf_token": csrf_token(testapp), "version_id": task.version_id, **fields}
    return testapp.post(edit_url(task), data, status="*")


def test_the_page_shows_the_task_and_its_people(producer_app, factory, project, team, dbsession):
    former = factory.user(name="Zed")
    task = factory.task(project=project, name="Model", priority=650, watchers=[former])
    factory.user(name="Stranger")
    page = producer_app.get(edit_url(task))
    form = page.forms["task-form"]
    assert (form["name"].value, form["priority"].value, form["version_id"].value) == (
        "Model",
        "650",
        str(task.version_id),
    )
    # The pickers show who holds each place, never a list of every user.
    assert (chosen(page, "resources"), chosen(page, "responsible")) == ([], [])
    # Somebody already watching who left the team stays visible (and kept) rather than dropped.
    assert chosen(page, "watchers") == ["Zed"]
    assert form["watchers"].value == str(former.id)
    assert "Stranger" not in page.text
    assert page.html.find(id="task-path").get_text() == f"{task.project.code} / Model"


def test_every_task_field_is_saved(producer_app, factory, project, team, dbsession):
    ann, bob = team
    modeling = factory.task_type("Task", "Modeling")
    task = factory.task(project=project, name="Model")
    form = producer_app.get(edit_url(task)).forms["task-form"]
    form["name"], form["code"], form["type"] = " Model  the hero ", "MDL", str(modeling.id)
    form["priority"], form["schedule_timing"], form["schedule_unit"] = "800", "3", "d"
    form["schedule_model"], form["schedule_constraint"] = "length", "start"
    form["start"], form["end"] = "2027-01-04T09:00", "2027-01-08T18:30"
    form["bid_timing"], form["bid_unit"] = "2", "w"
    form["allocation_strategy"], form["persistent_allocation"] = "order", False
    form["description"] = " Sculpt first "
    form["resources_logins"], form["alternative_resources_logins"] = ann.login, bob.login
    form["watchers_logins"] = f"{ann.login}, {bob.login.upper()}"
    form["responsible_logins"] = bob.login
    response = form.submit(status=303)
    assert response.location.endswith(f"/tasks/{task.id}")
    assert "Model the hero saved." in response.follow().text
    assert (task.name, task.code, task.type, task.description) == (
        "Model the hero",
        "MDL",
        modeling,
        "Sculpt first",
    )
    assert (task.priority, task.schedule_timing, task.schedule_unit) == (800, 3.0, "d")
    assert (task.schedule_model, task.schedule_constraint) == ("length", "start")
    assert (task.start, task.end) == (
        datetime(2027, 1, 4, 9, tzinfo=UTC),
        datetime(2027, 1, 8, 18, 30, tzinfo=UTC),
    )
    assert (task.bid_timing, task.bid_unit) == (2.0, "w")
    assert (task.allocation_strategy, task.persistent_allocation) == ("order", False)
    assert (task.resources, task.alternative_resources) == ([ann], [bob])
    assert (task.watchers, task.responsible) == ([ann, bob], [bob])


def test_emptying_the_people_and_making_a_milestone(producer_app, factory, project, team):
    ann, _bob = team
    task = factory.task(project=project, name="Review", resources=[ann], watchers=[ann])
    form = producer_app.get(edit_url(task)).forms["task-form"]
    form["resources"], form["watchers"] = [], []
    form["is_milestone"] = True
    form.submit(status=303)
    assert (task.resources, task.watchers, task.is_milestone) == ([], [], True)


def test_a_partial_post_changes_only_what_it_sends(producer_app, factory, project, team):
    ann, _bob = team
    task = factory.task(
        project=project, name="Rig", resources=[ann], persistent_allocation=False, priority=900
    )
    post(producer_app, task, name="Rig the hero")
    assert (task.name, task.resources, task.priority) == ("Rig the hero", [ann], 900)
    assert task.persistent_allocation is False


def test_an_unchanged_date_keeps_its_seconds(producer_app, factory, project):
    start = datetime(2027, 1, 4, 9, 0, 30, tzinfo=UTC)
    task = factory.task(project=project, name="Plan")
    task.start = start
    form = producer_app.get(edit_url(task)).forms["task-form"]
    assert form["start"].value == "2027-01-04 09:00"
    form["name"] = "Plan it"
    form.submit(status=303)
    assert (task.name, task.start) == ("Plan it", start)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "A name is required."),
        ({"priority": "1001"}, "priority", "The priority is a whole number from 0 to 1000."),
        ({"priority": "soon"}, "priority", "The priority is a whole number from 0 to 1000."),
        ({"schedule_timing": "x"}, "schedule_timing", "Enter a number such as 2 or 0.5."),
        ({"bid_timing": "-2"}, "bid_timing", "The bid must be a number of zero or more."),
        ({"schedule_unit": "fortnight"}, "schedule_unit", "The schedule unit must be one of"),
        (
            {"allocation_strategy": "fair"},
            "allocation_strategy",
            "The allocation strategy must be one of",
        ),
        ({"start": "next week"}, "start", "Enter a date and a time as YYYY-MM-DD HH:MM."),
        (
            {"start": "2027-02-01T09:00", "end": "2027-01-01T09:00"},
            "end",
            "The end cannot come before the start.",
        ),
    ],
)
def test_bad_input_is_refused_under_its_field_and_changes_nothing(
    producer_app, factory, project, changes, field, message
):
    task = factory.task(project=project, name="Layout", priority=600)
    form = producer_app.get(edit_url(task)).forms["task-form"]
    form["name"], form["priority"] = "Changed", "700"
    for key, value in changes.items():
        if key in ("schedule_unit", "allocation_strategy"):  # values the page does not offer
            form[key].force_value(value)
        else:
            form[key] = value
    page = form.submit(status=400)
    assert message in field_errors(page, field)
    assert (task.name, task.priority, task.start, task.end) == ("Layout", 600, None, None)


def test_only_members_can_be_chosen(producer_app, factory, project, team):
    stranger = factory.user(name="Stranger")
    task = factory.task(project=project, name="Paint")
    form = producer_app.get(edit_url(task)).forms["task-form"]
    form["resources_logins"] = f"{team[0].login}, {stranger.login}"
    page = form.submit(status=400)
    assert "Stranger is not on the team of Film: add them to the project first." in field_errors(
        page, "resources"
    )
    assert task.resources == []


def test_a_container_gets_no_resources(producer_app, factory, project, team):
    container = factory.task(project=project, name="Hero")
    factory.task(parent=container, name="Model")
    form = producer_app.get(edit_url(container)).forms["task-form"]
    form["resources_logins"] = team[0].login
    page = form.submit(status=400)
    assert "Hero has child tasks: a task with children has no resources" in field_errors(
        page, "resources"
    )
    assert container.resources == []


def test_a_milestone_has_no_resources(producer_app, factory, project, team):
    task = factory.task(project=project, name="Delivery", resources=[team[0]])
    form = producer_app.get(edit_url(task)).forms["task-form"]
    form["is_milestone"] = True
    page = form.submit(status=400)
    assert "A milestone has no resources: remove them first." in field_errors(page, "is_milestone")
    assert task.is_milestone is False


def test_a_stale_page_is_refused(producer_app, factory, dbsession, project):
    task = factory.task(project=project, name="Layout")
    form = producer_app.get(edit_url(task)).forms["task-form"]
    task.priority = 100  # somebody else saves meanwhile
    dbsession.flush()
    form["name"] = "Mine"
    page = form.submit(status=400)
    assert "This task was changed by someone else" in page.html.find(role="alert").get_text()
    assert task.name == "Layout"


def test_a_post_without_the_version_is_refused(producer_app, factory, project):
    task = factory.task(project=project, name="Layout")
    page = producer_app.post(
        edit_url(task), {"csrf_token": csrf_token(producer_app), "name": "Mine"}, status=400
    )
    assert "This task was changed by someone else" in page.text
    assert task.name == "Layout"


# Shots


@pytest.fixture
def shot(factory, project):
    return factory.task("Shot", project=project, code="SH010", cut_in=1, cut_out=100)


def test_a_shot_edits_its_frames_format_sequence_and_scene(
    producer_app, factory, dbsession, project, shot
):
    sequence = factory.task("Sequence", project=project, name="Opening", code="SEQ01")
    scene = factory.task("Scene", project=project, name="Chase", code="SC01")
    image_format = ImageFormat(name="Scope 4K", width=4096, height=1716)
    dbsession.add(image_format)
    dbsession.flush()
    page = producer_app.get(edit_url(shot))
    assert option_labels(page, "sequence") == ["No sequence", "SEQ01 · Opening"]
    form = page.forms["task-form"]
    form["cut_in"], form["cut_out"], form["record_in"] = "11", "80", "1001"
    form["fps"], form["image_format"] = "24", str(image_format.id)
    form["sequence"], form["scene"] = str(sequence.id), str(scene.id)
    form.submit(status=303)
    # The sources equal to the old cut follow the new one.
    assert (shot.cut_in, shot.cut_out, shot.source_in, shot.source_out) == (11, 80, 11, 80)
    assert (shot.record_in, shot.fps, shot.image_format) == (1001, 24.0, image_format)
    assert (shot.sequence, shot.scene) == (sequence, scene)


def test_a_shot_goes_back_to_the_projects_frame_rate(producer_app, factory, project):
    shot = factory.task("Shot", project=project, code="SH020", fps=48.0)
    form = producer_app.get(edit_url(shot)).forms["task-form"]
    form["fps"] = ""
    form.submit(status=303)
    assert shot.fps is None


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"cut_out": "0"}, "cut_out", "The cut out frame (0) is before the cut in frame."),
        ({"source_in": "200"}, "source_in", "The source in frame must lie within the cut."),
        ({"cut_in": "one"}, "cut_in", "Enter a whole number."),
        ({"fps": "-1"}, "fps", "The frame rate must be a number above zero."),
        ({"fps": "fast"}, "fps", "Enter a number such as 25."),
        ({"code": ""}, "code", "A code is required."),
    ],
)
def test_a_shot_refuses_bad_frames_and_changes_nothing(producer_app, shot, changes, field, message):
    form = producer_app.get(edit_url(shot)).forms["task-form"]
    form["record_in"] = "1001"
    for key, value in changes.items():
        form[key] = value
    page = form.submit(status=400)
    assert message in field_errors(page, field)
    assert (shot.cut_in, shot.cut_out, shot.source_in, shot.record_in) == (1, 100, 1, None)


def test_a_shot_code_stays_unique(producer_app, factory, project, shot):
    other = factory.task("Shot", project=project, code="SH020")
    form = producer_app.get(edit_url(other)).forms["task-form"]
    form["code"] = "sh010"
    page = form.submit(status=400)
    assert "Shot code sh010 is already used in project Film." in field_errors(page, "code")
    assert other.code == "SH020"


def test_a_sequence_of_another_project_or_kind_is_refused(producer_app, factory, project, shot):
    elsewhere = factory.task("Sequence", project=factory.project(), name="Far", code="FAR")
    scene = factory.task("Scene", project=project, name="Chase", code="SC01")
    for value, message in (
        (elsewhere.id, "The sequence Far is in another project."),
        (scene.id, "A shot's sequence must be a Sequence."),
        (999999, "That task no longer exists; choose another."),
    ):
        page = post(producer_app, shot, sequence=str(value))
        assert page.status_int == 400
        assert message in field_errors(page, "sequence")
    assert shot.sequence is None


# Permissions


@pytest.mark.parametrize("role", [None, "Artist"])
def test_members_without_a_manager_role_and_outsiders_are_refused(testapp, factory, project, role):
    task = factory.task(project=project, name="Layout")
    user = factory.user()
    if role is not None:
        member(project, user, factory.role(role))
    login(testapp, user.login)
    testapp.get(edit_url(task), status=403)
    assert post(testapp, task, name="Hacked").status_int == 403
    assert task.name == "Layout"


def test_a_studio_wide_update_task_right_is_enough(testapp, factory, project):
    task = factory.task(project=project, name="Layout")
    login(testapp, factory.user_allowed("Update_Task").login)
    assert post(testapp, task, name="Renamed").status_int == 303
    assert task.name == "Renamed"


# Queries


def test_the_page_takes_the_same_queries_for_a_small_and_a_ten_times_bigger_project(
    admin_app, factory, dbsession, project, count_queries
):
    shot = factory.task("Shot", project=project, code="SH001")

    def grow(count):
        for user in cheap_users(dbsession, count):
            member(project, user)
        for number in range(count):
            factory.task("Sequence", project=project, code=f"SQ{count}_{number}")
            factory.task("Scene", project=project, code=f"SC{count}_{number}")
            factory.task_type("Shot", f"Shot type {count} {number}")
        shot.resources.extend(cheap_users(dbsession, count))
        shot.watchers.extend(cheap_users(dbsession, count))
        dbsession.flush()
        dbsession.expire_all()  # each request starts from an empty session, as in production

    grow(3)
    with count_queries() as small:
        admin_app.get(edit_url(shot))
    grow(27)
    with count_queries() as big:
        page = admin_app.get(edit_url(shot))
    assert len(option_labels(page, "sequence")) == 31
    assert big.count == small.count

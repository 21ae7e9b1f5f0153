"""The dependency page: searching the task to wait for, adding it with every refusal explained,
and removing a dependency from the task page."""

import pytest
from sqlalchemy import select

from stalker_web.models import TaskDependency
from stalker_web.models.task import status_changes
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.workflow.statuses import task_status

from ...conftest import login
from ...factories.projects import member
from ...pages import button_form, csrf_token, form_posting_to


@pytest.fixture
def project(factory):
    return factory.project(name="Film", code="FLM")


@pytest.fixture
def lead(factory, project):
    """A member of ``project`` holding the Lead role."""
    return member(project, factory.user(), factory.role("Lead"))


@pytest.fixture
def lead_app(testapp, lead):
    login(testapp, lead.login)
    return testapp


@pytest.fixture
def tree(factory, project):
    """Hero (containing Model and Rig), Layout and Animation (name → task)."""
    hero = factory.task(project=project, name="Hero")
    model = factory.task(parent=hero, name="Model", code="MDL")
    rig = factory.task(parent=hero, name="Rig")
    layout = factory.task(project=project, name="Layout")
    animation = factory.task(project=project, name="Animation")
    return {task.name: task for task in (hero, model, rig, layout, animation)}


def page_url(task, **query) -> str:
    suffix = "&".join(f"{key}={value}" for key, value in query.items())
    return f"/tasks/{task.id}/dependencies" + (f"?{suffix}" if suffix else "")


def candidate_paths(page) -> list[str]:
    table = page.html.find(id="dependency-candidates")
    if table is None:
        return []
    return [row.th.label.get_text(strip=True) for row in table.tbody("tr")]


def choose(page, task):
    """The add form with the radio of ``task`` chosen."""
    form = page.forms["dependency-form"]
    form["depends_on"] = str(task.id)
    return form


def errors(page, field: str = "depends_on") -> str:
    found = page.html.find(id=f"{field}-errors")
    return found.get_text(" ", strip=True) if found else ""


def dependencies_of(dbsession, task) -> list[tuple[int, str, float, str, str]]:
    rows = dbsession.scalars(select(TaskDependency).where(TaskDependency.task_id == task.id))
    return [
        (row.depends_on_id, row.dependency_target, row.gap_timing, row.gap_unit, row.gap_model)
        for row in rows
    ]


def test_the_page_offers_the_tasks_it_can_wait_for(lead_app, dbsession, tree):
    add_dependency(dbsession, tree["Rig"], tree["Layout"])
    page = lead_app.get(page_url(tree["Rig"]))
    # Not itself, not its container, not what it already waits for.
    assert candidate_paths(page) == ["FLM / Animation", "FLM / Hero / Model"]
    assert [
        row.th.get_text(strip=True) for row in page.html.find(id="dependencies").tbody("tr")
    ] == ["FLM / Layout"]
    # A container is offered no task inside it.
    assert candidate_paths(lead_app.get(page_url(tree["Hero"]))) == [
        "FLM / Animation",
        "FLM / Layout",
    ]


def test_the_search_matches_name_or_code_without_case(lead_app, tree):
    found = candidate_paths(lead_app.get(page_url(tree["Animation"], q="mdl")))
    assert found == ["FLM / Hero / Model"]
    assert candidate_paths(lead_app.get(page_url(tree["Animation"], q="LAY"))) == ["FLM / Layout"]
    assert "No task matches “zzz”." in lead_app.get(page_url(tree["Animation"], q="zzz")).text


def test_other_projects_are_searched_only_on_request_and_only_where_the_user_reads(
    lead_app, factory, lead, tree
):
    shared = factory.project(name="Shared", code="SHR")
    member(shared, lead)
    library = factory.task(project=shared, name="Library")
    factory.task(project=factory.project(name="Secret"), name="Hidden")
    animation = tree["Animation"]
    assert candidate_paths(lead_app.get(page_url(animation))) == [
        "FLM / Hero",
        "FLM / Layout",
        "FLM / Hero / Model",
        "FLM / Hero / Rig",
    ]
    page = lead_app.get(page_url(animation, scope="all"))
    assert candidate_paths(page)[-1] == "SHR / Library"
    assert not any("Hidden" in path for path in candidate_paths(page))
    choose(page, library).submit(status=303)
    assert animation.depends_on == [library]


def test_a_task_of_a_project_the_user_cannot_read_is_refused(lead_app, factory, dbsession, tree):
    hidden = factory.task(project=factory.project(name="Secret"), name="Hidden")
    page = lead_app.get(page_url(tree["Animation"]))
    form = page.forms["dependency-form"]
    form["depends_on"].force_value(str(hidden.id))
    page = form.submit(status=400)
    assert "Choose a task from the list." in errors(page)
    assert "Hidden" not in page.text
    assert dependencies_of(dbsession, tree["Animation"]) == []


def test_adding_a_dependency_with_a_gap(lead_app, dbsession, tree):
    animation, layout = tree["Animation"], tree["Layout"]
    form = choose(lead_app.get(page_url(animation)), layout)
    form["dependency_target"], form["gap_timing"] = "onstart", "2.5"
    form["gap_unit"], form["gap_model"] = "d", "duration"
    response = form.submit(status=303)
    assert response.location.endswith(f"/tasks/{animation.id}")
    assert "FLM / Animation now waits for FLM / Layout." in response.follow().text
    assert dependencies_of(dbsession, animation) == [(layout.id, "onstart", 2.5, "d", "duration")]
    assert animation.status.code == "WFD"


def test_the_defaults_wait_for_the_end_without_a_gap(lead_app, dbsession, tree):
    animation, layout = tree["Animation"], tree["Layout"]
    choose(lead_app.get(page_url(animation)), layout).submit(status=303)
    assert dependencies_of(dbsession, animation) == [(layout.id, "onend", 0.0, "h", "length")]


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("Animation", "A task cannot depend on itself."),
        ("Hero", "A task cannot depend on its own parent."),
    ],
)
def test_the_tree_refusals_are_explained(lead_app, dbsession, tree, target, message):
    task = tree["Model"] if target == "Hero" else tree["Animation"]
    page = lead_app.get(page_url(task))
    form = page.forms["dependency-form"]
    form["depends_on"].force_value(str(tree[target].id))
    page = form.submit(status=400)
    assert message in errors(page)
    assert dependencies_of(dbsession, task) == []


def test_a_circular_dependency_is_refused(lead_app, dbsession, tree):
    layout, animation = tree["Layout"], tree["Animation"]
    add_dependency(dbsession, animation, layout)
    page = choose(lead_app.get(page_url(layout)), animation).submit(status=400)
    assert (
        "Animation already waits for Layout (directly or through other tasks), so this "
        "dependency would close a loop." in errors(page)
    )
    # The refused choice stays chosen on the page shown again.
    assert page.forms["dependency-form"]["depends_on"].value == str(animation.id)
    assert dependencies_of(dbsession, layout) == []


def test_a_started_task_keeps_its_dependencies(lead_app, dbsession, tree):
    animation = tree["Animation"]
    with status_changes():  # test setup: the application goes through the workflow
        animation.status = task_status(dbsession, "CMPL")
    dbsession.flush()
    page = choose(lead_app.get(page_url(animation)), tree["Layout"]).submit(status=400)
    assert "can only change while it waits for them or is ready to start" in errors(page)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("gap_timing", "soon", "Enter a gap such as 0 or 2.5."),
        ("gap_timing", "-1", "The gap must be a number of zero or more."),
        ("gap_model", "effort", "A gap is a length (working time) or a duration (calendar)."),
        ("gap_unit", "fortnight", "The gap unit must be one of"),
        ("dependency_target", "whenever", "The dependency target must be one of"),
    ],
)
def test_bad_gaps_are_refused_under_their_field(lead_app, dbsession, tree, field, value, message):
    form = choose(lead_app.get(page_url(tree["Animation"])), tree["Layout"])
    form[field].force_value(value)
    page = form.submit(status=400)
    assert message in errors(page, field)
    assert dependencies_of(dbsession, tree["Animation"]) == []


def test_the_flash_names_both_tasks_by_their_paths(admin_app, factory):
    project = factory.project(code="LHK")
    assets = factory.task(project=project, name="Assets")
    hero_model = factory.task(parent=factory.task(parent=assets, name="Hero"), name="Model")
    chair_model = factory.task(parent=factory.task(parent=assets, name="Chair"), name="Model")
    page = admin_app.get(page_url(hero_model, q="model"))
    response = choose(page, chair_model).submit(status=303)
    message = "LHK / Assets / Hero / Model now waits for LHK / Assets / Chair / Model."
    assert message in response.follow().text


def test_no_choice_is_refused(lead_app, dbsession, tree):
    page = lead_app.get(page_url(tree["Animation"], q="lay"))
    page = page.forms["dependency-form"].submit(status=400)
    assert "Choose a task from the list." in errors(page)
    # The search is kept on the page shown again.
    assert candidate_paths(page) == ["FLM / Layout"]


# Removing


def test_removing_a_dependency_from_the_task_page(lead_app, dbsession, tree):
    animation, layout = tree["Animation"], tree["Layout"]
    add_dependency(dbsession, animation, layout)
    page = lead_app.get(f"/tasks/{animation.id}")
    response = form_posting_to(
        page, f"http://example.com/tasks/{animation.id}/dependencies/{layout.id}/remove"
    ).submit(status=303)
    assert response.location.endswith(f"/tasks/{animation.id}")
    assert "FLM / Animation no longer waits for FLM / Layout." in response.follow().text
    assert dependencies_of(dbsession, animation) == []
    assert animation.status.code == "RTS"


def test_removing_from_the_dependency_page(lead_app, dbsession, tree):
    animation = tree["Animation"]
    add_dependency(dbsession, animation, tree["Layout"])
    button_form(lead_app.get(page_url(animation)), "Remove").submit(status=303)
    assert dependencies_of(dbsession, animation) == []


def test_removing_a_missing_dependency_says_so(lead_app, tree):
    animation, layout = tree["Animation"], tree["Layout"]
    response = lead_app.post(
        f"/tasks/{animation.id}/dependencies/{layout.id}/remove",
        {"csrf_token": csrf_token(lead_app)},
        status=303,
    )
    assert "Animation does not depend on Layout." in response.follow().text
    response = lead_app.post(
        f"/tasks/{animation.id}/dependencies/999999/remove",
        {"csrf_token": csrf_token(lead_app)},
        status=303,
    )
    assert "FLM / Animation does not wait for that task any more." in response.follow().text


# Permissions


@pytest.mark.parametrize("role", [None, "Artist"])
def test_members_without_a_manager_role_and_outsiders_are_refused(
    testapp, factory, dbsession, project, tree, role
):
    animation, layout = tree["Animation"], tree["Layout"]
    add_dependency(dbsession, animation, layout)
    user = factory.user()
    if role is not None:
        member(project, user, factory.role(role))
    login(testapp, user.login)
    token = csrf_token(testapp)
    testapp.get(page_url(animation), status=403)
    testapp.post(page_url(tree["Rig"]), {"csrf_token": token, "depends_on": layout.id}, status=403)
    testapp.post(
        f"/tasks/{animation.id}/dependencies/{layout.id}/remove", {"csrf_token": token}, status=403
    )
    assert dependencies_of(dbsession, animation) == [(layout.id, "onend", 0.0, "h", "length")]
    assert dependencies_of(dbsession, tree["Rig"]) == []


def test_the_page_takes_the_same_queries_for_few_and_many_tasks(
    admin_app, factory, dbsession, project, tree, count_queries
):
    animation = tree["Animation"]

    def grow(count):
        for number in range(count):
            container = factory.task(project=project, name=f"Group {count} {number}")
            upstream = factory.task(parent=container, name=f"Step {count} {number}")
            add_dependency(dbsession, animation, upstream)
            factory.task(parent=container, name=f"Step {count} {number} b")
        dbsession.flush()
        dbsession.expire_all()  # each request starts from an empty session, as in production

    grow(2)
    with count_queries() as few:
        admin_app.get(page_url(animation, q="step"))
    grow(20)
    with count_queries() as many:
        page = admin_app.get(page_url(animation, q="step"))
    assert len(candidate_paths(page)) == 20
    assert many.count == few.count

"""The promote page: exactly what changes, an account row per temporary person, the rights it
takes; promoting applies the changes, creates the accounts, queues a live run and opens it."""

from sqlalchemy import select

from stalker_web.models import ScenarioState, ScheduleRun, User
from stalker_web.models.schedule_run import RunStatus
from stalker_web.services.scenarios.editing import add_person, set_task_change

from ...conftest import login
from ...factories.projects import member


def promote_page(app, scenario, **kwargs):
    return app.get(f"/scenarios/{scenario.id}/promote", **kwargs)


def test_the_page_lists_the_changes_and_an_account_row_per_person(
    admin_app, dbsession, scenario, shot
):
    jo = add_person(dbsession, scenario, None, name="Jo Freelance", rate=60)
    set_task_change(dbsession, scenario, None, shot.id, timing=(2, "d"), resources=([], [jo.id]))
    page = promote_page(admin_app, scenario)
    lines = [item.get_text(" ", strip=True) for item in page.html.select(".change-lines li")]
    assert lines == ["Effort: 4 h → 2 d", "People: Artist → Jo Freelance"]
    form = page.forms["promote-form"]
    assert form[f"login_{jo.id}"].value == "jofreelance"  # suggested from the name
    assert form[f"email_{jo.id}"].value == ""
    assert page.html.find(id="promote-never-scheduled") is not None
    assert page.html.find(id="promote-refused") is None


def test_promoting_applies_the_changes_and_opens_the_live_run(
    admin_app, dbsession, scenario, shot, admin
):
    jo = add_person(dbsession, scenario, None, name="Jo Freelance", rate=60)
    set_task_change(dbsession, scenario, None, shot.id, timing=(2, "d"), resources=([], [jo.id]))
    form = promote_page(admin_app, scenario).forms["promote-form"]
    form[f"login_{jo.id}"] = "jo"
    form[f"email_{jo.id}"] = "jo@example.com"
    response = form.submit(status=303)

    account = dbsession.scalars(select(User).where(User.login == "jo")).one()
    assert (account.name, account.rate, account.must_change_password) == (
        "Jo Freelance",
        60.0,
        True,
    )
    assert (shot.schedule_timing, [user.id for user in shot.resources]) == (2.0, [account.id])
    assert scenario.state is ScenarioState.PROMOTED and scenario.promoted_by_id == admin.id
    run = dbsession.scalars(select(ScheduleRun).where(ScheduleRun.scenario_id.is_(None))).one()
    assert (run.status, run.project_ids) == (RunStatus.QUEUED, None)
    assert response.location.endswith(f"/schedule/runs/{run.id}")
    page = response.follow()
    flash = page.html.find(class_="flash info").text
    assert "is now the live plan: 1 task change applied, 1 account created" in flash
    # The scenario is read only now.
    assert "nothing left to promote" in promote_page(admin_app, scenario).text


def test_a_refused_account_is_named_under_its_field_and_nothing_changes(
    admin_app, dbsession, scenario, shot, factory
):
    factory.user(login="taken")
    jo = add_person(dbsession, scenario, None, name="Jo")
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    form = promote_page(admin_app, scenario).forms["promote-form"]
    form[f"login_{jo.id}"] = "taken"
    form[f"email_{jo.id}"] = "jo@example.com"
    page = form.submit(status=400)
    errors = page.html.select_one(f"#login_{jo.id}").find_next("ul", class_="errors")
    assert "taken" in errors.text
    assert page.forms["promote-form"][f"email_{jo.id}"].value == "jo@example.com"
    assert scenario.state is ScenarioState.OPEN and shot.priority == 500


def test_a_stale_page_is_refused(admin_app, dbsession, scenario, shot):
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    form = promote_page(admin_app, scenario).forms["promote-form"]
    set_task_change(dbsession, scenario, None, shot.id, priority=950)
    dbsession.flush()
    page = form.submit(status=400)
    assert "meanwhile" in page.html.select_one("div.flash.error").text
    assert scenario.state is ScenarioState.OPEN and shot.priority == 500


def test_without_the_rights_to_apply_it_the_page_says_which_and_posting_is_refused(
    producer_app, dbsession, scenario, shot, testapp
):
    jo = add_person(dbsession, scenario, None, name="Jo")
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    page = promote_page(producer_app, scenario)
    refused = page.html.find(id="promote-refused").text
    assert "create user accounts" in refused and "change the tasks of Film" in refused
    assert page.html.find("button", string="Promote and schedule the studio") is None
    token = page.html.find("input", attrs={"name": "csrf_token"})["value"]
    producer_app.post(
        f"/scenarios/{scenario.id}/promote",
        {"csrf_token": token, "version_id": str(scenario.version_id), f"login_{jo.id}": "jo"},
        status=403,
    )
    assert scenario.state is ScenarioState.OPEN


def test_a_project_manager_with_the_producers_rights_may_promote_task_changes(
    testapp, factory, dbsession, scenario, shot, project, producer
):
    member(project, producer, factory.role("Line producer", manages_project=True))
    set_task_change(dbsession, scenario, None, shot.id, priority=900)
    login(testapp, producer.login)
    page = promote_page(testapp, scenario)
    assert page.html.find(id="promote-refused") is None
    page.forms["promote-form"].submit(status=303)
    assert shot.priority == 900

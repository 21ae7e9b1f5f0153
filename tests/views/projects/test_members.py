"""The team page of a project: members with their roles and rates, adding and removing them."""

import pytest

from stalker_web.models import Review

from ...conftest import login
from ...factories.accounts import cheap_users
from ...factories.projects import member
from ...pages import csrf_token, form_posting_to


def team_url(project) -> str:
    return f"/projects/{project.id}/members"


@pytest.fixture
def producer_app(testapp, factory):
    """A logged-in member of a project holding the Producer role; returns (app, project)."""
    project = factory.project(name="Produced")
    user = member(project, factory.user(), factory.role("Producer"))
    login(testapp, user.login)
    return testapp, project


def test_the_overview_shows_the_first_members_and_links_to_the_team(admin_app, factory, dbsession):
    project = factory.project()
    for user in cheap_users(dbsession, 14):
        member(project, user)
    page = admin_app.get(f"/projects/{project.id}")
    assert len(page.html.find("ul", id="members").find_all("li")) == 12
    link = page.html.find("a", id="team-link")
    assert link.get_text().startswith("All 14 members")
    team = admin_app.get(link["href"])
    assert len(team.html.find("table", id="members").tbody.find_all("tr")) == 14


def test_a_member_reads_the_team_without_the_forms(testapp, factory):
    project = factory.project()
    user = member(project, factory.user(), factory.role("Artist"))
    login(testapp, user.login)
    page = testapp.get(team_url(project))
    assert user.name in page.html.find("table", id="members").get_text()
    assert "member-add-form" not in page.forms


def test_a_non_member_cannot_see_the_team(testapp, factory):
    project = factory.project()
    login(testapp, factory.user().login)
    testapp.get(team_url(project), status=403)


def test_the_team_page_paginates(admin_app, factory, dbsession):
    project = factory.project()
    for user in cheap_users(dbsession, 55):
        member(project, user)
    page = admin_app.get(team_url(project))
    assert len(page.html.find("table", id="members").tbody.find_all("tr")) == 50
    second = admin_app.get(page.html.find("a", rel="next")["href"])
    assert len(second.html.find("table", id="members").tbody.find_all("tr")) == 5


def test_the_team_page_takes_the_same_queries_for_3_and_30_members(
    admin_app, factory, dbsession, count_queries
):
    def build(count):
        project = factory.project()
        for user in cheap_users(dbsession, count):
            member(project, user, factory.role("Artist"))
        return project

    small, big = build(3), build(30)
    admin_app.get(team_url(small))
    with count_queries() as few:
        admin_app.get(team_url(small))
    with count_queries() as many:
        admin_app.get(team_url(big))
    assert many.count == few.count


def test_a_producer_adds_a_member_with_the_users_rate(producer_app, factory):
    app, project = producer_app
    newcomer = factory.user(name="Newcomer", rate=42)
    form = app.get(team_url(project)).forms["member-add-form"]
    form["user_id"] = str(newcomer.id)
    form["role_id"] = str(factory.role("Lead").id)
    assert "Newcomer added to Produced." in form.submit(status=303).follow().text
    membership = next(m for m in project.members if m.user == newcomer)
    assert (membership.role.name, membership.rate) == ("Lead", 42)


@pytest.mark.parametrize(
    ("user_choice", "rate", "message"),
    [
        ("", "", "Choose a user to add."),
        ("newcomer", "-5", "A rate cannot be negative."),
        ("newcomer", "lots", "Enter a number such as 25 or 23.976."),
    ],
)
def test_add_member_refuses_bad_input(producer_app, factory, user_choice, rate, message):
    app, project = producer_app
    newcomer = factory.user()
    form = app.get(team_url(project)).forms["member-add-form"]
    form["user_id"] = str(newcomer.id) if user_choice else ""
    form["rate"] = rate
    assert message in form.submit(status=400).text
    assert newcomer not in project.users


def test_a_producer_changes_a_members_role_and_rate(producer_app, factory):
    app, project = producer_app
    artist = member(project, factory.user(name="Art"))
    form = app.get(team_url(project)).forms[f"member-{artist.id}"]
    form["role_id"] = str(factory.role("Supervisor").id)
    form["rate"] = "55"
    assert "Art now has Supervisor at a rate of 55." in form.submit(status=303).follow().text
    membership = next(m for m in project.members if m.user == artist)
    assert (membership.role.name, membership.rate) == ("Supervisor", 55)


def test_a_bad_rate_change_is_refused_with_a_message(producer_app, factory):
    app, project = producer_app
    artist = member(project, factory.user(), factory.role("Artist"))
    form = app.get(team_url(project)).forms[f"member-{artist.id}"]
    form["rate"] = "-3"
    assert "A rate cannot be negative." in form.submit(status=303).follow().text


def remove_url(project, user) -> str:
    return f"http://example.com{team_url(project)}/{user.id}/remove"


def confirmation(app, project, user):
    """The confirmation page, reached from the member's Remove button on the team page."""
    return form_posting_to(app.get(team_url(project)), remove_url(project, user)).submit()


def test_removing_a_member_first_says_which_tasks_it_changes(producer_app, factory, dbsession):
    app, project = producer_app
    leaver = member(project, factory.user(name="Leaver"))
    tasks = [
        factory.task(project=project, name=name, resources=[leaver])
        for name in ("Anim", "Blocking", "Comp", "Dust", "Edit")
    ]
    tasks[0].watchers.append(leaver)
    factory.task(name="Elsewhere", resources=[leaver])
    page = confirmation(app, project, leaver)
    assert page.html.h1.get_text() == "Remove Leaver from Produced?"
    listed = [li.get_text(" ", strip=True) for li in page.html.find(id="member-tasks")("li")]
    assert listed == [
        "Resource of 5 tasks: Anim, Blocking, Comp and 2 more",
        "Watcher of 1 task: Anim",
    ]
    assert leaver in project.users and leaver in tasks[4].resources  # nothing changed yet
    done = page.forms["member-remove-form"].submit(status=303).follow()
    assert (
        "Leaver removed from Produced and taken off 5 of its tasks (their time logs stay)."
        in done.text
    )
    assert leaver not in project.users
    assert all(leaver not in task.resources + task.watchers for task in tasks)


def test_a_member_on_no_task_is_removed_after_the_confirmation(producer_app, factory):
    app, project = producer_app
    leaver = member(project, factory.user(name="Leaver"))
    page = confirmation(app, project, leaver)
    assert "Leaver is on no task of Produced." in page.text
    done = page.forms["member-remove-form"].submit(status=303).follow()
    assert "Leaver removed from Produced." in done.text
    assert leaver not in project.users


def test_a_removal_posted_without_the_confirmation_shows_it_first(producer_app, factory):
    app, project = producer_app
    leaver = member(project, factory.user(name="Leaver"))
    response = app.post(remove_url(project, leaver), {"csrf_token": csrf_token(app)}, status=303)
    assert response.location == remove_url(project, leaver)
    assert leaver in project.users


def test_a_member_with_reviews_to_answer_is_not_removed(producer_app, factory, dbsession):
    app, project = producer_app
    leaver = member(project, factory.user(name="Leaver"))
    task = factory.task(project=project, name="Anim", watchers=[leaver])
    dbsession.add(Review(task=task, reviewer=leaver))
    dbsession.flush()
    page = confirmation(app, project, leaver)
    refusal = page.html.find(id="removal-refused").get_text(" ", strip=True)
    assert refusal.startswith("Leaver still has 1 review to answer in Produced (Anim).")
    assert "member-remove-form" not in page.forms
    values = {"csrf_token": csrf_token(app), "confirmed": "yes"}
    page = app.post(remove_url(project, leaver), values, status=303).follow()
    assert "Leaver still has 1 review to answer" in page.text
    assert leaver in project.users and leaver in task.watchers


def test_only_managers_see_the_confirmation(testapp, factory):
    project = factory.project()
    artist = member(project, factory.user(), factory.role("Artist"))
    other = member(project, factory.user())
    login(testapp, artist.login)
    testapp.get(f"{team_url(project)}/{other.id}/remove", status=403)


def test_the_confirmation_of_someone_no_longer_a_member_goes_back_to_the_team(
    producer_app, factory
):
    app, project = producer_app
    stranger = factory.user()
    response = app.get(remove_url(project, stranger), status=303)
    assert response.location == f"http://example.com{team_url(project)}"
    assert "not a member of Produced" in response.follow().text


def test_a_producer_who_removes_themselves_goes_to_the_list(producer_app):
    app, project = producer_app
    me = project.members[0].user
    page = confirmation(app, project, me)
    response = page.forms["member-remove-form"].submit(status=303)
    assert response.location == "http://example.com/projects"
    app.get(f"/projects/{project.id}", status=403)

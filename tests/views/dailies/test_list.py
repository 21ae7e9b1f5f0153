"""A project's dailies: the list, the link to it, and starting one."""

from stalker_web.models import Daily

from ..workflow.helpers import flashes, logged_in
from .conftest import post


def test_the_project_page_links_its_dailies(testapp, project, artist):
    page = logged_in(testapp, artist).get(f"/projects/{project.id}")
    link = page.html.find(id="dailies-link")
    assert link["href"] == f"http://example.com/projects/{project.id}/dailies"


def test_members_read_the_list_in_words(testapp, project, daily, artist):
    page = logged_in(testapp, artist).get(f"/projects/{project.id}/dailies")
    row = page.html.find(id="dailies").tbody.tr
    assert row.th.a.get_text() == "Tuesday dailies"
    assert "0 of 0" in row.get_text() and "Open" in row.get_text()
    assert page.html.find(id="new-daily") is None  # artists do not run dailies


def test_an_empty_list_says_so(testapp, project, lead):
    page = logged_in(testapp, lead).get(f"/projects/{project.id}/dailies")
    assert "No daily yet." in page.html.find(id="no-dailies").get_text()


def test_a_lead_starts_a_daily(dbsession, testapp, project, lead):
    logged_in(testapp, lead)
    response = post(testapp, f"/projects/{project.id}/dailies", name="Anim dailies")
    daily = dbsession.query(Daily).filter_by(project_id=project.id).one()
    assert response.location == f"http://example.com/dailies/{daily.id}"
    assert "Daily Anim dailies started." in flashes(response.follow())
    assert daily.status.code == "OPEN"


def test_a_name_too_long_is_refused_under_its_field(dbsession, testapp, project, lead):
    logged_in(testapp, lead)
    page = post(testapp, f"/projects/{project.id}/dailies", status=400, name="x" * 257)
    assert "longer than 256" in page.html.find(id="name").find_next(class_="errors").get_text()
    assert dbsession.query(Daily).count() == 0


def test_an_artist_cannot_start_one(testapp, project, artist):
    logged_in(testapp, artist)
    post(testapp, f"/projects/{project.id}/dailies", status=403, name="Mine")

"""A project's feed: newest first, filtered by what happened and who did it, a page at a time,
in the same number of statements whatever it holds; and the history sections of the task and
version pages."""

from datetime import timedelta

from stalker_web.events import ScheduleFinished, publish
from stalker_web.models import Activity
from stalker_web.services.versions.versions import set_published
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...conftest import login
from ...factories.calendar import MONDAY
from ...services.activity.test_recording import schedule_run


def sentences_on(page, selector: str = "#feed") -> list[str]:
    return [p.get_text() for p in page.html.select(f"{selector} .activity-sentence")]


def a_review_round(dbsession, factory, crew, publishing):
    """The artist starts the shot, publishes a version and asks for a review."""
    publishing(crew.artist)
    create_time_log(dbsession, crew.shot, crew.artist, MONDAY, MONDAY + timedelta(hours=1))
    version = factory.version(crew.shot)
    set_published(dbsession, version, True, submitted_version=version.version_id)
    request_review(dbsession, crew.shot, crew.artist, version)
    return version


def test_the_feed_tells_who_did_what_newest_first_without_time_logs(
    testapp, dbsession, factory, crew, publishing
):
    version = a_review_round(dbsession, factory, crew, publishing)
    login(testapp, crew.lead.login)

    page = testapp.get(f"/projects/{crew.project.id}/activity")
    assert sentences_on(page) == [
        f"Ana Artist asked Sam Supervisor to review FLM / Animation ({version.label})",
        "Ana Artist moved FLM / Animation from Work In Progress to Pending Review",
        f"Ana Artist published {version.label} of FLM / Animation",
        "Ana Artist moved FLM / Animation from Ready To Start to Work In Progress",
    ]
    link = page.html.select("#feed .activity-sentence a")[2]
    assert link["href"].endswith(f"/versions/{version.id}")


def test_the_feed_filters_by_kind_and_person(testapp, dbsession, factory, crew, publishing):
    a_review_round(dbsession, factory, crew, publishing)
    login(testapp, crew.lead.login)
    url = f"/projects/{crew.project.id}/activity"

    form = testapp.get(url).forms["feed-filters"]
    form["kind"] = "reviews"
    page = form.submit()
    assert len(sentences_on(page)) == 1 and "to review" in sentences_on(page)[0]
    page = testapp.get(url, {"kind": "statuses", "person": crew.lead.id})
    assert page.html.find(id="feed-empty").get_text() == "Nothing matches these filters."
    assert testapp.get(url, {"kind": "gossip"}, status=400).html.find(id="error-summary")


def test_a_studio_run_shows_in_every_feed_its_page_linked_for_who_may_read_it(
    testapp, dbsession, crew, publishing, admin
):
    run = schedule_run(dbsession, crew.lead)
    publishing(None)
    publish(dbsession, ScheduleFinished(run.id, "succeeded"))

    login(testapp, crew.lead.login)
    page = testapp.get(f"/projects/{crew.project.id}/activity")
    assert sentences_on(page) == [
        "The schedule of the whole studio was worked out again (as you asked)"
    ]
    assert page.html.select("#feed .activity-sentence a") == []
    login(testapp, admin.login)
    link = testapp.get(f"/projects/{crew.project.id}/activity").html.select_one("#feed a")
    assert link["href"].endswith(f"/schedule/runs/{run.id}")


def add_records(dbsession, crew, count: int) -> None:
    dbsession.add_all(
        Activity(
            kind="status_changed",
            actor_id=crew.artist.id,
            project_id=crew.project.id,
            task_id=crew.shot.id,
            data={"old": "WIP", "new": "OH"},
        )
        for _ in range(count)
    )
    dbsession.flush()


def test_the_feed_pages_back_and_forth(testapp, dbsession, crew):
    add_records(dbsession, crew, 52)
    login(testapp, crew.lead.login)
    url = f"/projects/{crew.project.id}/activity"

    first = testapp.get(url)
    assert len(sentences_on(first)) == 50
    older = first.click(description="Older", index=0)
    assert len(sentences_on(older)) == 2
    newer = older.click(description="Newer", index=0)
    assert len(sentences_on(newer)) == 50
    assert newer.html.find(rel="prev") is None


def test_the_feed_costs_the_same_queries_for_5_and_50_records(
    testapp, dbsession, factory, crew, queries_of
):
    login(testapp, crew.lead.login)
    url = f"/projects/{crew.project.id}/activity"
    for _ in range(5):
        add_records(dbsession, crew, 1)
        crew.shot = factory.task(project=crew.project, resources=[factory.user()])
    few = queries_of(testapp, url)
    for _ in range(45):
        add_records(dbsession, crew, 1)
        crew.shot = factory.task(project=crew.project, resources=[factory.user()])

    assert queries_of(testapp, url) == few <= 15


def test_the_project_page_links_to_its_feed(testapp, crew):
    login(testapp, crew.lead.login)
    link = testapp.get(f"/projects/{crew.project.id}").html.find(id="activity-link")
    assert link["href"].endswith(f"/projects/{crew.project.id}/activity")


def test_the_empty_feed_says_so(testapp, crew):
    login(testapp, crew.lead.login)
    page = testapp.get(f"/projects/{crew.project.id}/activity")
    assert page.html.find(id="feed-empty").get_text().startswith("Nothing has happened in Film")


def test_the_task_page_shows_its_history_with_time_logs_and_the_version_page_its_own(
    testapp, dbsession, factory, crew, publishing
):
    version = a_review_round(dbsession, factory, crew, publishing)
    login(testapp, crew.lead.login)

    history = sentences_on(testapp.get(f"/tasks/{crew.shot.id}"), "#history")
    assert len(history) == 5
    assert "Ana Artist logged 1 h on FLM / Animation" in history
    activity = sentences_on(testapp.get(f"/versions/{version.id}"), "#version-activity")
    assert activity == [
        f"Ana Artist asked Sam Supervisor to review FLM / Animation ({version.label})",
        f"Ana Artist published {version.label} of FLM / Animation",
    ]
    other = factory.task(project=crew.project)
    empty = testapp.get(f"/tasks/{other.id}").html.find(id="history").get_text(" ", strip=True)
    assert empty == f"History Nothing has happened to {other.name} yet."

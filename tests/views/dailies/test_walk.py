"""The walk through a daily: one version a page with the previous version of its task beside it,
previous and next links, and the answers that drive the review workflow, their refusals said on
the page."""

from stalker_web.models import DailyOutcome, Note
from stalker_web.services.dailies.dailies import close_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.workflow.reviews import request_review

from ...matrix_objects import png_bytes
from ..workflow.helpers import flashes, logged_in
from .conftest import post


def walk_url(daily, rank):
    return f"/dailies/{daily.id}/versions/{rank}"


def test_the_walk_shows_the_previous_version_beside(
    dbsession, testapp, factory, project, daily, shot, lead
):
    first, second = factory.version(shot), factory.version(shot)
    other = factory.version(factory.task(project=project, name="Layout"))
    for version in (second, first, other):
        add_version(dbsession, daily, version)
    page = logged_in(testapp, lead).get(walk_url(daily, 1))
    current = page.html.find(id="walk-current-files").figure
    previous = page.html.find(id="walk-previous-files").figure
    # A picture is drawn itself (large), linked to its download.
    assert current.img["src"] == f"http://example.com/files/{second.files[0].id}"
    assert previous.img["src"] == f"http://example.com/files/{first.files[0].id}"
    nav = page.html.find(id="walk-nav")
    assert nav.find("a", rel="next")["href"] == f"http://example.com{walk_url(daily, 2)}"
    assert nav.find("a", rel="prev") is None
    assert "Version 1 of 3" in nav.get_text()
    assert page.html.find(
        "script", src=lambda src: src and src.split("?")[0].endswith("dailies.js")
    )
    page = testapp.get(walk_url(daily, 2))
    assert page.html.find(id="walk-first").get_text().startswith("This is the first version")
    assert page.html.find(id="walk-nav").find("a", rel="prev") is not None


def test_approving_answers_the_review_and_goes_to_the_next(
    dbsession, testapp, factory, project, daily, started, artist, supervisor
):
    version = factory.version(started)
    [review] = request_review(dbsession, started, artist, version)
    entry = add_version(dbsession, daily, version)
    add_version(dbsession, daily, factory.version(factory.task(project=project, name="Layout")))
    logged_in(testapp, supervisor)
    url = walk_url(daily, 1) + "/answer"
    response = post(testapp, url, answer="approve", version=str(version.id), description="Lovely.")
    assert response.location == f"http://example.com{walk_url(daily, 2)}"
    assert f"{project.code} / Animation approved (r01 v001); it is now Completed." in flashes(
        response.follow()
    )
    assert (entry.outcome, entry.answered_by, review.status.value) == (
        DailyOutcome.APPROVED,
        supervisor,
        "APP",
    )
    assert dbsession.get(Note, entry.note_id).content == "Lovely."


def test_a_revision_with_an_annotated_image_on_the_last_version_goes_back_to_the_daily(
    dbsession, testapp, factory, daily, started, artist, supervisor
):
    version = factory.version(started)
    request_review(dbsession, started, artist, version)
    entry = add_version(dbsession, daily, version)
    logged_in(testapp, supervisor)
    response = post(
        testapp,
        walk_url(daily, 1) + "/answer",
        answer="revise",
        version=str(version.id),
        description="Smoother arcs.",
        schedule_timing="2",
        schedule_unit="h",
        upload_files=[("attachment", "marked.png", png_bytes())],
    )
    assert response.location == f"http://example.com/dailies/{daily.id}"
    assert started.status.code == "HREV"
    note = dbsession.get(Note, entry.note_id)
    assert [file.original_filename for file in note.attachments] == ["marked.png"]
    page = response.follow()
    assert "Revision asked by Supervisor" in page.html.find(id="entry-1").get_text(" ", strip=True)


def test_nothing_to_approve_is_said_on_the_page_and_the_note_kept(
    dbsession, testapp, factory, project, daily, started, lead
):
    version = factory.version(started)
    add_version(dbsession, daily, version)
    logged_in(testapp, lead)
    page = post(
        testapp,
        walk_url(daily, 1) + "/answer",
        status=400,
        answer="approve",
        version=str(version.id),
        description="Good work.",
    )
    message = (
        f"Nobody asked for a review of {project.code} / Animation, so there is nothing to "
        "approve; it is Work In Progress."
    )
    assert message in page.html.find(id="error-summary").get_text(" ", strip=True)
    assert page.html.find(id="answer-description").get_text(strip=True) == "Good work."
    assert daily.entries[0].outcome is None


def test_a_revision_refused_by_the_status_is_said_on_the_page(
    dbsession, testapp, factory, project, daily, started, supervisor
):
    version = factory.version(started)
    add_version(dbsession, daily, version)
    logged_in(testapp, supervisor)
    page = post(
        testapp,
        walk_url(daily, 1) + "/answer",
        status=400,
        answer="revise",
        version=str(version.id),
        description="Faster.",
    )
    text = page.html.find(id="error-summary").get_text(" ", strip=True)
    assert f"{project.code} / Animation cannot be sent back: A revision can only be" in text
    assert started.status.code == "WIP"


def test_a_revision_needs_words_under_the_field(
    dbsession, testapp, factory, daily, started, artist, supervisor
):
    version = factory.version(started)
    request_review(dbsession, started, artist, version)
    add_version(dbsession, daily, version)
    logged_in(testapp, supervisor)
    page = post(
        testapp,
        walk_url(daily, 1) + "/answer",
        status=400,
        answer="revise",
        version=str(version.id),
    )
    assert page.html.find(id="answer-description-errors").get_text(strip=True) == (
        "Say what needs to change."
    )


def test_artists_look_but_do_not_answer(dbsession, testapp, factory, daily, started, artist):
    version = factory.version(started)
    add_version(dbsession, daily, version)
    page = logged_in(testapp, artist).get(walk_url(daily, 1))
    assert page.html.find(id="answer-form") is None
    assert page.html.find(id="walk-not-yours") is not None
    post(testapp, walk_url(daily, 1) + "/answer", status=403, answer="approve")


def test_a_closed_daily_takes_no_answer(
    dbsession, testapp, factory, daily, started, artist, supervisor
):
    version = factory.version(started)
    request_review(dbsession, started, artist, version)
    add_version(dbsession, daily, version)
    close_daily(dbsession, daily)
    logged_in(testapp, supervisor)
    assert testapp.get(walk_url(daily, 1)).html.find(id="answer-form") is None
    page = post(
        testapp,
        walk_url(daily, 1) + "/answer",
        status=400,
        answer="approve",
        version=str(version.id),
    )
    assert "Tuesday dailies is closed" in page.html.find(id="error-summary").get_text()
    assert started.status.code == "PREV"


def test_the_walk_statement_count_is_constant(
    dbsession, testapp, factory, project, daily, artist, supervisor, lead, queries_of
):
    logged_in(testapp, lead)

    def fill(number):
        for index in range(number):
            shot = factory.task("Shot", project=project, name=f"S{number}-{index}")
            task = factory.task(
                parent=shot, name="Animation", resources=[artist], responsible=[supervisor]
            )
            factory.version(task)
            add_version(dbsession, daily, factory.version(task))
        dbsession.flush()

    fill(5)
    five = queries_of(testapp, walk_url(daily, 3))
    fill(45)
    assert len(daily.entries) == 50
    assert queries_of(testapp, walk_url(daily, 3)) == five
    assert queries_of(testapp, walk_url(daily, 48)) == five

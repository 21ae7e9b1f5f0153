"""Reviews with their material on the pages: the request form (the version, the latest chosen,
and what to look at), the inbox showing the version's pictures and videos and the request's
note, the answer given with a note and an annotated image, and that answer on the artist's task
page and My tasks."""

from datetime import timedelta
from io import BytesIO

import pytest

from stalker_web.models import File, Note, Review
from stalker_web.services.checked_uploads import UploadRules
from stalker_web.services.notes.attachments import AttachmentStore, Upload, use_store
from stalker_web.services.workflow.reviews import request_review, request_revision
from stalker_web.services.workflow.time_logs import create_time_log

from ...matrix_objects import png_bytes
from ...pages import csrf_token
from .helpers import MONDAY, flashes, logged_in


@pytest.fixture(autouse=True)
def attachments(dbsession, studio_config, tmp_path):
    """Annotated images of this test go to a folder of its own."""
    folder = tmp_path / "attachments"
    use_store(dbsession, AttachmentStore(str(folder), UploadRules.from_config(studio_config)))
    return folder


@pytest.fixture
def started(dbsession, shot, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=2))
    return shot


def post(testapp, url, status=303, upload_files=None, **values):
    values["csrf_token"] = csrf_token(testapp)
    return testapp.post(url, values, status=status, upload_files=upload_files)


def test_the_request_form_offers_the_versions_the_latest_chosen(testapp, factory, started, artist):
    older, latest = factory.version(started), factory.version(started)
    form = (
        logged_in(testapp, artist).get(f"/tasks/{started.id}").html.find(id="review-request-form")
    )
    options = form.find("select", attrs={"name": "version"}).find_all("option")
    assert [option["value"] for option in options] == [str(latest.id), str(older.id)]
    assert [option.has_attr("selected") for option in options] == [True, False]
    assert form.find("label", string="What should the reviewer look at?") is not None


def test_a_task_without_versions_is_asked_about_itself(testapp, started, artist):
    form = (
        logged_in(testapp, artist).get(f"/tasks/{started.id}").html.find(id="review-request-form")
    )
    assert form.find("select") is None
    assert "No version yet" in form.get_text()


def test_requesting_with_a_note_and_a_version(
    dbsession, testapp, factory, project, started, artist
):
    older = factory.version(started)
    factory.version(started)
    logged_in(testapp, artist)
    url = f"/tasks/{started.id}/status/request_review"
    page = post(testapp, url, version=str(older.id), note="Check the **jump**.").follow()
    assert f"Review requested for {project.code} / Animation." in flashes(page)
    [review] = dbsession.query(Review).filter_by(task_id=started.id).all()
    note = dbsession.get(Note, review.request_note_id)
    assert (review.version, note.content, note.task_id) == (
        older,
        "Check the **jump**.",
        started.id,
    )


def test_a_version_of_another_task_is_refused(
    dbsession, testapp, factory, project, started, artist
):
    other = factory.version(factory.task(project=project, name="Other"))
    logged_in(testapp, artist)
    url = f"/tasks/{started.id}/status/request_review"
    page = post(testapp, url, version=str(other.id), note="Look.").follow()
    assert "Choose a version of this task to review." in flashes(page)
    assert started.status.code == "WIP"
    assert dbsession.query(Note).count() == 0


@pytest.fixture
def asked(dbsession, factory, started, artist):
    """The review asked of the supervisor about the shot's version (a picture), with a note."""
    version = factory.version(started)
    [review] = request_review(dbsession, started, artist, version, "Look at the *arcs*.")
    return review


def test_the_inbox_shows_the_picture_and_the_note(testapp, asked, supervisor):
    article = logged_in(testapp, supervisor).get("/reviews").html.find(id=f"review-{asked.id}")
    [file] = asked.version.files
    figure = article.find(id=f"review-{asked.id}-files").figure
    assert figure.img["src"] == f"http://example.com/files/{file.id}/thumbnail"
    assert figure.a["href"] == f"http://example.com/files/{file.id}"
    note = article.find(id=f"review-{asked.id}-request-note")
    assert note.find("em").get_text() == "arcs"


def test_the_inbox_plays_a_video_and_links_other_files(
    dbsession, testapp, factory, asked, supervisor
):
    for name, kind in (("turntable.mp4", "video/mp4"), ("scene.ma", "application/x-maya-ascii")):
        dbsession.add(
            File(
                version=asked.version,
                repository=factory.repository(),
                relative_path=f"renders/{name}",
                original_filename=name,
                mime_type=kind,
            )
        )
    dbsession.flush()
    article = logged_in(testapp, supervisor).get("/reviews").html.find(id=f"review-{asked.id}")
    figures = article.find(id=f"review-{asked.id}-files").find_all("figure")
    assert [figure["class"] for figure in figures] == [
        ["media-picture"],
        ["media-video"],
        ["media-file"],
    ]
    assert figures[1].video.has_attr("controls")
    assert figures[2].img is None and figures[2].a.get_text() == "scene.ma"


def test_answering_with_a_note_and_an_annotated_image(
    dbsession, testapp, project, asked, started, supervisor
):
    logged_in(testapp, supervisor)
    page = post(
        testapp,
        f"/reviews/{asked.id}/answer",
        answer="revise",
        description="Smoother **arcs**, see the frame.",
        schedule_timing="2",
        schedule_unit="h",
        upload_files=[("attachment", "marked.png", png_bytes())],
    ).follow()
    assert f"Revision requested on {project.code} / Animation." in flashes(page)
    [note] = dbsession.query(Note).filter_by(review_id=asked.id).all()
    assert [file.original_filename for file in note.attachments] == ["marked.png"]
    assert (note.author, started.status.code) == (supervisor, "HREV")


def test_an_approval_takes_an_optional_note(dbsession, testapp, asked, started, supervisor):
    logged_in(testapp, supervisor)
    post(testapp, f"/reviews/{asked.id}/answer", answer="approve", description="Lovely.")
    [note] = dbsession.query(Note).filter_by(review_id=asked.id).all()
    assert (note.content, started.status.code) == ("Lovely.", "CMPL")


def test_a_refused_image_is_said_under_its_field(dbsession, testapp, asked, started, supervisor):
    logged_in(testapp, supervisor)
    page = post(
        testapp,
        f"/reviews/{asked.id}/answer",
        status=400,
        answer="approve",
        upload_files=[("attachment", "marked.png", b"not a picture at all")],
    )
    errors = page.html.find(id=f"approve-{asked.id}-attachment-errors")
    assert errors is not None and errors.get_text(strip=True)
    assert started.status.code == "PREV"
    assert dbsession.query(Note).count() == 1  # the request's only


@pytest.fixture
def sent_back(dbsession, asked, supervisor):
    """The supervisor asked for a revision with a note and an annotated image."""
    request_revision(
        dbsession,
        asked,
        1,
        "h",
        "Smoother **arcs**.",
        author=supervisor,
        attachments=[Upload("marked.png", BytesIO(png_bytes()))],
    )
    return asked


def test_the_answer_shows_on_the_task_page(testapp, sent_back, started, artist):
    page = logged_in(testapp, artist).get(f"/tasks/{started.id}")
    answer = page.html.find(id=f"review-{sent_back.id}")
    assert "Supervisor" in answer.get_text() and "asked for a revision" in answer.get_text()
    assert answer.find("strong", string="arcs") is not None
    assert answer.find(class_="note-file-name").get_text() == "marked.png"
    request = page.html.find(id="round-1").find(class_="review-request-note")
    assert request.find("em").get_text() == "arcs"


def test_the_answer_shows_on_my_tasks_with_a_link(testapp, sent_back, started, artist):
    page = logged_in(testapp, artist).get("/my/tasks")
    note = page.html.find(id=f"revision-note-{started.id}")
    assert "Supervisor asked for a revision" in note.get_text(" ", strip=True)
    assert note.find("strong", string="arcs") is not None
    link = note.find("a", string="See the review")
    assert link["href"] == f"http://example.com/tasks/{started.id}#review-{sent_back.id}"


def test_my_tasks_query_count_does_not_grow_with_revisions(
    dbsession, testapp, factory, project, artist, supervisor, queries_of
):
    logged_in(testapp, artist)

    def queries_for(number):
        for index in range(number):
            task = factory.task(
                project=project,
                name=f"R{number}-{index}",
                resources=[artist],
                responsible=[supervisor],
            )
            start = MONDAY + timedelta(days=number * 10 + index)
            create_time_log(dbsession, task, artist, start, start + timedelta(hours=1))
            [review] = request_review(dbsession, task, artist, factory.version(task), "Look.")
            request_revision(dbsession, review, 1, "h", "Again.", author=supervisor)
        dbsession.flush()
        return queries_of(testapp, "/my/tasks")

    assert queries_for(2) == queries_for(6)


def test_the_task_page_query_count_does_not_grow_with_rounds(
    dbsession, testapp, factory, started, artist, supervisor, queries_of
):
    logged_in(testapp, artist)

    days = iter(range(1, 30))

    def queries_after(rounds):
        for index in range(rounds):
            day = MONDAY + timedelta(days=next(days))
            create_time_log(dbsession, started, artist, day, day + timedelta(hours=1))
            [review] = request_review(dbsession, started, artist, factory.version(started), "Look.")
            request_revision(dbsession, review, 1, "h", f"Round {index}.", author=supervisor)
        dbsession.flush()
        return queries_of(testapp, f"/tasks/{started.id}")

    assert queries_after(1) == queries_after(4)

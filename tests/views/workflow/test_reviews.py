"""The review inbox: my waiting reviews, the dependents each answer moves, approving and
requesting revisions, and who may answer."""

from datetime import timedelta

import pytest

from stalker_web.models import ReviewStatus
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...pages import csrf_token
from .helpers import MONDAY, flashes, logged_in, under_review


@pytest.fixture
def review(dbsession, shot, lighting, artist):
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=3))
    [made] = request_review(dbsession, shot, artist)
    return made


def answer(testapp, review, status=303, **values):
    values["csrf_token"] = csrf_token(testapp)
    return testapp.post(f"/reviews/{review.id}/answer", values, status=status)


def test_the_inbox_lists_my_reviews_with_what_moves(testapp, project, review, supervisor):
    page = logged_in(testapp, supervisor).get("/reviews")
    article = page.html.find(id=f"review-{review.id}")
    assert article.h2.a.get_text() == f"{project.code} / Animation"
    row = article.find(class_="dependents").tbody.tr
    assert row.td.get_text(strip=True) == f"{project.code} / Lighting"
    # Status codes in the dense table, each with its name as tooltip and for screen readers.
    badges = [(badge["title"], badge.get_text(" ", strip=True)) for badge in row(class_="status")]
    assert badges == [
        ("Waiting For Dependency", "WFD Waiting For Dependency"),
        ("Ready To Start", "RTS Ready To Start"),
        ("Waiting For Dependency", "WFD Waiting For Dependency"),
    ]
    # The reviewed task's heading names its status.
    assert article.h2.find(class_="status").get_text() == "Pending Review"


def test_approving_completes_the_task_and_frees_its_dependent(
    testapp, review, shot, lighting, supervisor
):
    page = answer(logged_in(testapp, supervisor), review, answer="approve").follow()
    assert "Animation approved. It is now Completed." in flashes(page)
    assert (shot.status.code, lighting.status.code) == ("CMPL", "RTS")
    assert page.html.find(id=f"review-{review.id}") is None


def test_a_revision_needs_a_description(testapp, review, shot, supervisor):
    page = answer(
        logged_in(testapp, supervisor), review, status=400, answer="revise", description=""
    )
    errors = page.html.find(id=f"review-{review.id}-description-errors")
    assert errors.get_text(strip=True) == "Say what needs to change."
    assert review.status is ReviewStatus.NEW and shot.status.code == "PREV"


def test_a_refused_revision_comes_first_with_the_error_under_its_field(
    dbsession, testapp, factory, project, review, artist, supervisor
):
    later = factory.task(
        project=project, name="Layout", resources=[artist], responsible=[supervisor]
    )
    tuesday = MONDAY + timedelta(days=1)
    create_time_log(dbsession, later, artist, tuesday, tuesday + timedelta(hours=1))
    [second] = request_review(dbsession, later, artist)
    logged_in(testapp, supervisor)
    values = {"answer": "revise", "description": "Wider.", "schedule_timing": "soon"}
    page = answer(testapp, second, status=400, **values)
    first, other = page.html.select("article.review")
    assert (first["id"], other["id"]) == (f"review-{second.id}", f"review-{review.id}")
    prefix = f"review-{second.id}-"
    assert "such as 2" in first.find(id=f"{prefix}schedule_timing-errors").get_text()
    assert first.find(id=f"{prefix}description").get_text(strip=True) == "Wider."
    assert other.find(class_="errors") is None
    assert second.status is ReviewStatus.NEW and later.status.code == "PREV"


@pytest.mark.parametrize(
    ("next_page", "location"), [("/my/tasks", "/my/tasks"), ("//evil.example/", "/reviews")]
)
def test_the_next_page_in_the_post_body_is_kept_only_on_this_site(
    testapp, review, supervisor, next_page, location
):
    response = answer(logged_in(testapp, supervisor), review, answer="approve", next=next_page)
    assert response.location == f"http://example.com{location}"


def test_a_revision_adds_the_extra_time(testapp, review, shot, supervisor):
    logged_in(testapp, supervisor)
    answer(testapp, review, answer="revise", description="Arcs.", schedule_timing="2")
    assert (shot.status.code, shot.schedule_timing, review.description) == ("HREV", 5, "Arcs.")


def test_an_answered_review_is_refused(testapp, review, supervisor):
    logged_in(testapp, supervisor)
    answer(testapp, review, answer="approve")
    page = answer(testapp, review, answer="approve").follow()
    assert "This review was already answered (approved)." in flashes(page)


def test_a_missing_answer_is_refused(testapp, review, supervisor):
    page = answer(logged_in(testapp, supervisor), review, answer="maybe").follow()
    assert "Choose to approve or to request a revision." in flashes(page)


def test_only_the_reviewer_or_a_manager_answers(testapp, factory, review, artist):
    answer(logged_in(testapp, artist), review, status=403, answer="approve")
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    answer(logged_in(testapp, factory.user()), review, status=403, answer="approve")


def test_the_inbox_query_count_does_not_grow(
    dbsession, testapp, factory, project, artist, supervisor, count_queries
):
    logged_in(testapp, supervisor)

    def queries_for(count):
        for number in range(count):
            name, day = f"R{count}-{number}", count * 10 + number
            task, _ = under_review(dbsession, factory, project, artist, [supervisor], name, day)
            # Nested, so naming the waiting tasks by their paths reads their ancestors.
            shot = factory.task(project=project, name=f"Shot {count}-{number}")
            downstream = factory.task(parent=shot, name=f"D{count}-{number}")
            add_dependency(dbsession, downstream, task)
        dbsession.flush()
        with count_queries() as counter:
            testapp.get("/reviews")
        return counter.count

    few = queries_for(2)
    assert queries_for(8) == few
    assert few <= 15  # issue 16: at most 15 statements a page

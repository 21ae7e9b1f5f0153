"""Changing an answer on the review inbox while the round is open, and the refusal once every
reviewer has answered."""

from datetime import timedelta

import pytest

from stalker_web.models import ReviewStatus
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...pages import csrf_token
from .helpers import MONDAY, flashes, logged_in, under_review


@pytest.fixture
def reviews_of(dbsession, shot, artist, supervisor, lead):
    """The shot under review by the supervisor and the lead: their two reviews."""
    shot.responsible.append(lead)
    create_time_log(dbsession, shot, artist, MONDAY, MONDAY + timedelta(hours=3))
    made = request_review(dbsession, shot, artist)
    return {review.reviewer.name: review for review in made}


def answer(testapp, review, status=303, **values):
    values["csrf_token"] = csrf_token(testapp)
    return testapp.post(f"/reviews/{review.id}/answer", values, status=status)


def test_an_answer_in_an_open_round_is_listed_to_change(testapp, reviews_of, supervisor):
    mine = reviews_of["Supervisor"]
    page = answer(logged_in(testapp, supervisor), mine, answer="approve").follow()
    section = page.html.find(id="changeable-answers")
    article = section.find(id=f"answer-{mine.id}")
    assert "You approved" in article.get_text()
    assert "Lead has not answered yet" in article.get_text(" ", strip=True)
    assert article.find("button", string="Request a revision instead") is not None


def test_an_approval_becomes_a_revision_while_the_round_is_open(
    testapp, reviews_of, project, shot, supervisor
):
    mine = reviews_of["Supervisor"]
    logged_in(testapp, supervisor)
    answer(testapp, mine, answer="approve")
    page = answer(testapp, mine, answer="revise", description="Arcs.", schedule_timing="2").follow()
    message = f"Revision requested on {project.code} / Animation. It is now Pending Review."
    assert message in flashes(page)
    assert (mine.status, shot.status.code) == (ReviewStatus.REVISION_REQUESTED, "PREV")
    article = page.html.find(id=f"answer-{mine.id}")
    assert article.find("button", string="Approve instead") is not None


def test_a_finalised_round_is_not_listed_and_refuses_a_change(
    testapp, reviews_of, supervisor, lead
):
    mine = reviews_of["Supervisor"]
    answer(logged_in(testapp, supervisor), mine, answer="approve")
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    answer(logged_in(testapp, lead), reviews_of["Lead"], answer="approve")
    testapp.post("/logout", {"csrf_token": csrf_token(testapp)})
    page = logged_in(testapp, supervisor).get("/reviews")
    assert page.html.find(id="changeable-answers") is None
    page = answer(testapp, mine, answer="revise", description="Late.", schedule_timing="1").follow()
    assert "Round 1 is closed (every reviewer has answered)" in flashes(page)


def test_the_inbox_query_count_does_not_grow_with_answers_to_change(
    dbsession, testapp, factory, project, artist, supervisor, lead, count_queries
):
    logged_in(testapp, supervisor)

    def queries_for(count):
        for number in range(count):
            name, day = f"R{count}-{number}", count * 10 + number
            _, made = under_review(
                dbsession, factory, project, artist, [supervisor, lead], name, day
            )
            mine = next(review for review in made if review.reviewer is supervisor)
            answer(testapp, mine, answer="approve")
        with count_queries() as counter:
            page = testapp.get("/reviews")
        assert len(page.html.select("#changeable-answers article")) >= count
        return counter.count

    assert queries_for(2) == queries_for(8)

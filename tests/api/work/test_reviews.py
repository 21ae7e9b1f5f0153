"""Reviews through the API: requesting one (the latest version by default, once per
Idempotency-Key), the rounds, approving and requesting a revision, and the workflow's
refusals."""

from sqlalchemy import func, select

from stalker_web.models import Review
from stalker_web.services.versions.versions import create_version
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from ..test_framework import error_of


def reviews_url(task) -> str:
    return f"/api/v1/tasks/{task.id}/reviews"


def started(dbsession, work):
    """The task in WIP (time logged) with two versions; the newer one."""
    create_time_log(dbsession, work.task, work.artist, MONDAY, MONDAY.replace(hour=11))
    create_version(dbsession, work.task)
    return create_version(dbsession, work.task)


def test_a_review_is_requested_of_the_latest_version(api_as, work, dbsession):
    latest = started(dbsession, work)
    response = api_as(work.artist).post(reviews_url(work.task), {"note": "Look at the arm"})
    round_ = response.json
    assert round_["task_status"] == "PREV"
    [review] = round_["reviews"]
    assert (review["reviewer_id"], review["version_id"]) == (work.lead.id, latest.id)
    assert review["status"] == "NEW" and review["is_open"]
    listed = api_as(work.artist).get(reviews_url(work.task)).json["data"]
    assert [item["id"] for item in listed] == [review["id"]]


def test_a_retried_request_makes_one_round(api_as, work, dbsession):
    started(dbsession, work)
    client = api_as(work.artist)
    key = {"Idempotency-Key": "review-1"}
    first = client.post(reviews_url(work.task), {}, headers=key)
    assert client.post(reviews_url(work.task), {}, headers=key).json == first.json
    assert dbsession.scalar(select(func.count(Review.id))) == 1


def test_a_task_not_in_wip_is_refused_with_the_workflow_reason(api_as, work, dbsession):
    error = error_of(api_as(work.artist).post(reviews_url(work.task), {}, status=422))
    assert error["code"] == "invalid" and error["message"]
    other = create_version(dbsession, work.task)
    create_time_log(dbsession, work.task, work.artist, MONDAY, MONDAY.replace(hour=11))
    body = {"version_id": other.id + 1000}
    assert (
        "version_id"
        in error_of(api_as(work.artist).post(reviews_url(work.task), body, status=422))["fields"]
    )


def test_the_lead_approves_and_the_task_completes(api_as, work, dbsession):
    started(dbsession, work)
    [review] = api_as(work.artist).post(reviews_url(work.task), {}).json["reviews"]
    url = f"/api/v1/reviews/{review['id']}"
    api_as(work.artist).post(f"{url}/approve", {}, status=403)
    answer = api_as(work.lead).post(f"{url}/approve", {"note": "Good"}, status=200).json
    assert answer["task_status"] == "CMPL" and answer["review"]["status"] == "APP"
    again = api_as(work.lead).post(f"{url}/approve", {}, status=422)
    assert "already answered" in error_of(again)["message"]


def test_the_lead_requests_a_revision_with_extra_time(api_as, work, dbsession):
    started(dbsession, work)
    [review] = api_as(work.artist).post(reviews_url(work.task), {}).json["reviews"]
    url = f"/api/v1/reviews/{review['id']}/request-revision"
    lead = api_as(work.lead)
    assert "note" in error_of(lead.post(url, {}, status=422))["fields"]
    bad_unit = {"note": "Arm", "schedule_unit": "parsec"}
    assert "schedule_unit" in error_of(lead.post(url, bad_unit, status=422))["fields"]
    body = {"note": "Fix the arm", "schedule_timing": 2, "schedule_unit": "d"}
    answer = lead.post(url, body, status=200).json
    assert answer["task_status"] == "HREV"
    assert (answer["review"]["schedule_timing"], answer["review"]["schedule_unit"]) == (2, "d")


def test_strangers_see_no_reviews_and_answer_none(api_as, work, dbsession):
    started(dbsession, work)
    [review] = api_as(work.artist).post(reviews_url(work.task), {}).json["reviews"]
    stranger = api_as(work.stranger)
    stranger.get(reviews_url(work.task), status=404)
    stranger.post(reviews_url(work.task), {}, status=404)
    stranger.post(f"/api/v1/reviews/{review['id']}/approve", {}, status=404)

"""Time logs through the API: logging one's time (the pages' rules, once per Idempotency-Key),
moving a log with If-Match, deleting it, and who may."""

from sqlalchemy import func, select

from stalker_web.models import TimeLog

from ..test_framework import error_of

START, END = "2026-03-02T09:00:00Z", "2026-03-02T11:00:00+00:00"


def logs_url(task) -> str:
    return f"/api/v1/tasks/{task.id}/time-logs"


def log_count(dbsession) -> int:
    return dbsession.scalar(select(func.count(TimeLog.id)))


def test_an_artist_logs_time_and_the_task_starts(api_as, work, dbsession):
    client = api_as(work.artist)
    response = client.post(logs_url(work.task), {"start": START, "end": END, "description": "x"})
    log = response.json
    assert log["resource_id"] == work.artist.id and log["start"].startswith("2026-03-02T09:00")
    assert response.headers["Location"].endswith(f"/api/v1/time-logs/{log['id']}")
    dbsession.refresh(work.task)
    assert work.task.status.code == "WIP"
    assert [item["id"] for item in client.get(logs_url(work.task)).json["data"]] == [log["id"]]


def test_a_retried_log_is_made_once(api_as, work, dbsession):
    client = api_as(work.artist)
    key = {"Idempotency-Key": "log-1"}
    first = client.post(logs_url(work.task), {"start": START, "end": END}, headers=key)
    again = client.post(logs_url(work.task), {"start": START, "end": END}, headers=key)
    assert again.json == first.json and log_count(dbsession) == 1


def test_an_overlap_is_refused_with_the_reason(api_as, work, dbsession):
    client = api_as(work.artist)
    client.post(logs_url(work.task), {"start": START, "end": END})
    body = {"start": "2026-03-02T10:00:00Z", "end": "2026-03-02T12:00:00Z"}
    error = error_of(client.post(logs_url(work.task), body, status=422))
    assert "cannot overlap" in error["message"] and "start" in error["fields"]
    assert log_count(dbsession) == 1


def test_bad_times_are_refused_by_field(api_as, work):
    client = api_as(work.artist)
    for body, field in (
        ({"end": END}, "start"),
        ({"start": "2026-03-02T09:00:00", "end": END}, "start"),
        ({"start": START, "end": "tomorrow"}, "end"),
        ({"start": START, "end": END, "description": 3}, "description"),
        ({"start": START, "end": END, "hours": 2}, "hours"),
    ):
        assert field in error_of(client.post(logs_url(work.task), body, status=422))["fields"]


def test_a_log_is_moved_with_if_match_and_deleted(api_as, work, dbsession):
    client = api_as(work.artist)
    log = client.post(logs_url(work.task), {"start": START, "end": END}).json
    url = f"/api/v1/time-logs/{log['id']}"
    etag = client.get(url).headers["ETag"]
    client.patch(url, {"end": "2026-03-02T12:00:00Z"}, status=428)
    moved = client.patch(url, {"end": "2026-03-02T12:00:00Z"}, headers={"If-Match": etag})
    assert moved.json["end"].startswith("2026-03-02T12:00")
    client.patch(url, {"description": "again"}, status=412, headers={"If-Match": etag})
    client.patch(url, {}, status=422, headers={"If-Match": moved.headers["ETag"]})
    client.delete(url, status=412, headers={"If-Match": etag})
    client.delete(url, headers={"If-Match": moved.headers["ETag"]})
    assert log_count(dbsession) == 0


def test_others_may_not_log_or_change_logs(api_as, work, factory):
    log = api_as(work.artist).post(logs_url(work.task), {"start": START, "end": END}).json
    url = f"/api/v1/time-logs/{log['id']}"
    lead = api_as(work.lead)
    etag = lead.get(url).headers["ETag"]
    assert error_of(lead.patch(url, {"description": "x"}, status=403, headers={"If-Match": etag}))
    lead.delete(url, status=403, headers={"If-Match": etag})
    stranger = api_as(work.stranger)
    stranger.get(url, status=404)
    stranger.post(logs_url(work.task), {"start": START, "end": END}, status=404)
    stranger.delete(url, status=404)

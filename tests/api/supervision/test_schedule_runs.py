"""``/api/v1/schedule/runs``: starting a run (the whole studio with the studio-wide right, one
project by its managers), queued for the worker after commit; reading runs as the pages allow."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import ScheduleRun
from stalker_web.models.meta import utcnow
from stalker_web.models.schedule_run import RunPhase, RunStatus

from .conftest import error_of, token_on_every_request

RUNS = "/api/v1/schedule/runs"


@pytest.fixture
def handed_over(monkeypatch):
    """The run ids handed to the worker's queue after commit (the tests' transactions never
    commit: the hand-over itself is tests/test_queue.py's)."""
    ids = []
    monkeypatch.setattr(
        "stalker_web.queue.enqueue_after_commit",
        lambda request, run_id, not_queued=None: ids.append(run_id),
    )
    return ids


def run_count(dbsession) -> int:
    return dbsession.scalar(select(func.count()).select_from(ScheduleRun))


def finished_run(factory, project_ids, **values) -> ScheduleRun:
    now = utcnow()
    run = ScheduleRun(
        name="A run",
        studio=factory.studio(),
        status=RunStatus.SUCCEEDED,
        phase=RunPhase.DONE,
        project_ids=project_ids,
        started_at=now,
        finished_at=now,
        duration_seconds=3.5,
        task_count=7,
        **values,
    )
    factory.dbsession.add(run)
    factory.dbsession.flush()
    return run


def test_an_admin_starts_a_run_of_the_whole_studio(api_as, factory, dbsession, handed_over):
    factory.studio()
    response = api_as(factory.admin()).post(RUNS, {}, status=202)
    run = response.json
    assert (run["status"], run["phase"], run["project_ids"]) == ("queued", "queued", None)
    assert response.headers["Location"].endswith(f"{RUNS}/{run['id']}")
    assert handed_over == [run["id"]]
    assert dbsession.get(ScheduleRun, run["id"]).status == RunStatus.QUEUED


def test_a_projects_manager_starts_a_run_of_it_and_follows_it(api_as, factory, team, handed_over):
    factory.studio()
    client = api_as(team.manager)
    run = client.post(RUNS, {"project_id": team.project.id}, status=202).json
    assert run["project_ids"] == [team.project.id] and handed_over == [run["id"]]
    followed = client.get(f"{RUNS}/{run['id']}").json
    assert (followed["status"], followed["requested_by_id"]) == ("queued", team.manager.id)
    assert [item["id"] for item in client.get(RUNS).json["data"]] == [run["id"]]


def test_starts_are_refused_to_those_the_pages_refuse(
    api_as, factory, team, dbsession, handed_over
):
    factory.studio()
    other = factory.project()
    manager, artist = api_as(team.manager), api_as(team.artist)
    assert error_of(manager.post(RUNS, {}, status=403))["code"] == "forbidden"
    refused = manager.post(RUNS, {"project_id": other.id}, status=422)
    assert "project_id" in error_of(refused)["fields"]
    artist.post(RUNS, {"project_id": team.project.id}, status=403)
    api_as(team.manager, "read").post(RUNS, {"project_id": team.project.id}, status=403)
    api_as(factory.admin(), "read").post(RUNS, {}, status=403)
    for body in ({"project_id": "one"}, {"projects": [1]}):
        manager.post(RUNS, body, status=422)
    assert run_count(dbsession) == 0 and handed_over == []


def test_a_second_start_while_a_run_is_active_is_refused(api_as, factory, team, handed_over):
    factory.studio()
    admin = api_as(factory.admin())
    first = admin.post(RUNS, {}, status=202).json
    refused = error_of(admin.post(RUNS, {}, status=409))
    assert refused["code"] == "run_active" and f"run {first['id']}" in refused["message"]
    # A manager may not read the studio's run: it is not named to them.
    refused = error_of(api_as(team.manager).post(RUNS, {"project_id": team.project.id}, status=409))
    assert f"run {first['id']}" not in refused["message"]
    assert handed_over == [first["id"]]


def test_an_idempotent_start_retried_starts_one_run(api_as, factory, dbsession, handed_over):
    factory.studio()
    admin = api_as(factory.admin())
    headers = {"Idempotency-Key": "schedule-now-1"}
    first = admin.post(RUNS, {}, headers=headers, status=202)
    again = admin.post(RUNS, {}, headers=headers, status=202)
    assert again.json == first.json and again.headers["Idempotent-Replayed"] == "true"
    assert run_count(dbsession) == 1 and len(handed_over) == 1


def test_a_run_tells_where_it_stands_and_how_it_ended(api_as, factory):
    messages = [
        {"level": "warning", "text": "Late"},
        {"level": "error", "text": "Broken"},
        {"level": "info", "text": "Fine"},
    ]
    run = finished_run(factory, None, messages=messages, error="It broke")
    body = api_as(factory.admin()).get(f"{RUNS}/{run.id}").json
    assert (body["status"], body["task_count"], body["duration_seconds"]) == ("succeeded", 7, 3.5)
    assert (body["message_count"], body["error_count"], body["warning_count"]) == (3, 1, 1)
    assert body["error"] == "It broke" and body["started_at"] is not None


def test_managers_read_only_the_runs_of_projects_they_manage(api_as, factory, team):
    other = factory.project()
    own = finished_run(factory, [team.project.id])
    foreign = [
        finished_run(factory, ids) for ids in (None, [other.id], [team.project.id, other.id])
    ]
    manager = api_as(team.manager)
    assert [item["id"] for item in manager.get(RUNS).json["data"]] == [own.id]
    manager.get(f"{RUNS}/{own.id}")
    for run in foreign:
        manager.get(f"{RUNS}/{run.id}", status=404)
    artist = api_as(team.artist)
    assert artist.get(RUNS).json["data"] == []
    artist.get(f"{RUNS}/{own.id}", status=404)
    admin = api_as(factory.admin())
    assert [item["id"] for item in admin.get(RUNS).json["data"]] == [own.id] + [
        run.id for run in foreign
    ]


def test_the_run_lists_statement_count_does_not_grow_with_its_runs(
    api_as, factory, team, testapp, queries_of
):
    client = api_as(team.manager)
    token_on_every_request(testapp, client)
    messages = [{"level": "warning", "text": "Late"}]

    def add(count):
        for _ in range(count):
            finished_run(factory, [team.project.id], messages=messages)

    add(5)
    few = queries_of(testapp, f"{RUNS}?limit=100")
    add(45)
    assert queries_of(testapp, f"{RUNS}?limit=100") == few

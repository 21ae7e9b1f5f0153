"""End to end: the client drives a real server on 127.0.0.1 (waitress, its own committed
database, a worker in threads) through a DCC tool's flow: find my task, create a version, get
its path, upload the scene, find the version from the file's path, log time, request a review;
and the project's webhook reaches a real local receiver with a valid signature, once after the
receiver failed the first try."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from stalker_web.client import Client, Invalid, NotFound
from stalker_web.client.__main__ import main as client_main
from stalker_web.db import get_engine, get_session_factory
from stalker_web.models import DeliveryState, ProjectUser, Review, Role, Task, WebhookDelivery
from stalker_web.services.accounts.api_tokens import create_token
from stalker_web.services.webhooks.registration import create_webhook

from ..factories import Factory
from ..services.notifications.test_sending import wait_until


@pytest.fixture(scope="module")
def sessions(live_settings):
    engine = get_engine(live_settings)
    yield get_session_factory(engine)
    engine.dispose()


@pytest.fixture
def studio(sessions, studio_config, receiver, tmp_path) -> dict:
    """Committed: a project (structure, repository under ``tmp_path``) whose Layout task the
    artist works on and the lead reviews, the artist's token, and a hook posting status
    changes to the receiver."""
    with sessions() as dbsession, dbsession.begin():
        factory = Factory(dbsession, studio_config)
        artist, lead = factory.user(name="Pipe Artist"), factory.user(name="Pipe Lead")
        template = factory.filename_template(
            "Task",
            path="{{ project.code }}/{{ task.nice_name }}",
            filename="{{ task.nice_name }}_v{{ '%03d' % version.version_number }}",
        )
        (tmp_path / "repo").mkdir()
        repository = factory.repository(linux_path=str(tmp_path / "repo"))
        project = factory.project(structure=factory.structure(templates=[template]))
        project.repositories.append(repository)
        roles = {r.name: r for r in dbsession.scalars(select(Role))}
        project.members.append(ProjectUser(user=artist, role=roles["Artist"]))
        project.members.append(ProjectUser(user=lead, role=roles["Lead"]))
        task = factory.task(
            project=project,
            name="Layout",
            resources=[artist],
            responsible=[lead],
            schedule_timing=2,
            schedule_unit="d",
        )
        _token, secret = create_token(
            dbsession, artist, name="Maya", scope="write", expires_at=None
        )
        hook = create_webhook(
            dbsession, None, project, name="Tracker", url=receiver.url,
            kinds=["task.status_changed"],
        )  # fmt: skip
        receiver.secret = hook.secret
        return {"project": project.id, "task": task.id, "token": secret}


def test_a_dcc_tool_publishes_logs_time_and_asks_for_a_review(
    worker_live_server, sessions, studio, receiver, tmp_path
):
    receiver.statuses = [500]  # the receiver fails the first delivery once
    client = Client(worker_live_server, studio["token"])

    [task] = client.my_tasks()
    assert (task["id"], task["status"]) == (studio["task"], "RTS")

    version = client.create_version(task["id"], extension=".ma", created_with="Maya 2025")
    linux_path = version["paths"]["linux"]
    assert linux_path.startswith(str(tmp_path / "repo")) and linux_path.endswith("_v001.ma")

    scene = tmp_path / "Layout_v001.ma"
    scene.write_text("//Maya ASCII 2025 scene\n")
    stored = client.upload_file(version["id"], str(scene))
    assert client.version_of(studio["project"], stored["paths"]["linux"]) == version["id"]
    assert client.versions_under(studio["project"], str(tmp_path / "repo")) == [version["id"]]

    client.log_time(
        task["id"], datetime(2026, 11, 30, 10, tzinfo=UTC), datetime(2026, 11, 30, 12, tzinfo=UTC)
    )
    client.request_review(task["id"], version["id"], note="Ready for a look")

    with sessions() as dbsession:
        assert dbsession.get(Task, studio["task"]).status.code == "PREV"
        assert dbsession.scalars(select(Review).where(Review.task_id == studio["task"])).all()

    def delivered() -> bool:
        with sessions() as dbsession:
            states = dbsession.scalars(select(WebhookDelivery.state)).all()
        return len(states) == 2 and set(states) == {DeliveryState.DELIVERED}

    wait_until(delivered)
    assert len(receiver.requests) == 3  # the first try refused, then both changes
    assert all(request["signed"] for request in receiver.requests)
    with sessions() as dbsession:
        attempts = sorted(d.attempts for d in dbsession.scalars(select(WebhookDelivery)))
    assert attempts == [1, 2]


def test_refusals_reach_the_tool_as_exceptions_with_the_apis_words(live_server, studio):
    client = Client(live_server, studio["token"])
    with pytest.raises(NotFound):
        client.task(999999)
    with pytest.raises(Invalid) as refused:
        client.request_review(studio["task"])  # nothing to review yet: the workflow says why
    assert refused.value.message


def test_the_command_line_lists_my_tasks_and_publishes_a_file(
    live_server, studio, tmp_path, capsys
):
    common = ["--url", live_server, "--token", studio["token"]]
    assert client_main([*common, "my-tasks"]) == 0
    listed = capsys.readouterr().out
    assert str(studio["task"]) in listed and "Layout" in listed

    scene = tmp_path / "Layout_v001.ma"
    scene.write_text("//Maya ASCII 2025 scene\n")
    assert client_main([*common, "publish", str(scene), "--task", str(studio["task"])]) == 0
    published = capsys.readouterr().out
    assert published.startswith("version ") and ".ma" in published

    assert client_main([*common, "publish", str(tmp_path / "missing.ma"), "--task", "1"]) == 1
    assert "error:" in capsys.readouterr().err

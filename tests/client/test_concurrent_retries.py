"""A create retried while the first try is still running (a tool that timed out and sent it
again at once): both tries carry the same Idempotency-Key, reach a real server at the same
moment, and one version is made; both answers name it."""

import threading

from sqlalchemy import func, select

from stalker_web.client.transport import Transport
from stalker_web.models import Version

from .test_pipeline_flow import sessions, studio  # noqa: F401 - fixtures

TRIES = 4


def test_simultaneous_tries_with_one_key_make_one_version(live_server, sessions, studio):  # noqa: F811
    answers, errors = [], []
    start = threading.Barrier(TRIES)

    def send() -> None:
        transport = Transport(live_server, studio["token"], retries=0)
        start.wait()
        try:
            answer = transport.request(
                "POST",
                f"/api/v1/tasks/{studio['task']}/versions",
                json_body={"created_with": "Maya"},
                headers={"Idempotency-Key": "same-key-for-every-try"},
            )
            answers.append(answer.body["id"])
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=send) for _ in range(TRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    with sessions() as dbsession:
        made = dbsession.scalar(
            select(func.count()).select_from(Version).where(Version.task_id == studio["task"])
        )
    assert made == 1, (answers, errors)
    # Each try got the version, or was told to retry in a moment (409) while the first ran.
    assert answers and set(answers) == {answers[0]}
    assert all("409" in error for error in errors), errors

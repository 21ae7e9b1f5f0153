"""A schema-driven fuzz run of the API: schemathesis reads the OpenAPI document the live server
serves and sends generated requests to every operation, valid ones and ones the document says
are invalid, with an administrator's token; no answer may be a server error or break the
document (status code, content type, headers, body schema). (Unknown query parameters are
ignored, as most APIs do, so "invalid input must be refused" is not one of the checks.)
Bounded: a few examples per operation and kind, the same at every run, no shrinking."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode, checks
from schemathesis.specs.openapi import checks as openapi_checks

from stalker_web.db import get_engine, get_session_factory
from stalker_web.services.accounts.api_tokens import create_token

from ..factories import Factory

EXAMPLES_PER_OPERATION = 8
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzzed(live_server, live_settings, studio_config):
    """The served document, and a token of an admin of a studio with a project and a task."""
    engine = get_engine(live_settings)
    with get_session_factory(engine)() as dbsession, dbsession.begin():
        factory = Factory(dbsession, studio_config)
        admin = factory.admin()
        project = factory.project()
        factory.task(project=project, name="Layout", resources=[admin])
        _token, secret = create_token(dbsession, admin, name="Fuzz", scope="write", expires_at=None)
    engine.dispose()
    schema = schemathesis.openapi.from_url(f"{live_server}/api/v1/openapi.json")
    return schema, live_server, secret


def _probe(operation, mode, base_url: str, headers: dict, failures: list[str]) -> None:
    """Send the generated examples of one operation (valid ones, or ones the document says are
    invalid: ``mode``); a failed check is written down."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
        database=None,
        derandomize=True,  # the same examples at every run: a failure here is reproducible
    )
    def probe(case) -> None:
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    try:
        probe()
    except Exception as error:  # noqa: BLE001 - every operation is tried, all failures shown
        failures.append(f"{operation.label} ({mode.value}): {str(error)[:600]}")


def test_no_operation_answers_a_server_error_or_breaks_its_schema(fuzzed):
    schema, base_url, secret = fuzzed
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    failures: list[str] = []
    for operation in operations:
        for mode in GenerationMode:
            _probe(operation, mode, base_url, {"Authorization": f"Bearer {secret}"}, failures)
    assert not failures, "\n\n".join(failures[:20])

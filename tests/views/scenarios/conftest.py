"""Fixtures of the scenario pages: a producer holding the default Producers group's rights (the
scenario rights among them), logged in, and an open scenario of theirs."""

import pytest

from stalker_web.services.scenarios.editing import create_scenario
from stalker_web.services.studio.initial_data import ensure_default_groups

from ...conftest import login


@pytest.fixture(name="producers")
def producers_fixture(dbsession, studio_config):
    """The default Producers group of ``[accounts.default_groups]``."""
    groups = ensure_default_groups(dbsession, studio_config["accounts"]["default_groups"])
    return next(group for group in groups if group.name == "Producers")


@pytest.fixture(name="producer")
def producer_fixture(factory, producers):
    return factory.user(name="Petra Producer", groups=[producers])


@pytest.fixture(name="producer_app")
def producer_app_fixture(testapp, producer):
    """``testapp`` logged in as the producer."""
    login(testapp, producer.login)
    return testapp


@pytest.fixture(name="scenario")
def scenario_fixture(dbsession, producer):
    return create_scenario(dbsession, producer, "Freelancer in March", "Hire help for lighting")

"""Fixtures of the model tests: a project, tasks built straight from the models."""

import pytest

from stalker_web.models import Task
from stalker_web.services.workflow.statuses import task_status


@pytest.fixture
def project(factory):
    return factory.project()


@pytest.fixture
def make(dbsession, project):
    """Build a task of a given class straight from the model, added and flushed."""

    def build(cls=Task, **values):
        values.setdefault("name", f"{cls.__name__} task")
        if "parent" not in values:
            values.setdefault("project", project)
        values.setdefault("status", task_status(dbsession, "RTS"))
        task = cls(**values)
        dbsession.add(task)
        dbsession.flush()
        return task

    return build

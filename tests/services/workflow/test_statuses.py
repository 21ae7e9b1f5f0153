"""The Task status list: in list order, read once per session, a clear refusal for a gone code."""

import pytest

from stalker_web.services.errors import ValidationError
from stalker_web.services.workflow import rules
from stalker_web.services.workflow.statuses import task_status, task_statuses


def test_the_statuses_come_in_the_order_of_the_list(dbsession, studio_config):
    assert list(task_statuses(dbsession)) == studio_config["status_lists"]["Task"]


def test_the_list_is_read_once_per_session(dbsession, count_queries):
    task_statuses(dbsession)
    with count_queries() as counter:
        ready = task_status(dbsession, rules.RTS)
        task_statuses(dbsession)
    assert counter.count == 0
    assert ready.code == rules.RTS


def test_the_list_is_read_again_once_a_status_has_left_the_session(dbsession, count_queries):
    waiting = task_status(dbsession, rules.WFD)
    dbsession.expunge(waiting)
    with count_queries() as counter:
        again = task_status(dbsession, rules.WFD)
    assert counter.count == 1
    assert again is not waiting and again in dbsession


def test_a_code_missing_from_the_list_is_refused_with_what_to_do(dbsession):
    with pytest.raises(ValidationError, match="has no XYZ status; ask an administrator"):
        task_status(dbsession, "XYZ")

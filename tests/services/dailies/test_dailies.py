"""Creating, listing and closing dailies."""

import pytest

from stalker_web.events import DailyClosed, dispatch_to
from stalker_web.models import DailyOutcome, DailyVersion
from stalker_web.services.dailies.dailies import (
    close_daily,
    create_daily,
    is_closed,
    project_dailies,
)
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.errors import ValidationError


def test_a_new_daily_is_open(dbsession, film):
    daily = create_daily(dbsession, film, "  Animation   dailies ", " Tuesday's ")
    assert (daily.name, daily.description) == ("Animation dailies", "Tuesday's")
    assert (daily.status.code, daily.project, daily.summary_sent_at) == ("OPEN", film, None)
    assert not is_closed(daily)


@pytest.mark.parametrize(
    ("name", "message"), [(" ", "A name is required."), ("x" * 257, "Use at most 256 characters.")]
)
def test_a_daily_needs_a_name_of_at_most_256_characters(dbsession, film, name, message):
    with pytest.raises(ValidationError, match=message) as refused:
        create_daily(dbsession, film, name)
    assert refused.value.field == "name"


def test_closing_sets_closed_sends_the_summary_once(dbsession, film):
    daily = create_daily(dbsession, film, "Dailies")
    published = []
    dispatch_to(dbsession, published.append)
    close_daily(dbsession, daily)
    assert (daily.status.code, is_closed(daily)) == ("CLS", True)
    assert daily.summary_sent_at is not None
    assert published == [DailyClosed(daily.id, film.id)]
    with pytest.raises(ValidationError, match="Dailies is already closed"):
        close_daily(dbsession, daily)
    assert len(published) == 1


def test_the_list_is_newest_first_with_counts(dbsession, factory, film, shots):
    older = create_daily(dbsession, film, "Monday")
    newer = create_daily(dbsession, film, "Tuesday")
    for task in (shots["SH010"]["Animation"], shots["SH020"]["Animation"]):
        add_version(dbsession, newer, factory.version(task))
    entry = dbsession.query(DailyVersion).filter_by(daily_id=newer.id, rank=1).one()
    entry.outcome = DailyOutcome.APPROVED
    create_daily(dbsession, factory.project(), "Elsewhere")
    page = project_dailies(dbsession, film)
    assert [(row.daily.name, row.versions, row.answered) for row in page.items] == [
        ("Tuesday", 2, 1),
        ("Monday", 0, 0),
    ]
    assert older in [row.daily for row in page.items]


def test_the_list_query_count_does_not_grow(dbsession, factory, film, shots, count_queries):
    def queries_for(number):
        for index in range(number):
            daily = create_daily(dbsession, film, f"Daily {number}-{index}")
            add_version(dbsession, daily, factory.version(shots["SH030"]["Lighting"]))
        dbsession.expire_all()
        with count_queries() as counter:
            page = project_dailies(dbsession, film)
            [row.daily.status.code for row in page.items]
            [row.daily.created_by for row in page.items]
        return counter.count

    assert queries_for(2) == queries_for(10)

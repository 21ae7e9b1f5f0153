"""The versions of a daily: added by hand, collected by what was published, moved and removed;
finding versions to add."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from stalker_web.models import DailyOutcome, Version
from stalker_web.services.dailies.dailies import close_daily, create_daily
from stalker_web.services.dailies.entries import (
    add_version,
    collect_published,
    find_versions,
    move_entry,
    remove_entry,
)
from stalker_web.services.errors import ValidationError


@pytest.fixture(name="daily")
def daily_fixture(dbsession, film):
    return create_daily(dbsession, film, "Dailies")


def published_at(dbsession, version, moment):
    """Make ``version`` look published at ``moment`` (its last change)."""
    dbsession.execute(update(Version).where(Version.id == version.id).values(date_updated=moment))
    dbsession.expire(version)
    return version


def listed(daily):
    return [(entry.rank, entry.version) for entry in daily.entries]


def test_versions_are_added_last(dbsession, factory, daily, shots):
    first = factory.version(shots["SH010"]["Animation"])
    second = factory.version(shots["SH020"]["Lighting"])
    assert add_version(dbsession, daily, first).rank == 1
    assert add_version(dbsession, daily, second).rank == 2
    assert listed(daily) == [(1, first), (2, second)]


def test_a_version_is_added_once(dbsession, factory, daily, shots):
    version = factory.version(shots["SH010"]["Animation"])
    add_version(dbsession, daily, version)
    with pytest.raises(
        ValidationError, match=f"{version.name} is already in this daily, at place 1"
    ):
        add_version(dbsession, daily, version)


def test_a_version_of_another_project_is_refused(dbsession, factory, daily):
    other = factory.version(factory.task())
    with pytest.raises(ValidationError, match="belongs to another project"):
        add_version(dbsession, daily, other)
    assert daily.entries == []


def test_a_closed_daily_takes_no_version(dbsession, factory, daily, shots):
    close_daily(dbsession, daily)
    with pytest.raises(ValidationError, match="Dailies is closed, so you cannot add versions"):
        add_version(dbsession, daily, factory.version(shots["SH010"]["Animation"]))


def test_collecting_takes_what_was_published_since_the_moment(dbsession, factory, daily, shots):
    now = datetime.now(UTC)
    new = factory.version(shots["SH020"]["Animation"], published=True)
    newer = factory.version(shots["SH010"]["Lighting"], published=True)
    old = published_at(
        dbsession,
        factory.version(shots["SH030"]["Animation"], published=True),
        now - timedelta(days=2),
    )
    factory.version(shots["SH010"]["Animation"])  # not published
    added = collect_published(dbsession, daily, now - timedelta(hours=1))
    # In the order of their task paths (SH010 before SH020).
    assert [entry.version for entry in added] == [newer, new]
    assert [entry.rank for entry in added] == [1, 2]
    again = collect_published(dbsession, daily, now - timedelta(days=3))
    assert [entry.version for entry in again] == [old]
    assert again[0].rank == 3


def test_collecting_under_a_sequence_for_a_step(dbsession, factory, daily, shots):
    since = datetime.now(UTC) - timedelta(hours=1)
    wanted = factory.version(shots["SH020"]["Animation"], published=True)
    factory.version(shots["SH020"]["Lighting"], published=True)  # another step
    factory.version(shots["SH030"]["Animation"], published=True)  # another sequence
    step = shots["SH020"]["Animation"].type
    added = collect_published(dbsession, daily, since, under=shots["SQ010"], step=step)
    assert [entry.version for entry in added] == [wanted]


def test_collecting_under_a_task_of_another_project_is_refused(dbsession, factory, daily):
    with pytest.raises(ValidationError, match="Choose a task of this daily's project") as refused:
        collect_published(dbsession, daily, datetime.now(UTC), under=factory.task())
    assert refused.value.field == "under"


def test_moving_shifts_the_others(dbsession, factory, daily, shots):
    versions = [factory.version(shots[code]["Animation"]) for code in ("SH010", "SH020", "SH030")]
    entries = [add_version(dbsession, daily, version) for version in versions]
    assert move_entry(dbsession, entries[2], 1) == 1
    assert [version for _rank, version in listed(daily)] == [versions[2], versions[0], versions[1]]
    assert move_entry(dbsession, entries[2], 99) == 3  # kept within the daily
    assert listed(daily) == [(1, versions[0]), (2, versions[1]), (3, versions[2])]


def test_removing_closes_the_gap_but_not_for_an_answered_version(dbsession, factory, daily, shots):
    versions = [factory.version(shots[code]["Animation"]) for code in ("SH010", "SH020", "SH030")]
    entries = [add_version(dbsession, daily, version) for version in versions]
    remove_entry(dbsession, entries[0])
    assert listed(daily) == [(1, versions[1]), (2, versions[2])]
    entries[1].outcome = DailyOutcome.APPROVED
    with pytest.raises(ValidationError, match="was already answered in this daily"):
        remove_entry(dbsession, entries[1])


def test_finding_by_path_words_or_version_id(dbsession, factory, daily, shots):
    animation = factory.version(shots["SH020"]["Animation"])
    lighting = factory.version(shots["SH020"]["Lighting"])
    factory.version(factory.task(name="SH020 elsewhere"))  # another project
    add_version(dbsession, daily, lighting)
    page = find_versions(dbsession, daily, daily.project, "sh020 / anim")
    assert [(item.version, item.path, item.rank) for item in page.items] == [
        (animation, "FLM / SQ010 / SH020 / Animation", None)
    ]
    # A number is a version's id (that version first) or a word of a path ("SH020").
    page = find_versions(dbsession, daily, daily.project, str(lighting.id))
    assert [(item.version, item.rank) for item in page.items][0] == (lighting, 1)
    assert {item.version for item in find_versions(dbsession, daily, daily.project, "").items} >= {
        animation,
        lighting,
    }

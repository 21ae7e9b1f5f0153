"""What the daily's page and the walk show: the versions in order with their answers, and one
version with the previous version of its task beside it."""

from stalker_web.models import DailyOutcome
from stalker_web.services.dailies.answers import answer_version
from stalker_web.services.dailies.dailies import create_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.dailies.page import daily_page
from stalker_web.services.dailies.walk import walk_page
from stalker_web.services.versions.versions import create_version
from stalker_web.services.workflow.reviews import request_review


def test_the_walk_shows_the_previous_version_of_the_task(dbsession, factory, film, shots, lead):
    animation = shots["SH010"]["Animation"]
    first, second, third = (factory.version(animation) for _ in range(3))
    daily = create_daily(dbsession, film, "Dailies")
    entries = [add_version(dbsession, daily, version) for version in (third, first)]
    page = walk_page(dbsession, entries[0], lead)
    assert (page.version, page.previous, page.path) == (
        third,
        second,
        "FLM / SQ010 / SH010 / Animation",
    )
    assert [item.shown_as for item in page.media] == ["picture"]
    assert (page.previous_rank, page.next_rank, page.count) == (None, 2, 2)
    page = walk_page(dbsession, entries[1], lead)
    assert (page.previous, page.previous_media, page.previous_rank, page.next_rank) == (
        None,
        [],
        1,
        None,
    )


def test_a_new_revision_stream_follows_the_last_version_of_the_one_before(
    dbsession, factory, film, shots, lead
):
    animation = shots["SH010"]["Animation"]
    last_of_first = [factory.version(animation) for _ in range(2)][-1]
    retake = create_version(dbsession, animation, revision_number=2)
    daily = create_daily(dbsession, film, "Dailies")
    page = walk_page(dbsession, add_version(dbsession, daily, retake), lead)
    assert page.previous == last_of_first


def test_the_walk_names_the_review_it_waits_for_and_what_to_look_at(
    dbsession, factory, film, shots, start, artist, supervisor, lead
):
    animation = start(shots["SH010"]["Animation"])
    version = factory.version(animation)
    request_review(dbsession, animation, artist, version, "Look at the *jump*.")
    daily = create_daily(dbsession, film, "Dailies")
    entry = add_version(dbsession, daily, version)
    mine = walk_page(dbsession, entry, supervisor)
    assert mine.review.reviewer == supervisor
    assert mine.waiting_for == [supervisor]
    assert "<em>jump</em>" in mine.asked.html
    theirs = walk_page(dbsession, entry, lead)
    assert (theirs.review, theirs.waiting_for) == (None, [supervisor])
    assert theirs.asked == mine.asked


def test_the_daily_page_lists_versions_with_answers(
    dbsession, factory, film, shots, start, artist, supervisor
):
    animation = start(shots["SH010"]["Animation"])
    version = factory.version(animation)
    request_review(dbsession, animation, artist, version)
    daily = create_daily(dbsession, film, "Dailies")
    entry = add_version(dbsession, daily, version)
    add_version(dbsession, daily, factory.version(shots["SH020"]["Lighting"], thumbnail=False))
    answer_version(dbsession, entry, supervisor, DailyOutcome.APPROVED, "Good.")
    page = daily_page(dbsession, daily)
    assert [entry.rank for entry in page.entries.items] == [1, 2]
    assert (page.total, page.answered) == (2, 1)
    assert page.paths[animation.id] == "FLM / SQ010 / SH010 / Animation"
    assert page.thumbnails[version.id] is not None
    assert page.notes[entry.note_id].html.strip() == "<p>Good.</p>"

"""A studio in Montréal scheduled by the real tj3: its working hours are local hours, so work
starts at 09:00 local on both sides of the spring clock change (14:00 UTC, then 13:00 UTC)."""

from datetime import UTC, datetime

from sqlalchemy import select

from stalker_web.models import RunStatus, Studio

from .conftest import computed, schedule

# Thursday 5 March 2026, 09:00 in Montréal (EST); the clocks go forward on Sunday the 8th.
NOW = datetime(2026, 3, 5, 14, 0, tzinfo=UTC)


def utc(day: int, hour: int) -> datetime:
    return datetime(2026, 3, day, hour, 0, tzinfo=UTC)


def test_a_montreal_studio_starts_at_local_nine_across_the_clock_change(
    builder, session_factory, settings
):
    builder.dbsession.scalars(select(Studio)).one().time_zone = "America/Montreal"
    ann = builder.user("Ann")
    film = builder.project("Film")
    before = builder.task("Before", project=film, hours=18, resources=[ann])
    after = builder.task("After", project=film, hours=9, resources=[ann])
    across = builder.task("Across", project=film, hours=12, resources=[ann])
    builder.depends(after, before)
    builder.depends(across, after)
    builder.commit()

    run = schedule(session_factory, settings, now=NOW)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    assert computed(session_factory, before, after, across) == [
        # Thursday and Friday, 09:00-18:00 EST (UTC-5).
        (utc(5, 14), utc(6, 23)),
        # Monday the 9th, 09:00-18:00 EDT (UTC-4).
        (utc(9, 13), utc(9, 22)),
        # Tuesday 09:00 EDT, 9 h, then Wednesday 09:00-12:00 EDT.
        (utc(10, 13), utc(11, 16)),
    ]

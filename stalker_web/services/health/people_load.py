"""The most loaded people of a project over the next weeks: their scheduled hours (on any
project) against their available hours, from the live plan, read for them and those weeks only."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, ProjectUser
from ..scheduling.load import (
    WEEK,
    WorkingTime,
    read_live_bookings,
    read_people,
    span_of,
    week_starts,
    weekly_available,
    weekly_load,
)
from ..tasks.progress import StudioCalendar
from ..workload.grid import Load

WEEKS_AHEAD = 4
MOST_LOADED = 5


@dataclass(frozen=True, kw_only=True)
class PersonLoad(Load):
    """One person's scheduled and available seconds over the weeks looked at."""

    user_id: int
    name: str


def most_loaded(
    dbsession: Session, project: Project, calendar: StudioCalendar, now: datetime
) -> list[PersonLoad]:
    """The ``MOST_LOADED`` members of ``project`` booked the most over the ``WEEKS_AHEAD`` weeks
    from ``now``'s week, by load (people booked with no working time first): one query for the
    members' bookings, then, when someone is booked, three for the people booked."""
    members = select(ProjectUser.user_id).where(ProjectUser.project_id == project.id)
    weeks = week_starts(now, WEEKS_AHEAD)
    first, last = weeks[0], weeks[-1] + WEEK
    bookings = read_live_bookings(
        dbsession, user_ids=members, start=first, end=last, calendar=calendar, now=now
    )
    if not bookings:
        return []
    # Only the people booked then can be listed: their working time is all that is read.
    people = read_people(dbsession, user_ids=sorted({booking.resource_id for booking in bookings}))
    working_time = WorkingTime(
        calendar.working_hours, people, *span_of(bookings, weeks), calendar.time_zone
    )
    scheduled: dict[int, float] = {}
    for (person_id, _), seconds in weekly_load(working_time, bookings, weeks).items():
        scheduled[person_id] = scheduled.get(person_id, 0.0) + seconds
    available: dict[int, float] = {}
    for (person_id, _), seconds in weekly_available(working_time, weeks).items():
        available[person_id] = available.get(person_id, 0.0) + seconds
    loads = [
        PersonLoad(
            scheduled.get(person.id, 0.0),
            available.get(person.id, 0.0),
            user_id=person.id,
            name=person.name,
        )
        for person in people.people.values()
        if scheduled.get(person.id)
    ]
    loads.sort(key=lambda load: (load.percent is not None, -(load.percent or 0), load.name))
    return loads[:MOST_LOADED]

"""The most loaded people of a project over the next weeks: their scheduled hours (on any
project) against their available hours, from the live plan, read for them and those weeks only."""

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, ProjectUser
from ..scheduling.load import (
    WEEK,
    WorkingTime,
    read_live_bookings,
    read_people,
    week_starts,
    weekly_available,
    weekly_load,
)
from ..tasks.progress import StudioCalendar

WEEKS_AHEAD = 4
MOST_LOADED = 5


@dataclass(frozen=True)
class PersonLoad:
    """One person's scheduled and available seconds over the weeks looked at."""

    user_id: int
    name: str
    scheduled_seconds: float
    available_seconds: float

    @property
    def percent(self) -> int | None:
        """Scheduled of available, in percent; None when they have no working time then."""
        if not self.available_seconds:
            return None
        return round(self.scheduled_seconds * 100 / self.available_seconds)

    @property
    def over_booked(self) -> bool:
        return self.scheduled_seconds > self.available_seconds


def most_loaded(
    dbsession: Session, project: Project, calendar: StudioCalendar, now: datetime
) -> list[PersonLoad]:
    """The ``MOST_LOADED`` members of ``project`` booked the most over the ``WEEKS_AHEAD`` weeks
    from ``now``'s week, by load (people booked with no working time first): one
    query for the members, then the bookings and people of those members only."""
    user_ids = list(
        dbsession.scalars(select(ProjectUser.user_id).where(ProjectUser.project_id == project.id))
    )
    if not user_ids:
        return []
    weeks = week_starts(now, WEEKS_AHEAD)
    first, last = weeks[0], weeks[-1] + WEEK
    bookings = [
        replace(booking, start=max(booking.start, first), end=min(booking.end, last))
        for booking in read_live_bookings(dbsession, user_ids=user_ids, start=first, end=last)
    ]
    people = read_people(dbsession, user_ids=user_ids)
    working_time = WorkingTime(calendar.working_hours, people, first, last)
    scheduled: dict[int, float] = {}
    for (person_id, _), seconds in weekly_load(working_time, bookings, weeks).items():
        scheduled[person_id] = scheduled.get(person_id, 0.0) + seconds
    available: dict[int, float] = {}
    for (person_id, _), seconds in weekly_available(working_time, weeks).items():
        available[person_id] = available.get(person_id, 0.0) + seconds
    loads = [
        PersonLoad(
            person.id, person.name, scheduled.get(person.id, 0.0), available.get(person.id, 0.0)
        )
        for person in people.people.values()
        if scheduled.get(person.id)
    ]
    loads.sort(key=lambda load: (load.percent is not None, -(load.percent or 0), load.name))
    return loads[:MOST_LOADED]

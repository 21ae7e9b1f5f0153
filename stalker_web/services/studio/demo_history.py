"""The demo studio's past weeks, all before the day it is loaded: who was away, who worked on
what and when (a time log per working day), the versions made, the reviews asked for and
answered, and each started task's planned dates.

What happened to each task is given as a stage (done, working, overrun, in review, sent back).
The days are placed backwards from yesterday, the open work first, so every open task was worked
on up to the last days and everything a task waited for was finished before it started; then
it all happens forwards through the workflow services, in the order it would have.
"""

import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...db import CURRENT_USER_KEY, set_current_user
from ...models import Review, Task, TimeLog, User, Version
from ...models.schedule import TimeUnit
from ..tasks.edit import update_task
from ..tasks.progress import studio_calendar
from ..workflow.reviews import approve, request_review, request_revision
from ..workflow.time_logs import create_time_log
from .demo_clock import Clock
from .demo_files import Versions
from .vacations import create_vacation

DONE, WORKING, OVERRUN, IN_REVIEW, SENT_BACK = (
    "done",
    "working",
    "overrun",
    "in review",
    "sent back",
)
OPEN_STAGES = (WORKING, OVERRUN, IN_REVIEW, SENT_BACK)
# The share of its estimate each stage has logged; the choice is seeded.
SHARES = {
    DONE: (0.75, 1.0, 1.0, 1.25),
    WORKING: (0.25, 0.5, 0.75),
    OVERRUN: (1.25,),
    IN_REVIEW: (1.0,),
    SENT_BACK: (1.0,),
}
# Versions made in each stage (fewest, most).
VERSION_COUNTS = {
    DONE: (1, 3),
    WORKING: (1, 1),
    OVERRUN: (2, 3),
    IN_REVIEW: (2, 2),
    SENT_BACK: (1, 1),
}
DAY_START, END = time(9), time(18)
# Working days a producer planned beyond the estimate, by stage (an overrun had none left).
PLANNED_SLACK = {WORKING: 2, IN_REVIEW: 1, SENT_BACK: 1}
REVISION = (
    "The silhouette reads poorly at a distance; **push the shapes** and send a turntable.",
    1.0,
    TimeUnit.DAY,
)
# What an artist writes when asking for a review of a version (chosen by the task's id).
REQUEST_NOTES = (
    "Ready for a look: the main changes are in the second half.",
    "Addressed last round's notes; a turntable is in the version.",
    "First pass. Timing is rough, I would like a read on the poses first.",
    "Cleaned up and ready for approval, I think.",
)
APPROVAL_DELAY = timedelta(minutes=30)
VERSION_LEAD = timedelta(minutes=15)


def parse_progress(text: str) -> list[tuple[int, str | None]]:
    """Per chain, the number of its first steps done and the stage of the next one (none: not
    started): ``2 working, 3, 0`` gives [(2, "working"), (3, None), (0, None)]."""
    found = []
    for item in text.split(","):
        count, _, stage = item.strip().partition(" ")
        if stage and stage not in OPEN_STAGES:
            raise ValueError(f"unknown demo stage {stage!r}")
        found.append((int(count), stage or None))
    return found


@dataclass
class Step:
    """One thing that happened at ``moment``: ``do`` it as ``person``."""

    moment: datetime
    person: User
    do: Callable[[], object]


@dataclass
class Work:
    """A task's past: its stage, who did it, the hours logged and (once placed) the days."""

    task: Task
    owner_name: str
    stage: str
    resource: User
    hours: int
    with_versions: bool
    days: list[date] = field(default_factory=list)
    review_ids: list[int] = field(default_factory=list)
    changed: datetime | None = None  # the last time it was worked on or reviewed


class Diary:
    """The working days of the studio's people before a day: Monday to Friday, less their
    vacations and the days already given to a task."""

    def __init__(self) -> None:
        self.taken: dict[int, set[date]] = defaultdict(set)

    def take(self, user: User, count: int, latest: date) -> list[date]:
        """The ``count`` latest free working days of ``user`` on or before ``latest``."""
        days, day = [], latest
        while len(days) < count:
            if day.weekday() < 5 and day not in self.taken[user.id]:
                days.append(day)
            day -= timedelta(days=1)
        self.taken[user.id].update(days)
        return sorted(days)


def working_days_after(first: date, count: int) -> date:
    """The ``count``-th working day (Monday to Friday) counting ``first`` as the first."""
    day, counted = first, 1
    while counted < count:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    return day


def working_day_before(today: date, count: int) -> date:
    """The ``count``-th working day (Monday to Friday) before ``today``."""
    day = today
    while count:
        day -= timedelta(days=1)
        count -= day.weekday() < 5
    return day


def at(day: date, hour: time = DAY_START) -> datetime:
    return datetime.combine(day, hour, tzinfo=UTC)


class History:
    """Collects what happened to each task (``plan``), then makes it happen (``play``)."""

    def __init__(
        self,
        dbsession: Session,
        rng: random.Random,
        today: date,
        clock: Clock,
        waits_for: dict[int, list[Task]],
    ) -> None:
        self.dbsession, self.rng, self.today = dbsession, rng, today
        self.clock, self.waits_for = clock, waits_for
        self.hours_a_day = studio_calendar(dbsession).daily_working_hours
        self.works: list[Work] = []
        self.by_task: dict[int, Work] = {}
        self.diary = Diary()
        self.time_log_count = 0

    def vacation(self, user: User, first: int, last: int, name: str | None) -> None:
        """``user`` away from ``first`` to ``last`` days after today (whole days); no work is
        placed on those days."""
        start = self.today + timedelta(days=first)
        end = self.today + timedelta(days=last + 1)
        create_vacation(
            self.dbsession, user=user, start=at(start, time()), end=at(end, time()), name=name
        )
        self.diary.taken[user.id].update(
            start + timedelta(days=offset) for offset in range((end - start).days)
        )

    def plan(
        self,
        owner_name: str,
        steps: list[Task],
        progress: tuple[int, str | None],
        *,
        with_versions: bool,
    ) -> None:
        """The first ``done`` of ``steps`` were finished and the next is at ``stage``
        (``progress``); a step stops the chain there when a task it waits for was not
        finished. Versions are made ``with_versions`` only."""
        done, stage = progress
        wanted = [DONE] * done + ([stage] if stage else [])
        for task, step_stage in zip(steps, wanted, strict=False):
            upstream = self.waits_for.get(task.id, [])
            if any(self.stage_of(other) != DONE for other in upstream):
                return
            (resource,) = task.resources
            share = self.rng.choice(SHARES[step_stage])
            hours = max(1, round(task.schedule_timing * self.hours_a_day * share))
            work = Work(task, owner_name, step_stage, resource, hours, with_versions)
            self.works.append(work)
            self.by_task[task.id] = work

    def stage_of(self, task: Task) -> str | None:
        work = self.by_task.get(task.id)
        return work.stage if work else None

    def place(self) -> None:
        """Give each work its days: open work up to yesterday first, then finished work (the
        latest first), each before the first day of anything that waited for it."""
        yesterday = self.today - timedelta(days=1)
        starts: dict[int, date] = {}
        waited_by: dict[int, list[int]] = defaultdict(list)
        for task_id, upstream in self.waits_for.items():
            for other in upstream:
                waited_by[other.id].append(task_id)
        ordered = [w for w in reversed(self.works) if w.stage != DONE] + [
            w for w in reversed(self.works) if w.stage == DONE
        ]
        for work in ordered:
            later = [starts[i] - timedelta(days=1) for i in waited_by[work.task.id] if i in starts]
            latest = min([yesterday, *later])
            count = math.ceil(work.hours / self.hours_a_day)
            work.days = self.diary.take(work.resource, count, latest)
            starts[work.task.id] = work.days[0]

    def first_day(self) -> dict[int, date]:
        """The first day worked in each project, by project id."""
        first: dict[int, date] = {}
        for work in self.works:
            project_id = work.task.project_id
            first[project_id] = min(first.get(project_id, work.days[0]), work.days[0])
        return first

    def play(self, versions: Versions, also: Sequence[Step] = ()) -> None:
        """Make every work happen, each step by its person and in the order of the days (so the
        feed reads in order): dates, time logs, versions and reviews; ``also`` the other steps
        of the demo's past among them."""
        steps = [step for work in self.works for step in self._steps(work, versions)]
        steps += also
        steps.sort(key=lambda step: step.moment)
        before = self.dbsession.info.get(CURRENT_USER_KEY)
        try:
            for step in steps:
                set_current_user(self.dbsession, step.person.id)
                self.clock.moment = step.moment
                step.do()
        finally:
            set_current_user(self.dbsession, before)
            self.clock.moment = None

    def date_tasks(self, tasks: list[Task], created: dict[int, datetime]) -> None:
        """Each task was made when its project started (``created``, by project id) and last
        changed by the latest work in it (or then, when none has started)."""
        changed: dict[int, datetime] = {}
        for work in self.works:
            moment = work.changed
            for task_id in (*work.task.ancestor_ids, work.task.id):
                changed[task_id] = max(changed.get(task_id, moment), moment)
        for task in tasks:
            start = created[task.project_id]
            self.clock.date(Task, task.id, start, changed.get(task.id, start))

    def _steps(self, work: Work, versions: Versions) -> list["Step"]:
        """What happened to one work, step by step: planned, logged a day at a time, versions
        made along the way, the last one published and reviewed as the stage says."""
        task, person = work.task, work.resource
        spans = self._spans(work)
        ends = [end for _start, end in spans]
        estimate = math.ceil(task.schedule_timing) + PLANNED_SLACK.get(work.stage, 0)
        planned_end = (
            ends[-1] if work.stage == DONE else at(working_days_after(work.days[0], estimate), END)
        )
        made: list[Version] = []
        steps = [
            Step(
                spans[0][0],
                person,
                lambda: update_task(
                    self.dbsession,
                    task,
                    submitted_version=task.version_id,
                    start=at(work.days[0]),
                    end=planned_end,
                ),
            )
        ]
        steps += [
            Step(end, person, lambda start=start, end=end: self._log(work, start, end))
            for start, end in spans
        ]
        fewest, most = VERSION_COUNTS[work.stage]
        count = self.rng.randint(fewest, most) if work.with_versions else 0
        for number in range(1, count + 1):
            moment = ends[math.ceil(number * len(ends) / count) - 1] - VERSION_LEAD

            def make(moment=moment) -> None:
                made_from = made[-1] if made else None
                made.append(versions.add(task, work.owner_name, person, moment, made_from))

            steps.append(Step(moment, person, make))
        if work.stage not in (DONE, IN_REVIEW, SENT_BACK):
            return steps
        asked = ends[-1]
        steps.append(Step(asked, person, lambda: self._ask(work, versions, made, asked)))
        if work.stage != IN_REVIEW:
            answered = asked + APPROVAL_DELAY
            steps.append(Step(answered, person, lambda: self._answer(work, asked, answered)))
        return steps

    def _spans(self, work: Work) -> list[tuple[datetime, datetime]]:
        """The work's time logs as (start, end), a day each (the last one shorter)."""
        spans, left = [], work.hours
        for day in work.days:
            start = at(day)
            spans.append((start, start + timedelta(hours=min(left, self.hours_a_day))))
            left -= self.hours_a_day
        return spans

    def _log(self, work: Work, start: datetime, end: datetime) -> None:
        log = create_time_log(self.dbsession, work.task, work.resource, start, end)
        self.clock.date(TimeLog, log.id, end)
        work.changed = end
        self.time_log_count += 1

    def _ask(self, work: Work, versions: Versions, made: list[Version], asked: datetime) -> None:
        """The artist publishes their last version and asks the leads to review it."""
        latest = made[-1] if made else None
        if latest is not None:
            versions.publish(latest, asked)
        note = REQUEST_NOTES[work.task.id % len(REQUEST_NOTES)] if latest is not None else ""
        reviews = request_review(self.dbsession, work.task, work.resource, latest, note)
        work.review_ids = [review.id for review in reviews]
        for review in reviews:
            self.clock.date(Review, review.id, asked)
        work.changed = asked

    def _answer(self, work: Work, asked: datetime, answered: datetime) -> None:
        """Each lead approves the work (done) or sends it back with a note (sent back)."""
        for review in self.dbsession.scalars(
            select(Review).where(Review.id.in_(work.review_ids)).order_by(Review.id)
        ):
            reviewer = review.reviewer
            set_current_user(self.dbsession, reviewer.id)
            if work.stage == DONE:
                approve(self.dbsession, review, "Approved.")
            else:
                description, timing, unit = REVISION
                request_revision(self.dbsession, review, timing, unit, description, author=reviewer)
            self.clock.date(Review, review.id, asked, answered)
        work.changed = answered

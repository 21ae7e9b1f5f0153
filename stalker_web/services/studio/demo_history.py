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
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from ...db import CURRENT_USER_KEY, set_current_user
from ...models import File, Review, Task, TimeLog, User, Version
from ...models.schedule import TimeUnit
from ..tasks.edit import update_task
from ..workflow.reviews import approve, request_review, request_revision
from ..workflow.time_logs import create_time_log
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
REVISION = ("The silhouette reads poorly at a distance; push the shapes.", 1.0, TimeUnit.DAY)
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
class Work:
    """A task's past: its stage, who did it, the hours logged and (once placed) the days."""

    task: Task
    owner_name: str
    stage: str
    resource: User
    hours: int
    with_versions: bool
    days: list[date] = field(default_factory=list)
    log_ids: list[int] = field(default_factory=list)
    review_ids: list[int] = field(default_factory=list)


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


def at(day: date, hour: time = DAY_START) -> datetime:
    return datetime.combine(day, hour, tzinfo=UTC)


class History:
    """Collects what happened to each task (``plan``), then makes it happen (``play``)."""

    def __init__(
        self,
        dbsession: Session,
        rng: random.Random,
        today: date,
        hours_a_day: int,
        waits_for: dict[int, list[Task]],
    ) -> None:
        self.dbsession, self.rng, self.today = dbsession, rng, today
        self.hours_a_day, self.waits_for = hours_a_day, waits_for
        self.works: list[Work] = []
        self.by_task: dict[int, Work] = {}
        self.diary = Diary()
        self.dated: dict[type, dict[int, tuple[datetime, datetime]]] = defaultdict(dict)
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

    def play(self, versions: Versions) -> None:
        """Make every work happen in order: dates, time logs, versions and reviews, each by
        its person."""
        before = self.dbsession.info.get(CURRENT_USER_KEY)
        try:
            for work in self.works:
                self._play(work, versions)
        finally:
            set_current_user(self.dbsession, before)
        for version, stored, moment in versions.made:
            self._date(Version, version.id, moment)
            self._date(File, stored.id, moment)

    def date_tasks(self, tasks: list[Task], created: dict[int, datetime]) -> None:
        """Each task was made when its project started (``created``, by project id) and last
        changed by the latest work in it (or then, when none has started)."""
        changed: dict[int, datetime] = {}
        for work in self.works:
            moment = self.dated[TimeLog][work.log_ids[-1]][0]
            if work.review_ids:
                moment = max(self.dated[Review][i][1] for i in work.review_ids)
            for task_id in (*work.task.ancestor_ids, work.task.id):
                changed[task_id] = max(changed.get(task_id, moment), moment)
        for task in tasks:
            start = created[task.project_id]
            self._date(Task, task.id, start, changed.get(task.id, start))

    def write_dates(self) -> None:
        """The services stamped every record with the moment of loading; the demo's past
        happened in the past weeks, so its records say when (one UPDATE per table)."""
        self.dbsession.flush()
        for model, moments in self.dated.items():
            table = model.__table__
            self.dbsession.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values(date_created=bindparam("created"), date_updated=bindparam("updated")),
                [
                    {"row_id": row_id, "created": created, "updated": updated}
                    for row_id, (created, updated) in moments.items()
                ],
            )
        self.dbsession.expire_all()

    def _play(self, work: Work, versions: Versions) -> None:
        task, person = work.task, work.resource
        set_current_user(self.dbsession, person.id)
        estimate = math.ceil(task.schedule_timing) + PLANNED_SLACK.get(work.stage, 0)
        ends = self._log(work)
        finished = work.stage in (DONE, IN_REVIEW, SENT_BACK)
        planned_end = (
            ends[-1] if work.stage == DONE else at(working_days_after(work.days[0], estimate), END)
        )
        update_task(
            self.dbsession,
            task,
            submitted_version=task.version_id,
            start=at(work.days[0]),
            end=planned_end,
        )
        latest = None
        fewest, most = VERSION_COUNTS[work.stage]
        count = self.rng.randint(fewest, most) if work.with_versions else 0
        for number in range(1, count + 1):
            moment = ends[math.ceil(number * len(ends) / count) - 1] - VERSION_LEAD
            latest = versions.add(task, work.owner_name, person, moment, made_from=latest)
        if finished and latest is not None:
            versions.publish(latest)
        if not finished:
            return
        asked = ends[-1]
        reviews = request_review(self.dbsession, task, person, latest)
        work.review_ids = [review.id for review in reviews]
        for review in reviews:
            self._date(Review, review.id, asked)
        if work.stage == IN_REVIEW:
            return
        for review in reviews:
            set_current_user(self.dbsession, review.reviewer_id)
            if work.stage == DONE:
                approve(self.dbsession, review, "Approved.")
            else:
                description, timing, unit = REVISION
                request_revision(self.dbsession, review, timing, unit, description)
            self._date(Review, review.id, asked, asked + APPROVAL_DELAY)

    def _log(self, work: Work) -> list[datetime]:
        """The work's time logs, a day each (the last one shorter); returns their ends."""
        ends, left = [], work.hours
        for day in work.days:
            start = at(day)
            end = start + timedelta(hours=min(left, self.hours_a_day))
            log = create_time_log(self.dbsession, work.task, work.resource, start, end)
            self._date(TimeLog, log.id, end)
            work.log_ids.append(log.id)
            ends.append(end)
            left -= self.hours_a_day
            self.time_log_count += 1
        return ends

    def _date(self, model: type, row_id: int, created: datetime, updated=None) -> None:
        self.dated[model][row_id] = (created, updated or created)

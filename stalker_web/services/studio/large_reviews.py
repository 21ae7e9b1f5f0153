"""The large studio's reviews, so the review inbox and the leads' home pages are measured on a
production's worth of them: every lead has about ``PENDING_PER_LEAD`` reviews waiting for an
answer (at scale 1.0), and some answered ones (revisions asked for).

Each reviewed task is one the review services could have left so (``workflow/reviews.py``):

- the leads are the responsible users of the assets and sequences (in turn), so the review of a
  step goes to the lead responsible for its asset or shot's sequence, as ``responsible_users``
  finds it;
- only the first step of an asset (Model) or a shot (Layout) is reviewed: those wait for no
  other task, so they could be started. Their artist logged a few hours (RTS -> WIP), published
  a version and asked for a review of it (WIP -> PREV, one NEW review of the lead);
- an answered round asked for a revision (RREV): the round was finalised (``review_number``),
  the task went to HREV with the extra time added, the dependencies on it became ``onstart``;
  some were then worked on again and a second version sent for review (PREV, round 2 waiting);
- the assets, shots and sequences above a started step are WIP (``container_code``); the steps
  after it still wait (WFD), as nothing was approved.

Built in bulk: ORM rows for the few hundred versions, time logs and reviews (their validators
run), and one UPDATE per status for the tasks.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session, selectinload

from ...models import Review, ReviewStatus, Task, TaskDependency, TimeLog, User, Version
from ...models.schedule import DependencyTarget, TimeUnit
from ...models.task import task_responsible
from ..bulk_insert import insert_rows
from ..errors import model_rules
from ..workflow import rules
from ..workflow.statuses import task_status

# At scale 1.0, per lead: reviews waiting (a share of them a second round), and rounds answered
# with a revision whose task has not come back for review yet.
PENDING_PER_LEAD = 50
SECOND_ROUND_SHARE = 0.2
REVISED_PER_LEAD = 10
# What became of a step sent for review: its round waits for the lead, its second round waits
# (the first was sent back), or it was sent back and not sent again yet.
WAITING, SECOND_ROUND, REVISED = "waiting", "second round", "revised"
# The steps that wait for no other task.
FIRST_STEPS = ("Model", "Layout")
LOGGED_HOURS = 4
EXTRA_DAYS = 1.0


@dataclass
class ReviewCounts:
    """How many reviews ``add_reviews`` wrote."""

    waiting: int = 0
    answered: int = 0


@dataclass
class _Reviewed:
    """A first step chosen for review and its reviewer: ``rounds`` the versions sent for review
    (1 or 2); ``waiting`` whether the last round waits for an answer."""

    task: Task
    reviewer: User
    rounds: int
    waiting: bool


def _scaled(per_lead: int, scale: float) -> int:
    return max(1, round(per_lead * scale))


class _Reviews:
    def __init__(self, dbsession: Session, rng: random.Random, now: datetime) -> None:
        self.dbsession, self.rng, self.now = dbsession, rng, now
        self.counts = ReviewCounts()
        # Each artist's next free day back from today, so their time logs never overlap.
        self.days_back: dict[int, int] = {}

    def make_leads_responsible(self, project_ids: list[int], leads: list[User]) -> dict[int, User]:
        """The leads, in turn, responsible for the projects' assets and sequences; each step's
        reviewer by the step's id (the responsible of its asset, or of its shot's sequence)."""
        tasks = Task.__table__
        containers = list(
            self.dbsession.execute(
                select(tasks.c.id)
                .where(
                    tasks.c.project_id.in_(project_ids),
                    tasks.c.entity_type.in_(("Asset", "Sequence")),
                )
                .order_by(tasks.c.id)
            ).scalars()
        )
        lead_of = {task_id: leads[index % len(leads)] for index, task_id in enumerate(containers)}
        insert_rows(
            self.dbsession,
            task_responsible,
            [{"task_id": task_id, "user_id": lead.id} for task_id, lead in lead_of.items()],
        )
        steps = self.dbsession.execute(
            select(tasks.c.id, tasks.c.path)
            .where(
                tasks.c.project_id.in_(project_ids),
                tasks.c.entity_type == "Task",
                tasks.c.name.in_(FIRST_STEPS),
                ~exists().where(Version.task_id == tasks.c.id),  # none of the daily's
            )
            .order_by(tasks.c.id)
        )
        # The nearest container above a step holding a responsible lead (paths are "/1/2/3/").
        return {
            row.id: next(
                lead_of[int(part)]
                for part in reversed(row.path.strip("/").split("/")[:-1])
                if int(part) in lead_of
            )
            for row in steps
        }

    def choose(self, reviewer_of: dict[int, User], scale: float) -> list[tuple[int, User, str]]:
        """Per lead, its steps to review: (step id, lead, what became of it: ``WAITING``,
        ``SECOND_ROUND`` or ``REVISED``)."""
        by_lead: dict[int, list[int]] = {}
        for step_id, lead in reviewer_of.items():
            by_lead.setdefault(lead.id, []).append(step_id)
        pending, revised = _scaled(PENDING_PER_LEAD, scale), _scaled(REVISED_PER_LEAD, scale)
        second = round(pending * SECOND_ROUND_SHARE)
        chosen = []
        for step_ids in by_lead.values():
            picked = self.rng.sample(step_ids, min(len(step_ids), pending + revised))
            for index, step_id in enumerate(picked):
                state = REVISED if index >= pending else SECOND_ROUND if index < second else WAITING
                chosen.append((step_id, reviewer_of[step_id], state))
        return chosen

    def log_time(self, task: Task) -> None:
        """``LOGGED_HOURS`` of the task's artist on a day of theirs before today."""
        artist = task.resources[0]
        days = self.days_back[artist.id] = self.days_back.get(artist.id, 0) + 1
        start = (self.now - timedelta(days=days)).replace(hour=9, minute=0, second=0)
        self.dbsession.add(
            TimeLog(
                task=task, resource=artist, start=start, end=start + timedelta(hours=LOGGED_HOURS)
            )
        )

    def review(self, reviewed: _Reviewed) -> None:
        """The versions and the review rounds of ``reviewed``."""
        task, asked = reviewed.task, self.now - timedelta(days=self.rng.randint(1, 20))
        for number in range(1, reviewed.rounds + 1):
            version = Version(
                task=task, revision_number=1, version_number=number, is_published=True
            )
            answered = number < reviewed.rounds or not reviewed.waiting
            self.dbsession.add(
                Review(
                    task=task,
                    reviewer=reviewed.reviewer,
                    version=version,
                    review_number=number,
                    status=ReviewStatus.REVISION_REQUESTED if answered else ReviewStatus.NEW,
                    schedule_timing=EXTRA_DAYS if answered else 0.0,
                    schedule_unit=TimeUnit.DAY,
                    description=f"Requested by {task.resources[0].name}.",
                    date_created=asked + timedelta(hours=number),
                )
            )
            if answered:
                self.counts.answered += 1
            else:
                self.counts.waiting += 1

    def set_statuses(self, chosen: list[_Reviewed]) -> None:
        """PREV (waiting) or HREV (revised) for the steps, their finalised rounds and extra
        time; ``onstart`` dependencies on the revised ones; WIP for the containers above."""
        tasks = Task.__table__
        for code, group in (
            (rules.PREV, [each for each in chosen if each.waiting]),
            (rules.HREV, [each for each in chosen if not each.waiting]),
        ):
            for rounds in (1, 2):
                ids = [each.task.id for each in group if each.rounds == rounds]
                if not ids:
                    continue
                finalised = rounds - 1 if code == rules.PREV else rounds
                self.dbsession.execute(
                    update(tasks)
                    .where(tasks.c.id.in_(ids))
                    .values(
                        status_id=task_status(self.dbsession, code).id,
                        review_number=finalised,
                        schedule_timing=tasks.c.schedule_timing + EXTRA_DAYS * finalised,
                        version_id=tasks.c.version_id + 1,
                    )
                )
        revised = [each.task.id for each in chosen if each.rounds == 2 or not each.waiting]
        self.dbsession.execute(
            update(TaskDependency)
            .where(TaskDependency.depends_on_id.in_(revised))
            .values(dependency_target=DependencyTarget.ONSTART)
        )
        above = {ancestor for each in chosen for ancestor in each.task.ancestor_ids}
        self.dbsession.execute(
            update(tasks)
            .where(tasks.c.id.in_(above))
            .values(
                status_id=task_status(self.dbsession, rules.WIP).id,
                version_id=tasks.c.version_id + 1,
            )
        )


def add_reviews(
    dbsession: Session,
    project_ids: list[int],
    leads: list[User],
    *,
    scale: float,
    seed: int,
    now: datetime,
) -> ReviewCounts:
    """Make ``leads`` responsible for the projects' assets and sequences and write their
    reviews (see the module's docstring) at ``scale``."""
    rng = random.Random(seed)  # noqa: S311 - seeded benchmark data, not secrets
    builder = _Reviews(dbsession, rng, now)
    reviewer_of = builder.make_leads_responsible(project_ids, leads)
    chosen = builder.choose(reviewer_of, scale)
    steps = {
        task.id: task
        for task in dbsession.scalars(
            select(Task)
            .where(Task.id.in_([step_id for step_id, _, _ in chosen]))
            .options(selectinload(Task.resources))
        )
    }
    reviewed = [
        _Reviewed(
            steps[step_id],
            lead,
            rounds=2 if state == SECOND_ROUND else 1,
            waiting=state != REVISED,
        )
        for step_id, lead, state in chosen
    ]
    with model_rules():
        for each in reviewed:
            builder.log_time(each.task)
            builder.review(each)
    dbsession.flush()
    builder.set_statuses(reviewed)
    for task in steps.values():
        dbsession.expire(task)
    return builder.counts

"""Activity records in words for the person reading them: "Ana Lima moved LHK / SQ01 / SH010 /
Animation from Work In Progress to Pending Review", with the entity's name as the part a page
links.

The names a page of records needs (people, task paths, status names, project names) are read
together by ``Wording.load``, in one statement whatever the number of records;
``Wording.sentence`` then words each record for one viewer (who reads "You" for themselves)
without any query, so one loading serves the sentences of every recipient of a notification.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, String, literal, select, union_all
from sqlalchemy.orm import Session, aliased

from ...models import Activity, Project, Status, Task, User
from ..tasks.paths import full_path
from ..workload.grid import hours_text
from .kinds import ActivityKind

SOMEONE = "Someone"
A_TASK = "a task"
# The verb of each ticket action of the default workflow; other actions of a studio's own
# workflow read "changed", with the statuses moved between.
TICKET_VERBS = {
    "create": "opened",
    "edit": "edited",
    "accept": "accepted",
    "resolve": "resolved",
    "reassign": "reassigned",
    "reopen": "reopened",
    "close": "closed",
}
RUN_ENDINGS = {
    "succeeded": " was worked out again",
    "failed": " could not be worked out: the run failed",
    "timed_out": " could not be worked out: the run took too long",
}


@dataclass(frozen=True)
class Target:
    """What a sentence links to: ``kind`` is "task", "version", "ticket", "daily",
    "schedule_run" or "project", ``id`` its row."""

    kind: str
    id: int


@dataclass(frozen=True)
class Sentence:
    """One record in words: ``before`` + ``subject`` (the name a page links to ``target``) +
    ``after``; ``excerpt`` is the first words of a note or of the changes asked for."""

    activity_id: int
    kind: str
    when: datetime
    before: str
    subject: str
    after: str
    target: Target | None
    excerpt: str = ""

    @property
    def text(self) -> str:
        """The whole sentence as plain text (an e-mail's subject and body)."""
        return f"{self.before}{self.subject}{self.after}"


def people_words(names: Sequence[str]) -> str:
    """ "Ana", "Ana and Bob", "Ana, Bob and Carl"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _ids(values: Any) -> list[int]:
    return [value for value in values or () if isinstance(value, int)]


class Wording:
    """The names a set of records needs, and each record's sentence for a viewer."""

    def __init__(
        self,
        people: dict[int, str],
        paths: dict[int, str],
        statuses: dict[str, str],
        projects: dict[int, str],
    ) -> None:
        self.people = people
        self.paths = paths
        self.statuses = statuses
        self.projects = projects

    @classmethod
    def load(cls, dbsession: Session, activities: Iterable[Activity]) -> "Wording":
        """Read the names ``activities`` need: one statement, none for no records."""
        activities = list(activities)
        user_ids: set[int] = set()
        task_ids: set[int] = set()
        codes: set[str] = set()
        project_ids: set[int] = set()
        for activity in activities:
            data = activity.data or {}
            if activity.actor_id is not None:
                user_ids.add(activity.actor_id)
            user_ids.update(_ids(data.get("reviewer_ids")))
            user_ids.update(
                _ids(data.get(key) for key in ("reviewer_id", "resource_id", "owner_id"))
            )
            if activity.task_id is not None:
                task_ids.add(activity.task_id)
            codes.update(
                code
                for code in (data.get(key) for key in ("old", "new", "old_status", "new_status"))
                if isinstance(code, str)
            )
            if activity.project_id is not None and _on_project(activity):
                project_ids.add(activity.project_id)
        people: dict[int, str] = {}
        statuses: dict[str, str] = {}
        projects: dict[int, str] = {}
        lineage: dict[int, tuple[str, int | None, int]] = {}
        project_codes: dict[int, str] = {}
        for kind, ref, code, name, parent_id, project_id in _names(
            dbsession, user_ids, codes, project_ids, task_ids
        ):
            if kind == "user":
                people[ref] = name
            elif kind == "status":
                statuses.setdefault(code, name)
            elif kind == "project":
                projects[ref] = name
            elif kind == "code":
                project_codes[ref] = code
            else:
                lineage[ref] = (name, parent_id, project_id)
        paths = {
            task_id: _path(task_id, lineage, project_codes)
            for task_id in task_ids
            if task_id in lineage
        }
        return cls(people, paths, statuses, projects)

    def sentence(self, activity: Activity, viewer_id: int | None = None) -> Sentence:
        """``activity`` in words for ``viewer_id`` (None: nobody in particular)."""
        return _Words(self, activity, viewer_id).sentence()


def _path(
    task_id: int, lineage: dict[int, tuple[str, int | None, int]], codes: dict[int, str]
) -> str:
    """The full path of task ``task_id`` from its lineage (name, parent id and project id by
    task id) and its project's code."""
    name, parent_id, project_id = lineage[task_id]
    ancestors = []
    while parent_id is not None and parent_id in lineage:
        ancestors.append(lineage[parent_id][0])
        parent_id = lineage[parent_id][1]
    return full_path(codes[project_id], ancestors[::-1], name)


def _names(
    dbsession: Session,
    user_ids: set[int],
    codes: set[str],
    project_ids: set[int],
    task_ids: set[int],
) -> list[tuple]:
    """The people's, statuses', projects' and tasks' names asked for, in one statement (none
    when nothing is asked): (kind, id, code, name, parent id, project id) rows, a task's
    ancestors and its project's code included."""
    no_id, no_text = literal(None, Integer), literal(None, String)
    parts = []
    if user_ids:
        parts.append(
            select(literal("user", String), User.id, no_text, User.name, no_id, no_id).where(
                User.id.in_(user_ids)
            )
        )
    if codes:
        parts.append(
            select(literal("status", String), no_id, Status.code, Status.name, no_id, no_id).where(
                Status.code.in_(codes)
            )
        )
    if project_ids:
        parts.append(
            select(
                literal("project", String), Project.id, no_text, Project.name, no_id, no_id
            ).where(Project.id.in_(project_ids))
        )
    if task_ids:
        # The tasks and their ancestors up the tree (by primary key), for their paths.
        lineage = (
            select(Task.id, Task.parent_id, Task.name, Task.project_id)
            .where(Task.id.in_(task_ids))
            .cte("lineage", recursive=True)
        )
        parent = aliased(Task)
        lineage = lineage.union_all(
            select(parent.id, parent.parent_id, parent.name, parent.project_id).join(
                lineage, parent.id == lineage.c.parent_id
            )
        )
        parts.append(
            select(
                literal("task", String),
                lineage.c.id,
                no_text,
                lineage.c.name,
                lineage.c.parent_id,
                lineage.c.project_id,
            )
        )
        parts.append(
            select(literal("code", String), Project.id, Project.code, no_text, no_id, no_id).where(
                Project.id.in_(select(Task.project_id).where(Task.id.in_(task_ids)))
            )
        )
    if not parts:
        return []
    return dbsession.execute(parts[0] if len(parts) == 1 else union_all(*parts)).all()


def sentences(
    dbsession: Session, activities: Sequence[Activity], viewer_id: int | None = None
) -> list[Sentence]:
    """Each of ``activities`` in words for ``viewer_id``, in the same order."""
    wording = Wording.load(dbsession, activities)
    return [wording.sentence(activity, viewer_id) for activity in activities]


def _on_project(activity: Activity) -> bool:
    """Whether the record is about a note on the project itself."""
    return activity.kind in (ActivityKind.NOTE_ADDED, ActivityKind.NOTE_EDITED) and not any(
        (activity.task_id, activity.about_version_id, activity.ticket_id, activity.daily_id)
    )


class _Words:
    """The sentence of one record for one viewer."""

    def __init__(self, wording: Wording, activity: Activity, viewer_id: int | None) -> None:
        self.wording = wording
        self.activity = activity
        self.viewer_id = viewer_id
        self.data: dict[str, Any] = activity.data or {}

    def sentence(self) -> Sentence:
        phrase = PHRASES.get(self.activity.kind, _Words.unknown)
        before, subject, after, target = phrase(self)
        return Sentence(
            activity_id=self.activity.id,
            kind=self.activity.kind,
            when=self.activity.date_created,
            before=before,
            subject=subject,
            after=after,
            target=target,
            excerpt=str(self.data.get("excerpt") or ""),
        )

    # Names

    def person(self, user_id: int | None, start: bool = False) -> str:
        if user_id is not None and user_id == self.viewer_id:
            return "You" if start else "you"
        return self.wording.people.get(user_id, SOMEONE if start else "someone")

    @property
    def actor(self) -> str:
        return self.person(self.activity.actor_id, start=True)

    def status(self, code: Any) -> str:
        return self.wording.statuses.get(code, str(code)) if code else "none"

    @property
    def task(self) -> tuple[str, Target | None]:
        task_id = self.activity.task_id
        if task_id is None:
            return A_TASK, None
        return self.wording.paths.get(task_id, A_TASK), Target("task", task_id)

    @property
    def version_suffix(self) -> str:
        label = self.data.get("version_label")
        return f" ({label})" if label else ""

    def version(self) -> tuple[str, Target | None]:
        """ "r01 v003 of <task path>", linked to the version while it exists."""
        path, task = self.task
        label = self.data.get("version_label")
        version_id = self.activity.about_version_id
        if not label:
            return path, task
        return f"{label} of {path}", Target("version", version_id) if version_id else task

    def ticket(self) -> tuple[str, Target | None]:
        number, summary = self.data.get("number"), self.data.get("summary") or ""
        name = f"ticket #{number} “{summary}”" if number is not None else "a ticket"
        ticket_id = self.activity.ticket_id
        return name, Target("ticket", ticket_id) if ticket_id is not None else None

    def daily(self) -> tuple[str, Target | None]:
        daily_id = self.activity.daily_id
        name = f"the daily “{self.data.get('daily') or ''}”"
        return name, Target("daily", daily_id) if daily_id is not None else None

    # One method per kind: (before, subject, after, target)

    def status_changed(self):
        path, target = self.task
        moved = f" from {self.status(self.data.get('old'))} to {self.status(self.data.get('new'))}"
        if self.activity.actor_id is None:
            return "", path, f" moved{moved}", target
        return f"{self.actor} moved ", path, moved, target

    def review_requested(self):
        path, target = self.task
        reviewers = people_words([self.person(i) for i in _ids(self.data.get("reviewer_ids"))])
        round_number = self.data.get("round")
        details = [self.data.get("version_label")]
        if isinstance(round_number, int) and round_number > 1:
            details.append(f"round {round_number}")
        shown = ", ".join(detail for detail in details if detail)
        after = f" ({shown})" if shown else ""
        return f"{self.actor} asked {reviewers or 'the reviewers'} to review ", path, after, target

    def review_answered(self):
        path, target = self.task
        verb = "approved" if self.data.get("outcome") == "APP" else "asked for changes to"
        return f"{self.actor} {verb} ", path, self.version_suffix, target

    def time_logged(self):
        path, target = self.task
        seconds = self.data.get("seconds") or 0
        resource_id = self.data.get("resource_id")
        after = "" if resource_id == self.activity.actor_id else f" for {self.person(resource_id)}"
        return f"{self.actor} logged {hours_text(seconds)} h on ", path, after, target

    def version_published(self):
        subject, target = self.version()
        return f"{self.actor} published ", subject, "", target

    def schedule_finished(self):
        projects = self.data.get("projects")
        subject = f"The schedule of {', '.join(projects) if projects else 'the whole studio'}"
        return self._run(subject)

    def scenario_scheduled(self):
        return self._run(f"The what-if scenario “{self.data.get('scenario') or ''}”")

    def _run(self, subject: str):
        status = self.data.get("status") or ""
        after = RUN_ENDINGS.get(status, f" ended: {status}")
        if self.activity.actor_id is not None:
            asker = self.person(self.activity.actor_id)
            after += " (as you asked)" if asker == "you" else f" (asked for by {asker})"
        run_id = self.data.get("run_id")
        return "", subject, after, Target("schedule_run", run_id) if run_id else None

    def note_added(self):
        return self._note("wrote a note on")

    def note_edited(self):
        return self._note("edited a note on")

    def _note(self, verb: str):
        activity = self.activity
        if activity.ticket_id is not None:
            subject, target = self.ticket()
        elif activity.daily_id is not None:
            subject, target = self.daily()
        elif activity.review_id is not None:
            subject, target = self.task
            verb += " the review of"
        elif activity.about_version_id is not None or self.data.get("version_label"):
            subject, target = self.version()
        elif activity.task_id is not None:
            subject, target = self.task
        else:
            project_id = activity.project_id
            subject = self.wording.projects.get(project_id, "the project")
            target = Target("project", project_id) if project_id is not None else None
        return f"{self.actor} {verb} ", subject, "", target

    def ticket_changed(self):
        subject, target = self.ticket()
        action = str(self.data.get("action") or "")
        old, new = self.data.get("old_status"), self.data.get("new_status")
        verb = TICKET_VERBS.get(action, "changed")
        after = ""
        if action == "resolve" and self.data.get("resolution"):
            after = f" as {self.data['resolution']}"
        elif action == "reassign" and self.data.get("owner_id") is not None:
            after = f" to {self.person(self.data['owner_id'])}"
        elif action not in TICKET_VERBS and old and new and old != new:
            after = f" from {self.status(old)} to {self.status(new)}"
        return f"{self.actor} {verb} ", subject, after, target

    def daily_closed(self):
        subject, target = self.daily()
        count = self.data.get("versions") or 0
        after = (
            f": {count} version{'' if count == 1 else 's'}, {self.data.get('approved') or 0} "
            f"approved, {self.data.get('revisions') or 0} sent back"
        )
        return f"{self.actor} closed ", subject, after, target

    def unknown(self):
        path, target = self.task
        return f"{self.actor} changed ", path, "", target


PHRASES = {
    ActivityKind.STATUS_CHANGED: _Words.status_changed,
    ActivityKind.REVIEW_REQUESTED: _Words.review_requested,
    ActivityKind.REVIEW_ANSWERED: _Words.review_answered,
    ActivityKind.TIME_LOGGED: _Words.time_logged,
    ActivityKind.VERSION_PUBLISHED: _Words.version_published,
    ActivityKind.SCHEDULE_FINISHED: _Words.schedule_finished,
    ActivityKind.SCENARIO_SCHEDULED: _Words.scenario_scheduled,
    ActivityKind.NOTE_ADDED: _Words.note_added,
    ActivityKind.NOTE_EDITED: _Words.note_edited,
    ActivityKind.TICKET_CHANGED: _Words.ticket_changed,
    ActivityKind.DAILY_CLOSED: _Words.daily_closed,
}

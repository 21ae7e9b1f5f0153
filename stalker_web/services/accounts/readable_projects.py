"""Which projects the acting user may read, as a plain value for services: a message or a chart
names a task of another project only when the user may read that project."""

from collections.abc import Iterable
from dataclasses import dataclass

from ...models import Task
from .user_rights import UserRights

HIDDEN_TASK = "a task in a project you cannot see"


@dataclass(frozen=True)
class ReadableProjects:
    """The projects whose tasks the acting user may read: ``every`` one (the studio-wide right
    to read tasks), else those of ``ids`` (their memberships, as the project ACL reads them)."""

    ids: frozenset[int] = frozenset()
    every: bool = False

    @classmethod
    def of(cls, rights: UserRights | None, *, every: bool) -> "ReadableProjects":
        """What the user of ``rights`` reads: their projects, or every project when ``every``."""
        if every:
            return cls(every=True)
        return cls(frozenset() if rights is None else rights.project_ids)

    @classmethod
    def only(cls, project_ids: Iterable[int]) -> "ReadableProjects":
        """Just these projects (a service's default: the project of the task acted on)."""
        return cls(frozenset(project_ids))

    def __contains__(self, project_id: object) -> bool:
        return self.every or project_id in self.ids

    def task_name(self, task: Task) -> str:
        """The task's name when its project is readable, else "a task in a project you cannot
        see"."""
        return task.name if task.project_id in self else HIDDEN_TASK


EVERY_PROJECT = ReadableProjects(every=True)


def readable_or_own(readable: ReadableProjects | None, task: Task) -> ReadableProjects:
    """``readable``, or when not given the project of ``task`` alone (whoever acts on a task
    may read its project, and nothing else is assumed)."""
    return readable if readable is not None else ReadableProjects.only([task.project_id])

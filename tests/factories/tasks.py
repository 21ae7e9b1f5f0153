"""Builders of task types, tasks of every kind and whole productions of them."""

from typing import TYPE_CHECKING

from sqlalchemy import select

from stalker_web.models import ProjectUser, Type
from stalker_web.services.tasks.commands import create_task
from stalker_web.services.tasks.dependencies import add_dependency

from .accounts import cheap_users
from .counter import next_number

if TYPE_CHECKING:
    from . import Factory


class TasksFactory:
    """Builds the task tree: types, tasks, assets, sequences, shots."""

    def task_type(self, target: str = "Task", name: str | None = None):
        """The Type ``name`` for ``target`` entities, created when missing."""
        name = name or f"{target} type {next_number()}"
        existing = self.dbsession.scalars(
            select(Type).filter_by(target_entity_type=target, name=name)
        ).one_or_none()
        if existing is not None:
            return existing
        kind = Type(name=name, code=name, target_entity_type=target)
        self.dbsession.add(kind)
        self.dbsession.flush()
        return kind

    def task(self, kind: str = "Task", *, project=None, parent=None, **values):
        """A task of ``kind`` (Task, Asset, Sequence, Scene, Shot, Variant) with generated
        name, code and (for assets) type; a new project when neither project nor parent is given."""
        number = next_number()
        if project is None and parent is None:
            project = self.project()
        values.setdefault("name", f"{kind} {number}")
        if kind in ("Asset", "Sequence", "Scene", "Shot"):
            values.setdefault("code", f"{kind[:2].upper()}{number:04d}")
        if kind == "Asset":
            values.setdefault("type", self.task_type("Asset", "Character"))
        return create_task(self.dbsession, kind, project=project, parent=parent, **values)


def production(factory: "Factory", scale: int, users=None):
    """A project whose size grows with ``scale``: ``scale`` sequences of ``scale`` shots, each
    shot with an animation and a lighting task (lighting waits for animation, both staffed), and
    ``scale`` assets. Returns (project, a sequence, a lighting task)."""
    project = factory.project()
    users = users or cheap_users(factory.dbsession, 2)
    for user in users:
        project.members.append(ProjectUser(user=user))
    sequences = []
    for _ in range(scale):
        sequence = factory.task("Sequence", project=project)
        sequences.append(sequence)
        for _ in range(scale):
            shot = factory.task("Shot", parent=sequence, sequence=sequence)
            animation = factory.task(parent=shot, name="Animation", resources=[users[0]])
            lighting = factory.task(parent=shot, name="Lighting", resources=users[1:])
            add_dependency(factory.dbsession, lighting, animation)
    for _ in range(scale):
        factory.task("Asset", project=project)
    return project, sequences[0], lighting

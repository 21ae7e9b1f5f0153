"""Sequence and Scene: coded groups of shots."""

from sqlalchemy.orm import Mapped, relationship

from .task import Task


class Sequence(Task):
    """Stalker's Sequence: a task with a code; its shots point to it."""

    __code_required__ = True

    shots: Mapped[list["Shot"]] = relationship(  # noqa: F821
        foreign_keys="Shot.sequence_id",
        back_populates="sequence",
        order_by="Shot.code",
        passive_deletes=True,
    )


class Scene(Task):
    """Stalker's Scene: a task with a code; its shots point to it."""

    __code_required__ = True

    shots: Mapped[list["Shot"]] = relationship(  # noqa: F821
        foreign_keys="Shot.scene_id",
        back_populates="scene",
        order_by="Shot.code",
        passive_deletes=True,
    )

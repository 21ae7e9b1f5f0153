"""Asset and Variant: typed assets of a project and the variants of a task."""

from .meta import InvalidValue
from .project import checked_type
from .task import Task
from .type import Type


class Asset(Task):
    """Stalker's Asset: a task with a code and a required Type for assets (Character, Prop...)."""

    __code_required__ = True

    def __init__(self, **values):
        if values.get("type") is None:
            raise InvalidValue("type", "An asset needs a type (Character, Prop, ...).")
        super().__init__(**values)

    def _checked_type(self, key: str, value: Type | None) -> Type:
        if value is None:
            raise InvalidValue(key, "An asset needs a type (Character, Prop, ...).")
        return checked_type(key, value, "Asset")


class Variant(Task):
    """Stalker's Variant: one look of its parent (Main, Damaged...) with its own tasks."""

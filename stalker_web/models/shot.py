"""Shot: a coded task with frame ranges, optional fps and format overrides, sequence and scene."""

from sqlalchemy import CheckConstraint, Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from .image_format import ImageFormat, positive_number
from .meta import InvalidValue
from .sequence import Scene, Sequence
from .task import Task

_FRAME_LABELS = {
    "cut_in": "The cut in frame",
    "cut_out": "The cut out frame",
    "source_in": "The source in frame",
    "source_out": "The source out frame",
    "record_in": "The record in frame",
}


def check_frames(cut_in: int, cut_out: int, source_in: int, source_out: int) -> None:
    """Refuse frame ranges Stalker refuses: cut in ≤ source in ≤ source out ≤ cut out."""
    if cut_out < cut_in:
        raise InvalidValue("cut_out", f"The cut out frame ({cut_out}) is before the cut in frame.")
    if not cut_in <= source_in <= cut_out:
        raise InvalidValue("source_in", "The source in frame must lie within the cut.")
    if not cut_in <= source_out <= cut_out:
        raise InvalidValue("source_out", "The source out frame must lie within the cut.")
    if source_out < source_in:
        raise InvalidValue("source_out", "The source out frame is before the source in frame.")


class Shot(Task):
    """Stalker's Shot. The code is unique in its project (checked by the task tree service and a
    partial unique index); ``fps`` and ``image_format`` are overrides, None meaning the project's.

    The frame ranges are checked together when created and by ``set_frames`` (the attribute
    validators only check whole numbers); CHECK constraints are the backstop.
    """

    __code_required__ = True

    cut_in: Mapped[int | None] = mapped_column(Integer)
    cut_out: Mapped[int | None] = mapped_column(Integer)
    source_in: Mapped[int | None] = mapped_column(Integer)
    source_out: Mapped[int | None] = mapped_column(Integer)
    record_in: Mapped[int | None] = mapped_column(Integer)
    fps: Mapped[float | None] = mapped_column(Float)
    image_format_id: Mapped[int | None] = mapped_column(
        ForeignKey("image_formats.id", ondelete="SET NULL"), index=True
    )
    sequence_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )
    scene_id: Mapped[int | None] = mapped_column(
        ForeignKey("tasks.id", ondelete="SET NULL"), index=True
    )

    image_format: Mapped[ImageFormat | None] = relationship()
    sequence: Mapped[Sequence | None] = relationship(
        foreign_keys=[sequence_id], remote_side="Task.id", back_populates="shots"
    )
    scene: Mapped[Scene | None] = relationship(
        foreign_keys=[scene_id], remote_side="Task.id", back_populates="shots"
    )

    def __init__(self, *, cut_in=None, cut_out=None, source_in=None, source_out=None, **values):
        """Missing frames follow Stalker: 1–1, or one cut end copied; sources default to the cut;
        the name defaults to the code."""
        if cut_in is None and cut_out is None:
            cut_in = cut_out = 1
        elif cut_in is None or cut_out is None:
            cut_in = cut_out = cut_in if cut_out is None else cut_out
        values.setdefault("name", values.get("code"))
        super().__init__(**values)
        self.set_frames(cut_in, cut_out, source_in, source_out)

    def set_frames(self, cut_in, cut_out, source_in=None, source_out=None) -> None:
        """Set the cut and source ranges together (sources default to the cut)."""
        cut_in = self._validate_frame("cut_in", cut_in)
        cut_out = self._validate_frame("cut_out", cut_out)
        source_in = cut_in if source_in is None else self._validate_frame("source_in", source_in)
        source_out = (
            cut_out if source_out is None else self._validate_frame("source_out", source_out)
        )
        check_frames(cut_in, cut_out, source_in, source_out)
        self.cut_in, self.cut_out = cut_in, cut_out
        self.source_in, self.source_out = source_in, source_out

    @validates(*_FRAME_LABELS)
    def _validate_frame(self, key: str, value) -> int | None:
        if value is None and key == "record_in":
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidValue(key, f"{_FRAME_LABELS[key]} must be a whole number.")
        return value

    @validates("fps")
    def _validate_fps(self, key: str, value) -> float | None:
        return None if value is None else positive_number(key, value, "The frame rate")

    @validates("sequence", "scene")
    def _validate_group(self, key: str, value: Task | None) -> Task | None:
        expected = Sequence if key == "sequence" else Scene
        if value is not None and not isinstance(value, expected):
            raise InvalidValue(key, f"A shot's {key} must be a {expected.__name__}.")
        if value is not None and value.project is not self.project:
            raise InvalidValue(key, f"The {key} {value.name} is in another project.")
        return value

    @property
    def cut_duration(self) -> int:
        """The number of frames in the cut, both ends included."""
        return self.cut_out - self.cut_in + 1

    @property
    def effective_fps(self) -> float:
        """The shot's frame rate, or the project's when the shot does not override it."""
        return self.fps if self.fps is not None else self.project.fps

    @property
    def effective_image_format(self) -> ImageFormat | None:
        """The shot's image format, or the project's when the shot does not override it."""
        return self.image_format if self.image_format is not None else self.project.image_format


_tasks = Task.__table__
_tasks.append_constraint(CheckConstraint("cut_in <= cut_out", name="shot_cut"))
_tasks.append_constraint(
    CheckConstraint(
        "cut_in <= source_in AND source_in <= source_out AND source_out <= cut_out",
        name="shot_source",
    )
)
Index(
    "uq_tasks_project_id_shot_code",
    _tasks.c.project_id,
    _tasks.c.code,
    unique=True,
    postgresql_where=_tasks.c.entity_type == "Shot",
    sqlite_where=_tasks.c.entity_type == "Shot",
)

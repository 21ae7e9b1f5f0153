"""The camera of a shot (any task: a shot, or a layout step)."""

from sqlalchemy import Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from stalker_web.models.meta import Base, UTCDateTime, utcnow

NAME_LENGTH = 64


class Camera(Base):
    """A camera used in a shot: its name, lens and sensor."""

    __tablename__ = "acme_cameras"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH))
    focal_length: Mapped[float] = mapped_column(Float)
    sensor_width: Mapped[float] = mapped_column(Float, default=36.0)
    date_created = mapped_column(UTCDateTime, default=utcnow, nullable=False)

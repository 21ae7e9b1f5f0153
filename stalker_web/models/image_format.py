"""ImageFormat: a picture size (e.g. HD 1080, 1920×1080) used by projects and shots."""

from sqlalchemy import Float, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, validates

from .meta import Base, InvalidValue
from .mixins import EntityMixin

_LABELS = {
    "width": "The width",
    "height": "The height",
    "pixel_aspect": "The pixel aspect",
    "print_resolution": "The print resolution",
}


def positive_number(key: str, value, label: str) -> float:
    """``value`` as a float, refused unless it is a number above zero."""
    if isinstance(value, bool):
        raise InvalidValue(key, f"{label} must be a number above zero.")
    try:
        number = float(value)
    except (TypeError, ValueError) as error:
        raise InvalidValue(key, f"{label} must be a number above zero.") from error
    if not number > 0:
        raise InvalidValue(key, f"{label} must be a number above zero.")
    return number


class ImageFormat(EntityMixin, Base):
    """Stalker's ImageFormat: width and height in pixels, pixel aspect and print resolution."""

    __tablename__ = "image_formats"
    __table_args__ = (UniqueConstraint("name"),)

    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    pixel_aspect: Mapped[float] = mapped_column(Float, default=1.0)
    print_resolution: Mapped[float] = mapped_column(Float, default=300.0)

    @validates("width", "height")
    def _validate_size(self, key: str, value) -> int:
        pixels = positive_number(key, value, _LABELS[key])
        if pixels < 1:
            raise InvalidValue(key, f"{_LABELS[key]} must be at least one pixel.")
        return int(pixels)

    @validates("pixel_aspect", "print_resolution")
    def _validate_ratio(self, key: str, value) -> float:
        return positive_number(key, value, _LABELS[key])

    @property
    def device_aspect(self) -> float:
        """The displayed picture's width / height, pixel aspect included."""
        return self.width / self.height * self.pixel_aspect

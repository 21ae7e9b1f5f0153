"""RecoveryCode: a one-time code that replaces the authenticator app at sign-in."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from .meta import Base, UTCDateTime


class RecoveryCode(Base):
    """One recovery code of a user's two-factor sign-in, stored as an argon2 hash; used once."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(256))
    used_at = mapped_column(UTCDateTime, nullable=True)

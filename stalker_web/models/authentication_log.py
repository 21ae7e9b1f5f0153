"""AuthenticationLog: every login, logout and refused login attempt."""

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .meta import Base, UTCDateTime, utcnow
from .user import User

LOGIN = "login"
LOGOUT = "logout"
FAILED = "failed"
LOCKED = "locked"
ACTIONS = (LOGIN, LOGOUT, FAILED, LOCKED)


class AuthenticationLog(Base):
    """One authentication event; failed attempts keep the login typed even when no user has it."""

    __tablename__ = "authentication_logs"
    __table_args__ = (
        Index("ix_authentication_logs_login_date", "login", "date"),
        Index("ix_authentication_logs_remote_addr_date", "remote_addr", "date"),
        Index("ix_authentication_logs_user_id_date", "user_id", "date"),
        Index("ix_authentication_logs_action_date", "action", "date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    login: Mapped[str] = mapped_column(String(256))
    action: Mapped[str] = mapped_column(String(16))
    remote_addr: Mapped[str] = mapped_column(String(64), default="")
    date = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User | None] = relationship()

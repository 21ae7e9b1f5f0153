"""A project's dailies: creating one (Open), listing them with how far each got, and closing one,
which makes its answers final and sends its summary (``DailyClosed``)."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from ...events import DailyClosed, publish
from ...models import Daily, DailyVersion, Project
from ...pagination import Page, paginate
from ..errors import ValidationError
from ..names import checked_name
from ..transactions import hold_write_lock
from .statuses import CLOSED, OPEN, daily_status

DAILIES_PER_PAGE = 25


def is_closed(daily: Daily) -> bool:
    """Whether the daily is over (its answers final, its summary sent)."""
    return daily.status.code == CLOSED


def refuse_closed(daily: Daily, what: str) -> None:
    """Refuse ``what`` ("add versions") once ``daily`` is closed."""
    if is_closed(daily):
        raise ValidationError(
            f"{daily.name} is closed, so you cannot {what}: its answers are final. Start a new "
            "daily instead."
        )


def lock(dbsession: Session, daily: Daily) -> None:
    """Serialise changes to one daily (PostgreSQL: a row lock; SQLite: the write lock), so two
    leads editing its order at once cannot give two versions the same place; its status and
    versions are read again as the lock found them."""
    hold_write_lock(dbsession)
    dbsession.flush()
    dbsession.execute(select(Daily.id).where(Daily.id == daily.id).with_for_update())
    dbsession.refresh(daily, ["status", "entries"])


def create_daily(dbsession: Session, project: Project, name: str, description: str = "") -> Daily:
    """A new Open daily of ``project``."""
    daily = Daily(
        name=checked_name(name),
        description=(description or "").strip(),
        project=project,
        status=daily_status(dbsession, OPEN),
    )
    dbsession.add(daily)
    dbsession.flush()
    return daily


@dataclass(frozen=True)
class DailyRow:
    """A daily in its project's list: how many versions it holds and how many were answered."""

    daily: Daily
    versions: int
    answered: int


def project_dailies(dbsession: Session, project: Project, number: int = 1) -> Page:
    """A page of ``project``'s dailies, newest first, each with its counts: three queries."""
    statement = (
        select(Daily)
        .where(Daily.project_id == project.id)
        .options(joinedload(Daily.status), joinedload(Daily.created_by))
        .order_by(Daily.date_created.desc(), Daily.id.desc())
    )
    page = paginate(dbsession, statement, number, DAILIES_PER_PAGE)
    counts = {
        daily_id: (versions, answered)
        for daily_id, versions, answered in dbsession.execute(
            select(
                DailyVersion.daily_id,
                func.count(DailyVersion.id),
                func.count(DailyVersion.outcome),
            )
            .where(DailyVersion.daily_id.in_([daily.id for daily in page.items]))
            .group_by(DailyVersion.daily_id)
        )
    }
    rows = [DailyRow(daily, *counts.get(daily.id, (0, 0))) for daily in page.items]
    return replace(page, items=rows)


def close_daily(dbsession: Session, daily: Daily) -> Daily:
    """Close ``daily``: its answers become final and ``DailyClosed`` sends its summary to the
    people concerned (once: closing a closed daily is refused)."""
    lock(dbsession, daily)
    if is_closed(daily):
        raise ValidationError(f"{daily.name} is already closed; its summary was sent.")
    daily.status = daily_status(dbsession, CLOSED)
    daily.summary_sent_at = datetime.now(UTC)
    dbsession.flush()
    publish(dbsession, DailyClosed(daily.id, daily.project_id))
    return daily

"""The authentication log page: login, logout and refused attempts, filtered and newest first;
and how many sign-ins failed lately, for the admin's home page."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, joinedload

from ...limits import query_text
from ...models import AuthenticationLog, User
from ...models.authentication_log import ACTIONS, FAILED, LOCKED
from ...pagination import Page, paginate
from ..errors import ValidationError


@dataclass(frozen=True)
class LogFilters:
    """What the log is narrowed to; dates are whole days in UTC, both ends included."""

    search: str = ""
    action: str = ""
    date_from: date | None = None
    date_to: date | None = None

    def params(self) -> dict:
        """The query string that reproduces these filters (blank ones left out)."""
        params = {
            "q": self.search,
            "action": self.action,
            "date_from": self.date_from.isoformat() if self.date_from else "",
            "date_to": self.date_to.isoformat() if self.date_to else "",
        }
        return {key: value for key, value in params.items() if value}


def _parse_date(text: str | None, field: str) -> date | None:
    typed = (text or "").strip()
    if not typed:
        return None
    try:
        return date.fromisoformat(typed)
    except ValueError as error:
        raise ValidationError(
            f"{typed!r} is not a date; write it as YYYY-MM-DD, e.g. 2024-05-31.", field
        ) from error


def parse_filters(values: Mapping[str, str | None]) -> tuple[LogFilters, list[ValidationError]]:
    """Filters from the query string; a value that cannot be used is left out and reported."""
    errors: list[ValidationError] = []
    action = (values.get("action") or "").strip().lower()
    if action and action not in ACTIONS:
        errors.append(ValidationError(f"Choose an action among {', '.join(ACTIONS)}.", "action"))
        action = ""
    dates = {}
    for field in ("date_from", "date_to"):
        try:
            dates[field] = _parse_date(values.get(field), field)
        except ValidationError as error:
            errors.append(error)
            dates[field] = None
    if dates["date_from"] and dates["date_to"] and dates["date_to"] < dates["date_from"]:
        errors.append(ValidationError("The end date is before the start date.", "date_to"))
        dates["date_to"] = None
    search = query_text(values, "q")
    return LogFilters(search=search, action=action, **dates), errors


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def log_select(filters: LogFilters) -> Select:
    """Log entries matching ``filters``, newest first, with their users loaded in the same query."""
    statement = select(AuthenticationLog).options(joinedload(AuthenticationLog.user))
    if filters.search:
        needle = filters.search.lower()
        matching_users = select(User.id).where(
            or_(
                func.lower(User.name).contains(needle, autoescape=True),
                func.lower(User.login).contains(needle, autoescape=True),
            )
        )
        statement = statement.where(
            or_(
                func.lower(AuthenticationLog.login).contains(needle, autoescape=True),
                AuthenticationLog.user_id.in_(matching_users),
            )
        )
    if filters.action:
        statement = statement.where(AuthenticationLog.action == filters.action)
    if filters.date_from:
        statement = statement.where(AuthenticationLog.date >= _start_of(filters.date_from))
    if filters.date_to and filters.date_to < date.max:
        next_day = _start_of(filters.date_to + timedelta(days=1))
        statement = statement.where(AuthenticationLog.date < next_day)
    return statement.order_by(AuthenticationLog.date.desc(), AuthenticationLog.id.desc())


def log_page(dbsession: Session, filters: LogFilters, number: int) -> Page:
    """One page of the log entries matching ``filters``: two queries whatever the page holds."""
    return paginate(dbsession, log_select(filters), number, params=filters.params())


def failed_sign_ins_count(since: datetime) -> Select:
    """SQL: how many sign-in attempts failed (a wrong password or code) or were refused
    (throttled) since ``since``, as a select (the home page reads it inside a wider one)."""
    return select(func.count()).where(
        AuthenticationLog.action.in_((FAILED, LOCKED)), AuthenticationLog.date >= since
    )

"""The vacations a people chart shades: each user's own and the studio-wide holidays (a
vacation without a user), those meeting the window, in one query."""

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from ...models.vacation import Vacation
from .window import Window


def vacations_in_window(dbsession: Session, user_ids: list[int], window: Window) -> list[Vacation]:
    """The users' vacations and the studio-wide ones that meet the window, earliest first."""
    whose = Vacation.user_id.is_(None)
    if user_ids:
        whose = or_(whose, Vacation.user_id.in_(user_ids))
    return list(
        dbsession.scalars(
            select(Vacation)
            .where(whose, Vacation.start < window.end, Vacation.end > window.start)
            .options(joinedload(Vacation.user))
            .order_by(Vacation.start, Vacation.id)
        )
    )


def vacations_by_user(
    dbsession: Session, user_ids: list[int], window: Window
) -> dict[int, list[Vacation]]:
    """Each user's vacations in the window, the studio-wide ones included."""
    vacations = vacations_in_window(dbsession, user_ids, window)
    return {user_id: [v for v in vacations if v.user_id in (None, user_id)] for user_id in user_ids}


def distinct_vacations(by_user: dict[int, list[Vacation]]) -> list[Vacation]:
    """Every vacation of ``vacations_by_user``'s answer once (holidays repeat), earliest first."""
    seen: dict[int, Vacation] = {}
    for vacations in by_user.values():
        for vacation in vacations:
            seen.setdefault(vacation.id, vacation)
    return sorted(seen.values(), key=lambda vacation: (vacation.start, vacation.id))

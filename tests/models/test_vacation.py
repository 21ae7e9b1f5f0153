"""Vacation: a user's leave or, without a user, a studio-wide holiday."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError

from stalker_web.models import User, Vacation
from stalker_web.models.meta import InvalidValue

from ..factories.accounts import cheap_users

MAY_1 = datetime(2026, 5, 1, tzinfo=UTC)
MAY_3 = datetime(2026, 5, 3, tzinfo=UTC)


@pytest.fixture
def user(dbsession):
    (user,) = cheap_users(dbsession, 1)
    return user


def test_a_vacation_of_a_user_and_a_studio_holiday(dbsession, user):
    leave = Vacation(user=user, start=MAY_1, end=MAY_3)
    holiday = Vacation(start=MAY_1, end=MAY_3, name="  Labour   day ")
    dbsession.add_all([leave, holiday])
    dbsession.flush()
    assert (leave.name, leave.is_studio_wide, leave.user_id) == ("Vacation", False, user.id)
    assert (holiday.name, holiday.is_studio_wide) == ("Labour day", True)
    assert Vacation(start=MAY_1, end=MAY_3).name == "Studio holiday"


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (None, MAY_3, "start", "A vacation needs its start date and time."),
        (MAY_1, None, "end", "A vacation needs its end date and time."),
        (MAY_3, MAY_1, "end", "The end cannot come before the start."),
        (MAY_1, MAY_1, "end", "A vacation must end after it starts."),
        (MAY_1.replace(tzinfo=None), MAY_3, "start", "Give a date and time with its time zone."),
    ],
)
def test_dates_are_required_aware_and_in_order(start, end, field, message):
    with pytest.raises(InvalidValue, match=message) as error:
        Vacation(start=start, end=end)
    assert error.value.field == field


def test_changing_the_dates_is_checked_and_moving_the_range_works(dbsession, user):
    leave = Vacation(user=user, start=MAY_1, end=MAY_3)
    with pytest.raises(InvalidValue, match="must end after it starts"):
        leave.end = MAY_1
    with pytest.raises(InvalidValue, match="needs its start"):
        leave.start = None
    later = MAY_3 + timedelta(days=10)
    leave.set_range(later, later + timedelta(days=1))
    assert (leave.start, leave.end) == (later, later + timedelta(days=1))
    leave.set_range(MAY_1 - timedelta(days=9), MAY_1 - timedelta(days=8))
    assert leave.start == MAY_1 - timedelta(days=9)
    with pytest.raises(InvalidValue, match="belongs to a user"):
        leave.user = "somebody"


def test_the_database_refuses_an_end_before_the_start(dbsession):
    table = Vacation.__table__
    values = {
        "name": "Broken", "description": "", "generic_data": {}, "version_id": 1,
        "date_created": MAY_1, "date_updated": MAY_1, "start": MAY_3, "end": MAY_1,
    }  # fmt: skip
    with pytest.raises(IntegrityError), dbsession.begin_nested():
        dbsession.execute(insert(table).values(**values))


def test_deleting_a_user_deletes_their_vacations(dbsession, user):
    dbsession.add_all(
        [Vacation(user=user, start=MAY_1, end=MAY_3), Vacation(start=MAY_1, end=MAY_3)]
    )
    dbsession.flush()
    dbsession.execute(delete(User).where(User.id == user.id))
    dbsession.expire_all()
    assert [v.user_id for v in dbsession.scalars(select(Vacation))] == [None]


def test_a_user_may_change_their_own_vacation_but_not_a_holiday(dbsession, user):
    from stalker_web.permissions import Permissions
    from stalker_web.resources import VacationResource

    leave = Vacation(user=user, start=MAY_1, end=MAY_3)
    holiday = Vacation(start=MAY_1, end=MAY_3)
    dbsession.add_all([leave, holiday])
    dbsession.flush()
    assert VacationResource(leave, None).__acl__ == [
        ("Allow", f"user:{user.id}", (Permissions.UPDATE_VACATION, Permissions.DELETE_VACATION))
    ]
    assert VacationResource(holiday, None).__acl__ == []

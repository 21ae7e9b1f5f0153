"""``/api/v1/users``: the studio's people, read only.

As on the pages: the user picker shows names and logins to anybody signed in, so everybody
signed in reads every person's id, login, name and whether they are active; a user's record
(with the e-mail address) is read by the holders of Read_User (the admins) and by the person
themselves, so ``email`` is null for anybody else.
"""

from sqlalchemy import select

from ...models import User
from ...permissions import Permissions
from ..listing import FIELDS_PARAM, PAGE_PARAMS, cursor_page, page_schema
from ..operations import Param, api_view
from ..schemas import ID, TEXT, schema, sparse

PERSON = schema(
    "User",
    {
        "id": ID,
        "login": TEXT,
        "name": TEXT,
        "email": {"type": ["string", "null"], "description": "Only of oneself, or for admins."},
        "is_active": {"type": "boolean"},
    },
)
LOGIN_PARAM = Param("login", {"type": "string", "maxLength": 256}, "The person of this login.")
WHO_SEES_WHAT = (
    "Everybody signed in reads every person's id, login, name and is_active (as the pages' "
    "user picker shows them); the e-mail address only of themselves, or of everybody with "
    "Read_User (the admins), as the user pages show it; otherwise email is null."
)


def _email_reader(request):
    """Whether the caller reads a user's e-mail address: a function of the user (no query)."""
    if request.studio_permits(Permissions.READ_USER):
        return lambda user: True
    return lambda user: user.id == request.user.id


def person_json(user: User, shows_email: bool) -> dict:
    return {
        "id": user.id,
        "login": user.login,
        "name": user.name,
        "email": user.email if shows_email else None,
        "is_active": user.is_active,
    }


@api_view(
    "api.users",
    "GET",
    Permissions.VIEW,
    summary="The studio's people",
    description=WHO_SEES_WHAT,
    tag="accounts",
    response=page_schema(sparse(PERSON)),
    query=(*PAGE_PARAMS, FIELDS_PARAM, LOGIN_PARAM),
    errors=(400, 401, 429),
)
def users(context, request) -> dict:
    statement = select(User)
    login = request.GET.get("login")
    if login is not None:
        statement = statement.where(User.login == login.strip().lower())
    shows_email = _email_reader(request)
    return cursor_page(
        request,
        request.dbsession,
        statement,
        User.id,
        lambda rows: [person_json(user, shows_email(user)) for user in rows],
        PERSON,
    )


@api_view(
    "api.users.view",
    "GET",
    Permissions.VIEW,
    summary="A person",
    description=WHO_SEES_WHAT,
    tag="accounts",
    response=PERSON,
)
def user(context, request) -> dict:
    return person_json(context.entity, _email_reader(request)(context.entity))

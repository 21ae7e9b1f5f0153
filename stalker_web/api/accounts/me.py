"""``GET /api/v1/me``: the person the token signs in as, and the token itself."""

from ...permissions import Permissions
from ..operations import api_view
from ..schemas import DATE_TIME, ID, NULLABLE_DATE_TIME, TEXT, schema

ME = schema(
    "Me",
    {
        "id": ID,
        "login": TEXT,
        "name": TEXT,
        "email": TEXT,
        "time_zone": {"type": ["string", "null"]},
        "project_ids": {"type": "array", "items": ID},
        "token": {
            "type": "object",
            "required": ["name", "scope", "expires_at", "created_at"],
            "properties": {
                "name": TEXT,
                "scope": {"enum": ["read", "write"]},
                "expires_at": NULLABLE_DATE_TIME,
                "created_at": DATE_TIME,
            },
        },
    },
)


@api_view(
    "api.me",
    "GET",
    Permissions.VIEW,
    summary="Who the token signs in as",
    tag="accounts",
    response=ME,
)
def me(context, request) -> dict:
    user, token = request.user, request.api_token
    return {
        "id": user.id,
        "login": user.login,
        "name": user.name,
        "email": user.email,
        "time_zone": user.time_zone or None,
        "project_ids": sorted(m.project_id for m in user.project_memberships),
        "token": {
            "name": token.name,
            "scope": token.scope.value,
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            "created_at": token.date_created.isoformat(),
        },
    }

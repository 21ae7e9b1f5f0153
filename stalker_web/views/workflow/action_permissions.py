"""Which permission each status action of the task page needs: read by the views' registrations
and by the task page, which offers only the actions the user may do."""

from ...permissions import Permissions
from ...services.workflow import rules

ACTION_PERMISSIONS = {
    rules.LOG_TIME: Permissions.CREATE_TIME_LOG,
    rules.REQUEST_REVIEW: Permissions.REQUEST_REVIEW,
    rules.REQUEST_REVISION: Permissions.ANSWER_REVIEW,
    rules.HOLD: Permissions.UPDATE_TASK,
    rules.STOP_ACTION: Permissions.UPDATE_TASK,
    rules.RESUME: Permissions.UPDATE_TASK,
}


def permitted_actions(request) -> dict[str, bool]:
    """Whether the user may do each action on the task of ``request.context``."""
    return {
        action: bool(request.has_permission(permission, request.context))
        for action, permission in ACTION_PERMISSIONS.items()
    }

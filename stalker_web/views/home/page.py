"""The landing page after login: the sections that fit who is looking (services/home/)."""

import logging

from pyramid.view import view_config

from ...models.meta import utcnow
from ...permissions import Permissions
from ...queue import job_queue
from ...services.home.page import home_page
from ...services.home.sections import Section, Viewer
from ..common import readable_projects

log = logging.getLogger(__name__)


def queued_in_worker(request) -> int | None:
    """How many runs the worker queue holds, or None when the queue cannot be read (logged)."""
    try:
        return job_queue(request.registry).pending_count()
    except Exception:  # the page still answers; the admin reads the cause in the log
        log.warning("The worker queue could not be read.", exc_info=True)
        return None


@view_config(route_name="home", renderer="home/page.jinja2", permission=Permissions.VIEW)
def home_view(request):
    """The person's home: their department, reviews, work, projects and the studio, as apply."""
    viewer = Viewer(
        request.user,
        every_project=request.studio_permits(Permissions.LIST_PROJECTS),
        studio_admin=request.studio_permits(Permissions.LIST_USERS),
        rights=request.user_rights,
    )
    page = home_page(
        request.dbsession, viewer, utcnow(), readable_projects(request), request.time_zone
    )
    in_worker = queued_in_worker(request) if Section.STUDIO in page.sections else None
    return {"home": page, "Section": Section, "queued_in_worker": in_worker}

"""Where an activity record's words link to: the page of its task, version, ticket, daily,
schedule run or project, in pages (the request's URLs) and in e-mails (absolute URLs starting
with ``mail.base_url``, built from the route table without a request: the worker has none).

A target whose page does not exist (yet) gets no link rather than a broken one.
"""

from functools import lru_cache

from pyramid.config import Configurator
from pyramid.interfaces import IRoutesMapper

from .permissions import Permissions
from .resources import studio_permits
from .services.activity.sentences import Target

# The route showing each kind of target, and the placeholder its id fills.
TARGET_ROUTES = {
    "task": ("tasks.view", "task_id"),
    "version": ("versions.view", "version_id"),
    "ticket": ("tickets.view", "ticket_id"),
    "daily": ("dailies.view", "daily_id"),
    "schedule_run": ("schedule.run", "run_id"),
    "project": ("projects.view", "project_id"),
}


def target_url(request, target: Target | None) -> str | None:
    """The address of ``target``'s page for ``request``'s viewer, or None (no such page; a
    schedule run's page for someone who may not list runs)."""
    if target is None or target.kind not in TARGET_ROUTES:
        return None
    name, placeholder = TARGET_ROUTES[target.kind]
    if request.registry.getUtility(IRoutesMapper).get_route(name) is None:
        return None
    if target.kind == "schedule_run" and not studio_permits(
        request, Permissions.LIST_SCHEDULE_RUNS
    ):
        return None
    return request.route_url(name, **{placeholder: target.id})


@lru_cache(maxsize=1)
def _route_table() -> IRoutesMapper:
    """The app's routes, registered on a configurator of their own (no database, no views)."""
    config = Configurator()
    config.include("stalker_web.routes")
    config.commit()
    return config.registry.getUtility(IRoutesMapper)


class MailLinks:
    """Absolute addresses for e-mails, on ``base_url``."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")

    def _url(self, name: str, **placeholders: int) -> str | None:
        route = _route_table().get_route(name)
        return None if route is None else self.base_url + route.generate(placeholders)

    def target(self, target: Target | None) -> str | None:
        """The address of ``target``'s page, or None."""
        if target is None or target.kind not in TARGET_ROUTES:
            return None
        name, placeholder = TARGET_ROUTES[target.kind]
        return self._url(name, **{placeholder: target.id})

    def page(self, route_name: str) -> str:
        """The address of a page without placeholders (the inbox, the preferences)."""
        return self._url(route_name) or self.base_url + "/"

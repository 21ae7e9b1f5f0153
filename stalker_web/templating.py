"""Jinja2 setup: the template search path, auto-escaping and the helpers every page uses."""

from jinja2 import pass_context

from .forms import ALLOCATION_LABELS, MOMENT_INPUT
from .links import target_url
from .navigation import admin_links, inbox_unread
from .permissions import Permissions
from .time_zones import SHOWN_FORMAT, format_moment


@pass_context
def _format_datetime(context, value, pattern: str = SHOWN_FORMAT, mark: bool = True) -> str:
    """A stored (UTC) moment in the viewer's zone, marked with the zone when it shows a time of
    day ("2026-03-08 09:00 EST"; ``mark=False`` where the page names the zone once); outside a
    request, in UTC."""
    request = context.get("request")
    return format_moment(value, getattr(request, "time_zone", None), pattern, mark)


def includeme(config) -> None:
    settings = config.get_settings()
    settings.setdefault("jinja2.autoescape", "true")
    settings.setdefault("jinja2.undefined", "strict")
    config.include("pyramid_jinja2")
    config.add_jinja2_search_path("stalker_web:templates", name=".jinja2")

    def register_globals():
        environment = config.get_jinja2_environment(".jinja2")
        environment.globals["Permissions"] = Permissions
        environment.globals["admin_links"] = admin_links
        # Activity and notifications: the inbox badge, and where a record's words link to.
        environment.globals["inbox_unread"] = inbox_unread
        environment.globals["target_url"] = target_url
        environment.globals["MOMENT_INPUT"] = MOMENT_INPUT
        environment.filters["datetime"] = _format_datetime
        environment.filters["allocation"] = ALLOCATION_LABELS.__getitem__

    config.action(None, register_globals, order=999)

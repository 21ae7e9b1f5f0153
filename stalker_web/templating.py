"""Jinja2 setup: the template search path, auto-escaping and the helpers every page uses."""

from .forms import ALLOCATION_LABELS
from .navigation import admin_links
from .permissions import Permissions


def _format_datetime(value, pattern: str = "%Y-%m-%d %H:%M") -> str:
    return "" if value is None else value.strftime(pattern)


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
        environment.filters["datetime"] = _format_datetime
        environment.filters["allocation"] = ALLOCATION_LABELS.__getitem__

    config.action(None, register_globals, order=999)

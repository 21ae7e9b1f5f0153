"""The landing page after login."""

from pyramid.view import view_config

from ...permissions import Permissions


@view_config(route_name="home", renderer="home.jinja2", permission=Permissions.VIEW)
def home_view(request):
    return {}

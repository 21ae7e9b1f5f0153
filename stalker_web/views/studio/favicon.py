"""The site's icon at the address browsers and tools ask for without reading the page."""

from pyramid.httpexceptions import HTTPMovedPermanently
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config


@view_config(route_name="favicon", request_method="GET", permission=NO_PERMISSION_REQUIRED)
def favicon_view(request):
    """Send the asker to the icon the pages link (static/favicon.svg); anyone may have it."""
    return HTTPMovedPermanently(location=request.static_url("stalker_web:static/favicon.svg"))

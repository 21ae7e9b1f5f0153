"""The stylesheet of the status and step colours, which badges and swatches name as classes."""

from pyramid.response import Response
from pyramid.security import NO_PERMISSION_REQUIRED
from pyramid.view import view_config

from ...services.workflow.status_colours import status_colours_stylesheet

MAX_AGE_SECONDS = 300


@view_config(route_name="status_colours", request_method="GET", permission=NO_PERMISSION_REQUIRED)
def status_colours_view(request):
    """Colours only (no names), so anyone may fetch it; cached briefly, then revalidated."""
    response = Response(
        text=status_colours_stylesheet(request.dbsession), content_type="text/css", charset="utf-8"
    )
    response.cache_control.max_age = MAX_AGE_SECONDS
    response.md5_etag()
    response.conditional_response = True
    return response

"""A project's activity feed: who did what and when, newest first, filtered by kind and person."""

from pyramid.view import view_config

from ...limits import query_int
from ...permissions import Permissions
from ...services.activity.feed import FeedFilters, feed_people, project_feed
from .forms import FeedFilterForm


@view_config(
    route_name="projects.activity",
    renderer="activity/feed.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def project_feed_view(request):
    """A page of the project's feed (``?before=``/``?after=``) with the filters kept."""
    project = request.context.entity
    form = FeedFilterForm(request.GET)
    form.offer_people(feed_people(request.dbsession, project))
    filters = FeedFilters()
    if form.validate():
        filters = FeedFilters(form.kind.data or "", form.person.data)
    else:
        request.response.status_int = 400
    page = project_feed(
        request.dbsession,
        project,
        request.user.id,
        filters,
        before=query_int(request.GET, "before"),
        after=query_int(request.GET, "after"),
    )
    return {"project": project, "form": form, "page": page, "filtered": filters != FeedFilters()}

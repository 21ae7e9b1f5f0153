"""A note's attached files and their thumbnails, served to whoever reads the note."""

from pyramid.view import view_config

from ...permissions import Permissions
from ...services.notes.attachments import attachment_file, store_of
from ..downloads import stored_file_response

MISSING = "This file is missing from the attachments folder."


@view_config(
    route_name="notes.attachments.download",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def attachment_download_view(request):
    """The file itself, as a download named as it was uploaded."""
    attachment = request.context.entity
    path = attachment_file(store_of(request.dbsession), attachment.relative_path)
    return stored_file_response(
        request, path, attachment.mime_type, attachment.original_filename, MISSING
    )


@view_config(
    route_name="notes.attachments.thumbnail",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def attachment_thumbnail_view(request):
    """The PNG thumbnail of an attached picture (404 for other files)."""
    attachment = request.context.entity
    path = attachment_file(store_of(request.dbsession), attachment.thumbnail_path)
    return stored_file_response(request, path, "image/png", missing=MISSING)

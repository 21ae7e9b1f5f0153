"""Files of versions: uploading through the browser, downloading, thumbnails."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.versions.uploads import UploadRules, store_upload, stored_path
from ..downloads import stored_file_response
from .forms import UploadForm
from .versions import version_page


@view_config(
    route_name="versions.files.upload",
    renderer="versions/view.jinja2",
    request_method="POST",
    permission=Permissions.CREATE_VERSION,
)
def file_upload_view(request):
    version = request.context.entity
    form = UploadForm(request.POST)

    def save():
        filename, stream = form.upload_stream()
        stored = store_upload(
            request.dbsession,
            version,
            filename=filename,
            stream=stream,
            rules=UploadRules.from_config(request.studio_config),
        )
        message = f"{stored.original_filename} stored as {stored.full_path}."
        return message, request.route_url("versions.view", version_id=version.id)

    return submit_form(request, form, save) or version_page(request, upload_form=form)


def _served(request, relative_path: str | None, content_type: str, download_name: str = ""):
    file = request.context.entity
    path = stored_path(file.repository, relative_path) if relative_path else None
    return stored_file_response(
        request, path, content_type, download_name, "This file is missing from its repository."
    )


@view_config(route_name="files.download", request_method="GET", permission=Permissions.READ_TASK)
def file_download_view(request):
    """The file itself, as an attachment named as stored."""
    file = request.context.entity
    return _served(request, file.relative_path, file.mime_type, file.filename)


@view_config(route_name="files.thumbnail", request_method="GET", permission=Permissions.READ_TASK)
def file_thumbnail_view(request):
    """The PNG thumbnail of an image file (404 for files without one)."""
    file = request.context.entity
    return _served(request, file.thumbnail_path, "image/png")

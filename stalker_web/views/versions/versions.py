"""Version pages: creating a version of a task, the version page, publishing and unpublishing."""

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...forms import VersionedForm, select_choices, submit_form
from ...permissions import Permissions
from ...services.activity.history import history
from ...services.errors import ValidationError
from ...services.tasks.commands import ancestors
from ...services.tasks.paths import task_path, task_paths
from ...services.versions import versions as service
from ..notes.listing import notes_on_page
from ..submissions import made_once
from .forms import UploadForm, VersionForm

PARENT_CHOICES = 50


def _version_form(request, task) -> VersionForm:
    form = VersionForm(request.POST)
    latest = service.task_versions(request.dbsession, task, 1).items[:PARENT_CHOICES]
    form.parent_id.choices = select_choices(
        [("", "Nothing (a new start)")] + [(version.id, version.name) for version in latest]
    )
    inputs = service.input_choices(request.dbsession, task)
    paths = task_paths(request.dbsession, {file.version.task for file in inputs})
    form.input_file_ids.choices = select_choices(
        (file.id, f"{paths[file.version.task.id]} · {file.version.label} · {file.filename}")
        for file in inputs
    )
    return form


@view_config(
    route_name="tasks.versions.create",
    renderer="versions/form.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_VERSION,
)
def version_create_view(request):
    task = request.context.entity
    form = _version_form(request, task)

    def create():
        version = service.create_version(
            request.dbsession,
            task,
            revision_number=form.revision_number.data,
            parent_id=form.parent_id.data,
            created_with=form.created_with.data or "",
            description=form.description.data or "",
            input_file_ids=form.input_file_ids.data or [],
        )
        message = f"Version {version.label} of {path} created: add its files."
        return message, request.route_url("versions.view", version_id=version.id)

    def save():
        return made_once(request, form.submission_key.data, create)

    path = task_path(request.dbsession, task)
    return submit_form(request, form, save) or {"form": form, "task": task, "task_path": path}


def version_page(request, upload_form: UploadForm | None = None) -> dict:
    """What the version page shows; ``upload_form`` carries a refused upload's errors."""
    version = request.context.entity
    return {
        "details": service.version_details(request.dbsession, version),
        "task": version.task,
        "ancestors": ancestors(request.dbsession, version.task),
        "upload_form": upload_form or UploadForm(),
        "accepted": ", ".join(request.studio_config["uploads"]["extensions"]),
        "can_publish": bool(request.has_permission(Permissions.UPDATE_VERSION, request.context)),
        "can_upload": bool(request.has_permission(Permissions.CREATE_VERSION, request.context)),
        "notes": notes_on_page(request, version.task.project, version=version),
        # Activity (issue 14): what happened to this version.
        "activity": history(request.dbsession, request.user.id, version_id=version.id),
    }


@view_config(
    route_name="versions.view",
    renderer="versions/view.jinja2",
    request_method="GET",
    permission=Permissions.READ_TASK,
)
def version_view(request):
    return version_page(request)


def _set_published(request, published: bool):
    version = request.context.entity
    form = VersionedForm(request.POST)
    try:
        service.set_published(
            request.dbsession, version, published, submitted_version=form.submitted_version()
        )
    except ValidationError as error:
        request.session.flash(error.message, "error")
    else:
        state = "published" if published else "no longer published"
        request.session.flash(f"{version.name} is {state}.")
    return HTTPSeeOther(request.route_url("versions.view", version_id=version.id))


@view_config(
    route_name="versions.publish", request_method="POST", permission=Permissions.UPDATE_VERSION
)
def version_publish_view(request):
    return _set_published(request, True)


@view_config(
    route_name="versions.unpublish", request_method="POST", permission=Permissions.UPDATE_VERSION
)
def version_unpublish_view(request):
    return _set_published(request, False)

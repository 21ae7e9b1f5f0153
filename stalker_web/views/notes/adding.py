"""Adding a note: to a project, a task, a version or a review (the tickets and dailies pages call
``post_note`` for theirs). A refused note comes back on a page of its own with the text as typed
and what to fix beside the field."""

from pyramid.renderers import render_to_response
from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...services.notes.notes import NoteTarget, add_note
from ..common import next_path, next_url
from .forms import NoteForm
from .targets import target_link

# The refusal page's form: its fields' ids start with it, as the error summary's links do.
REFUSED_FORM_ID = "note-form"


def post_note(request, project, back_url: str, **target):
    """Add the note the request's form carries on ``project`` or on its one ``target``
    (``task=``, ``version=``, ``review=``, ``ticket=`` or ``daily=``): "Note added." and a
    303 to ``back_url`` at the note, or the refusal page (400) keeping what was typed."""
    form = NoteForm(request.POST, id_prefix=f"{REFUSED_FORM_ID}-")

    def save():
        note = add_note(
            request.dbsession,
            request.user,
            project,
            form.content.data or "",
            attachments=form.uploads(),
            **target,
        )
        return "Note added.", f"{back_url}#note-{note.id}"

    redirect = submit_form(request, form, save)
    if redirect is not None:
        return redirect
    values = {
        "form": form,
        "form_id": REFUSED_FORM_ID,
        "target": target_link(request, project, NoteTarget.of(**target)),
        "action_url": request.path_url,
        "back_url": back_url,
        "next": next_path(request),
        "project": project,
        "files_sent": bool(form.uploads()),
    }
    return render_to_response(
        "notes/refused.jinja2", values, request=request, response=request.response
    )


@view_config(
    route_name="projects.notes.add", request_method="POST", permission=Permissions.CREATE_NOTE
)
def project_note_add_view(request):
    project = request.context.entity
    return post_note(request, project, request.route_url("projects.view", project_id=project.id))


@view_config(
    route_name="tasks.notes.add", request_method="POST", permission=Permissions.CREATE_NOTE
)
def task_note_add_view(request):
    task = request.context.entity
    back = request.route_url("tasks.view", task_id=task.id)
    return post_note(request, task.project, back, task=task)


@view_config(
    route_name="versions.notes.add", request_method="POST", permission=Permissions.CREATE_NOTE
)
def version_note_add_view(request):
    version = request.context.entity
    back = request.route_url("versions.view", version_id=version.id)
    return post_note(request, version.task.project, back, version=version)


@view_config(
    route_name="reviews.notes.add", request_method="POST", permission=Permissions.CREATE_NOTE
)
def review_note_add_view(request):
    """A note on a review: back to the page it was written on (``next``), else the task's."""
    review = request.context.entity
    back = next_url(request, request.route_url("tasks.view", task_id=review.task_id))
    return post_note(request, review.task.project, back, review=review)

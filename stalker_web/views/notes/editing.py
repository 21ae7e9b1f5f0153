"""A note's edit page (its author's, while a member) and its history (anyone reading the
project): the text now and before each change."""

from pyramid.view import view_config

from ...forms import submit_form
from ...permissions import Permissions
from ...resources import may_edit_own_notes
from ...services.notes.notes import (
    SOMEONE_WHO_LEFT,
    edit_note,
    note_history,
    note_target,
    rendered_note,
)
from .forms import NoteEditForm
from .targets import target_link


def _note_page(request) -> dict:
    note = request.context.entity
    return {
        "note": note,
        "target": target_link(request, note.project, note_target(request.dbsession, note)),
        "now_html": rendered_note(request.dbsession, note),
        "revisions": note_history(request.dbsession, note),
    }


@view_config(
    route_name="notes.edit",
    renderer="notes/edit.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.UPDATE_NOTE,
)
def note_edit_view(request):
    """Change the note's text; the text it replaces is kept and shown below the form."""
    note = request.context.entity
    form = NoteEditForm(request.POST, obj=note)
    page = _note_page(request)

    def save():
        edit_note(
            request.dbsession, note, request.user, form.content.data, form.submitted_version()
        )
        return "Note changed.", f"{page['target'].url}#note-{note.id}"

    redirect = submit_form(request, form, save)
    if redirect is not None:
        return redirect
    # The text as the note has it now is on the page: saving again replaces it knowingly.
    form.version_id.data = note.version_id
    return {**page, "form": form}


@view_config(
    route_name="notes.history",
    renderer="notes/history.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def note_history_view(request):
    """The note's text now and before each change, with who changed it and when."""
    note = request.context.entity
    user = request.user
    return {
        **_note_page(request),
        "author_name": note.author.name if note.author else SOMEONE_WHO_LEFT,
        "may_edit": note.author_id == user.id and may_edit_own_notes(request, note.project_id),
    }

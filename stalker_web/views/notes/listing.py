"""The notes a page shows, each marked with whether the viewer may change it."""

from dataclasses import replace

from ...models import Project
from ...resources import may_edit_own_notes
from ...services.notes.notes import NoteView, notes_of


def notes_on_page(request, project: Project, **target) -> list[NoteView]:
    """The notes on ``project`` itself, or on its one ``target`` (``task=``, ``version=``,
    ``review=``, ``ticket=`` or ``daily=``), oldest first; the viewer's own are editable while
    they are a member of the project (as the note's ACL says)."""
    notes = notes_of(request.dbsession, project=project, **target)
    user = request.user
    own = [note for note in notes if user is not None and note.author_id == user.id]
    if not own or not may_edit_own_notes(request, project.id):
        return notes
    return [replace(note, may_edit=note.author_id == user.id) for note in notes]

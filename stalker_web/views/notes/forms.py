"""The WTForms of notes: a new note (its text and files) and a changed note."""

from wtforms import MultipleFileField, TextAreaField
from wtforms.validators import Length

from ...forms import BaseForm, VersionedForm
from ...models.note import CONTENT_LENGTH
from ...services.notes.attachments import Upload

CONTENT_LENGTH_MESSAGE = f"A note holds at most {CONTENT_LENGTH:,} characters."


def content_field() -> TextAreaField:
    """The text of a note, in Markdown (the service says when it is required)."""
    return TextAreaField(
        "Note",
        [Length(max=CONTENT_LENGTH, message=CONTENT_LENGTH_MESSAGE)],
        render_kw={"rows": 8},
    )


class NoteForm(BaseForm):
    """A new note: its text and the files attached to it."""

    content = content_field()
    attachment = MultipleFileField("Attach files")

    def uploads(self) -> list[Upload]:
        """The files chosen (an empty file input sends none)."""
        return [
            Upload(item.filename, item.file)
            for item in self.attachment.data or ()
            if getattr(item, "filename", None) and hasattr(item, "file")
        ]


class NoteEditForm(VersionedForm):
    """A note's new text, with the version it was loaded at."""

    content = content_field()

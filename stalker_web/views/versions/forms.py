"""The WTForms of the version pages: a new version and a file to upload into one."""

from wtforms import (
    FileField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange

from ...forms import BaseForm, chosen_id, optional_int
from ..submissions import SUBMISSION_KEY_LENGTH, new_submission_key


class VersionForm(BaseForm):
    """A new version of a task: its revision, what it was made from and with, its inputs."""

    revision_number = IntegerField(
        "Revision",
        [
            InputRequired("A revision number is required."),
            NumberRange(min=1, message="The revision number starts at 1."),
        ],
        default=1,
    )
    parent_id = SelectField("Made from", coerce=optional_int, validate_choice=False)
    created_with = StringField("Created with (application)", [Length(max=256)])
    description = TextAreaField("Description")
    input_file_ids = SelectMultipleField("Inputs", coerce=chosen_id, validate_choice=False)
    # The form's one-time token: sending it again (a retry after a lost reply) makes no second
    # version (``views/submissions.py``).
    submission_key = HiddenField(
        validators=[Length(max=SUBMISSION_KEY_LENGTH)], default=new_submission_key
    )


class UploadForm(BaseForm):
    """A file to store in a version."""

    upload = FileField("File")

    def upload_stream(self) -> tuple[str | None, object | None]:
        """The uploaded file's name and stream; (None, None) when no file was chosen."""
        data = self.upload.data
        if data is None or not hasattr(data, "file") or not getattr(data, "filename", None):
            return None, None
        return data.filename, data.file

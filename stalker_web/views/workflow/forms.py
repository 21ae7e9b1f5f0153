"""The WTForms of the workflow pages: requesting a review or a revision, and logging time (on
the task page's form or on the timesheet)."""

from wtforms import FloatField, HiddenField, MultipleFileField, SelectField, TextAreaField
from wtforms.validators import InputRequired, NumberRange

from ...forms import (
    DATETIME_MESSAGE,
    UNIT_LABELS,
    BaseForm,
    VersionedForm,
    enum_field,
    moment_field,
    optional_int,
    select_choices,
)
from ...models.schedule import TimeUnit
from ..notes.forms import NoteForm

EXTRA_TIME_MESSAGE = "Enter the extra time, such as 2."
# The revision form's ids on the task page, apart from the task's own fields; on the review
# inbox each review's copy has its own (``review_revision_id_prefix``).
TASK_REVISION_ID_PREFIX = "revision-"


class ReviewRequestForm(BaseForm):
    """The version to review (the latest by default) and what the reviewer should look at."""

    version = SelectField("Version to review", coerce=optional_int, validate_choice=False)
    note = TextAreaField("What should the reviewer look at?")


class AnsweredWithImage(BaseForm):
    """A review answer's optional annotated images (frames marked up by the reviewer), stored
    as its note's attachments."""

    attachment = MultipleFileField("Annotated image", render_kw={"accept": "image/*"})
    # The files chosen, as the notes' own form reads them.
    uploads = NoteForm.uploads


class ApprovalForm(AnsweredWithImage):
    """An approval's optional note."""

    description = TextAreaField("Note (optional)")


class RevisionForm(BaseForm):
    """What needs to change and how much more time it needs."""

    description = TextAreaField(
        "What needs to change", [InputRequired("Say what needs to change.")]
    )
    schedule_timing = FloatField(
        "Extra time",
        [InputRequired(EXTRA_TIME_MESSAGE), NumberRange(min=0)],
        default=1,
        invalid_value_message=EXTRA_TIME_MESSAGE,
        render_kw={"inputmode": "decimal"},
    )
    schedule_unit = enum_field("Unit", TimeUnit, UNIT_LABELS, TimeUnit.HOUR.value)


class AnswerRevisionForm(RevisionForm, AnsweredWithImage):
    """A revision asked from the review inbox, with an optional annotated image."""


def review_revision_id_prefix(review_id: int) -> str:
    """The ids of the revision form of one review of the inbox."""
    return f"review-{review_id}-"


class TimeLogForm(BaseForm):
    """A log's start and end (UTC) and what was done; ``next`` is the page to go back to."""

    start = moment_field("Start", InputRequired(DATETIME_MESSAGE))
    end = moment_field("End", InputRequired(DATETIME_MESSAGE))
    description = TextAreaField("What you did")
    next = HiddenField()


class TimeLogEditForm(TimeLogForm, VersionedForm):
    """The log form with the version the page was loaded at."""


class TimesheetLogForm(TimeLogForm):
    """A new log on one of the user's tasks."""

    task = SelectField("Task", coerce=optional_int, validate_choice=False)


def review_request_form(versions, formdata=None) -> ReviewRequestForm:
    """The request form offering ``versions`` (the task's newest first; the first is chosen
    unless ``formdata`` says otherwise); without versions, none is offered."""
    form = ReviewRequestForm(formdata, id_prefix="review-request-")
    form.version.choices = select_choices(
        (
            version.id,
            f"{version.label}{' · published' if version.is_published else ''}"
            f"{' · ' + version.description[:60] if version.description else ''}",
        )
        for version in versions
    )
    if versions and form.version.data is None:
        form.version.data = versions[0].id
    return form

"""The WTForms of the dailies pages: a new daily, collecting published versions, finding a
version to add, moving one, and the answer given to one during the walk."""

from wtforms import (
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ...forms import DATETIME_MESSAGE, BaseForm, moment_field, name_field, optional_int
from ..workflow.forms import EXTRA_TIME_MESSAGE, AnsweredWithImage, RevisionForm


class DailyForm(BaseForm):
    """A new daily: its name and what it is for."""

    name = name_field()
    description = TextAreaField("What it is for")


class CollectForm(BaseForm):
    """Every version published since a moment, under a task, for a pipeline step."""

    since = moment_field("Published since", InputRequired(DATETIME_MESSAGE))
    under = SelectField("Under", coerce=optional_int, validate_choice=False)
    step = SelectField("For the step", coerce=optional_int, validate_choice=False)


class FindForm(BaseForm):
    """The words of a task path, or a version id, to find versions by."""

    q = StringField("Task path or version id", [Length(max=200)])


class PlacedForm(BaseForm):
    """A form acting on the version at one place of a daily, carrying the id of the version the
    page showed there (so a change of order made meanwhile is noticed, not acted on)."""

    version = HiddenField()

    def shown_version(self) -> int | None:
        return optional_int(self.version.data)


class MoveForm(PlacedForm):
    """The place to move a version to."""

    to = IntegerField("Move to place", [InputRequired("Say which place."), NumberRange(min=1)])


class AnswerForm(RevisionForm, AnsweredWithImage, PlacedForm):
    """Approve, or ask for a revision (what needs to change, extra time), with an optional
    annotated image. The note and the extra time are a revision's; the service says when one is
    missing."""

    description = TextAreaField("Note")
    schedule_timing = FloatField(
        "Extra time",
        [Optional(), NumberRange(min=0)],
        default=1,
        invalid_value_message=EXTRA_TIME_MESSAGE,
        render_kw={"inputmode": "decimal"},
    )

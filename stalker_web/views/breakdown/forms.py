"""The WTForms of the breakdown pages: a range of shots, standard child tasks from a template
and a breakdown CSV to import."""

import re

from wtforms import FileField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ...forms import BaseForm, optional_int
from ...services.accounts.user_search import LOGINS_MAX_LENGTH, Picked
from ...services.breakdown.bulk_creation import DEFAULT_CUT, ChildTask, StepPeople, step_field
from ...services.errors import ValidationError
from ...services.tasks.staffing import NOBODY

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_LABEL = "5 MB"
TOO_LARGE = (
    f"This is larger than {MAX_UPLOAD_LABEL}. Split the breakdown into smaller files (for "
    "example one per sequence) and import them one after another."
)
WHOLE_NUMBER = "Enter a whole number such as 10."


PLACES = ("resources", "responsible")
STEP_FIELD = re.compile(r"^step\d+_(resources|responsible)$")


class StepPeopleForm(BaseForm):
    """A form with a user picker per task of a template and place (``step_field``), read from
    the post by :meth:`step_people`; refusals of a picker are kept for it in ``step_errors``."""

    def __init__(self, formdata=None, **kwargs) -> None:
        super().__init__(formdata, **kwargs)
        self.post = formdata if formdata is not None else {}
        self.step_errors: dict[str, list[str]] = {}

    def add_service_error(self, error: ValidationError) -> None:
        if error.field and STEP_FIELD.match(error.field):
            self.step_errors.setdefault(error.field, []).append(error.message)
        else:
            super().add_service_error(error)

    def ticked(self, name: str) -> list[int]:
        """The ids ticked in the picker ``name`` (what it shows again; not checked here)."""
        values = self.post.getall(name) if hasattr(self.post, "getall") else []
        return [user_id for user_id in map(optional_int, values) if user_id is not None]

    def typed_logins(self, name: str) -> str:
        """The logins typed in the picker ``name`` without JavaScript."""
        return str(self.post.get(f"{name}_logins") or "")[:LOGINS_MAX_LENGTH]

    def picked(self, index: int, place: str) -> Picked:
        """What the picker of ``place`` for the template's ``index``-th task sent."""
        name = step_field(index, place)
        ids = []
        for value in self.post.getall(name) if hasattr(self.post, "getall") else ():
            user_id = optional_int(value)
            if user_id is None:
                raise ValidationError("Choose people from the list.", name)
            ids.append(user_id)
        logins = self.post.get(f"{name}_logins") or ""
        if len(logins) > LOGINS_MAX_LENGTH:
            raise ValidationError("Type fewer logins here.", name)
        return Picked(tuple(ids), logins.strip() or None)

    def step_people(self, template: list[ChildTask]) -> dict[str, StepPeople]:
        """The people picked for each task of ``template`` that got any, by task name."""
        people = {}
        for index, entry in enumerate(template):
            resources, responsible = (self.picked(index, place) for place in PLACES)
            if resources != NOBODY or responsible != NOBODY:
                people[entry.name.strip()] = StepPeople(resources, responsible)
        return people


class ShotRangeForm(StepPeopleForm):
    """Shots SH010..SH200 by 10 in a sequence, optionally with standard child tasks."""

    sequence = SelectField("Sequence", coerce=optional_int, validate_choice=False)
    prefix = StringField("Code prefix", [Length(max=32)], default="")
    start = IntegerField("First number", default=10, invalid_value_message=WHOLE_NUMBER)
    end = IntegerField("Last number", default=200, invalid_value_message=WHOLE_NUMBER)
    step = IntegerField("Step", default=10, invalid_value_message=WHOLE_NUMBER)
    digits = IntegerField("Digits", default=3, invalid_value_message=WHOLE_NUMBER)
    cut_in = IntegerField("Cut in", default=DEFAULT_CUT[0], invalid_value_message=WHOLE_NUMBER)
    cut_out = IntegerField("Cut out", default=DEFAULT_CUT[1], invalid_value_message=WHOLE_NUMBER)
    cuts = SelectField(
        "Each shot's cut",
        choices=[
            ("same", "Starts at the cut in: every shot has its own frames"),
            ("continue", "Follows the shot before: one running frame count"),
        ],
        default="same",
    )
    template = SelectField("Standard child tasks", validate_choice=False, default="")

    def code_values(self) -> dict:
        """The arguments of ``shot_codes``."""
        return {
            "prefix": self.prefix.data,
            "start": self.start.data,
            "end": self.end.data,
            "step": self.step.data,
            "digits": self.digits.data,
        }

    def range_values(self) -> dict:
        """The arguments of ``create_shot_range``: the codes' and the cuts'."""
        return {
            **self.code_values(),
            "cut_in": self.cut_in.data,
            "cut_out": self.cut_out.data,
            "cuts_continue": self.cuts.data == "continue",
        }


class TemplateForm(StepPeopleForm):
    """A studio template of tasks and the parents to add its tasks under."""

    template = SelectField("Template", validate_choice=False)
    parents = SelectField("Add the tasks under", validate_choice=False)


class BreakdownImportForm(BaseForm):
    """A CSV file to upload, or its text pasted; ``csv_text`` holds it once validated."""

    file = FileField("CSV file", render_kw={"accept": ".csv,text/csv"})
    text = TextAreaField(
        "Or paste the CSV text",
        [Length(max=MAX_UPLOAD_BYTES, message=TOO_LARGE)],
        render_kw={"rows": 8},
    )

    csv_text = ""
    source = "file"

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        try:
            self.csv_text = self._read()
        except ValidationError as error:
            self.add_service_error(error)
            return False
        return True

    def _read(self) -> str:
        upload = self.file.data
        has_file = bool(getattr(upload, "filename", None)) and hasattr(upload, "file")
        pasted = self.text.data or ""
        if has_file and pasted.strip():
            raise ValidationError("Upload a file or paste the text, not both.", "text")
        if not has_file and not pasted.strip():
            raise ValidationError("Choose a CSV file or paste the CSV text.", "file")
        self.source = "file" if has_file else "text"
        data = upload.file.read(MAX_UPLOAD_BYTES + 1) if has_file else pasted.encode("utf-8")
        if len(data) > MAX_UPLOAD_BYTES:
            raise ValidationError(TOO_LARGE, self.source)
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(
                "The file is not UTF-8 text. In your spreadsheet, save it as "
                "“CSV UTF-8 (comma delimited)” and upload it again.",
                self.source,
            ) from None
        if "\x00" in text:
            raise ValidationError(
                "This is not a CSV text file (it holds binary data). Export the sheet as CSV.",
                self.source,
            )
        return text

"""The WTForms of the breakdown pages: a range of shots, standard child tasks from a template
and a breakdown CSV to import."""

from wtforms import FileField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import Length

from ...forms import BaseForm, optional_int
from ...services.errors import ValidationError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UPLOAD_LABEL = "5 MB"
TOO_LARGE = (
    f"This is larger than {MAX_UPLOAD_LABEL}. Split the breakdown into smaller files (for "
    "example one per sequence) and import them one after another."
)
WHOLE_NUMBER = "Enter a whole number such as 10."


class ShotRangeForm(BaseForm):
    """Shots SH010..SH200 by 10 in a sequence, optionally with standard child tasks."""

    sequence = SelectField("Sequence", coerce=optional_int, validate_choice=False)
    prefix = StringField("Code prefix", [Length(max=32)], default="SH")
    start = IntegerField("First number", default=10, invalid_value_message=WHOLE_NUMBER)
    end = IntegerField("Last number", default=200, invalid_value_message=WHOLE_NUMBER)
    step = IntegerField("Step", default=10, invalid_value_message=WHOLE_NUMBER)
    digits = IntegerField("Digits", default=3, invalid_value_message=WHOLE_NUMBER)
    template = SelectField("Standard child tasks", validate_choice=False, default="")

    def range_values(self) -> dict:
        """The arguments of ``shot_codes`` / ``create_shot_range``."""
        return {
            "prefix": self.prefix.data,
            "start": self.start.data,
            "end": self.end.data,
            "step": self.step.data,
            "digits": self.digits.data,
        }


class TemplateForm(BaseForm):
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

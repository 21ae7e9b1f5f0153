"""submit_form: the POST-validate-save-redirect round shared by the form views; the bounds
every BaseForm field gets; prefixed ids and the shared date-and-time field."""

from datetime import UTC, datetime

import pytest
from pyramid import testing
from webob.multidict import MultiDict
from wtforms import (
    EmailField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SearchField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from stalker_web.forms import (
    DATETIME_MESSAGE,
    DAY_MESSAGE,
    BaseForm,
    DayField,
    VersionedForm,
    moment_field,
    optional_int,
    select_choices,
    submit_form,
)
from stalker_web.services.errors import ValidationError


class NameForm(BaseForm):
    name = StringField("Name", [InputRequired("A name is required.")])


@pytest.fixture(autouse=True)
def registry():
    config = testing.setUp()
    yield config.registry
    testing.tearDown()


def post(**data) -> testing.DummyRequest:
    return testing.DummyRequest(post=MultiDict(data))


def never_called():
    raise AssertionError("save must not run")


def test_get_does_nothing():
    request = testing.DummyRequest()
    form = NameForm(request.POST)
    assert submit_form(request, form, never_called) is None
    assert request.response.status_int == 200
    assert form.errors == {}


def test_invalid_form_is_a_400_without_saving():
    request = post(name="")
    form = NameForm(request.POST)
    assert submit_form(request, form, never_called) is None
    assert request.response.status_int == 400
    assert form.name.errors == ["A name is required."]
    assert request.session.peek_flash() == []


def test_service_refusal_lands_on_its_field():
    request = post(name="Taken")
    form = NameForm(request.POST)

    def save():
        raise ValidationError("That name is taken.", field="name")

    assert submit_form(request, form, save) is None
    assert request.response.status_int == 400
    assert form.name.errors == ["That name is taken."]
    assert form.form_errors == []
    assert request.session.peek_flash() == []


def test_service_refusal_without_field_goes_on_top_of_the_form():
    request = post(name="Stale")
    form = NameForm(request.POST)

    def save():
        raise ValidationError("Changed by someone else.")

    assert submit_form(request, form, save) is None
    assert request.response.status_int == 400
    assert form.form_errors == ["Changed by someone else."]


def test_success_flashes_and_redirects():
    request = post(name="Fresh")
    form = NameForm(request.POST)
    saved = []

    def save():
        saved.append(form.name.data)
        return "Fresh saved.", "http://example.com/things/1"

    response = submit_form(request, form, save)
    assert saved == ["Fresh"]
    assert response.status_int == 303
    assert response.location == "http://example.com/things/1"
    assert request.session.peek_flash() == ["Fresh saved."]
    assert request.response.status_int == 200


def test_success_sends_the_given_headers():
    request = post(name="Fresh")
    form = NameForm(request.POST)

    def save():
        return "Logged in.", "http://example.com/", [("Set-Cookie", "auth=1; Path=/")]

    response = submit_form(request, form, save)
    assert response.status_int == 303
    assert response.headers.getall("Set-Cookie") == ["auth=1; Path=/"]


# Bounds every BaseForm field gets (issue 9, finding 6): lengths, control characters, numbers.


class EverythingForm(BaseForm):
    line = StringField("Line")
    text = TextAreaField("Text")
    secret = PasswordField("Secret")
    email = EmailField("E-mail")
    search = SearchField("Search")
    marker = HiddenField()
    code = StringField("Code", [Length(max=32, message="Codes are short.")])
    long_text = TextAreaField("Breakdown", [Length(max=20_000)])
    count = IntegerField("Count", [Optional()])
    percent = IntegerField("Percent", [Optional(), NumberRange(0, 100_000_000_000)])
    rate = FloatField("Rate", [Optional()])
    choice = SelectField("Choice", choices=select_choices([("a", "A")]), validate_choice=False)


def everything(**data) -> EverythingForm:
    form = EverythingForm(MultiDict(data))
    form.validate()
    return form


@pytest.mark.parametrize(
    ("name", "maximum"),
    [("line", 256), ("text", 10_000), ("secret", 1_024), ("email", 256), ("search", 256)],
)
def test_text_fields_get_a_default_maximum_length_with_a_message(name, maximum):
    assert everything(**{name: "x" * maximum}).errors == {}
    form = everything(**{name: "x" * (maximum + 1)})
    assert form.errors == {name: [f"Use at most {maximum:,} characters."]}


def test_the_maximum_is_rendered_so_browsers_stop_typing_there():
    form = EverythingForm()
    assert 'maxlength="256"' in form.line()
    assert 'maxlength="10000"' in form.text()
    assert 'maxlength="32"' in form.code()


def test_an_explicit_length_wins():
    assert everything(code="x" * 33).errors == {"code": ["Codes are short."]}
    assert everything(long_text="x" * 15_000).errors == {}


def test_a_100k_character_value_gets_one_message():
    form = everything(line="x" * 100_000, count="9" * 100_000)
    assert form.errors == {
        "line": ["Use at most 256 characters."],
        "count": ["Use at most 256 characters."],
    }


@pytest.mark.parametrize("value", ["a\x00b", "a\r\nb", "a\tb", "\x1b[31m", "a\x7f", "a\x85b"])
def test_a_line_refuses_control_characters(value):
    [message] = everything(line=value).errors["line"]
    assert "control characters" in message


def test_a_text_area_keeps_line_breaks_and_tabs_but_not_nul():
    assert everything(text="one\r\ntwo\tthree\n").errors == {}
    assert "control characters" in everything(text="one\x00").errors["text"][0]


def test_unicode_text_is_welcome():
    assert everything(line="مرحبا 😀 \u202eabc", text="Ünïcødé ✓").errors == {}


def test_a_password_is_only_bounded_in_length():
    assert everything(secret="tab\there\x00").errors == {}


def test_a_hidden_value_is_bounded_and_its_error_shown_on_top_of_the_form():
    assert everything(marker="/tasks/1\r\n").errors == {}
    form = everything(marker="x" * 2049)
    assert form.marker.errors == ["Use at most 2,048 characters."]
    assert form.form_errors == [
        "This form came back damaged. Reload the page and fill it in again."
    ]


def test_a_choice_is_bounded_like_a_line():
    assert everything(choice="a" * 257).errors == {"choice": ["Use at most 256 characters."]}
    assert "control characters" in everything(choice="a\x00").errors["choice"][0]


@pytest.mark.parametrize("value", ["2147483648", "-2147483649", "9" * 25])
def test_a_whole_number_must_fit_an_integer_column(value):
    assert everything(count=value).errors == {
        "count": ["Enter a number from -2,147,483,648 to 2,147,483,647."]
    }


def test_an_explicit_number_range_wins():
    assert everything(count="2147483647", percent="99999999999").errors == {}


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "NaN", "1e400"])
def test_a_rate_must_be_finite(value):
    assert everything(rate=value).errors == {"rate": ["Enter a number such as 2 or 0.5."]}


def test_the_bounds_do_not_pile_up_on_the_shared_field_definitions():
    first, second = EverythingForm(), EverythingForm()
    assert len(first.line.validators) == len(second.line.validators) == 1
    assert len(first.code.validators) == 2


@pytest.mark.parametrize(
    ("value", "expected"),
    [("12", 12), (12, 12), ("", None), (None, None), ("²", None), ("٣", None), ("-1", None)]
    + [("9" * 25, None), ("2147483648", None), ("1e9", None)],
)
def test_optional_int_takes_only_ids(value, expected):
    assert optional_int(value) == expected


@pytest.mark.parametrize(("value", "expected"), [("3", 3), ("٣", None), ("9" * 25, None)])
def test_a_submitted_version_is_a_whole_number(value, expected):
    form = VersionedForm(MultiDict({"version_id": value}))
    assert form.submitted_version() == expected


def test_an_id_prefix_keeps_the_names_and_moves_ids_and_labels():
    form = NameForm(MultiDict({"name": "Ana"}), id_prefix="review-7-")
    assert (form.name.name, form.name.id, form.name.data) == ("name", "review-7-name", "Ana")
    assert 'for="review-7-name"' in str(form.name.label)
    assert 'id="review-7-name"' in form.name()


@pytest.mark.parametrize(
    ("value", "errors"),
    [("2026-03-02T09:30", {}), ("2026-03-02 09:30", {}), ("tomorrow", {"at": [DATETIME_MESSAGE]})],
)
def test_a_moment_is_a_utc_date_and_time_to_the_minute(value, errors):
    class MomentForm(BaseForm):
        at = moment_field("At")

    form = MomentForm(MultiDict({"at": value}))
    form.validate()
    assert form.errors == errors
    if not errors:
        assert form.at.data == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class _DatesForm(BaseForm):
    day = DayField("Day")
    moment = moment_field("Moment")


def test_days_and_moments_are_typed_in_one_iso_text_input():
    form = _DatesForm(MultiDict({"day": " 2026-03-01 ", "moment": "2026-03-01 09:30"}))
    assert form.validate()
    assert form.day.data.isoformat() == "2026-03-01"
    assert form.moment.data == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    day, moment = str(form.day()), str(form.moment())
    assert 'type="text"' in day and 'placeholder="YYYY-MM-DD"' in day
    assert 'type="text"' in moment and 'placeholder="YYYY-MM-DD HH:MM"' in moment
    # Shown back as the pages show moments, without the "T" of datetime-local inputs.
    assert 'value="2026-03-01 09:30"' in str(_DatesForm(data={"moment": form.moment.data}).moment())


def test_a_day_not_written_yyyy_mm_dd_is_refused_in_words():
    form = _DatesForm(MultiDict({"day": "03/01/2026"}))
    assert not form.validate()
    assert form.day.errors == [DAY_MESSAGE]

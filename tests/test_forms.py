"""submit_form: the POST-validate-save-redirect round shared by the form views."""

import pytest
from pyramid import testing
from webob.multidict import MultiDict
from wtforms import StringField
from wtforms.validators import InputRequired

from stalker_web.forms import BaseForm, submit_form
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

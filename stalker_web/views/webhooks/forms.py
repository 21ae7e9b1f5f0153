"""The WTForms of the webhook pages."""

from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import Length, StopValidation
from wtforms.widgets import CheckboxInput, ListWidget

from ...forms import BaseForm, VersionedForm, select_choices
from ...models.api import TOKEN_NAME_LENGTH, WEBHOOK_URL_LENGTH
from ...services.errors import ValidationError
from ...services.webhooks.registration import (
    EVENT_KINDS,
    checked_hook_name,
    checked_kinds,
    checked_url,
)


def checked_by(check):
    """A field validator running the service's ``check`` on the field's data, so that every
    field in error is shown at once (the service checks again when saving)."""

    def validate(form, field) -> None:
        try:
            check(field.data)
        except ValidationError as error:
            raise StopValidation(error.message) from error

    return validate


class WebhookForm(BaseForm):
    """A hook's name, URL, event kinds and whether it is on; the service checks each."""

    name = StringField("Name", [Length(max=TOKEN_NAME_LENGTH), checked_by(checked_hook_name)])
    url = StringField(
        "URL",
        [Length(max=WEBHOOK_URL_LENGTH), checked_by(checked_url)],
        render_kw={
            "placeholder": "https://pipeline.example.com/hooks/stalker",
            "spellcheck": "false",
        },
    )
    kinds = SelectMultipleField(
        "Events",
        choices=select_choices(EVENT_KINDS.items()),
        validators=[checked_by(checked_kinds)],
        validate_choice=False,
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    is_active = BooleanField("Active (send deliveries)", default=True)


class WebhookEditForm(WebhookForm, VersionedForm):
    """The hook's form carrying the version the page was loaded at."""

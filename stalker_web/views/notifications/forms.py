"""The WTForms of the notification pages: marking one notification read, and the preferences'
channel per kind."""

from wtforms import HiddenField, IntegerField, RadioField
from wtforms.validators import InputRequired

from ...forms import BaseForm, select_choices
from ...models import NotificationChannel
from ...services.notifications.preferences import CHANNEL_LABELS, KINDS

DAMAGED = "This button came back damaged. Reload the inbox and try again."


class MarkReadForm(BaseForm):
    """The notification to mark read, and the page to go back to."""

    notification_id = IntegerField(
        "Notification", [InputRequired(DAMAGED)], invalid_value_message=DAMAGED
    )
    next = HiddenField()


def preferences_form(formdata=None, chosen=None) -> BaseForm:
    """A form with one radio group per kind of notification (named by the kind), each offering
    every channel; ``chosen`` (kind -> channel) fills it on a GET."""

    class PreferencesForm(BaseForm):
        pass

    for words in KINDS:
        field = RadioField(
            words.label,
            choices=select_choices((c.value, CHANNEL_LABELS[c]) for c in NotificationChannel),
            validators=[InputRequired(f"Choose how you are told of {words.label.lower()}.")],
            default=words.default.value,
        )
        setattr(PreferencesForm, words.kind.value, field)
    data = {kind.value: channel.value for kind, channel in (chosen or {}).items()}
    return PreferencesForm(formdata, data=data)

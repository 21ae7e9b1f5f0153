"""The feed's filters: what happened and who did it."""

from wtforms import SelectField

from ...forms import BaseForm, optional_int, select_choices
from ...services.activity.kinds import FEED_KINDS

EVERYTHING = "Everything"
EVERYBODY = "Everybody"


class FeedFilterForm(BaseForm):
    """The feed's filters; the people are the project's members (``person.choices``)."""

    kind = SelectField(
        "What",
        choices=select_choices([("", EVERYTHING), *((k.value, k.label) for k in FEED_KINDS)]),
        default="",
    )
    person = SelectField("Who", coerce=optional_int, default=None)

    def offer_people(self, people: list[tuple[int, str]]) -> None:
        """Offer the project's members (id, name) in the "Who" filter."""
        self.person.choices = select_choices([("", EVERYBODY), *people])

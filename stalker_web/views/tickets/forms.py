"""The WTForms of the ticket pages: a new ticket, an edit, a workflow action, a link and related
tickets. Choices are not checked by the fields (``validate_choice=False``): the services refuse
what is not allowed, saying why."""

from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from ...forms import BaseForm, VersionedForm, chosen_id, enum_field, logins_field, optional_int
from ...models.ticket import SUMMARY_LENGTH, TicketPriority
from ...services.accounts.user_search import Picked
from ...services.notes.markdown import MAX_LENGTH as DESCRIPTION_LENGTH
from ...services.tickets.choices import PRIORITY_LABELS
from ...services.tickets.links import LinkTarget

SUMMARY_MESSAGE = "Say in one line what the ticket is about."
# "#3, #12": a few ticket numbers.
RELATED_MAX_LENGTH = 200


def _owner_field() -> SelectMultipleField:
    """The ticked box of the owner's user picker (``macros/user_picker.jinja2``), whose errors
    the error summary links to the picker's search box."""
    return SelectMultipleField(
        "Owner",
        coerce=chosen_id,
        validate_choice=False,
        invalid_value_message="Choose a person.",
        id="owner-search",
    )


class OwnerPickerForm(BaseForm):
    """A form with the owner's user picker."""

    def picked_owner(self) -> Picked:
        return Picked(tuple(self.owner.data or ()), self.owner_logins.data)


class TicketFieldsForm(BaseForm):
    """A ticket's own fields, as on the new ticket page."""

    summary = StringField("Summary", [InputRequired(SUMMARY_MESSAGE), Length(max=SUMMARY_LENGTH)])
    description = TextAreaField(
        "Description", [Length(max=DESCRIPTION_LENGTH)], render_kw={"rows": 8}
    )
    type = SelectField("Type", coerce=optional_int, validate_choice=False)
    priority = enum_field("Priority", TicketPriority, PRIORITY_LABELS, TicketPriority.TRIVIAL.value)


class TicketCreateForm(TicketFieldsForm, OwnerPickerForm):
    """A new ticket: its fields, an owner (optional), what it links to (the ticked boxes of the
    entity it was opened from) and the numbers of related tickets."""

    owner = _owner_field()
    owner_logins = logins_field("Owner")
    links = SelectMultipleField("Linked to", validate_choice=False)
    related = StringField("Related tickets", [Length(max=RELATED_MAX_LENGTH)])

    def link_targets(self) -> list[LinkTarget | None]:
        """The ticked link boxes ("task:12"); None for a damaged one (refused by the service)."""
        return [LinkTarget.parse(value) for value in self.links.data or ()]


class TicketEditForm(TicketFieldsForm, VersionedForm):
    """A ticket's own fields with the version the page was loaded at (the owner changes through
    the workflow's actions)."""


class ActionForm(VersionedForm, OwnerPickerForm):
    """A workflow action from the ticket page: the resolution (resolve) or the new owner
    (reassign) when the action asks for one."""

    resolution = SelectField("Resolution", validate_choice=False)
    owner = _owner_field()
    owner_logins = logins_field("New owner")


class LinkForm(BaseForm):
    """One entity to link to (``task:12``, ``version:5``, ``file:9``)."""

    link = HiddenField()

    def target(self) -> LinkTarget | None:
        return LinkTarget.parse(self.link.data)


class RelatedForm(BaseForm):
    """Numbers of tickets of the project to relate to."""

    related = StringField(
        "Ticket numbers",
        [InputRequired("Write a ticket number such as #3."), Length(max=RELATED_MAX_LENGTH)],
    )

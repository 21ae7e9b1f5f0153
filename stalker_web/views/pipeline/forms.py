"""The WTForms of the pipeline pages: a type (with a step's department and default effort) and
a project's board columns."""

from wtforms import FloatField, IntegerField, SelectField, SelectMultipleField, StringField
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from ...forms import (
    UNIT_LABELS,
    BaseForm,
    VersionedForm,
    chosen_id,
    enum_field,
    name_field,
    optional_int,
)
from ...limits import whole_number
from ...models.schedule import TimeUnit
from ...models.type import POSITION_RANGE
from ...services.pipeline.types import EFFORT_MAX, TypeFields

# A colour as typed: #rrggbb (the # may be left out, any case), or nothing for no colour.
COLOUR_TYPED = r"^\s*(#?[0-9a-fA-F]{6})?\s*$"
# A board column's order as typed on the settings page.
COLUMN_ORDER_MAX = 1_000


def effort_text(timing: float | None, unit) -> str:
    """A default effort as people say it: "2 days", "1 day", "0.5 hours"."""
    if timing is None or unit is None:
        return ""
    words = UNIT_LABELS[TimeUnit(unit)]
    return f"{timing:g} {words[:-1] if timing == 1 else words}"


class TypeForm(BaseForm):
    """A new type: name, code, colour, order and, for a pipeline step, department and effort."""

    name = name_field()
    code = name_field("Code", "A code is required (a short name used in file names).")
    color = StringField(
        "Colour",
        [Regexp(COLOUR_TYPED, message="A colour is written #rrggbb, e.g. #3a7bd5.")],
        render_kw={
            "placeholder": "#rrggbb",
            "pattern": "#?[0-9a-fA-F]{6}",
            "size": 9,
            "maxlength": 9,
        },
    )
    position = IntegerField(
        "Order",
        [
            InputRequired("Give the order, a whole number such as 10."),
            NumberRange(*POSITION_RANGE, message="The order is a whole number from 0 to 10000."),
        ],
        default=0,
        invalid_value_message="The order is a whole number such as 10.",
    )
    department_id = SelectField("Department", coerce=optional_int, validate_choice=False)
    default_timing = FloatField(
        "Default effort",
        [
            Optional(),
            NumberRange(0, EFFORT_MAX, message=f"Enter a number from 0 to {EFFORT_MAX:,}."),
        ],
        invalid_value_message="Enter a number such as 2 or 0.5.",
    )
    default_unit = enum_field("Unit", TimeUnit, UNIT_LABELS, TimeUnit.DAY.value)

    def fields(self) -> TypeFields:
        return TypeFields(
            name=self.name.data,
            code=self.code.data,
            color=self.color.data,
            position=self.position.data,
            department_id=self.department_id.data,
            default_timing=self.default_timing.data,
            default_unit=self.default_unit.data,
        )


class TypeEditForm(TypeForm, VersionedForm):
    """An existing type, with the version it was loaded at."""


class StepColumnsForm(BaseForm):
    """The chosen steps of each list of board columns; their orders are fields named
    ``shot_order_<step id>`` and ``asset_order_<step id>`` (see :func:`chosen_columns`)."""

    shot_steps = SelectMultipleField("Shot columns", coerce=chosen_id, validate_choice=False)
    asset_steps = SelectMultipleField("Asset columns", coerce=chosen_id, validate_choice=False)


def chosen_columns(form: StepColumnsForm, post) -> dict[str, list[tuple[int, int | None]]]:
    """``{"Shot": [(step id, order or None)], "Asset": [...]}`` from the submitted form; an order
    that is not a whole number up to ``COLUMN_ORDER_MAX`` counts as none (the step goes last)."""
    columns = {}
    for target, field in (("Shot", form.shot_steps), ("Asset", form.asset_steps)):
        chosen = []
        for step_id in dict.fromkeys(field.data or []):
            order = whole_number(post.get(f"{target.lower()}_order_{step_id}"), COLUMN_ORDER_MAX)
            chosen.append((step_id, order))
        columns[target] = chosen
    return columns

"""The WTForm of the schedule pages: what a schedule run covers."""

from wtforms import RadioField, SelectMultipleField

from ...forms import BaseForm, optional_int, select_choices
from ...services.errors import ValidationError

WHOLE_STUDIO, CHOSEN_PROJECTS = "studio", "projects"


class ScheduleForm(BaseForm):
    """What a schedule run covers: the whole studio or the chosen projects."""

    scope = RadioField(
        "What to schedule",
        choices=select_choices(
            [(WHOLE_STUDIO, "The whole studio"), (CHOSEN_PROJECTS, "Only the chosen projects")]
        ),
        default=WHOLE_STUDIO,
        validate_choice=False,
    )
    project_ids = SelectMultipleField("Projects", coerce=optional_int, validate_choice=False)

    def chosen_project_ids(self) -> list[int] | None:
        """None for the whole studio, else the chosen ids (refused when empty or malformed)."""
        if self.scope.data == WHOLE_STUDIO:
            return None
        if self.scope.data != CHOSEN_PROJECTS:
            raise ValidationError("Choose the whole studio or some projects.", "scope")
        ids = self.project_ids.data or []
        if any(project_id is None for project_id in ids):
            raise ValidationError("Choose projects from the list.", "project_ids")
        if not ids:
            raise ValidationError(
                "Choose at least one project, or schedule the whole studio.", "project_ids"
            )
        return ids

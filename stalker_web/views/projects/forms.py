"""The WTForms of the project pages: a project, its members and settings, repositories,
structures and their filename templates."""

from wtforms import (
    BooleanField,
    FloatField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import Optional

from ...forms import (
    BaseForm,
    DayField,
    VersionedForm,
    name_field,
    optional_int,
    select_choices,
)
from ...services.projects import structures

NUMBER_MESSAGE = "Enter a number such as 25 or 23.976."


class ProjectForm(BaseForm):
    """A new project: its name and code, frame rate, image format, dates and description."""

    name = name_field()
    code = name_field("Code", "A code is required.")
    fps = FloatField("Frame rate (fps)", default=25.0, invalid_value_message=NUMBER_MESSAGE)
    image_format_id = SelectField("Image format", coerce=optional_int, validate_choice=False)
    start = DayField("Start", [Optional()])
    end = DayField("End", [Optional()])
    description = TextAreaField("Description")


class ProjectEditForm(ProjectForm, VersionedForm):
    """The project form with its status, carrying the version the page was loaded at."""

    status_id = SelectField("Status", coerce=optional_int, validate_choice=False)


class AddMemberForm(BaseForm):
    """A user to add to the team, with their role and rate (blank: their own rate)."""

    user_id = SelectField("User", coerce=optional_int, validate_choice=False)
    role_id = SelectField("Role", coerce=optional_int, validate_choice=False)
    rate = FloatField("Rate", [Optional()], invalid_value_message=NUMBER_MESSAGE)


class MemberForm(BaseForm):
    """A member's new role and rate."""

    role_id = SelectField("Role", coerce=optional_int, validate_choice=False)
    rate = FloatField("Rate", [Optional()], invalid_value_message=NUMBER_MESSAGE)


class SettingsForm(VersionedForm):
    """The project's type, stereoscopy and structure."""

    type_id = SelectField("Type", coerce=optional_int, validate_choice=False)
    is_stereoscopic = BooleanField("Stereoscopic (3D)")
    structure_id = SelectField("Structure", coerce=optional_int, validate_choice=False)


class RepositoryActionForm(BaseForm):
    """One change to the ordered repositories: add, up, down or remove, and which repository."""

    action = HiddenField()
    repository_id = SelectField("Repository", coerce=optional_int, validate_choice=False)


class DeleteProjectForm(BaseForm):
    """The project code typed again, to confirm deleting the project."""

    confirmation = StringField("Type the project code to confirm")


class RepositoryForm(BaseForm):
    """A repository's name, code and root on each operating system."""

    name = name_field()
    code = name_field("Code", "A code is required.")
    linux_path = StringField("Linux root")
    windows_path = StringField("Windows root")
    macos_path = StringField("macOS root")
    description = TextAreaField("Description")


class RepositoryEditForm(RepositoryForm, VersionedForm):
    """The repository form, carrying the version the page was loaded at."""


class StructureForm(BaseForm):
    """A structure's name, description and folder template."""

    name = name_field()
    description = TextAreaField("Description")
    custom_template = TextAreaField("Folder template")


class StructureEditForm(StructureForm, VersionedForm):
    """The structure form, carrying the version the page was loaded at."""


class FilenameTemplateForm(BaseForm):
    """A filename template: the kind of task it is for, its path and file name templates."""

    name = name_field()
    target_entity_type = SelectField("For", validate_choice=False)
    path = TextAreaField("Path")
    filename = TextAreaField("File name")
    description = TextAreaField("Description")
    # The preview (never saved): words of a task's path, or its id, and the task chosen.
    preview_task = StringField("Task to preview with")  # a line: at most 256 characters
    preview_task_id = IntegerField("Preview with", [Optional()])

    PREVIEW_FIELDS = ("target_entity_type", "path", "filename", "preview_task", "preview_task_id")

    def preview_fields_valid(self) -> bool:
        """Whether the fields the preview reads are valid (the name may still be blank)."""
        return all([getattr(self, name).validate(self) for name in self.PREVIEW_FIELDS])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.target_entity_type.choices = select_choices(
            [("", "Choose a kind of task")]
            + [(target, target) for target in structures.template_targets()]
        )


class FilenameTemplateEditForm(FilenameTemplateForm, VersionedForm):
    """The filename template form, carrying the version the page was loaded at."""

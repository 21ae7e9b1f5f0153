"""The WTForms of the account pages: logging in (password and code steps), users, my profile
and password, two-factor sign-in, departments, groups, roles, permission matrices and the
authentication log's filters."""

from wtforms import (
    BooleanField,
    EmailField,
    FloatField,
    HiddenField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import EqualTo, InputRequired, Length, Optional

from ...forms import (
    DAY_INPUT,
    BaseForm,
    DayField,
    VersionedForm,
    chosen_id,
    moment_field,
    name_field,
    optional_int,
    select_choices,
    time_zone_field,
)
from ...models.api import TOKEN_NAME_LENGTH, TokenScope
from ...models.authentication_log import ACTIONS
from ...services.accounts.authentication import LOGIN_MAX_LENGTH
from ...services.accounts.passwords import PASSWORD_MAX_LENGTH
from ...services.accounts.users import TEXT_MAX_LENGTH

NEXT_MAX_LENGTH = 2048
CODE_MAX_LENGTH = 64
TEXT_LENGTH = Length(max=TEXT_MAX_LENGTH, message=f"Use at most {TEXT_MAX_LENGTH} characters.")
NUMBER_MESSAGE = "Enter a number such as 1 or 0.5."
PASSWORDS_DIFFER = "The two passwords differ; type the same password twice."


# Logging in


class LoginForm(BaseForm):
    """The password step of logging in, with the page to go to afterwards."""

    login = StringField(
        "Login or e-mail",
        [
            InputRequired("Enter your login or e-mail."),
            Length(
                max=LOGIN_MAX_LENGTH,
                message=f"A login or e-mail address has at most {LOGIN_MAX_LENGTH} characters.",
            ),
        ],
        render_kw={"maxlength": LOGIN_MAX_LENGTH, "autocomplete": "username"},
    )
    password = PasswordField(
        "Password",
        [
            InputRequired("Enter your password."),
            Length(
                max=PASSWORD_MAX_LENGTH,
                message=f"A password has at most {PASSWORD_MAX_LENGTH:,} characters.",
            ),
        ],
        render_kw={"autocomplete": "current-password"},
    )
    # A page address too long to follow is dropped (the home page follows) rather than refused.
    next = HiddenField(
        filters=[lambda url: url if url and len(url) <= NEXT_MAX_LENGTH else ""],
        validators=[Length(max=NEXT_MAX_LENGTH)],
    )


def _code_field(label: str, **render_kw) -> StringField:
    return StringField(
        label,
        [
            InputRequired("Type the code your authenticator app shows."),
            Length(max=CODE_MAX_LENGTH, message="A code is 6 digits, a recovery code 10 letters."),
        ],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false", **render_kw},
    )


class SecondStepForm(BaseForm):
    """The code step of logging in."""

    code = _code_field("Code from your authenticator app, or a recovery code", autofocus=True)


class ConfirmForm(BaseForm):
    """The first code of a new authenticator app, turning two-factor sign-in on."""

    code = _code_field("Code the app shows")


class PasswordAndCodeForm(BaseForm):
    """The password and a code, for new recovery codes or turning two-factor sign-in off."""

    current_password = PasswordField(
        "Current password",
        [InputRequired("Enter your current password.")],
        render_kw={"autocomplete": "current-password"},
    )
    code = _code_field("Code from your authenticator app, or a recovery code")


# Users and my profile


class UserForm(BaseForm):
    """A new user: their account, rates, department and groups."""

    name = StringField("Name", [InputRequired("A name is required."), TEXT_LENGTH])
    login = StringField("Login", [InputRequired("A login is required."), TEXT_LENGTH])
    email = EmailField("E-mail", [InputRequired("An e-mail address is required."), TEXT_LENGTH])
    password = PasswordField("Password", [InputRequired("Choose a password.")])
    password_confirmation = PasswordField(
        "Repeat the password", [EqualTo("password", PASSWORDS_DIFFER)]
    )
    efficiency = FloatField("Efficiency", default=1.0, invalid_value_message=NUMBER_MESSAGE)
    rate = FloatField("Rate", default=0.0, invalid_value_message=NUMBER_MESSAGE)
    must_change_password = BooleanField("Must change the password at the next login", default=True)
    available_from = moment_field("Available from", Optional())
    available_until = moment_field("Available until", Optional())
    department_id = SelectField("Department", coerce=optional_int, validate_choice=False)
    role_id = SelectField("Role in the department", coerce=optional_int, validate_choice=False)
    group_ids = SelectMultipleField("Groups", coerce=chosen_id, validate_choice=False)


class UserEditForm(UserForm, VersionedForm):
    """The user form, carrying the version the page was loaded at; the password is optional."""

    password = PasswordField("New password", [Optional()])
    password_confirmation = PasswordField(
        "Repeat the new password", [EqualTo("password", PASSWORDS_DIFFER)]
    )


class ProfileForm(VersionedForm):
    """My name, e-mail and display zone; changing the e-mail takes the current password."""

    name = StringField("Name", [InputRequired("A name is required."), TEXT_LENGTH])
    email = EmailField("E-mail", [InputRequired("An e-mail address is required."), TEXT_LENGTH])
    current_password = PasswordField("Current password")
    time_zone = time_zone_field("My time zone", required=False)


class PasswordForm(BaseForm):
    """My current password and the new one, twice."""

    current_password = PasswordField(
        "Current password", [InputRequired("Enter your current password.")]
    )
    new_password = PasswordField("New password", [InputRequired("Choose a new password.")])
    new_password_confirmation = PasswordField(
        "Repeat the new password", [EqualTo("new_password", PASSWORDS_DIFFER)]
    )


# API tokens


class ApiTokenForm(BaseForm):
    """A new API token: its name, scope and the day it expires (or none); the service checks
    them all and its refusals land under these fields."""

    name = StringField(
        "Name",
        render_kw={"maxlength": TOKEN_NAME_LENGTH, "autocomplete": "off"},
    )
    scope = RadioField(
        "What it may do",
        choices=select_choices(
            [(TokenScope.READ.value, "Read only"), (TokenScope.WRITE.value, "Read and write")]
        ),
        default=TokenScope.READ.value,
        validate_choice=False,
    )
    expires_at = DayField("Expires on")
    never_expires = BooleanField("No expiry")


# Departments, groups, roles and permissions


class NameForm(BaseForm):
    """A department's or a group's name and description."""

    name = name_field()
    description = TextAreaField("Description")


class NameEditForm(NameForm, VersionedForm):
    """The name form, carrying the version the page was loaded at."""


class DepartmentMemberForm(BaseForm):
    """A user to add to a department, with their role there."""

    user_id = SelectField("User", coerce=optional_int, validate_choice=False)
    role_id = SelectField("Role", coerce=optional_int, validate_choice=False)


class MemberRoleForm(BaseForm):
    """A department member's new role."""

    role_id = SelectField("Role", coerce=optional_int, validate_choice=False)


class GroupMemberForm(BaseForm):
    """A user to add to a group."""

    user_id = SelectField("User", coerce=optional_int, validate_choice=False)


class RoleForm(BaseForm):
    """A role's name and what its holders manage."""

    name = name_field()
    manages_department = BooleanField("Manages their department")
    manages_project = BooleanField("Manages their project")


class RoleEditForm(RoleForm, VersionedForm):
    """The role form, carrying the version the page was loaded at."""


class MatrixForm(VersionedForm):
    """The matrix form's fixed part: the version of the group or user it was loaded from."""


class LogFilterForm(BaseForm):
    """The filters of the authentication log."""

    q = StringField("User or login contains")
    action = SelectField(
        "Action",
        choices=select_choices(
            [("", "Any action")] + [(action, action.capitalize()) for action in ACTIONS]
        ),
        validate_choice=False,
    )
    date_from = StringField("From (UTC)", render_kw=DAY_INPUT)
    date_to = StringField("To (UTC)", render_kw=DAY_INPUT)

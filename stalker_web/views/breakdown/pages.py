"""Breakdown pages of a project: a range of shots, standard child tasks from a template, and the
breakdown as CSV (download, and upload or paste to create and update tasks)."""

import re

from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config
from wtforms.fields.choices import SelectChoice
from zope.sqlalchemy import mark_changed

from ...forms import optional_int, select_choices, submit_form
from ...models import ImportStatus
from ...permissions import Permissions
from ...queue import enqueue_import_after_commit
from ...resources import matched_id
from ...services.accounts.user_search import people_by_ids
from ...services.breakdown import choices
from ...services.breakdown.bulk_creation import (
    MAX_SHOTS,
    ChildTask,
    default_shot_prefix,
    shot_codes,
    shot_cuts,
    step_field,
    template_steps,
)
from ...services.breakdown.csv_files import BreakdownImportError, breakdown_lines, import_breakdown
from ...services.breakdown.import_jobs import (
    BACKGROUND_ABOVE_LINES,
    active_import,
    import_of,
    refuse_while_importing,
    runs_in_background,
    start_import,
)
from ...services.breakdown.rows import COLUMNS
from ...services.errors import ValidationError
from ..common import csv_lines_response
from .forms import (
    MAX_UPLOAD_LABEL,
    PLACES,
    BreakdownImportForm,
    ShotRangeForm,
    StepPeopleForm,
    TemplateForm,
)

PREVIEW_SHOWN = 4
# How often the page of an import in progress reloads itself.
PROGRESS_REFRESH_SECONDS = 2
# The template whose tasks the shot range page offers people for when none is chosen yet.
STAFFED_TEMPLATE = "Shot"


def plural(count: int, one: str, many: str | None = None) -> str:
    """``count`` followed by the right form of the noun: "1 shot", "20 shots"."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _project_tree_url(request, project) -> str:
    return request.route_url("projects.tasks", project_id=project.id)


def _template_choices(request) -> list[choices.TemplateChoice]:
    return choices.template_choices(request.studio_config)


def _template_tasks(request, template_key: str | None) -> list[ChildTask]:
    """The tasks of the studio template ``template_key`` (none for an unknown key)."""
    for template in _template_choices(request):
        if template.key == template_key:
            return template.tasks
    return []


def _step_pickers(request, form: StepPeopleForm, template_key: str | None) -> list[dict]:
    """A resources and a responsible picker per task of the template ``template_key``, with the
    people the post ticked (one query for all) and the refusals of each."""
    template = _template_tasks(request, template_key)
    steps = template_steps(request.dbsession, request.context.entity, template)
    names = [step_field(step.index, place) for step in steps for place in PLACES]
    ticked = {name: form.ticked(name) for name in names}
    users = people_by_ids(
        request.dbsession, [user_id for ids in ticked.values() for user_id in ids]
    )
    return [
        {
            "step": step,
            **{
                place: {
                    "name": (name := step_field(step.index, place)),
                    "selected": [users[user_id] for user_id in ticked[name] if user_id in users],
                    "logins": form.typed_logins(name),
                    "errors": form.step_errors.get(name, []),
                }
                for place in PLACES
            },
        }
        for step in steps
    ]


# A range of shots


def _cuts_said(cuts: list[tuple[int, int]]) -> str:
    """The cuts of a range in words: "each cut 1001-1100 (100 frames)", or, when they follow
    each other, "cut 1001-1100, 1101-1200 ... 2901-3000 (100 frames each)"."""
    length = plural(cuts[0][1] - cuts[0][0] + 1, "frame")
    if len(set(cuts)) == 1:
        return f"each cut {cuts[0][0]}-{cuts[0][1]} ({length})"
    shown = [f"{cut_in}-{cut_out}" for cut_in, cut_out in cuts]
    if len(shown) > PREVIEW_SHOWN:
        shown = [shown[0], shown[1], f"... {shown[-1]}"]
    return f"cut {', '.join(shown)} ({length} each)"


def _preview(request, form: ShotRangeForm) -> str | None:
    """The codes and cuts a range would make, e.g. "SH010, SH020 ... SH200 (20 shots), each cut
    1001-1100 (100 frames)"; None (and 400) when the numbers are refused."""
    if form.validate():
        values = form.range_values()
        try:
            codes = shot_codes(**form.code_values())
            cuts = shot_cuts(
                len(codes), values["cut_in"], values["cut_out"], values["cuts_continue"]
            )
        except ValidationError as error:
            form.add_service_error(error)
        else:
            shown = ", ".join(codes)
            if len(codes) > PREVIEW_SHOWN:
                shown = f"{codes[0]}, {codes[1]} ... {codes[-1]}"
            return f"{shown} ({plural(len(codes), 'shot')}), {_cuts_said(cuts)}"
    request.response.status_int = 400
    return None


def _fill_prefix(request, form: ShotRangeForm) -> None:
    """A blank prefix becomes the chosen sequence's (``default_shot_prefix``)."""
    if (form.prefix.data or "").strip() or not isinstance(form.sequence.data, int):
        return
    sequences = choices.project_sequences(request.dbsession, request.context.entity)
    code = next((item.code for item in sequences if item.id == form.sequence.data), None)
    if code:
        form.prefix.data = default_shot_prefix(code)


def _shot_range_page(request, form: ShotRangeForm, preview: str | None = None) -> dict:
    project = request.context.entity
    sequences = choices.project_sequences(request.dbsession, project)
    form.sequence.choices = select_choices(
        [("", "Choose a sequence")]
        + [
            (
                sequence.id,
                sequence.code + (f" {sequence.name}" if sequence.name != sequence.code else ""),
            )
            for sequence in sequences
        ]
    )
    templates = _template_choices(request)
    form.template.choices = select_choices(
        [("", "No child tasks")] + [(template.key, template.label) for template in templates]
    )
    template_key = form.template.data or STAFFED_TEMPLATE
    return {
        "project": project,
        "form": form,
        "sequences": sequences,
        "preview": preview,
        "max_shots": MAX_SHOTS,
        "staffed_template": template_key,
        "step_pickers": _step_pickers(request, form, template_key),
    }


@view_config(
    route_name="projects.shots.range",
    renderer="breakdown/shot_range.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TASK,
)
def shot_range_view(request):
    """Create SH010..SH200 by 10 in a sequence, optionally with standard child tasks."""
    project = request.context.entity
    form = ShotRangeForm(request.POST, sequence=optional_int(request.GET.get("sequence")))
    _fill_prefix(request, form)
    if request.method == "POST" and "preview" in request.POST:
        return _shot_range_page(request, form, _preview(request, form))

    def save():
        created = choices.create_shots_with_tasks(
            request.dbsession,
            project,
            request.studio_config,
            sequence_id=form.sequence.data,
            template_key=form.template.data,
            people=form.step_people(
                _template_tasks(request, form.template.data or STAFFED_TEMPLATE)
            ),
            **form.range_values(),
        )
        message = f"{plural(len(created.shots), 'shot')} created in {created.sequence.code}"
        if created.children:
            message += (
                f", each with the {form.template.data} tasks "
                f"({plural(len(created.children), 'task')} in all)"
            )
        return f"{message}.", request.route_url("tasks.view", task_id=created.sequence.id)

    return submit_form(request, form, save) or _shot_range_page(request, form)


# Standard child tasks from a template


def _parent_choices(groups) -> list[SelectChoice]:
    options = [SelectChoice("", "Choose the parents")]
    for label, members in groups:
        options += [SelectChoice(group.key, group.label, optgroup=label) for group in members]
    return options


def _template_page(request, form: TemplateForm) -> dict:
    project = request.context.entity
    templates = _template_choices(request)
    form.template.choices = select_choices(
        [("", "Choose a template")] + [(template.key, template.label) for template in templates]
    )
    form.parents.choices = _parent_choices(choices.parent_groups(request.dbsession, project))
    return {
        "project": project,
        "form": form,
        "templates": templates,
        "step_pickers": _step_pickers(request, form, form.template.data),
    }


@view_config(
    route_name="projects.tasks.template",
    renderer="breakdown/template.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TASK,
)
def template_view(request):
    """Add a studio template's tasks under every asset of a type or every shot of a sequence."""
    project = request.context.entity
    form = TemplateForm(
        request.POST,
        template=request.GET.get("template", ""),
        parents=request.GET.get("parents", ""),
    )
    if request.method == "POST" and "people" in request.POST:
        return _template_page(request, form)

    def save():
        created, parents = choices.create_template_tasks(
            request.dbsession,
            project,
            request.studio_config,
            template_key=form.template.data,
            parents_choice=form.parents.data,
            people=form.step_people(_template_tasks(request, form.template.data)),
        )
        return (
            f"{plural(len(created), 'task')} from the {form.template.data} template "
            f"created under {parents}.",
            _project_tree_url(request, project),
        )

    return submit_form(request, form, save) or _template_page(request, form)


# The breakdown as CSV


def _download_name(project) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", project.code) + "_breakdown.csv"


@view_config(
    route_name="projects.breakdown.export",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def breakdown_export_view(request):
    """The project's task tree as a CSV download, one row per task, parents first, written as
    it is read."""
    project = request.context.entity
    return csv_lines_response(breakdown_lines(request.dbsession, project), _download_name(project))


@view_config(
    route_name="projects.breakdown.import",
    renderer="breakdown/import.jinja2",
    request_method=("GET", "POST"),
    permission=Permissions.CREATE_TASK,
)
def breakdown_import_view(request):
    """Create and update tasks from a CSV file: every line is checked, and nothing is imported
    while any line is wrong (the page then lists every wrong line)."""
    project = request.context.entity
    form = BreakdownImportForm(request.POST)
    line_errors: list[tuple[int, str]] = []

    def save():
        refuse_while_importing(request.dbsession, project)
        if runs_in_background(form.csv_text):
            record = start_import(request.dbsession, project, request.user, form.csv_text)
            enqueue_import_after_commit(request, record.id)
            return (
                f"The file has {plural(record.total_lines, 'line')}: it is being imported in the "
                "background.",
                _progress_url(request, record),
            )
        try:
            counts = import_breakdown(request.dbsession, project, form.csv_text)
        except BreakdownImportError as error:
            line_errors.extend(error.errors)
            raise ValidationError(_nothing_imported(len(error.errors))) from error
        # The tasks go in with Core statements, which zope.sqlalchemy does not notice: without
        # this a file of new tasks only would end in a ROLLBACK.
        mark_changed(request.dbsession)
        return _imported(counts), _project_tree_url(request, project)

    return submit_form(request, form, save) or {
        "project": project,
        "form": form,
        "line_errors": line_errors,
        "columns": COLUMNS,
        "max_size": MAX_UPLOAD_LABEL,
        "background_above": BACKGROUND_ABOVE_LINES,
        "running": _running_import_url(request, project),
    }


def _running_import_url(request, project) -> str | None:
    record = active_import(request.dbsession, project)
    return _progress_url(request, record) if record is not None else None


def _nothing_imported(problems: int) -> str:
    return (
        f"Nothing was imported: {plural(problems, 'problem')} in the file. "
        "Fix the lines listed below and import the file again."
    )


def _imported(counts: dict) -> str:
    return (
        f"Breakdown imported: {plural(counts['created'], 'task')} created, "
        f"{counts['updated']} updated."
    )


def _progress_url(request, record) -> str:
    return request.route_url(
        "projects.breakdown.import_progress", project_id=record.project_id, import_id=record.id
    )


@view_config(
    route_name="projects.breakdown.import_progress",
    renderer="breakdown/import_progress.jinja2",
    request_method="GET",
    permission=Permissions.CREATE_TASK,
)
def breakdown_import_progress_view(request):
    """How far a background import got (the page reloads itself while it runs), then its
    outcome: the counts, or every refused line."""
    project = request.context.entity
    record = import_of(request.dbsession, project, matched_id(request, "import_id"))
    if record is None:
        raise HTTPNotFound("This project has no import of this id.")
    done = {"created": record.created_count, "updated": record.updated_count}
    return {
        "project": project,
        "record": record,
        "refresh_seconds": PROGRESS_REFRESH_SECONDS,
        "imported": _imported(done) if record.status == ImportStatus.SUCCEEDED else None,
        "problems": _nothing_imported(len(record.errors)) if record.errors else None,
        "line_errors": [tuple(each) for each in record.errors],
    }

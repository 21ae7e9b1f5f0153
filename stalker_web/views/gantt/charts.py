"""Gantt charts: a project's task tree (one level at a time, subtrees loaded on expand), a
user's tasks and a department's members, each printable and downloadable as an SVG image."""

import re
from collections.abc import Callable
from datetime import date

from markupsafe import escape
from pyramid.renderers import render
from pyramid.response import Response
from pyramid.view import view_config

from ...limits import query_int
from ...models import Task
from ...models.meta import utcnow
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.errors import ValidationError
from ...services.gantt import export as gantt_export
from ...services.gantt import people as gantt_people
from ...services.gantt import project_chart as gantt
from ...services.gantt.marks import BAR_HEIGHT, HEAD_POINTS, ROW_HEIGHT, today_x
from ...services.gantt.vacations import distinct_vacations, vacations_by_user
from ...services.gantt.window import ZOOMS, ResolvedWindow, Window, resolve_window
from ...services.scheduling import baselines as schedule_baselines
from ...services.tasks.commands import ancestors
from ..common import parent_from_query, readable_projects
from .forms import GanttWindowForm
from .shapes import ShapeWriter


def _window(request, resolve: Callable[..., ResolvedWindow]):
    """The form and the resolved window (None, with the status set to 400, when refused)."""
    form = GanttWindowForm(request.GET)
    if form.validate():
        try:
            resolved = resolve(form.start.data, form.end.data, form.zoom.data or None)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            form.start.data, form.end.data = resolved.window.first, resolved.window.last
            return form, resolved
    request.response.status_int = 400
    return form, None


def _refusal(form: GanttWindowForm) -> Response:
    """A plain 400 for the fragment and the download, listing what is wrong."""
    messages = [f"{field.label.text}: {m}" for field in form for m in field.errors]
    return Response("\n".join(messages + form.form_errors), status=400, content_type="text/plain")


def _wants_svg(request) -> bool:
    return request.params.get("format") == "svg"


def _download_name(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", "-".join(["gantt", *parts])).strip("-") + ".svg"


def _svg_response(
    request, window: Window, title: str, rows, name: str, notes=(), vacations=()
) -> Response:
    """The chart as a standalone SVG image, as a download, with ``notes`` and the
    ``vacations`` listed under it."""
    geometry = _geometry(request, window, absolute_links=True)
    body = render(
        "gantt/chart.svg.jinja2",
        {
            **geometry,
            "title": title,
            "image_rows": rows,
            "notes": [note for note in notes if note],
            "vacations": vacations,
        },
        request=request,
    )
    filename = _download_name(name, window.first.isoformat(), window.last.isoformat())
    return Response(
        text=body,
        content_type="image/svg+xml",
        charset="utf-8",
        content_disposition=f'attachment; filename="{filename}"',
    )


def _cut_note(page) -> str:
    """What an image says when it holds only the first rows of a long chart."""
    if page.total <= len(page.items):
        return ""
    return f"Only the first {len(page.items)} of {page.total} rows are drawn."


def _geometry(request, window: Window, *, absolute_links: bool = False) -> dict:
    """What every chart template needs to draw: the window, the today line, the sizes and the
    writer of the rows' shapes (linking them to their tasks by absolute URLs in a download)."""
    grid = [tick.x for tick in window.ticks() if tick.major and tick.x > 0]
    x_of_today = today_x(window, utcnow())
    return {
        "window": window,
        "today_x": x_of_today,
        "row_height": ROW_HEIGHT,
        "bar_height": BAR_HEIGHT,
        "head_points": HEAD_POINTS,
        "grid": grid,
        "zooms": ZOOMS,
        "today": _today(),
        "shapes": ShapeWriter(window, grid, x_of_today, _link_opener(request, absolute_links)),
    }


def _link_opener(request, absolute: bool) -> Callable[[int], str]:
    """The opening tag linking a shape to its task, the route resolved once for all shapes. On
    the pages a row's name cell is the keyboard's way to the task and the bars the mouse's, so
    they are left out of the tab order and of what screen readers list."""
    if absolute:
        head = request.route_url("tasks.view", task_id=0).removesuffix("0")
        return lambda task_id: f'<a href="{escape(head)}{task_id}">'
    head = request.route_path("tasks.view", task_id=0).removesuffix("0")
    return lambda task_id: f'<a href="{escape(head)}{task_id}" tabindex="-1" aria-hidden="true">'


def _linker(request, route_name: str, fixed: dict, **matchdict) -> Callable[..., str]:
    """A function making this chart's URL with other query parameters (window, page...)."""

    def link(**query) -> str:
        merged = {k: v for k, v in {**fixed, **query}.items() if v not in (None, "")}
        return request.route_url(route_name, _query=merged, **matchdict)

    return link


def _today() -> date:
    return utcnow().date()


def _critical_choice(request) -> gantt.CriticalChoice:
    """Whether ``?critical=1`` asks for the critical path, and towards which ``?milestone=``."""
    return gantt.CriticalChoice(
        request.params.get("critical") == "1", query_int(request.params, "milestone")
    )


def _project_image(
    request, project, parent: Task | None, resolved: ResolvedWindow, critical: gantt.CriticalChoice
) -> Response:
    """The project's tree (or ``parent``'s subtree), all levels, as one SVG image."""
    tree = gantt_export.exported_tree(request.dbsession, project, parent, resolved.window)
    # Explaining what holds each start costs far more than drawing a row: at thousands of rows
    # the image says floats only, and the chart page and the task page say why.
    gantt.explain_rows(request.dbsession, project, tree.rows, critical, say_why=False)
    base = parent.depth + 1 if parent is not None else 0
    title = project.name + (f" / {parent.name}" if parent is not None else "")
    return _svg_response(
        request,
        resolved.window,
        title,
        gantt_export.task_image_rows(tree.rows, base),
        project.code + (f"-{parent.id}" if parent is not None else ""),
        notes=[
            "Arrows join every pair of dependent tasks in this image.",
            critical.shown and "Outlined in red: the critical path and the tasks holding it.",
            tree.truncated
            and f"Only {tree.limit} tasks are drawn: the upper levels of the tree, deeper tasks "
            "left out. Download a task's own chart to see inside it.",
        ],
    )


def _chosen_baseline(request, baselines):
    """The baseline the ``baseline`` query parameter names among the project's (None when none
    is asked for), and whether the one asked for is no longer kept."""
    try:
        chosen = schedule_baselines.chosen_baseline(
            baselines, query_int(request.params, "baseline"), default_oldest=False
        )
    except LookupError:
        return None, True
    return chosen, False


@view_config(
    route_name="projects.gantt",
    renderer="gantt/project.jinja2",
    request_method="GET",
    permission=Permissions.READ_PROJECT,
)
def project_gantt_view(request):
    """One level of the project's tree (``?parent=`` for a task's children) as a chart."""
    project = request.context.entity
    parent = parent_from_query(request, project)
    form, resolved = _window(
        request,
        lambda first, last, zoom: gantt.project_window(
            request.dbsession, project, parent, first, last, zoom, _today()
        ),
    )
    critical = _critical_choice(request)
    if _wants_svg(request):
        if resolved is None:
            return _refusal(form)
        return _project_image(request, project, parent, resolved, critical)
    baselines = schedule_baselines.project_baselines(request.dbsession, project)
    baseline, baseline_missing = _chosen_baseline(request, baselines)
    fixed = {
        "parent": parent.id if parent is not None else None,
        "baseline": baseline.id if baseline is not None else None,
        **critical.query(),
    }
    context = {
        "baselines": baselines,
        "baseline": baseline,
        "baseline_missing": baseline_missing,
        "baseline_label": schedule_baselines.baseline_label,
        "project": project,
        "parent": parent,
        "parents": ancestors(request.dbsession, parent) if parent is not None else [],
        "form": form,
        "resolved": resolved,
        "base": parent.depth + 1 if parent is not None else 0,
        "link": _linker(request, "projects.gantt", fixed, project_id=project.id),
        "critical": critical,
        "fixed": fixed,
    }
    if resolved is None:
        return context
    page = gantt.level_page(
        request.dbsession,
        project,
        parent,
        resolved.window,
        parse_page_number(request.params.get("page")),
        baseline=baseline,
    )
    page.params.update({key: value for key, value in fixed.items() if value is not None})
    path = gantt.explain_rows(
        request.dbsession, project, page.items, critical, readable_projects(request)
    )
    return {
        **context,
        **_geometry(request, resolved.window),
        "page": page,
        "statuses": gantt.legend_statuses(page.items),
        "critical_path": path,
    }


@view_config(
    route_name="tasks.gantt_rows",
    renderer="gantt/rows.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def gantt_rows_view(request):
    """The chart rows of a task's children, for the project chart to insert under it."""
    task = request.context.entity
    form, resolved = _window(
        request,
        lambda first, last, zoom: gantt.project_window(
            request.dbsession, task.project, task, first, last, zoom, _today()
        ),
    )
    if resolved is None:
        return _refusal(form)
    baseline = schedule_baselines.project_baseline(
        request.dbsession, task.project_id, query_int(request.params, "baseline")
    )
    page = gantt.level_page(
        request.dbsession,
        task.project,
        task,
        resolved.window,
        parse_page_number(request.params.get("page")),
        baseline=baseline,
    )
    if baseline is not None:
        page.params["baseline"] = baseline.id
    critical = _critical_choice(request)
    page.params.update(critical.query())
    gantt.explain_rows(
        request.dbsession, task.project, page.items, critical, readable_projects(request)
    )
    return {
        **_geometry(request, resolved.window),
        "page": page,
        "baseline": baseline,
        "parent": task,
        "base": query_int(request.params, "base") or 0,
        "critical": critical,
    }


def _studio_window(request):
    """The form and window of a people chart: the weeks around today unless asked otherwise."""
    return _window(
        request, lambda first, last, zoom: resolve_window(first, last, zoom, None, _today())
    )


@view_config(
    route_name="users.gantt",
    renderer="gantt/user.jinja2",
    request_method="GET",
    permission=Permissions.READ_WORKLOAD,
)
def user_gantt_view(request):
    """The user's tasks in all projects over the window, with their vacations; tasks of projects
    the viewer cannot read are anonymous busy rows."""
    user = request.context.entity
    form, resolved = _studio_window(request)
    context = {
        "user": user,
        "form": form,
        "resolved": resolved,
        "link": _linker(request, "users.gantt", {}, user_id=user.id),
    }
    if resolved is None:
        return _refusal(form) if _wants_svg(request) else context
    window = resolved.window
    vacations = vacations_by_user(request.dbsession, [user.id], window)[user.id]
    if _wants_svg(request):
        page = gantt_people.user_page(
            request.dbsession,
            user,
            window,
            vacations,
            1,
            gantt_export.EXPORT_MAX_ROWS,
            readable=readable_projects(request),
        )
        return _svg_response(
            request,
            window,
            f"Tasks of {user.name}",
            gantt_people.user_image_rows(page.items),
            user.login,
            notes=[_cut_note(page)],
            vacations=vacations,
        )
    number = parse_page_number(request.params.get("page"))
    page = gantt_people.user_page(
        request.dbsession, user, window, vacations, number, readable=readable_projects(request)
    )
    shown = [row for row in page.items if row.task is not None]
    return {
        **context,
        **_geometry(request, window),
        "page": page,
        "vacations": vacations,
        "statuses": gantt.legend_statuses(shown),
        "busy": len(shown) < len(page.items),
    }


@view_config(
    route_name="departments.gantt",
    renderer="gantt/department.jinja2",
    request_method="GET",
    permission=Permissions.READ_DEPARTMENT,
)
def department_gantt_view(request):
    """One row per member of the department: their tasks over the window and their vacations
    (tasks of projects the viewer cannot read as anonymous busy bars)."""
    department = request.context.entity
    form, resolved = _studio_window(request)
    context = {
        "department": department,
        "form": form,
        "resolved": resolved,
        "link": _linker(request, "departments.gantt", {}, department_id=department.id),
    }
    if resolved is None:
        return _refusal(form) if _wants_svg(request) else context
    window = resolved.window
    svg = _wants_svg(request)
    page, vacations = gantt_people.department_page(
        request.dbsession,
        department,
        window,
        1 if svg else parse_page_number(request.params.get("page")),
        gantt_export.EXPORT_MAX_ROWS if svg else gantt.PER_PAGE,
        readable=readable_projects(request),
    )
    if svg:
        return _svg_response(
            request,
            window,
            f"Department {department.name}",
            gantt_export.person_image_rows(page.items),
            department.name,
            notes=[_cut_note(page)],
            vacations=distinct_vacations(vacations),
        )
    return {
        **context,
        **_geometry(request, window),
        "page": page,
        "vacations": distinct_vacations(vacations),
        "busy": any(
            mark.kind == "lane" and mark.task_id is None for row in page.items for mark in row.marks
        ),
    }

"""The production board of a project (shots or assets against pipeline steps), its CSV export,
and the bulk changes to the ticked cells."""

import re

from pyramid.httpexceptions import HTTPSeeOther
from pyramid.view import view_config

from ...models.meta import utcnow
from ...pagination import parse_page_number
from ...permissions import Permissions
from ...services.accounts.user_search import picked_user_ids
from ...services.board import bulk
from ...services.board.export import export_board
from ...services.board.filters import SORTS, parse_filters
from ...services.board.rows import board_choices, board_page
from ...services.errors import ValidationError
from ..common import csv_response, in_savepoint, next_path, next_url
from .forms import BulkForm


def _board_url(request, project) -> str:
    return request.route_url("projects.board", project_id=project.id)


@view_config(
    route_name="projects.board",
    renderer="board/board.jinja2",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def board_view(request):
    """A page of 100 shots (or assets) with one cell per pipeline step, filtered from the URL."""
    project = request.context.entity
    filters = parse_filters(request.GET)
    number = parse_page_number(request.GET.get("page"))
    now = utcnow()
    board = board_page(request.dbsession, project, filters, number, now)
    choices = board_choices(request.dbsession, project, filters.target)
    may_bulk = bool(request.has_permission(Permissions.UPDATE_TASK, request.context))
    return {
        "project": project,
        "filters": filters,
        "board": board,
        "choices": choices,
        "sorts": SORTS,
        "bulk_form": BulkForm() if may_bulk else None,
        "here": request.path_qs,
        "now": now,
    }


def _download_name(project, tab: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", project.code) + f"_board_{tab}.csv"


@view_config(
    route_name="projects.board.export",
    request_method="GET",
    permission=Permissions.LIST_TASKS,
)
def board_export_view(request):
    """Every row the board's filters keep, as CSV (no paging)."""
    project = request.context.entity
    filters = parse_filters(request.GET)
    text = export_board(request.dbsession, project, filters, utcnow())
    return csv_response(text, _download_name(project, filters.tab))


@view_config(
    route_name="projects.board.bulk",
    renderer="board/refused.jinja2",
    request_method="POST",
    permission=Permissions.UPDATE_TASK,
)
def board_bulk_view(request):
    """Change every ticked task, or none: a refusal lists each task refusing, by its path."""
    project = request.context.entity
    form = BulkForm(request.POST)
    refusals: list[bulk.Refusal] = []
    if form.validate():
        try:
            summary = in_savepoint(
                request,
                lambda: bulk.apply_bulk(
                    request.dbsession,
                    project,
                    form.action.data,
                    form.task_ids.data or [],
                    user_ids=picked_user_ids(request.dbsession, form.picked(), "user_ids"),
                    priority=form.priority.data,
                    timing=form.schedule_timing.data,
                    unit=form.schedule_unit.data,
                ),
            )
        except bulk.BulkRefused as error:
            refusals = error.refusals
            form.form_errors.append(error.message)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session.flash(summary)
            return HTTPSeeOther(next_url(request, _board_url(request, project)))
    request.response.status_int = 400
    return {
        "project": project,
        "form": form,
        "refusals": refusals,
        "back": next_path(request) or _board_url(request, project),
    }

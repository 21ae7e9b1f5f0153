"""The production board as CSV: every row the filters keep, one line each, with each step's
status, assignees, computed end and late mark."""

import csv
import io
from datetime import datetime

from sqlalchemy.orm import Session

from ...models import Project
from ..accounts.directory import spreadsheet_safe
from ..pipeline.steps import board_steps
from ..tasks.paths import task_paths
from .filters import BoardFilters
from .rows import board_rows, rows_statement

DATE_FORMAT = "%Y-%m-%d"


def _step_header(step_name: str) -> list[str]:
    return [
        f"{step_name} status",
        f"{step_name} assignees",
        f"{step_name} end",
        f"{step_name} late",
    ]


def export_board(dbsession: Session, project: Project, filters: BoardFilters, now: datetime) -> str:
    """The CSV text of the board's tab with ``filters`` (no paging)."""
    steps = board_steps(dbsession, project, filters.target)
    entities = (
        list(dbsession.scalars(rows_statement(project, filters, steps, now))) if steps else []
    )
    rows = board_rows(dbsession, project, entities, steps, now)
    paths = task_paths(dbsession, entities)
    out = io.StringIO()
    writer = csv.writer(out)
    group_title = "Sequence" if filters.target == "Shot" else "Asset type"
    header = ["Path", group_title, "Status", "Frame range"]
    for step in steps:
        header += _step_header(step.name)
    writer.writerow([spreadsheet_safe(value) for value in header])
    for row in rows:
        line = [paths[row.entity.id], row.group, row.entity.status.name, row.frame_range]
        for cell in row.cells:
            if cell is None:
                line += ["", "", "", ""]
                continue
            end = cell.computed_end
            line += [
                cell.status.name,
                cell.names,
                end.strftime(DATE_FORMAT) if end else "",
                cell.standing.label,
            ]
        writer.writerow([spreadsheet_safe(value) for value in line])
    return out.getvalue()

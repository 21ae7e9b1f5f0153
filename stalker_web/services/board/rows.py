"""A page of the production board: its rows (shots or assets), their step cells, thumbnails and
late marks, in a constant number of queries whatever the project's size."""

from collections.abc import Sequence as Listed
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session, aliased, contains_eager, joinedload

from ...models import Asset, Project, Sequence, Shot, Status, Task, Type, User
from ...pagination import Page, paginate
from ..pipeline.steps import board_steps
from ..scheduling.lateness import at_risk_condition, late_condition
from ..tasks.choices import project_members
from ..versions.thumbnails import latest_thumbnails
from ..workflow.statuses import task_statuses
from .cells import Cell, step_cells
from .filters import BoardFilters

ROWS_PER_PAGE = 100


@dataclass(frozen=True)
class BoardRow:
    """A shot or an asset with one cell per board step (None where it has no task of it)."""

    entity: Task
    group: str
    cells: list[Cell | None]
    thumbnail_file_id: int | None = None

    @property
    def frame_range(self) -> str:
        """The cut and its length ("1001-1096 (96 frames)"); "" for assets and unset cuts."""
        cut_in, cut_out = (
            getattr(self.entity, "cut_in", None),
            getattr(self.entity, "cut_out", None),
        )
        if cut_in is None or cut_out is None:
            return ""
        count = cut_out - cut_in + 1
        return f"{cut_in}-{cut_out} ({count} frame{'' if count == 1 else 's'})"


@dataclass(frozen=True)
class Board:
    """One page of a tab of the board: the step columns and the rows."""

    steps: list[Type]
    rows: list[BoardRow]
    page: Page


def _group(filters: BoardFilters):
    return aliased(Sequence) if filters.target == "Shot" else aliased(Type)


def rows_statement(
    project: Project, filters: BoardFilters, steps: Listed[Type], now: datetime
) -> Select:
    """The shots (or assets) of ``project`` the filters keep, grouped and in order: a shot is
    kept when one of its step tasks matches the step, status, assignee and lateness asked for."""
    entity = aliased(Shot if filters.target == "Shot" else Asset)
    group = _group(filters)
    if filters.target == "Shot":
        statement = select(entity).outerjoin(group, entity.sequence_id == group.id)
        statement = statement.options(contains_eager(entity.sequence.of_type(group)))
        group_order = [group.code.is_(None), group.code, group.id]
        group_column = entity.sequence_id
    else:
        statement = select(entity).join(group, entity.type_id == group.id)
        statement = statement.options(contains_eager(entity.type.of_type(group)))
        group_order = [group.position, group.name, group.id]
        group_column = entity.type_id
    statement = statement.where(entity.project_id == project.id).options(joinedload(entity.status))
    if filters.group_id:
        statement = statement.where(group_column == filters.group_id)
    if filters.text:
        text = filters.text.lower()
        statement = statement.where(
            or_(
                func.lower(entity.name).contains(text, autoescape=True),
                func.lower(entity.code).contains(text, autoescape=True),
            )
        )
    if filters.narrows_cells:
        statement = statement.where(_cell_matches(entity, filters, steps, now))
    return statement.order_by(*group_order, *_row_order(entity, filters))


def _cell_matches(entity, filters: BoardFilters, steps: Listed[Type], now: datetime):
    conditions = [Task.parent_id == entity.id, Task.type_id.in_([step.id for step in steps])]
    if filters.step_id:
        conditions.append(Task.type_id == filters.step_id)
    if filters.status_id:
        conditions.append(Task.status_id == filters.status_id)
    if filters.assignee_id:
        conditions.append(
            or_(
                Task.resources.any(User.id == filters.assignee_id),
                Task.computed_resources.any(User.id == filters.assignee_id),
            )
        )
    if filters.late_only:
        conditions.append(or_(late_condition(now), at_risk_condition(now)))
    return exists().where(*conditions)


def _row_order(entity, filters: BoardFilters) -> list:
    if filters.sort == "cut_in" and filters.target == "Shot":
        return [entity.cut_in.is_(None), entity.cut_in, entity.name, entity.id]
    if filters.sort == "end":
        end = func.coalesce(entity.computed_end, entity.end)
        return [end.is_(None), end, entity.name, entity.id]
    return [entity.name, entity.id]


def board_page(
    dbsession: Session, project: Project, filters: BoardFilters, number: int, now: datetime
) -> Board:
    """Page ``number`` of the board's tab, 100 rows at most. Without step columns there are no
    rows, but the page still counts the tab's shots (or assets), so it can say which is missing."""
    steps = board_steps(dbsession, project, filters.target)
    if not steps:
        everything = rows_statement(project, BoardFilters(tab=filters.tab), steps, now)
        count = dbsession.scalar(select(func.count()).select_from(everything.subquery()))
        empty = Page(items=[], number=1, per_page=ROWS_PER_PAGE, total=count)
        return Board(steps=[], rows=[], page=empty)
    statement = rows_statement(project, filters, steps, now)
    page = paginate(dbsession, statement, number, ROWS_PER_PAGE, filters.params())
    rows = board_rows(dbsession, project, page.items, steps, now)
    return Board(steps=steps, rows=rows, page=page)


def board_rows(
    dbsession: Session,
    project: Project,
    entities: Listed[Task],
    steps: Listed[Type],
    now: datetime,
) -> list[BoardRow]:
    """The rows of ``entities`` (loaded shots or assets of ``project``): their cells and
    thumbnails, in four queries."""
    ids = [entity.id for entity in entities]
    if not ids or not steps:
        return []
    cells = step_cells(dbsession, project, ids, [step.id for step in steps], now)
    thumbnails = latest_thumbnails(dbsession, ids, published_only=True)
    return [
        BoardRow(
            entity,
            group_label(entity),
            [cells.get((entity.id, step.id)) for step in steps],
            thumbnails.get(entity.id),
        )
        for entity in entities
    ]


def group_label(entity: Task) -> str:
    """The group a row is listed under: its sequence (shots) or its asset type."""
    if isinstance(entity, Shot):
        sequence = entity.sequence
        if sequence is None:
            return "No sequence"
        return (
            sequence.code
            if sequence.name == sequence.code
            else f"{sequence.code} · {sequence.name}"
        )
    return entity.type.name if entity.type is not None else "No type"


@dataclass(frozen=True)
class BoardChoices:
    """What the filter form offers: the groups of the tab, the statuses and the team."""

    groups: list[Task] | list[Type]
    statuses: list[Status]
    team: list[User]


def board_choices(dbsession: Session, project: Project, target: str) -> BoardChoices:
    """The filter form's options for the tab of ``target`` rows (three queries at most)."""
    return BoardChoices(
        groups=row_groups(dbsession, project, target),
        statuses=list(task_statuses(dbsession).values()),
        team=project_members(dbsession, project),
    )


def row_groups(dbsession: Session, project: Project, target: str) -> list[Task] | list[Type]:
    """The project's sequences (shots tab) or the asset types its assets use (assets tab)."""
    if target == "Shot":
        return list(
            dbsession.scalars(
                select(Sequence)
                .where(Sequence.project_id == project.id)
                .order_by(Sequence.code, Sequence.id)
            )
        )
    used = select(Asset.type_id).where(Asset.project_id == project.id)
    return list(
        dbsession.scalars(
            select(Type).where(Type.id.in_(used)).order_by(Type.position, Type.name, Type.id)
        )
    )

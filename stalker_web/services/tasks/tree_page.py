"""The task tree page: one level of children at a time, or a flat list of the tasks matching
filters, a page at a time, in a fixed number of queries whatever the size of the project."""

from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, contains_eager, defer, joinedload, selectinload

from ...limits import query_int, query_text
from ...models import Project, Status, Task, Type, User
from ...models.task import task_resources
from ...pagination import Page, paginate
from ..scheduling.lateness import Standing, standings
from ..versions.thumbnails import latest_thumbnails
from ..workflow.statuses import task_statuses
from .commands import TASK_CLASSES
from .graph import ancestor_names, child_counts, children_of

PER_PAGE = 100
SORTS = {
    "name": Task.name,
    "code": Task.code,
    "status": Status.name,
    "priority": Task.priority,
    "start": Task.start,
    "end": Task.end,
    "updated": Task.date_updated,
}
SORT_LABELS = {
    "name": "Name",
    "code": "Code",
    "status": "Status",
    "priority": "Priority",
    "start": "Start",
    "end": "End",
    "updated": "Last change",
}


@dataclass(frozen=True)
class TreeFilters:
    """What the user narrowed the tree to, and the order of the rows."""

    text: str = ""
    kind: str = ""
    status_id: int | None = None
    type_id: int | None = None
    resource_id: int | None = None
    sort: str = "name"
    descending: bool = False

    @property
    def active(self) -> bool:
        """Whether any filter is set (the page then lists matches instead of a tree level)."""
        return bool(self.text or self.kind or self.status_id or self.type_id or self.resource_id)

    def params(self) -> dict:
        """The filters as query-string parameters (the empty ones left out by the pager)."""
        return {
            "q": self.text,
            "kind": self.kind,
            "status": self.status_id,
            "type": self.type_id,
            "resource": self.resource_id,
            "sort": "" if self.sort == "name" else self.sort,
            "desc": "1" if self.descending else "",
        }

    def query(self, **extra) -> dict:
        """The non-empty parameters, plus ``extra``, for a link keeping the filters."""
        return {k: v for k, v in {**self.params(), **extra}.items() if v not in (None, "")}


@dataclass
class TreeRow:
    """A task as a row: how many children it has, whether it is late or at risk and, in a
    filtered list, where it sits."""

    task: Task
    child_count: int = 0
    standing: Standing = Standing.ON_TIME
    path_names: list[str] = field(default_factory=list)
    # The file whose thumbnail stands for it (its latest version's, or its children's).
    thumbnail_file_id: int | None = None


@dataclass(frozen=True)
class FilterChoices:
    """The options of the filter form: statuses, kinds, types and the project's people."""

    statuses: list[Status]
    kinds: list[str]
    types: list[Type]
    resources: list[User]


def parse_filters(params) -> TreeFilters:
    """Filters from a query string; unknown or malformed values are ignored, never an error."""

    kind = query_text(params, "kind")
    sort = query_text(params, "sort")
    return TreeFilters(
        text=query_text(params, "q", max_length=200),
        kind=kind if kind in TASK_CLASSES else "",
        status_id=query_int(params, "status"),
        type_id=query_int(params, "type"),
        resource_id=query_int(params, "resource"),
        sort=sort if sort in SORTS else "name",
        descending=params.get("desc") == "1",
    )


def _rows_statement(project: Project, filters: TreeFilters) -> Select:
    order = SORTS[filters.sort]
    order = order.desc() if filters.descending else order.asc()
    return (
        select(Task)
        .join(Task.status)
        .where(Task.project_id == project.id)
        .options(
            # The rows never show the JSON columns: decoding them cost more than the rest.
            defer(Task.generic_data),
            contains_eager(Task.status).defer(Status.generic_data),
            joinedload(Task.type).defer(Type.generic_data),
            selectinload(Task.resources).defer(User.generic_data),
        )
        .order_by(order, Task.id)
    )


def _as_rows(dbsession: Session, page: Page, now: datetime | None) -> Page:
    """The page's tasks as rows with their child counts, standings and thumbnails (four
    queries)."""
    ids = [task.id for task in page.items]
    counts = child_counts(dbsession, ids)
    marks = standings(dbsession, page.items, now or datetime.now(UTC))
    thumbnails = latest_thumbnails(dbsession, ids)
    return replace(
        page,
        items=[
            TreeRow(
                task,
                counts.get(task.id, 0),
                marks[task.id],
                thumbnail_file_id=thumbnails.get(task.id),
            )
            for task in page.items
        ],
    )


def children_page(
    dbsession: Session,
    project: Project,
    parent: Task | None,
    filters: TreeFilters,
    number: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> Page:
    """One page of ``parent``'s children (the root tasks when None), in the filters' order,
    marked late or at risk at ``now``."""
    statement = _rows_statement(project, filters).where(children_of(parent))
    page = paginate(dbsession, statement, number, per_page, params=filters.params())
    return _as_rows(dbsession, page, now)


def _escaped_like(text: str) -> str:
    escaped = text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching_page(
    dbsession: Session,
    project: Project,
    filters: TreeFilters,
    number: int = 1,
    per_page: int = PER_PAGE,
    now: datetime | None = None,
) -> Page:
    """One page of the project's tasks matching ``filters``, each with its ancestors' names,
    marked late or at risk at ``now``."""
    statement = _rows_statement(project, filters)
    if filters.text:
        pattern = _escaped_like(filters.text)
        statement = statement.where(
            or_(
                func.lower(Task.name).like(pattern, escape="\\"),
                func.lower(Task.code).like(pattern, escape="\\"),
            )
        )
    if filters.kind:
        statement = statement.where(Task.entity_type == filters.kind)
    if filters.status_id:
        statement = statement.where(Task.status_id == filters.status_id)
    if filters.type_id:
        statement = statement.where(Task.type_id == filters.type_id)
    if filters.resource_id:
        statement = statement.where(
            Task.id.in_(
                select(task_resources.c.task_id).where(
                    task_resources.c.user_id == filters.resource_id
                )
            )
        )
    page = _as_rows(
        dbsession, paginate(dbsession, statement, number, per_page, params=filters.params()), now
    )
    names = ancestor_names(dbsession, [row.task for row in page.items])
    for row in page.items:
        row.path_names = names[row.task.id]
    return page


def filter_choices(dbsession: Session, project: Project) -> FilterChoices:
    """The Task statuses in their list order, task types and the project's members."""
    statuses = task_statuses(dbsession).values()
    types = dbsession.scalars(
        select(Type)
        .where(Type.target_entity_type.in_(list(TASK_CLASSES)))
        .order_by(Type.target_entity_type, Type.position, Type.name)
    ).all()
    resources = dbsession.scalars(
        select(User)
        .where(
            User.id.in_(
                select(task_resources.c.user_id).join(Task).where(Task.project_id == project.id)
            )
        )
        .order_by(User.name)
    ).all()
    return FilterChoices(list(statuses), list(TASK_CLASSES), list(types), list(resources))

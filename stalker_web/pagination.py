"""Pagination of list pages: one COUNT and one LIMIT/OFFSET query, whatever the table size."""

import math
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from .limits import whole_number

DEFAULT_PER_PAGE = 50


@dataclass
class Page:
    """One page of results, with what the pager needs to link to its neighbours."""

    items: list[Any]
    number: int
    per_page: int
    total: int
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def page_count(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def previous_page(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next_page(self) -> int | None:
        return self.number + 1 if self.number < self.page_count else None

    def query_for(self, number: int) -> dict[str, Any]:
        """The query string of page ``number`` with the current filters kept."""
        return {**{k: v for k, v in self.params.items() if v not in (None, "")}, "page": number}


def parse_page_number(raw: str | None) -> int:
    """A page number from the query string; anything invalid (``"²"``, ``"-1"``, 25 digits)
    means the first page, and a number past the last page is clamped by :func:`paginate`."""
    return whole_number(raw) or 1


def paginate(
    dbsession: Session,
    statement: Select,
    number: int,
    per_page: int = DEFAULT_PER_PAGE,
    params: dict[str, Any] | None = None,
    total: int | None = None,
) -> Page:
    """Run ``statement`` for page ``number`` (clamped to the last page); ``total``, the rows
    it selects, is counted unless the caller already knows it."""
    if total is None:
        total = dbsession.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
    page_count = max(1, math.ceil(total / per_page))
    number = min(number, page_count)
    items = list(dbsession.scalars(statement.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total, params=params or {})


# Keyset pages (the notifications helper's inbox and activity feed): lists read newest first
# that grow while people read them, so a page is "the next 50 older than the last one seen"
# rather than an offset that shifts with every new row.


@dataclass
class KeysetPage:
    """One page of a list read newest first by id: ``older`` and ``newer`` are the cursors of
    the neighbouring pages (``?before=`` and ``?after=``), None where there is none."""

    items: list[Any]
    older: int | None
    newer: int | None
    params: dict[str, Any] = field(default_factory=dict)

    def query_for(self, **cursor: int) -> dict[str, Any]:
        """The query string of a neighbouring page with the current filters kept."""
        return {**{k: v for k, v in self.params.items() if v not in (None, "")}, **cursor}


def keyset_page(
    dbsession: Session,
    statement: Select,
    id_column,
    *,
    before: int | None = None,
    after: int | None = None,
    per_page: int = DEFAULT_PER_PAGE,
    params: dict[str, Any] | None = None,
) -> KeysetPage:
    """The rows of ``statement`` (an entity with an ``id``) older than ``before``, newer than
    ``after``, or the newest, ``per_page`` of them newest first: one query."""
    if after is not None:
        rows = list(
            dbsession.scalars(
                statement.where(id_column > after).order_by(id_column.asc()).limit(per_page + 1)
            )
        )
        items = rows[:per_page][::-1]
        newer = items[0].id if len(rows) > per_page else None
        older = items[-1].id if items else None
        return KeysetPage(items, older, newer, params or {})
    if before is not None:
        statement = statement.where(id_column < before)
    rows = list(dbsession.scalars(statement.order_by(id_column.desc()).limit(per_page + 1)))
    items = rows[:per_page]
    older = items[-1].id if len(rows) > per_page else None
    newer = items[0].id if before is not None and items else None
    return KeysetPage(items, older, newer, params or {})

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
) -> Page:
    """Run ``statement`` for page ``number`` (clamped to the last page)."""
    total = dbsession.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    page_count = max(1, math.ceil(total / per_page))
    number = min(number, page_count)
    items = list(dbsession.scalars(statement.limit(per_page).offset((number - 1) * per_page)))
    return Page(items=items, number=number, per_page=per_page, total=total, params=params or {})

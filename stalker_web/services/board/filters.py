"""What a user narrowed the production board to, read from and written back to the URL."""

from collections.abc import Mapping
from dataclasses import dataclass

from ...limits import query_int, query_text

# The tabs of the board: the kind of task each lists as rows.
TABS = {"shots": "Shot", "assets": "Asset"}
SORTS = {"name": "Name", "cut_in": "Cut in", "end": "End"}
TEXT_MAX_LENGTH = 100


@dataclass(frozen=True)
class BoardFilters:
    """The tab, the filters narrowing its rows and their order."""

    tab: str = "shots"
    group_id: int | None = None
    step_id: int | None = None
    status_id: int | None = None
    assignee_id: int | None = None
    late_only: bool = False
    text: str = ""
    sort: str = "name"

    @property
    def target(self) -> str:
        """The kind of task the rows are ("Shot" or "Asset")."""
        return TABS[self.tab]

    @property
    def narrows_cells(self) -> bool:
        """Whether a filter looks at the step tasks (a row shows when one of its cells matches)."""
        return bool(self.step_id or self.status_id or self.assignee_id or self.late_only)

    @property
    def active(self) -> bool:
        """Whether any filter is set (an empty board then means no match, not no rows)."""
        return bool(self.group_id or self.text or self.narrows_cells)

    def params(self) -> dict:
        """The filters as query-string parameters (the pager leaves the empty ones out)."""
        return {
            "tab": "" if self.tab == "shots" else self.tab,
            "group": self.group_id,
            "step": self.step_id,
            "status": self.status_id,
            "assignee": self.assignee_id,
            "late": "1" if self.late_only else "",
            "q": self.text,
            "sort": "" if self.sort == "name" else self.sort,
        }

    def query(self, **extra) -> dict:
        """The non-empty parameters, plus ``extra``, for a link keeping the filters."""
        return {k: v for k, v in {**self.params(), **extra}.items() if v not in (None, "")}


def parse_filters(params: Mapping) -> BoardFilters:
    """The filters of a query string; anything unknown or malformed means no filter."""
    tab = query_text(params, "tab")
    sort = query_text(params, "sort")
    return BoardFilters(
        tab=tab if tab in TABS else "shots",
        group_id=query_int(params, "group"),
        step_id=query_int(params, "step"),
        status_id=query_int(params, "status"),
        assignee_id=query_int(params, "assignee"),
        late_only=query_text(params, "late") == "1",
        text=query_text(params, "q", max_length=TEXT_MAX_LENGTH),
        sort=sort if sort in SORTS else "name",
    )

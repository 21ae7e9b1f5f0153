"""The scenario list: a page of the studio's scenarios, open ones first, each with who made it,
when it was last scheduled and whether that schedule is out of date (two queries a page)."""

from dataclasses import dataclass, replace

from sqlalchemy import case, select
from sqlalchemy.orm import Session, joinedload

from ...models import Scenario, ScenarioState
from ...pagination import Page, paginate
from .page import is_out_of_date

PER_PAGE = 25


@dataclass(frozen=True)
class ScenarioRow:
    """A scenario of the list and whether its results are older than its last change."""

    scenario: Scenario
    out_of_date: bool


def scenario_page(dbsession: Session, number: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of scenarios: open ones first, then the most recently changed."""
    statement = (
        select(Scenario)
        .options(joinedload(Scenario.created_by), joinedload(Scenario.promoted_by))
        .order_by(
            case((Scenario.state == ScenarioState.OPEN, 0), else_=1),
            Scenario.changed_at.desc(),
            Scenario.id.desc(),
        )
    )
    page = paginate(dbsession, statement, number, per_page)
    return replace(
        page, items=[ScenarioRow(scenario, is_out_of_date(scenario)) for scenario in page.items]
    )

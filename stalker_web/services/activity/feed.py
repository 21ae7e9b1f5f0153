"""A project's feed: its activity records newest first, a page at a time, filtered by what
happened and by who did it, each in words for the viewer.

A run of the whole studio's schedule concerns every project, so its studio-wide record shows in
every feed; time logs stay in their task's history (see ``kinds.FEED_SHOWS``).
"""

from dataclasses import dataclass

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from ...models import Activity, Project, ProjectUser, User
from ...pagination import KeysetPage, keyset_page
from .kinds import FEED_KINDS_BY_VALUE, FEED_SHOWS, ActivityKind
from .sentences import Wording


@dataclass(frozen=True)
class FeedFilters:
    """What the feed shows: one of ``FEED_KINDS`` (its value; "" for everything) and the
    records of one person (None: everybody's)."""

    kind: str = ""
    actor_id: int | None = None


def feed_statement(project_id: int, filters: FeedFilters):
    """The SELECT of the project's records the filters keep (not yet ordered)."""
    choice = FEED_KINDS_BY_VALUE.get(filters.kind)
    kinds = choice.kinds if choice is not None else FEED_SHOWS
    studio_wide = and_(
        Activity.project_id.is_(None), Activity.kind == ActivityKind.SCHEDULE_FINISHED.value
    )
    statement = select(Activity).where(
        Activity.kind.in_([kind.value for kind in kinds]),
        or_(Activity.project_id == project_id, studio_wide),
    )
    if filters.actor_id is not None:
        statement = statement.where(Activity.actor_id == filters.actor_id)
    return statement


def project_feed(
    dbsession: Session,
    project: Project,
    viewer_id: int | None,
    filters: FeedFilters = FeedFilters(),
    *,
    before: int | None = None,
    after: int | None = None,
    per_page: int = 50,
) -> KeysetPage:
    """A page of the project's feed (``before``/``after``: the keyset cursors) whose items are
    ``Sentence``s for ``viewer_id``: the page and its names in a fixed number of statements."""
    page = keyset_page(
        dbsession,
        feed_statement(project.id, filters),
        Activity.id,
        before=before,
        after=after,
        per_page=per_page,
        params={"kind": filters.kind, "person": filters.actor_id},
    )
    wording = Wording.load(dbsession, page.items)
    page.items = [wording.sentence(activity, viewer_id) for activity in page.items]
    return page


def feed_people(dbsession: Session, project: Project) -> list[tuple[int, str]]:
    """The project's members as (id, name), by name: whom the feed can be filtered by."""
    return list(
        dbsession.execute(
            select(User.id, User.name)
            .join(ProjectUser, ProjectUser.user_id == User.id)
            .where(ProjectUser.project_id == project.id)
            .order_by(User.name, User.id)
        )
    )

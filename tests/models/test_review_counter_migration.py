"""Migration 0007 fills each task's review counter with its finalised rounds: the highest
round whose reviews are all answered (an open round does not count)."""

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from alembic import command
from stalker_web.config import load_studio_config
from stalker_web.db import get_engine
from stalker_web.migrations import alembic_config, upgrade
from stalker_web.models import Task
from stalker_web.services.studio.initial_data import initialize_database
from stalker_web.services.workflow import reviews
from stalker_web.services.workflow.time_logs import create_time_log

from ..factories import Factory
from ..factories.calendar import MONDAY


def build_rounds(dbsession: Session, config: dict) -> None:
    """Three tasks: no review; round 1 closed and round 2 open; rounds 1 and 2 closed."""
    factory = Factory(dbsession, config)
    artist, supervisor = factory.user(name="Artist"), factory.user(name="Supervisor")
    project = factory.project()
    days = iter(range(100))

    def worked(task):
        start = MONDAY + timedelta(days=next(days))
        create_time_log(dbsession, task, artist, start, start + timedelta(hours=2))

    def round_sent_back(task):
        worked(task)
        [review] = reviews.request_review(dbsession, task, artist)
        reviews.request_revision(dbsession, review, 1, "h", "Again.")

    tasks = {
        name: factory.task(project=project, name=name, responsible=[supervisor])
        for name in ("Unreviewed", "Open", "Closed")
    }
    round_sent_back(tasks["Open"])
    worked(tasks["Open"])
    reviews.request_review(dbsession, tasks["Open"], artist)
    round_sent_back(tasks["Closed"])
    round_sent_back(tasks["Closed"])
    dbsession.flush()


def test_the_counter_is_filled_from_the_finalised_rounds(fresh_database_url):
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    config = load_studio_config()
    try:
        with engine.begin() as connection:
            upgrade(connection)
        with Session(engine) as dbsession, dbsession.begin():
            initialize_database(dbsession, config)
            build_rounds(dbsession, config)
        with engine.begin() as connection:
            command.downgrade(alembic_config(connection=connection), "0006")
        with engine.begin() as connection:
            upgrade(connection, "0007")
        with Session(engine) as dbsession:
            rows = dbsession.execute(select(Task.name, Task.review_number)).all()
        assert {name: number for name, number in rows} == {
            "Unreviewed": 0,
            "Open": 1,
            "Closed": 2,
        }
    finally:
        engine.dispose()

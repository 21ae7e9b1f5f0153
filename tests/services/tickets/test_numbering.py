"""Ticket numbers: counted per project, and unique without gaps when several people open tickets
on one project at the same moment (each in their own connection and committed transaction)."""

import threading

from sqlalchemy import select
from sqlalchemy.orm import Session

from stalker_web.config import load_studio_config
from stalker_web.db import get_engine
from stalker_web.models import Project, Ticket, User
from stalker_web.services.tickets.tickets import create_ticket
from stalker_web.services.tickets.workflow import TicketWorkflow

from ...conftest import prepare_studio_database
from ...factories import Factory

THREADS = 6


def test_each_project_counts_its_own_tickets(factory, workflow):
    film, series = factory.project(), factory.project()
    numbers = [factory.ticket(project).number for project in (film, film, series, film)]
    assert numbers == [1, 2, 1, 3]
    assert factory.ticket(series).name == "Ticket #2"


def _open_in_threads(engine, project_id: int, reporter_id: int, workflow) -> list[int]:
    """Open one ticket per thread, all released at once, each committed in its own session."""
    start = threading.Barrier(THREADS, timeout=20)
    numbers, errors = [], []
    lock = threading.Lock()

    def work() -> None:
        try:
            with Session(engine) as session:
                project = session.get(Project, project_id)
                reporter = session.get(User, reporter_id)
                start.wait()
                ticket = create_ticket(session, workflow, project, reporter, summary="At once")
                session.commit()
                with lock:
                    numbers.append(ticket.number)
        except Exception as error:  # reported by the assertion below
            errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
    assert errors == []
    return numbers


def test_tickets_opened_at_once_get_numbers_without_gaps_or_repeats(fresh_database_url):
    prepare_studio_database(fresh_database_url, "admin", "Admin")
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    config = load_studio_config()
    try:
        with Session(engine) as session:
            factory = Factory(session, config)
            project_id, reporter_id = factory.project().id, factory.user().id
            session.commit()

        numbers = _open_in_threads(
            engine, project_id, reporter_id, TicketWorkflow.from_config(config)
        )

        assert sorted(numbers) == list(range(1, THREADS + 1))
        with Session(engine) as session:
            stored = session.execute(
                select(Ticket.number, Ticket.name).where(Ticket.project_id == project_id)
            ).all()
            counter = session.get(Project, project_id).last_ticket_number
        assert sorted(stored) == [(n, f"Ticket #{n}") for n in range(1, THREADS + 1)]
        assert counter == THREADS
    finally:
        engine.dispose()

"""Builders of tickets, opened through the ticket service with the studio config's workflow."""

from stalker_web.services.tickets.tickets import create_ticket
from stalker_web.services.tickets.workflow import TicketWorkflow

from .counter import next_number


class TicketsFactory:
    """Builds tickets of projects."""

    def ticket_workflow(self) -> TicketWorkflow:
        """The workflow of the test's studio config."""
        return TicketWorkflow.from_config(self.config)

    def ticket(self, project=None, reporter=None, summary: str | None = None, **values):
        """A ticket of ``project`` (a new one by default) reported by ``reporter`` (a new user
        by default), with a generated summary."""
        return create_ticket(
            self.dbsession,
            self.ticket_workflow(),
            project or self.project(),
            reporter or self.user(),
            summary=summary or f"Ticket summary {next_number()}",
            **values,
        )

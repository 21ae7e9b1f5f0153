"""What the ticket views share: the studio's workflow and a ticket's address."""

from ...services.tickets.workflow import TicketWorkflow


def workflow_of(request) -> TicketWorkflow:
    """The ticket workflow of the studio configuration."""
    return TicketWorkflow.from_config(request.studio_config)


def ticket_url(request, ticket) -> str:
    return request.route_url("tickets.view", ticket_id=ticket.id)

"""The demo film's last working days of supervision: a producer's note to the team, tickets
between departments at each stage of the workflow, and the daily of the week's published
versions that the animation lead walks through today.

Everything goes through the services, as the pages do, played among the rest of the demo's past
in the order it happened.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...models import Project, Task, Ticket, Type, User
from ...models.ticket import TicketPriority
from ..dailies.dailies import create_daily
from ..dailies.entries import collect_published
from ..notes.notes import add_note
from ..tickets.actions import perform_action
from ..tickets.links import LinkTarget
from ..tickets.tickets import create_ticket
from ..tickets.workflow import TicketWorkflow
from .demo_clock import Clock
from .demo_history import Step, working_day_before

# (working days before today, hour, minute)
When = tuple[int, int, int]


@dataclass(frozen=True)
class Move:
    """A workflow action on a ticket by ``login`` at ``when``, with what it asks for and the
    note its author wrote with it."""

    login: str
    action: str
    when: When
    resolution: str | None = None
    note: str = ""


@dataclass(frozen=True)
class DemoTicket:
    """A ticket of the demo film, reported at ``when`` about ``about`` (an asset's or shot's
    name and, for one of its steps, the step's)."""

    reporter: str
    owner: str | None
    about: tuple[str, str | None]
    type: str
    priority: TicketPriority
    summary: str
    description: str
    when: When
    moves: tuple[Move, ...] = field(default_factory=tuple)


TICKETS = (
    DemoTicket(
        "animation4",
        "rigging1",
        ("Keeper", "Rig"),
        "Defect",
        TicketPriority.MAJOR,
        "Keeper rig: the left elbow flips past 90°",
        "Bend the left arm past 90° with the IK on and the elbow pops to the other side.\n\n"
        "1. Open the latest Keeper rig\n2. Switch the left arm to IK\n"
        "3. Pull the wrist control towards the shoulder\n\n"
        "Blocks the close-ups of **SQ01**.",
        (2, 10, 20),
    ),
    DemoTicket(
        "lighting2",
        None,
        ("Harbour", "Shading"),
        "Enhancement",
        TicketPriority.MINOR,
        "Harbour textures are too heavy for the render farm",
        "The harbour's 16K textures take 40 GB per frame on the farm. Could we have 8K "
        "versions for the wide shots?",
        (3, 11, 5),
        (Move("modeling1", "accept", (3, 14, 40)),),
    ),
    DemoTicket(
        "compositing2",
        "compositing1",
        ("SQ01_SH020", None),
        "Defect",
        TicketPriority.CRITICAL,
        "SQ01_SH020: the sea plate drops frame 1043",
        "The plate jumps at frame 1043: one frame of the scan is missing.",
        (2, 9, 40),
        (
            Move(
                "compositing1",
                "resolve",
                (1, 15, 10),
                resolution="fixed",
                note="Re-ingested the plate from the scan: frame 1043 is back.",
            ),
        ),
    ),
    DemoTicket(
        "animation2",
        "rigging1",
        ("Gull", "Rig"),
        "Defect",
        TicketPriority.MAJOR,
        "Gull: the wing feathers clip through each other in fast flaps",
        "Visible in every take with a fast flap cycle.",
        (3, 16, 30),
        (
            Move("rigging1", "resolve", (2, 12, 0), resolution="fixed"),
            Move(
                "animation2",
                "reopen",
                (1, 10, 15),
                note="Still clipping in SQ01_SH030 at frame 1088 with the new rig.",
            ),
        ),
    ),
)
PROJECT_NOTE = (
    "production1",
    "Heads-up: the client sees the **SQ01 blocking** on Friday. @animation1, can every SQ01 shot "
    "be in review by Thursday evening?",
    (1, 9, 15),
)
# Made the evening before, when the day's reviews are done.
DAILY = ("animation1", "Animation dailies", (1, 19, 0))
# The daily collects the versions published in these last working days.
DAILY_COVERS_DAYS = 5


class Supervision:
    """The supervision of ``project`` (the demo film) around ``today``, as steps to play with
    the rest of the demo's past (``History.play``)."""

    def __init__(
        self,
        dbsession: Session,
        project: Project,
        people: dict[str, User],
        today: date,
        clock: Clock,
        workflow: TicketWorkflow,
    ) -> None:
        self.dbsession, self.project, self.people = dbsession, project, people
        self.today, self.clock, self.workflow = today, clock, workflow

    def moment(self, when: When) -> datetime:
        days, hour, minute = when
        return datetime.combine(working_day_before(self.today, days), time(hour, minute), UTC)

    def steps(self) -> list[Step]:
        """Every ticket and what was done to it, the producer's note and the daily."""
        steps = [step for spec in TICKETS for step in self._ticket_steps(spec)]
        login, content, when = PROJECT_NOTE
        producer = self.people[login]
        steps.append(
            Step(
                self.moment(when),
                producer,
                lambda: add_note(self.dbsession, producer, self.project, content),
            )
        )
        login, name, when = DAILY
        steps.append(Step(self.moment(when), self.people[login], lambda: self._daily(name)))
        return steps

    def _ticket_steps(self, spec: DemoTicket) -> list[Step]:
        reporter = self.people[spec.reporter]
        made: list[Ticket] = []
        created = self.moment(spec.when)
        last = self.moment(spec.moves[-1].when) if spec.moves else created

        def report() -> None:
            ticket = create_ticket(
                self.dbsession,
                self.workflow,
                self.project,
                reporter,
                summary=spec.summary,
                description=spec.description,
                type_id=self._ticket_type(spec.type).id,
                priority=spec.priority,
                owner_id=self.people[spec.owner].id if spec.owner else None,
                links=[LinkTarget("task", self._task(*spec.about).id)],
            )
            self.clock.date(Ticket, ticket.id, created, last)
            made.append(ticket)

        def move(move: Move, actor: User) -> None:
            [ticket] = made
            perform_action(
                self.dbsession,
                self.workflow,
                ticket,
                actor,
                move.action,
                submitted_version=ticket.version_id,
                resolution=move.resolution,
            )
            if move.note:
                add_note(self.dbsession, actor, self.project, move.note, ticket=ticket)

        steps = [Step(created, reporter, report)]
        for each in spec.moves:
            actor = self.people[each.login]
            steps.append(Step(self.moment(each.when), actor, lambda m=each, a=actor: move(m, a)))
        return steps

    def _daily(self, name: str) -> None:
        """The lead's daily of the versions published in the last days, to walk today."""
        self.clock.write()  # the versions are found by the dates they were published at
        since = self.moment((DAILY_COVERS_DAYS, 0, 0))
        daily = create_daily(
            self.dbsession, self.project, name, f"The versions published since {since:%A %d %B}."
        )
        collect_published(self.dbsession, daily, since)

    def _ticket_type(self, name: str) -> Type:
        return self.dbsession.scalars(
            select(Type).where(Type.target_entity_type == "Ticket", Type.name == name)
        ).one()

    def _task(self, owner_name: str, step: str | None) -> Task:
        owner = self.dbsession.scalars(
            select(Task).where(Task.project_id == self.project.id, Task.name == owner_name)
        ).one()
        if step is None:
            return owner
        return next(child for child in owner.children if child.name == step)

"""The studio as the checks leave it for the .tjp: planned tasks, resources, leaves and anchors,
all on the timing-resolution grid."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from ...models.schedule import DependencyTarget
from .messages import Message, Names
from .resource_ids import resource_tj_id
from .snapshot import Calendar

# The leaves that keep a person's work inside their contract window (tj3's "unemployed"),
# named for the time before it and after it.
CONTRACT_LEAVE = "unemployed"
BEFORE_CONTRACT = "not under contract yet"
AFTER_CONTRACT = "not under contract any more"


@dataclass
class PlannedDependency:
    """A ``depends`` entry: the awaited task's .tjp path, on its end or start, with a gap."""

    path: str
    target: DependencyTarget
    gap_keyword: str | None = None
    gap_minutes: int = 0


@dataclass
class PlannedTask:
    """A task as it is written to the .tjp, after the adjustments."""

    id: int
    depth: int
    is_leaf: bool
    priority: int
    start: datetime | None = None
    end: datetime | None = None
    milestone: bool = False
    timing: tuple[str, int] | None = None  # (effort|length|duration, minutes)
    pinned_timing: tuple[str, int] | None = None  # a timing given with both pins, not written
    allocations: list[int] = field(default_factory=list)
    alternatives: list[int] = field(default_factory=list)
    strategy: str = "minallocated"
    persistent: bool = True
    bookings: list[tuple[int, datetime, datetime]] = field(default_factory=list)
    depends: list[PlannedDependency] = field(default_factory=list)

    @property
    def tj_id(self) -> str:
        return f"Task_{self.id}"


@dataclass
class PlannedProject:
    id: int
    tasks: list[PlannedTask]

    @property
    def tj_id(self) -> str:
        return f"Project_{self.id}"


@dataclass
class Anchor:
    """A task outside the run that a task in it waits for, fixed at its computed dates."""

    task_id: int
    start: datetime
    end: datetime

    @property
    def tj_id(self) -> str:
        return f"Task_{self.task_id}"


@dataclass
class Leave:
    """A leave: ``holiday`` (studio-wide), ``annual`` (a vacation), ``project`` (computed work
    on a project outside the run), ``unemployed`` (``CONTRACT_LEAVE``: outside the person's
    contract window)."""

    kind: str
    name: str
    start: datetime
    end: datetime


@dataclass
class PlannedResource:
    id: int
    efficiency: float
    leaves: list[Leave] = field(default_factory=list)

    @property
    def tj_id(self) -> str:
        return resource_tj_id(self.id)


@dataclass
class CheckedStudio:
    """The checked and adjusted studio, ready to render; ``ok`` unless a check found an error."""

    studio_id: int
    calendar: Calendar
    now: datetime
    window_start: datetime
    window_end: datetime
    projects: list[PlannedProject]
    anchors: list[Anchor]
    holidays: list[Leave]
    resources: list[PlannedResource]
    messages: list[Message]
    names: Names

    @property
    def ok(self) -> bool:
        return not any(message.is_error for message in self.messages)

    @property
    def task_count(self) -> int:
        return sum(len(project.tasks) for project in self.projects)


def round_to_grid(moment: datetime, minutes: int) -> datetime:
    """``moment`` moved to the nearest multiple of ``minutes`` (halves go up), in UTC."""
    step = minutes * 60
    seconds = moment.timestamp()
    return datetime.fromtimestamp((seconds + step / 2) // step * step, UTC)


def floor_day(moment: datetime) -> datetime:
    """Midnight UTC of ``moment``'s day (on every resolution's grid)."""
    moment = moment.astimezone(UTC)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)

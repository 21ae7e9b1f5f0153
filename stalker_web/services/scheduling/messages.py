"""Messages of a run: the checks' and tj3's, as structured records naming the tasks and users.

tj3 writes one message per line to stderr, ``<file>:<line>: <Level>: <text>`` (some without the
file and line); a line not of that form is the source excerpt of the message above it. Ids in
the text (``Studio.Project_1.Task_2.Task_5``, ``User_3``, ``Temp_2``: a scenario's temporary
person, user -2) are collected as task and user ids, and ``readable`` replaces them with names.
"""

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field

from .resource_ids import RESOURCE_ID, snapshot_id

LEVELS = ("fatal", "error", "warning", "info")
_LINE = re.compile(
    r"^(?:(?P<file>[^:\s][^:]*):(?P<line>\d+): )?(?P<level>Fatal|Error|Warning|Info): (?P<text>.*)$"
)
# A dotted task path of the .tjp (ending in the task's own id) or a resource id.
_TASK_PATH = re.compile(r"\b(?:Studio\.)?(?:(?:Project|Outside|Task)_?\d*\.)*Task_(\d+)\b")
_PROJECT_PATH = re.compile(r"\b(?:Studio\.)?Project_(\d+)\b")
MAX_MESSAGES = 5000


@dataclass
class Message:
    """One message: ``level`` (fatal, error, warning, info), the .tjp ``line`` it points at,
    tj3's ``text``, the ``readable`` text with names, the ``source`` excerpt lines, the ids
    of the tasks and users it names, and its ``origin`` ("check" or "tj3")."""

    level: str
    text: str
    readable: str = ""
    line: int | None = None
    source: list[str] = field(default_factory=list)
    task_ids: list[int] = field(default_factory=list)
    user_ids: list[int] = field(default_factory=list)
    origin: str = "tj3"

    @property
    def is_error(self) -> bool:
        return self.level in ("fatal", "error")

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Names:
    """Display names of the tasks, projects and users a run knows, by id."""

    tasks: Mapping[int, str] = field(default_factory=dict)
    projects: Mapping[int, str] = field(default_factory=dict)
    users: Mapping[int, str] = field(default_factory=dict)

    def task(self, task_id: int) -> str:
        name = self.tasks.get(task_id)
        return f"{name} (task {task_id})" if name else f"task {task_id}"

    def user(self, user_id: int) -> str:
        """``Ann (user 3)``; a scenario's temporary person (a negative id): ``Fred (temporary
        person)``."""
        name = self.users.get(user_id)
        if user_id < 0:
            return f"{name or 'someone'} (temporary person)"
        return f"{name} (user {user_id})" if name else f"user {user_id}"

    def project(self, project_id: int) -> str:
        name = self.projects.get(project_id)
        return f"{name} (project {project_id})" if name else f"project {project_id}"


def _unique(values: Iterable[int]) -> list[int]:
    return list(dict.fromkeys(values))


def readable_text(text: str, names: Names) -> str:
    """tj3's text with its task, project and user ids replaced by names; tj3's time format
    ``2024-01-15-09:00-+0000`` is shown as ``2024-01-15 09:00 UTC``, and a local time of the
    studio zone (``2024-03-11-09:00--0400``) as ``2024-03-11 09:00 UTC-04:00``."""
    text = _TASK_PATH.sub(lambda match: names.task(int(match.group(1))), text)
    text = _PROJECT_PATH.sub(lambda match: names.project(int(match.group(1))), text)
    text = RESOURCE_ID.sub(lambda match: names.user(snapshot_id(match)), text)
    return _TJ_MOMENT.sub(_moment_text, text)


_TJ_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})-(\d{2}:\d{2})-([+-])(\d{2})(\d{2})")


def _moment_text(match: re.Match) -> str:
    day, clock, sign, hours, minutes = match.groups()
    if hours == minutes == "00":
        return f"{day} {clock} UTC"
    return f"{day} {clock} UTC{sign}{hours}:{minutes}"


def parse_tj3_output(stderr: str, names: Names) -> list[Message]:
    """tj3's stderr as messages; excerpt lines are attached to the message before them."""
    messages: list[Message] = []
    for raw_line in stderr.splitlines():
        if not raw_line.strip():
            continue
        match = _LINE.match(raw_line.strip())
        if match is None:
            if messages:
                messages[-1].source.append(raw_line.rstrip())
            else:
                messages.append(Message(level="info", text=raw_line.strip()))
            continue
        text = match.group("text").strip()
        messages.append(
            Message(
                level=match.group("level").lower(),
                text=text,
                line=int(match.group("line")) if match.group("line") else None,
                task_ids=_unique(int(found) for found in _TASK_PATH.findall(text)),
                user_ids=_unique(snapshot_id(found) for found in RESOURCE_ID.finditer(text)),
            )
        )
    messages = _merge_listed_tasks(messages)
    for message in messages:
        message.readable = readable_text(plain_words(message.text), names)
    return messages


_TASK = r"(?:Task )?(\S+)"
# tj3's warnings in a producer's words; ``{task}`` stays a .tjp id until ``readable_text``.
_PLAIN_WORDS = [
    (
        re.compile(r"^([\d.]+)d of effort of task (\S+) does not fit into the project time frame"),
        lambda m: (
            f"{m[2]} still had {float(m[1]):.1f} working days of effort left when the "
            "planning window ended."
        ),
    ),
    (
        re.compile(r"^(\d+) tasks could not be scheduled$"),
        lambda m: f"{m[1]} task{'' if m[1] == '1' else 's'} could not be scheduled.",
    ),
    (
        re.compile(r"^Task (\S+): (\S+) -> (\S+)$"),
        lambda m: f"{m[1]} got no complete dates (start {_or_none(m[2])}, end {_or_none(m[3])}).",
    ),
    (
        re.compile(r"^Some tasks did not fit into the project time frame\.$"),
        lambda m: "Some tasks did not fit into the planning window.",
    ),
    (
        re.compile(
            r"^Due to a mix of ALAP and ASAP .* stole resources from (\S+) despite "
            r"having a lower priority:\s*(.*)$"
        ),
        lambda m: (
            f"{m[1]} lost its people to lower-priority work: {m[2] or 'other tasks'}. This "
            "happens when a task pinned to its end (planned backwards from it) and a task planned "
            "forwards share people, or when a task waits for one of lower priority. Give these "
            "tasks the same priority, or pin them the same way."
        ),
    ),
    (
        re.compile(r"^Persistence broken for " + _TASK + r" - resource (\S+) is gone$"),
        lambda m: (
            f"{m[1]} lost {m[2]} part way (a vacation or another task); someone else continues it."
        ),
    ),
    (
        re.compile(r"^" + _TASK + r" has resource allocation requested, but did not get any"),
        lambda m: (
            f"{m[1]} has people assigned but no effort, so none of them was planned on "
            "it; give it an effort or a higher priority."
        ),
    ),
    (
        re.compile(
            r"^The total effort \(.*or ([\d.]+)h\) of the provided bookings for task "
            r"(\S+) exceeds the specified effort of .*or ([\d.]+)h\.$"
        ),
        lambda m: (
            f"{m[2]}: {float(m[1]):g} h are logged, more than its effort of "
            f"{float(m[3]):g} h; raise the effort to what the task really takes."
        ),
    ),
]


def _or_none(moment: str) -> str:
    return "not found" if moment == "<?>" else moment


def plain_words(text: str) -> str:
    """A known tj3 warning said as a producer would; other text unchanged."""
    for pattern, words in _PLAIN_WORDS:
        match = pattern.search(text)
        if match:
            return words(match)
    return text


def _merge_listed_tasks(messages: list[Message]) -> list[Message]:
    """tj3 lists the tasks of a priority inversion as one ``Info: Task <id>`` line each after
    the warning; they become part of the warning (its text and its task ids)."""
    merged: list[Message] = []
    for message in messages:
        listed = re.fullmatch(r"Task (\S+)", message.text)
        previous = merged[-1] if merged else None
        if (
            listed
            and message.level == "info"
            and previous is not None
            and previous.text.startswith("Due to a mix of ALAP and ASAP")
        ):
            separator = " " if previous.text.endswith(":") else ", "
            previous.text += separator + listed[1]
            previous.task_ids = _unique([*previous.task_ids, *message.task_ids])
            previous.source += message.source
            continue
        merged.append(message)
    return merged


def check_message(
    level: str, text: str, task_ids: Iterable[int] = (), user_ids: Iterable[int] = ()
) -> Message:
    """A message of the checks made before tj3 runs; ``text`` already uses names."""
    return Message(
        level=level,
        text=text,
        readable=text,
        task_ids=_unique(task_ids),
        user_ids=_unique(user_ids),
        origin="check",
    )


def capped(messages: list[Message]) -> list[Message]:
    """At most MAX_MESSAGES messages, errors first kept, then a note of how many were left out
    (a large studio can produce thousands of identical warnings)."""
    if len(messages) <= MAX_MESSAGES:
        return messages
    ordered = sorted(messages, key=lambda message: LEVELS.index(message.level))
    kept = ordered[: MAX_MESSAGES - 1]
    left_out = len(messages) - len(kept)
    return kept + [
        Message(level="info", text=f"{left_out} more messages were left out.", origin="check")
    ]


def summary(messages: list[Message]) -> str:
    """The first error, readable, and how many more there are; empty without errors."""
    errors = [message for message in messages if message.is_error]
    if not errors:
        return ""
    # tj3 ends a loop or a refused schedule with a bare "Aborting"; the warning before says why.
    first = errors[0]
    if first.text == "Aborting":
        reasons = [message for message in messages if message.level == "warning"]
        first = reasons[0] if reasons else first
    text = first.readable or first.text
    others = len(errors) - 1
    return text + (f" ({others} more error{'s' if others > 1 else ''})" if others > 0 else "")

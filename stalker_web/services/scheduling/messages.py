"""Messages of a run: the checks' and tj3's, as structured records naming the tasks and users.

tj3 writes one message per line to stderr, ``<file>:<line>: <Level>: <text>`` (some without the
file and line); a line not of that form is the source excerpt of the message above it. Ids in
the text (``Studio.Project_1.Task_2.Task_5``, ``User_3``, ``Temp_2``: a scenario's temporary
person, user -2) are collected as task and user ids, and ``readable`` replaces them with names.
"""

import re
from collections.abc import Callable, Iterable, Mapping
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
        """``Name (task 12)``: the run page makes it a link labelled with the task's path."""
        name = self.tasks.get(task_id)
        return f"{name} (task {task_id})" if name else f"task {task_id}"

    def user(self, user_id: int) -> str:
        """``Ann``; a scenario's temporary person (a negative id): ``Fred (temporary person)``;
        someone the run does not know: ``someone not in the studio``."""
        name = self.users.get(user_id)
        if user_id < 0:
            return f"{name or 'someone'} (temporary person)"
        return name or "someone not in the studio"

    def project(self, project_id: int) -> str:
        return self.projects.get(project_id) or "a project no longer in the studio"


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
    return _said(_merge_listed_tasks(messages), names)


_TASK = r"(?:Task )?(\S+)"


@dataclass(frozen=True)
class Wording:
    """How a tj3 message is said to a producer: ``one`` for a single message, and, when several
    messages say the same of different tasks, ``many`` for all of them (their matches) at
    once: "3 tasks could not finish ...: A, B, C". Task and user ids stay .tjp ids here until
    ``readable_text``."""

    pattern: re.Pattern
    one: Callable[[re.Match], str]
    many: Callable[[list[re.Match]], str] | None = None


def _days(value: str) -> str:
    days = float(value)
    return f"{days:.1f} working day{'' if days == 1 else 's'}"


def _listed(matches: list[re.Match], item: Callable[[re.Match], str]) -> str:
    return ", ".join(item(match) for match in matches)


# tj3's warnings in a producer's words: no .tjp ids, no "effort" or "allocation".
_PLAIN_WORDS = [
    Wording(
        re.compile(r"^([\d.]+)d of effort of task (\S+) does not fit into the project time frame"),
        lambda m: f"{m[2]} still had {_days(m[1])} of work left when the planning window ended.",
        lambda ms: (
            f"{len(ms)} tasks still had work left when the planning window ended: "
            f"{_listed(ms, lambda m: f'{m[2]} ({_days(m[1])})')}."
        ),
    ),
    Wording(
        re.compile(r"^(\d+) tasks could not be scheduled$"),
        lambda m: f"{m[1]} task{'' if m[1] == '1' else 's'} could not be scheduled.",
    ),
    Wording(
        re.compile(r"^Task (\S+): (\S+) -> (\S+)$"),
        lambda m: f"{m[1]} got no complete dates (start {_or_none(m[2])}, end {_or_none(m[3])}).",
        lambda ms: f"{len(ms)} tasks got no complete dates: {_listed(ms, lambda m: m[1])}.",
    ),
    Wording(
        re.compile(r"^Some tasks did not fit into the project time frame\.$"),
        lambda m: "Some tasks did not fit into the planning window.",
    ),
    Wording(
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
    Wording(
        re.compile(r"^Persistence broken for " + _TASK + r" - resource (\S+) is gone$"),
        lambda m: (
            f"{m[1]} lost {m[2]} part way (a vacation or another task); someone else continues it."
        ),
        lambda ms: (
            f"{len(ms)} tasks lost their person part way (a vacation or another task), and "
            f"someone else continues them: {_listed(ms, lambda m: f'{m[1]} ({m[2]})')}."
        ),
    ),
    Wording(
        re.compile(r"^" + _TASK + r" has resource allocation requested, but did not get any"),
        lambda m: (
            f"{m[1]} has people but no time to work set, so none of them was planned on it; give "
            "it a number of working hours or days, or a higher priority."
        ),
        lambda ms: (
            f"{len(ms)} tasks have people but no time to work set, so nobody was planned on "
            f"them: {_listed(ms, lambda m: m[1])}. Give them a number of working hours or days, "
            "or a higher priority."
        ),
    ),
    Wording(
        re.compile(
            r"^The total effort \(.*or ([\d.]+)h\) of the provided bookings for task "
            r"(\S+) exceeds the specified effort of .*or ([\d.]+)h\.$"
        ),
        lambda m: (
            f"{m[2]}: {float(m[1]):g} h are logged, more than the {float(m[3]):g} h it was "
            "given; raise its working time to what the task really takes."
        ),
        lambda ms: (
            f"{len(ms)} tasks have more hours logged than they were given: "
            f"{_listed(ms, lambda m: f'{m[2]} ({float(m[1]):g} h logged of {float(m[3]):g} h)')}"
            ". Raise their working time to what the tasks really take."
        ),
    ),
    Wording(
        re.compile(r"^Dependency loop detected at (?:start|end) of task (\S+)$"),
        lambda m: f"{m[1]} waits for itself: its dependencies go round in a loop.",
    ),
    Wording(
        re.compile(r"^Loop ctnd\. at (?:start|end) of task (\S+)$"),
        lambda m: f"The loop goes through {m[1]}.",
    ),
    Wording(
        re.compile(
            r"^Resource (\S+) has multiple conflicting bookings for (\S+)\. The conflicting "
            r"tasks are (\S+) and (\S+)\.$"
        ),
        lambda m: f"{m[1]} has time logged twice at {m[2]}: on {m[3]} and on {m[4]}.",
    ),
    Wording(
        re.compile(r"^(\S+) is not a defined resource\.$"),
        lambda m: f"{m[1]} is not one of the people the schedule knows.",
    ),
    Wording(re.compile(r"^Aborting$"), lambda m: "The schedule stopped there."),
    Wording(
        re.compile(r"^" + _TASK + r" has no resources assigned$"),
        lambda m: f"{m[1]} has nobody assigned to it.",
        lambda ms: f"{len(ms)} tasks have nobody assigned to them: {_listed(ms, lambda m: m[1])}.",
    ),
    Wording(
        re.compile(r"^" + _TASK + r" has no duration specification$"),
        lambda m: f"{m[1]} has no working time, length or duration set.",
        lambda ms: (
            f"{len(ms)} tasks have no working time, length or duration set: "
            f"{_listed(ms, lambda m: m[1])}."
        ),
    ),
]


def _or_none(moment: str) -> str:
    return "not found" if moment == "<?>" else moment


def _wording(text: str) -> tuple[int, re.Match] | None:
    for index, wording in enumerate(_PLAIN_WORDS):
        match = wording.pattern.search(text)
        if match:
            return index, match
    return None


def plain_words(text: str) -> str:
    """A known tj3 warning said as a producer would; other text unchanged."""
    found = _wording(text)
    return _PLAIN_WORDS[found[0]].one(found[1]) if found else text


def _said(messages: list[Message], names: Names) -> list[Message]:
    """``messages`` with their ``readable`` text; those of one level saying the same of
    different tasks become one message listing them (at the place of the first, its ``text``
    tj3's lines joined), while a message alone keeps its own words."""
    found = {id(message): _wording(message.text) for message in messages}
    alike: dict[tuple[str, int], list[Message]] = {}
    for message in messages:
        hit = found[id(message)]
        if hit and _PLAIN_WORDS[hit[0]].many is not None:
            alike.setdefault((message.level, hit[0]), []).append(message)
    result = []
    for message in messages:
        hit = found[id(message)]
        group = alike.get((message.level, hit[0]), []) if hit else []
        if len(group) > 1 and group[0] is not message:
            continue
        if len(group) > 1:
            plain = _PLAIN_WORDS[hit[0]].many([found[id(item)][1] for item in group])
            message.text = "\n".join(item.text for item in group)
            message.task_ids = _unique(task for item in group for task in item.task_ids)
            message.user_ids = _unique(user for item in group for user in item.user_ids)
            message.source = [line for item in group for line in item.source]
        else:
            plain = plain_words(message.text)
        message.readable = readable_text(plain, names)
        result.append(message)
    return result


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

"""The lines of a breakdown CSV: columns, formula neutralising, the path syntax and parsing one
line.

A path is the codes (names for tasks without a code) from the root, joined by ``/``. In a
segment a backslash escapes ``/``, ``;``, ``#`` and itself (``Fire\\/Ice`` is the task "Fire/Ice");
a segment ending in ``#<id>`` names that one of several siblings sharing a name or code (the
export writes it only for them).
"""

import re
from dataclasses import dataclass, field

from ...models import Task, Type, User
from ...models.meta import InvalidValue
from ...models.schedule import DependencyTarget, ScheduleModel, TimeUnit, parse_enum
from ..errors import ValidationError
from ..tasks.commands import TASK_CLASSES

COLUMNS = (
    "path",
    "entity_type",
    "name",
    "code",
    "type",
    "status",
    "schedule_timing",
    "schedule_unit",
    "schedule_model",
    "priority",
    "cut_in",
    "cut_out",
    "resources",
    "depends_on",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SEPARATOR = "/"
LIST_SEPARATOR = ";"
ESCAPE = "\\"
ID_MARK = "#"
ESCAPED = (ESCAPE, SEPARATOR, LIST_SEPARATOR, ID_MARK)
_ID = re.compile(r"[0-9]{1,18}")

# A task's path: one segment per level, each as ``segment_key`` writes it (escaped, with the
# ``#<id>`` of a duplicate), so the same task always has the same key.
Path = tuple[str, ...]


def escape_segment(text: str) -> str:
    """``text`` with the characters the path syntax uses escaped by a backslash."""
    return "".join(ESCAPE + char if char in ESCAPED else char for char in text)


def _pieces(text: str):
    """The characters of ``text`` with escape pairs kept together (a backslash before any
    other character is a plain backslash)."""
    index = 0
    while index < len(text):
        pair = text[index : index + 2]
        if len(pair) == 2 and pair[0] == ESCAPE and pair[1] in ESCAPED:
            yield pair
            index += 2
        else:
            yield text[index]
            index += 1


def split_escaped(text: str, separator: str) -> list[str]:
    """``text`` cut at each ``separator`` that is not escaped (the escapes stay in the parts)."""
    parts, current = [], []
    for piece in _pieces(text):
        if piece == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(piece)
    parts.append("".join(current))
    return parts


def unescape(text: str) -> str:
    """What ``escape_segment`` escaped, read back."""
    return "".join(piece[-1] for piece in _pieces(text))


def read_segment(text: str) -> tuple[str, int | None]:
    """A segment as written: (the code or name, the id after an unescaped ``#`` or None)."""
    *head, last = split_escaped(text.strip(), ID_MARK)
    if head and _ID.fullmatch(last.strip()):
        return unescape(ID_MARK.join(head)).strip(), int(last)
    return unescape(text).strip(), None


def segment_key(name: str, task_id: int | None = None) -> str:
    """The segment of a path naming ``name`` (and, for one of several, its ``task_id``)."""
    return escape_segment(name) + ("" if task_id is None else f"{ID_MARK}{task_id}")


def join_path(path: Path) -> str:
    return SEPARATOR.join(path)


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula (a leading apostrophe)."""
    return f"'{cell}" if cell.startswith(FORMULA_STARTS) else cell


def restore(cell: str) -> str:
    """The value ``neutralise`` protected."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_STARTS) else cell


@dataclass
class Row:
    """One parsed line: the task's path, kind, field values and dependencies."""

    line: int
    path: Path
    kind: str
    values: dict
    depends: list[tuple[Path, dict]] = field(default_factory=list)


@dataclass
class Lookups:
    """What the lines name, read once: types, Task status codes, users, existing tasks."""

    types: dict[tuple[str, str], Type]
    statuses: set[str]
    users: dict[str, User]
    tasks: dict[Path, Task]
    # A path without the ``#<id>`` of duplicates -> the paths of the tasks it could mean.
    ambiguous: dict[Path, list[Path]] = field(default_factory=dict)


def split_path(text: str) -> Path:
    """The path written ``text`` as segment keys (refusing an empty part)."""
    segments = [read_segment(part) for part in split_escaped(text, SEPARATOR)]
    if not all(name for name, _id in segments):
        raise InvalidValue("path", f"the path '{text}' has an empty part.")
    return tuple(segment_key(name, task_id) for name, task_id in segments)


def _parse_dependency(text: str) -> tuple[Path, dict]:
    parts = text.rsplit(":", 4)
    spec = {}
    if len(parts) == 5:
        text, target, timing, unit, model = parts
        spec = {
            "dependency_target": parse_enum(DependencyTarget, target, "depends_on", "The target"),
            "gap_timing": _float(timing, "The gap"),
            "gap_unit": parse_enum(TimeUnit, unit, "depends_on", "The gap unit"),
            "gap_model": parse_enum(ScheduleModel, model, "depends_on", "The gap model"),
        }
    return split_path(text), spec


def _float(text: str, label: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidValue("", f"{label} must be a number, not '{text}'.") from None
    if value < 0:
        raise InvalidValue("", f"{label} must be zero or more.")
    return value


def _int(text: str, label: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise InvalidValue("", f"{label} must be a whole number, not '{text}'.") from None


class BreakdownImportError(ValidationError):
    """Lines of a CSV file that break a rule; ``errors`` holds (line number, message) pairs."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = sorted(errors, key=lambda error: error[0])  # a line's in column order
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))


class LineProblems(Exception):
    """Everything wrong with one line of a breakdown CSV (``messages``, in column order)."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = messages


class _Problems:
    """Collects the refusals of a line's checks, so one import reports all of them."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def check(self, read, *arguments):
        """``read(*arguments)``, or None when it refuses (its message kept)."""
        try:
            return read(*arguments)
        except InvalidValue as error:
            self.messages.append(error.message)
            return None


def parse_line(line: int, cells: dict[str, str], lookups: Lookups) -> Row:
    """The line as a Row; LineProblems lists everything wrong with it."""
    problems = _Problems()
    kind = cells["entity_type"]
    known_kind = kind in TASK_CLASSES  # the checks that depend on the kind wait for one
    if not known_kind:
        problems.messages.append(f"'{kind}' is not one of {', '.join(TASK_CLASSES)}.")
    values: dict = {"name": cells["name"], "code": cells["code"] or None}
    if not values["name"]:
        problems.messages.append("a name is required.")
    if known_kind and TASK_CLASSES[kind].__code_required__ and not values["code"]:
        problems.messages.append(f"a code is required for a {kind}.")
    path = problems.check(split_path, cells["path"])
    if path is not None and read_segment(path[-1])[0] != (values["code"] or values["name"]):
        problems.messages.append(
            "the path must end with the code (the name when no code); in a path write / ; # "
            "and \\ of a name as \\/ \\; \\# and \\\\."
        )
    values["type"] = None
    if cells["type"] and known_kind:
        values["type"] = lookups.types.get((kind, cells["type"]))
        if values["type"] is None:
            problems.messages.append(f"type '{cells['type']}' does not exist for {kind}.")
    elif kind == "Asset":
        problems.messages.append("an Asset needs a type.")
    if cells["status"] and cells["status"] not in lookups.statuses:
        problems.messages.append(f"status '{cells['status']}' is not a Task status.")
    if cells["schedule_timing"]:
        timing = problems.check(_float, cells["schedule_timing"], "The schedule timing")
        if timing is not None:
            values["schedule_timing"] = timing
    for key, enum_class in (("schedule_unit", TimeUnit), ("schedule_model", ScheduleModel)):
        if cells[key]:
            label = key.replace("_", " ")
            value = problems.check(parse_enum, enum_class, cells[key], key, label)
            if value is not None:
                values[key] = value
    if cells["priority"]:
        priority = problems.check(_int, cells["priority"], "The priority")
        if priority is not None and not 0 <= priority <= 1000:
            problems.messages.append("the priority is a whole number from 0 to 1000.")
        elif priority is not None:
            values["priority"] = priority
    for key in ("cut_in", "cut_out"):
        label = key.replace("_", " ")
        if cells[key] and known_kind and kind != "Shot":
            problems.messages.append(f"only shots have a {label}.")
        elif cells[key]:
            frame = problems.check(_int, cells[key], label)
            if frame is not None:
                values[key] = frame
    if values.get("cut_out", 0) < values.get("cut_in", 0):
        problems.messages.append("the cut out frame is before the cut in frame.")
    logins = [login.strip() for login in cells["resources"].split(LIST_SEPARATOR) if login.strip()]
    unknown = [login for login in logins if login not in lookups.users]
    if unknown:
        problems.messages.append(f"no user has the login {', '.join(unknown)}.")
    values["resources"] = [lookups.users[login] for login in logins if login in lookups.users]
    entries = [entry.strip() for entry in split_escaped(cells["depends_on"], LIST_SEPARATOR)]
    depends = [
        dependency
        for entry in entries
        if entry and (dependency := problems.check(_parse_dependency, entry))
    ]
    if problems.messages:
        raise LineProblems(problems.messages)
    return Row(line, path, kind, values, depends)

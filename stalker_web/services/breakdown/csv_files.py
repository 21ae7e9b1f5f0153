"""The breakdown as CSV: export a project's task tree, import it back (all lines or none)."""

import csv
import io
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from ...models import Project, Sequence, Shot, Task, Type, User
from ...models.meta import InvalidValue
from ..errors import ValidationError
from ..tasks.commands import create_task
from ..tasks.dependencies import add_dependency, remove_dependency
from ..tasks.edit import update_task
from ..transactions import savepoint
from ..workflow import rules
from ..workflow.statuses import task_status, task_statuses
from .rows import (
    COLUMNS,
    LIST_SEPARATOR,
    LineProblems,
    Lookups,
    Path,
    Row,
    join_path,
    neutralise,
    parse_line,
    restore,
    segment_key,
    split_path,
)


class BreakdownImportError(ValidationError):
    """Lines of a CSV file that break a rule; ``errors`` holds (line number, message) pairs."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = sorted(errors, key=lambda error: error[0])  # a line's in column order
        super().__init__("\n".join(f"line {line}: {message}" for line, message in self.errors))


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)


def project_tasks(dbsession: Session, project: Project) -> list[Task]:
    """Every task of ``project`` in tree order, with what the CSV shows (a fixed query count)."""
    every_kind = with_polymorphic(Task, "*")  # the shots' frames come in the same query
    tasks = dbsession.scalars(
        select(every_kind)
        .where(every_kind.project_id == project.id)
        .options(
            selectinload(every_kind.type),
            selectinload(every_kind.status),
            selectinload(every_kind.resources),
            selectinload(every_kind.task_depends_on),
        )
    ).all()
    return sorted(tasks, key=lambda task: [int(part) for part in task.path.strip("/").split("/")])


@dataclass
class CsvPaths:
    """Each task's path by id, and the paths that would name several siblings sharing a code
    or name without their ``#<id>`` (with the paths they could mean)."""

    by_id: dict[int, Path]
    ambiguous: dict[Path, list[Path]]


def csv_paths(tasks: list[Task]) -> CsvPaths:
    """Each task's path of codes (names for tasks without a code) from its root; siblings that
    share one get their id in it, so every task has its own path."""
    shared = Counter((task.parent_id, task.code or task.name) for task in tasks)
    paths: dict[int, Path] = {}
    ambiguous: dict[Path, list[Path]] = {}
    for task in tasks:  # tree order: a parent's path is known before its children's
        segment = task.code or task.name
        parent = paths[task.parent_id] if task.parent_id is not None else ()
        if shared[(task.parent_id, segment)] > 1:
            paths[task.id] = (*parent, segment_key(segment, task.id))
            ambiguous.setdefault((*parent, segment_key(segment)), []).append(paths[task.id])
        else:
            paths[task.id] = (*parent, segment_key(segment))
    return CsvPaths(paths, ambiguous)


def _dependency_cell(dependency, paths: dict[int, Path]) -> str:
    return ":".join(
        (
            join_path(paths[dependency.depends_on_id]),
            dependency.dependency_target.value,
            _number(dependency.gap_timing),
            dependency.gap_unit.value,
            dependency.gap_model.value,
        )
    )


def export_breakdown(dbsession: Session, project: Project) -> str:
    """The project's task tree as CSV text, one row per task, parents before children; it
    always works (see ``csv_paths``). Dependencies on tasks of other projects are left out
    (a path cannot name them), and an import leaves them as they are."""
    tasks = project_tasks(dbsession, project)
    paths = csv_paths(tasks).by_id
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    for task in tasks:
        is_shot = isinstance(task, Shot)
        row = (
            join_path(paths[task.id]),
            task.entity_type,
            task.name,
            task.code or "",
            task.type.name if task.type else "",
            task.status.code,
            _number(task.schedule_timing),
            task.schedule_unit.value,
            task.schedule_model.value,
            str(task.priority),
            str(task.cut_in) if is_shot else "",
            str(task.cut_out) if is_shot else "",
            LIST_SEPARATOR.join(user.login for user in task.resources),
            LIST_SEPARATOR.join(
                _dependency_cell(dependency, paths)
                for dependency in task.task_depends_on
                if dependency.depends_on_id in paths
            ),
        )
        writer.writerow([neutralise(cell) for cell in row])
    return output.getvalue()


def _lookups(dbsession: Session, project: Project, lines: list[dict[str, str]]) -> Lookups:
    logins = {
        login.strip()
        for cells in lines
        for login in cells["resources"].split(LIST_SEPARATOR)
        if login.strip()
    }
    tasks = project_tasks(dbsession, project)
    paths = csv_paths(tasks)
    return Lookups(
        types={
            (kind.target_entity_type, kind.name): kind for kind in dbsession.scalars(select(Type))
        },
        statuses=set(task_statuses(dbsession)),
        users={
            user.login: user
            for user in dbsession.scalars(select(User).where(User.login.in_(logins)))
        },
        tasks={paths.by_id[task.id]: task for task in tasks},
        ambiguous=paths.ambiguous,
    )


def _read(text: str) -> list[tuple[int, dict[str, str]]]:
    """The lines of the file with their numbers; a line the CSV reader refuses is reported."""
    reader = csv.DictReader(io.StringIO(text))
    line = 1
    try:
        header = reader.fieldnames or []
        missing = [column for column in COLUMNS if column not in header]
        if missing:
            raise BreakdownImportError([(1, f"the header lacks the columns {', '.join(missing)}.")])
        rows = []
        line = reader.line_num + 1
        for row in reader:
            rows.append((line, {key: restore((row.get(key) or "").strip()) for key in COLUMNS}))
            line = reader.line_num + 1
    except csv.Error as error:
        raise BreakdownImportError([(line, f"it cannot be read as CSV: {error}.")]) from error
    return rows


def _ambiguity(path: Path, lookups: Lookups) -> str | None:
    """Why ``path`` (or a path it starts with) could mean several tasks, or None."""
    for length in range(1, len(path) + 1):
        meant = lookups.ambiguous.get(path[:length])
        if meant:
            choices = " or ".join(join_path(each) for each in meant)
            return (
                f"{join_path(path[:length])} names {len(meant)} tasks: write {choices} "
                "(as the export does)."
            )
    return None


def _listed_path(text: str) -> Path | None:
    """The path a line gives, even when the rest of the line is wrong (None if unreadable)."""
    try:
        return split_path(text)
    except InvalidValue:
        return None


def _check_rows(rows: list[Row], lookups: Lookups, listed: set[Path]) -> list[tuple[int, str]]:
    """The rules between lines: parents, kinds, unique paths and shot codes, containers, and
    paths naming one of several duplicates without its id."""
    errors = []
    by_path: dict[Path, Row] = {}
    shot_codes = {
        task.code.lower(): path for path, task in lookups.tasks.items() if isinstance(task, Shot)
    }
    parents = {path[:-1] for path in lookups.tasks} | {row.path[:-1] for row in rows}
    known = set(lookups.tasks) | listed  # a wrong line's path too: its children are not wrong
    for row in rows:
        name = join_path(row.path)
        existing = lookups.tasks.get(row.path)
        unclear = [_ambiguity(path, lookups) for path in (row.path, *(d for d, _ in row.depends))]
        # A path naming several tasks makes the other checks guesses: it alone is reported.
        problems = list(dict.fromkeys(reason for reason in unclear if reason))
        if not problems:
            if row.path in by_path:
                problems.append(f"{name} is already on line {by_path[row.path].line}.")
            if len(row.path) > 1 and row.path[:-1] not in known:
                problems.append(f"no task {join_path(row.path[:-1])} to put it in.")
            if existing is not None and existing.entity_type != row.kind:
                problems.append(f"{name} is a {existing.entity_type}, not a {row.kind}.")
            code = (row.values["code"] or "").lower()
            if row.kind == "Shot" and shot_codes.get(code, row.path) != row.path:
                problems.append(f"shot code {row.values['code']} is already used.")
            if row.values["resources"] and row.path in parents:
                problems.append(f"{name} has child tasks, so it has no resources.")
            problems += [
                f"no task {join_path(dependency)} to depend on."
                for dependency, _spec in row.depends
                if dependency not in known
            ]
        errors += [(row.line, problem) for problem in problems]
        by_path.setdefault(row.path, row)
        if row.kind == "Shot":
            shot_codes.setdefault(row.values["code"].lower(), row.path)
    return errors


def _apply_tasks(dbsession: Session, project: Project, rows: list[Row], tasks: dict) -> dict:
    """Create or update each line's task, parents first; ``tasks`` gains the new ones."""
    ready = task_status(dbsession, rules.RTS)
    counts = {"created": 0, "updated": 0}
    for row in sorted(rows, key=lambda row: len(row.path)):
        task = tasks.get(row.path)
        try:
            if task is not None:
                update_task(dbsession, task, submitted_version=task.version_id, **row.values)
                counts["updated"] += 1
                continue
            values = dict(row.values)
            parent = tasks.get(row.path[:-1]) if len(row.path) > 1 else None
            if row.kind == "Shot" and isinstance(parent, Sequence):
                values["sequence"] = parent
            tasks[row.path] = create_task(
                dbsession, row.kind, project=project, parent=parent, status=ready, **values
            )
            counts["created"] += 1
        except ValidationError as error:
            raise BreakdownImportError([(row.line, error.message)]) from error
    return counts


def _apply_dependencies(dbsession: Session, rows: list[Row], tasks: dict) -> None:
    """Make each line's task wait for exactly what its line lists (with every circular check);
    dependencies on tasks of other projects, which no line can list, stay."""
    here = {task.id for task in tasks.values()}
    wanted = {
        row.line: (
            tasks[row.path],
            {tasks[path].id: (tasks[path], spec) for path, spec in row.depends},
        )
        for row in rows
    }
    for task, targets in wanted.values():  # removals first: a dropped dependency frees loops
        for dependency in list(task.task_depends_on):
            spec = targets.get(dependency.depends_on_id, (None, None))[1]
            changed = spec is not None and any(
                getattr(dependency, key) != value for key, value in spec.items()
            )
            if dependency.depends_on_id not in here:
                continue
            if spec is None or changed:
                remove_dependency(dbsession, task, dependency.depends_on)
    for line, (task, targets) in wanted.items():
        held = {dependency.depends_on_id for dependency in task.task_depends_on}
        for target_id, (target, spec) in targets.items():
            if target_id not in held:
                try:
                    add_dependency(dbsession, task, target, **spec)
                except ValidationError as error:
                    raise BreakdownImportError([(line, error.message)]) from error


def import_breakdown(dbsession: Session, project: Project, text: str) -> dict:
    """Create or update the tasks of ``project`` from CSV ``text`` (matched by path).

    Every line is checked first and the errors of all lines are raised together
    (BreakdownImportError); nothing is imported when any line is wrong. Returns the counts of
    created and updated tasks. Statuses are not imported: they follow the workflow.
    """
    lines = _read(text)
    lookups = _lookups(dbsession, project, [cells for _line, cells in lines])
    rows, errors = [], []
    for line, cells in lines:
        try:
            rows.append(parse_line(line, cells, lookups))
        except LineProblems as problems:
            errors += [(line, message) for message in problems.messages]
    listed = {path for _line, cells in lines if (path := _listed_path(cells["path"]))}
    errors += _check_rows(rows, lookups, listed)
    if errors:
        raise BreakdownImportError(errors)
    tasks = dict(lookups.tasks)
    with savepoint(dbsession):  # a rule only the database can check undoes the whole file
        counts = _apply_tasks(dbsession, project, rows, tasks)
        _apply_dependencies(dbsession, rows, tasks)
    return counts

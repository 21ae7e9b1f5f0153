"""The breakdown as CSV: export a project's task tree, import it back (all lines or none)."""

import csv
import io
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, with_polymorphic

from ...models import Project, Shot, Status, Task, TaskDependency, Type, User
from ...models.meta import InvalidValue
from ...models.task import task_resources
from ..transactions import savepoint
from ..workflow.statuses import task_statuses
from .applying import write_breakdown
from .rows import (
    COLUMNS,
    LIST_SEPARATOR,
    BreakdownImportError,
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

# Tasks read and written per batch of an export; lines checked between progress reports.
EXPORT_BATCH = 500
PROGRESS_EVERY = 250
CHECKING, SAVING = "checking", "saving"
# Told how far an import got: (stage, lines done, lines in all).
Progress = Callable[[str, int, int], None]


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


def _tree_rows(dbsession: Session, project: Project) -> list:
    """The id, parent, path, code and name of every task of ``project`` in tree order."""
    rows = dbsession.execute(
        select(Task.id, Task.parent_id, Task.path, Task.code, Task.name).where(
            Task.project_id == project.id
        )
    ).all()
    return sorted(rows, key=lambda row: [int(part) for part in row.path.strip("/").split("/")])


def _export_batch(dbsession: Session, ids: list[int]) -> tuple[list, dict, dict]:
    """The CSV's columns of tasks ``ids`` as plain values: their rows, their resources' logins
    and their dependencies (three queries)."""
    tasks = Task.__table__
    rows = dbsession.execute(
        select(
            tasks.c.id,
            tasks.c.entity_type,
            tasks.c.name,
            tasks.c.code,
            Type.name.label("type_name"),
            Status.code.label("status_code"),
            tasks.c.schedule_timing,
            tasks.c.schedule_unit,
            tasks.c.schedule_model,
            tasks.c.priority,
            tasks.c.cut_in,
            tasks.c.cut_out,
        )
        .join(Status, Status.id == tasks.c.status_id)
        .outerjoin(Type, Type.id == tasks.c.type_id)
        .where(tasks.c.id.in_(ids))
    ).all()
    logins: dict[int, list[str]] = {}
    for task_id, login in dbsession.execute(
        select(task_resources.c.task_id, User.login)
        .join(User, User.id == task_resources.c.user_id)
        .where(task_resources.c.task_id.in_(ids))
        .order_by(User.name, User.id)
    ):
        logins.setdefault(task_id, []).append(login)
    dependencies: dict[int, list] = {}
    for dependency in dbsession.execute(
        select(TaskDependency.__table__).where(TaskDependency.task_id.in_(ids))
    ):
        dependencies.setdefault(dependency.task_id, []).append(dependency)
    return rows, logins, dependencies


def breakdown_lines(dbsession: Session, project: Project) -> Iterator[str]:
    """The project's task tree as CSV text, one row per task, parents before children, given a
    batch of ``EXPORT_BATCH`` rows at a time as they are read (plain columns, never ORM
    objects, so a large project is not held in memory). It always works (see ``csv_paths``).
    Dependencies on tasks of other projects are left out (a path cannot name them), and an
    import leaves them as they are."""
    tree = _tree_rows(dbsession, project)
    paths = csv_paths(tree).by_id
    place = {row.id: index for index, row in enumerate(tree)}  # dependencies in tree order
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    for start in range(0, len(tree), EXPORT_BATCH):
        ids = [row.id for row in tree[start : start + EXPORT_BATCH]]
        rows, logins, dependencies = _export_batch(dbsession, ids)
        by_id = {row.id: row for row in rows}
        for task_id in ids:
            task = by_id[task_id]
            is_shot = task.entity_type == "Shot"
            row = (
                join_path(paths[task_id]),
                task.entity_type,
                task.name,
                task.code or "",
                task.type_name or "",
                task.status_code,
                _number(task.schedule_timing),
                task.schedule_unit.value,
                task.schedule_model.value,
                str(task.priority),
                str(task.cut_in) if is_shot else "",
                str(task.cut_out) if is_shot else "",
                LIST_SEPARATOR.join(logins.get(task_id, ())),
                LIST_SEPARATOR.join(
                    _dependency_cell(dependency, paths)
                    for dependency in sorted(
                        dependencies.get(task_id, ()),
                        key=lambda each: place.get(each.depends_on_id, -1),
                    )
                    if dependency.depends_on_id in paths
                ),
            )
            writer.writerow([neutralise(cell) for cell in row])
        yield output.getvalue()
        output.seek(0)
        output.truncate()
    if not tree:
        yield output.getvalue()


def export_breakdown(dbsession: Session, project: Project) -> str:
    """The whole of ``breakdown_lines`` as one text (small projects, tests)."""
    return "".join(breakdown_lines(dbsession, project))


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


def import_breakdown(
    dbsession: Session, project: Project, text: str, progress: Progress | None = None
) -> dict:
    """Create or update the tasks of ``project`` from CSV ``text`` (matched by path).

    Every line is checked first and the errors of all lines are raised together
    (BreakdownImportError); nothing is imported when any line is wrong. Returns the counts of
    created and updated tasks. Statuses are not imported: they follow the workflow.
    ``progress(stage, done, total)`` hears how far the checks got ("checking", lines) and when
    the writing starts ("saving").
    """
    report = progress or (lambda stage, done, total: None)
    lines = _read(text)
    report(CHECKING, 0, len(lines))
    lookups = _lookups(dbsession, project, [cells for _line, cells in lines])
    rows, errors = [], []
    for done, (line, cells) in enumerate(lines, start=1):
        try:
            rows.append(parse_line(line, cells, lookups))
        except LineProblems as problems:
            errors += [(line, message) for message in problems.messages]
        if done % PROGRESS_EVERY == 0:
            report(CHECKING, done, len(lines))
    listed = {path for _line, cells in lines if (path := _listed_path(cells["path"]))}
    errors += _check_rows(rows, lookups, listed)
    if errors:
        raise BreakdownImportError(errors)
    report(SAVING, len(lines), len(lines))
    with savepoint(dbsession):  # a rule only the database can check undoes the whole file
        return write_breakdown(dbsession, project, rows, dict(lookups.tasks))

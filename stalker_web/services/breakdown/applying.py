"""Writing a checked breakdown file in bulk: every rule the task services check one task at a
time is checked for the whole file in memory first (all refusals reported together), then the
new tasks go in a few executemany statements, the changed ones are updated, the dependencies
replaced, and the workflow re-derives the statuses once for all.

A new task is written in the status it would end in (waiting, WFD, while a dependency is
unfinished; a new container derived from its new children), so no status change is recorded
for a task that did not exist before; the existing parents and the tasks whose dependencies
changed go through the workflow as before.
"""

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from ...db import current_user_id
from ...models import Project, Sequence, Task, TaskDependency
from ...models.schedule import DependencyTarget, ScheduleModel, TimeUnit
from ...models.task import task_alternative_resources, task_resources
from ..errors import ValidationError, model_rules
from ..tasks.bulk_rows import (
    child_path,
    insert_dependencies,
    insert_resources,
    insert_task_rows,
    reserve_task_ids,
    task_row,
)
from ..tasks.commands import TASK_CLASSES
from ..tasks.edit import update_task
from ..workflow import rules
from ..workflow.actions import (
    check_dependencies_may_change,
    dependencies_changed,
    refresh_containers,
    settle,
)
from ..workflow.statuses import task_statuses
from .dependency_loops import first_loop, load_graph
from .rows import BreakdownImportError, Path, Row

ONSTART = DependencyTarget.ONSTART
# The values a dependency takes when its line gives no target, gap and model (add_dependency's).
DEPENDENCY_DEFAULTS = {
    "dependency_target": DependencyTarget.ONEND,
    "gap_timing": 0.0,
    "gap_unit": TimeUnit.HOUR,
    "gap_model": ScheduleModel.LENGTH,
}


@dataclass
class _Node:
    """A task a line names, existing (``task``) or new (``row``, with its reserved id)."""

    id: int
    name: str
    parent_id: int | None
    path: str
    key: Path
    status: str
    task: Task | None = None
    row: Row | None = None
    probe: Task | None = None
    children: list["_Node"] = field(default_factory=list)

    @property
    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/")[:-1]]


@dataclass
class _Addition:
    line: int
    node: _Node
    target: _Node
    spec: dict


@dataclass
class _Plan:
    nodes: dict[Path, _Node]
    new: list[_Node]
    removals: list[TaskDependency] = field(default_factory=list)
    additions: list[_Addition] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def _existing_node(key: Path, task: Task) -> _Node:
    return _Node(task.id, task.name, task.parent_id, task.path, key, task.status.code, task=task)


def _plan_new_tasks(dbsession: Session, project: Project, rows: list[Row], plan: _Plan) -> None:
    """A node per new line, parents first, built by the model's constructor (its rules)."""
    new_rows = sorted(
        (row for row in rows if row.path not in plan.nodes), key=lambda row: len(row.path)
    )
    ready = task_statuses(dbsession)[rules.RTS]
    for row, task_id in zip(new_rows, reserve_task_ids(dbsession, len(new_rows)), strict=True):
        values = {key: value for key, value in row.values.items() if key != "resources"}
        try:
            with model_rules():
                probe = TASK_CLASSES[row.kind](project=project, status=ready, **values)
        except ValidationError as error:
            plan.errors.append((row.line, error.message))
            continue
        parent = plan.nodes.get(row.path[:-1]) if len(row.path) > 1 else None
        node = _Node(
            task_id,
            probe.name,
            parent.id if parent else None,
            child_path(parent.path if parent else None, task_id),
            row.path,
            rules.RTS,
            row=row,
            probe=probe,
        )
        if parent is not None:
            parent.children.append(node)
        plan.nodes[row.path] = node
        plan.new.append(node)


def _check_parents(dbsession: Session, rows: list[Row], plan: _Plan) -> None:
    """An existing task given children must have no resources (containers have none); one
    whose line is in the file gets that line's resources, which ``_check_rows`` checked."""
    listed = {row.path for row in rows}
    first_child: dict[int, tuple[_Node, _Node]] = {}  # existing parent id -> (it, a new child)
    for node in plan.new:
        parent = plan.nodes.get(node.row.path[:-1]) if len(node.row.path) > 1 else None
        if parent is not None and parent.task is not None:
            first_child.setdefault(parent.id, (parent, node))
    if not first_child:
        return
    unlisted = [task_id for task_id, (parent, _) in first_child.items() if parent.key not in listed]
    held = set(
        dbsession.scalars(
            select(task_alternative_resources.c.task_id).where(
                task_alternative_resources.c.task_id.in_(list(first_child))
            )
        )
    ) | set(
        dbsession.scalars(
            select(task_resources.c.task_id).where(task_resources.c.task_id.in_(unlisted))
        )
    )
    plan.errors += [
        (
            child.row.line,
            f"{parent.name} has resources: remove them before giving it child tasks (a task "
            "with children only groups the work of its children).",
        )
        for task_id, (parent, child) in first_child.items()
        if task_id in held
    ]


def _plan_dependencies(rows: list[Row], plan: _Plan) -> None:
    """What each line's task must stop and start waiting for (a changed gap is a removal and an
    addition); dependencies on tasks of other projects stay."""
    here = {node.id for node in plan.nodes.values()}
    for row in rows:
        node = plan.nodes[row.path]
        targets = {plan.nodes[path].id: (plan.nodes[path], spec) for path, spec in row.depends}
        held = set()
        for dependency in node.task.task_depends_on if node.task is not None else ():
            if dependency.depends_on_id not in here:
                continue
            spec = targets.get(dependency.depends_on_id, (None, None))[1]
            if spec is None or any(
                getattr(dependency, key) != value for key, value in spec.items()
            ):
                plan.removals.append(dependency)
            else:
                held.add(dependency.depends_on_id)
        plan.additions += [
            _Addition(row.line, node, target, {**DEPENDENCY_DEFAULTS, **spec})
            for target_id, (target, spec) in targets.items()
            if target_id not in held
        ]


def _refusal(addition: _Addition) -> str | None:
    """Why the dependency of ``addition`` is refused, as ``check_dependency`` says it."""
    node, target = addition.node, addition.target
    if target.id == node.id:
        return "A task cannot depend on itself."
    if target.id == node.parent_id:
        return "A task cannot depend on its own parent."
    if target.id in node.ancestor_ids:
        return (
            f"A task cannot depend on a task that contains it: {target.name} contains {node.name}."
        )
    if node.id in target.ancestor_ids:
        return f"A task cannot depend on a task inside it: {target.name} is inside {node.name}."
    if node.task is not None:
        try:
            check_dependencies_may_change(node.task)
        except ValidationError as error:
            return error.message
    return None


def _check_dependencies(dbsession: Session, plan: _Plan) -> None:
    """Each new dependency's own rules, then whether all of them together close a loop (the
    first line that closes one is named)."""
    for addition in plan.additions:
        reason = _refusal(addition)
        if reason:
            plan.errors.append((addition.line, reason))
    if plan.errors or not plan.additions:
        return
    graph = load_graph(dbsession)
    graph.parents.update({node.id: node.parent_id for node in plan.new})
    added = [
        (addition.node.id, addition.target.id, addition.spec["dependency_target"] != ONSTART)
        for addition in plan.additions
    ]
    removed = [
        (dependency.task_id, dependency.depends_on_id, dependency.dependency_target != ONSTART)
        for dependency in plan.removals
    ]
    closing = first_loop(graph, removed, added)
    if closing is not None:
        addition = plan.additions[closing]
        plan.errors.append(
            (
                addition.line,
                f"{addition.target.name} already waits for {addition.node.name} (directly or "
                "through other tasks), so this dependency would close a loop.",
            )
        )


def _settle_new_statuses(plan: _Plan) -> None:
    """The status each new task is written in: a leaf waits while any of its dependencies is
    unfinished (a new task always is); a container follows its children, deepest first."""
    waits = {}
    for addition in plan.additions:
        unfinished = addition.target.task is None or addition.target.status not in rules.FINISHED
        waits[addition.node.id] = waits.get(addition.node.id, False) or unfinished
    for node in reversed(plan.new):  # children before their parents
        if node.children:
            node.status = rules.container_code(child.status for child in node.children)
            if node.status == rules.RTS and waits.get(node.id):
                node.status = rules.WFD
        else:
            node.status = rules.WFD if waits.get(node.id) else rules.RTS


def _changes(task: Task, values: dict) -> dict:
    """The values of a line that differ from its task's."""
    changes = {}
    for key, value in values.items():
        if key == "resources":
            if {user.id for user in value} != {user.id for user in task.resources}:
                changes[key] = value
        elif getattr(task, key) != value:
            changes[key] = value
    return changes


def _update_existing(dbsession: Session, rows: list[Row], plan: _Plan) -> None:
    """Change the existing tasks whose line differs, through ``update_task`` (its rules)."""
    for row in sorted(rows, key=lambda row: len(row.path)):
        task = plan.nodes[row.path].task
        changes = _changes(task, row.values) if task is not None else {}
        if changes:
            try:
                update_task(dbsession, task, submitted_version=task.version_id, **changes)
            except ValidationError as error:
                raise BreakdownImportError([(row.line, error.message)]) from error


def _insert_new(dbsession: Session, plan: _Plan) -> None:
    """Insert the new tasks in their planned statuses, shots in their sequence, and their
    resources."""
    statuses = task_statuses(dbsession)
    user_id = current_user_id(dbsession)
    rows = []
    for node in plan.new:
        row = task_row(
            node.probe, task_id=node.id, parent_id=node.parent_id, path=node.path, user_id=user_id
        )
        row["status_id"] = statuses[node.status].id
        parent = plan.nodes.get(node.row.path[:-1]) if len(node.row.path) > 1 else None
        in_sequence = parent is not None and (
            isinstance(parent.task, Sequence) or (parent.row and parent.row.kind == "Sequence")
        )
        if node.row.kind == "Shot" and in_sequence:
            row["sequence_id"] = parent.id
        rows.append(row)
    insert_task_rows(dbsession, rows)
    insert_resources(
        dbsession,
        [(node.id, user.id) for node in plan.new for user in node.row.values["resources"]],
    )


def _replace_dependencies(dbsession: Session, plan: _Plan) -> list[Task]:
    """Delete and insert the planned dependencies; returns the existing tasks they changed."""
    touched = {addition.node.task for addition in plan.additions if addition.node.task}
    touched |= {dependency.task for dependency in plan.removals}
    targets = {addition.target.task for addition in plan.additions if addition.target.task}
    targets |= {dependency.depends_on for dependency in plan.removals}
    for dependency in plan.removals:
        dbsession.delete(dependency)
    dbsession.flush()
    insert_dependencies(
        dbsession,
        [
            {"task_id": addition.node.id, "depends_on_id": addition.target.id, **addition.spec}
            for addition in plan.additions
        ],
    )
    for task in touched:
        dbsession.expire(task, ["task_depends_on"])
    for task in targets - {None}:
        dbsession.expire(task, ["task_dependent_of"])
    return sorted(touched, key=lambda task: task.id)


def _refresh_existing_parents(dbsession: Session, plan: _Plan) -> None:
    """Re-derive the existing tasks that got new children (and those above them)."""
    first_children = {}
    for node in plan.new:
        parent = plan.nodes[node.row.path[:-1]] if len(node.row.path) > 1 else None
        if parent is not None and parent.task is not None:
            first_children.setdefault(parent.id, node.id)
            dbsession.expire(parent.task, ["children"])
    if first_children:
        children = dbsession.scalars(select(Task).where(Task.id.in_(first_children.values())))
        settle(dbsession, refresh_containers(dbsession, list(children)))


def write_breakdown(
    dbsession: Session, project: Project, rows: list[Row], tasks: dict[Path, Task]
) -> dict:
    """Create or update the tasks of ``rows`` (checked by ``csv_files``) and their
    dependencies; ``tasks``: the project's tasks by path. Everything is checked before the
    first write; BreakdownImportError lists every refusal. Returns the counts."""
    plan = _Plan({path: _existing_node(path, task) for path, task in tasks.items()}, [])
    _plan_new_tasks(dbsession, project, rows, plan)
    if not plan.errors:
        _check_parents(dbsession, rows, plan)
        _plan_dependencies(rows, plan)
        _check_dependencies(dbsession, plan)
    if plan.errors:
        raise BreakdownImportError(plan.errors)
    _settle_new_statuses(plan)
    _update_existing(dbsession, rows, plan)
    _insert_new(dbsession, plan)
    changed = _replace_dependencies(dbsession, plan)
    _refresh_existing_parents(dbsession, plan)
    dependencies_changed(dbsession, changed)
    dbsession.flush()
    return {"created": len(plan.new), "updated": len(rows) - len(plan.new)}

"""Promoting a scenario: its changes become the live plan, in one savepoint, all or nothing.

Each change is applied only if its live task is still at the ``version_id`` the change was made
on; each temporary person becomes a user account (no usable password until an administrator
sets one; must change it at first login); left-out tasks are stopped through the workflow; the
plan being replaced is kept as a baseline with its reason; then a live run of the whole studio
is asked for, so the same engine recomputes the live plan. Nothing here commits.
"""

import secrets
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.exc import StaleDataError

from ...models import (
    Scenario,
    ScenarioPerson,
    ScenarioState,
    ScenarioTaskChange,
    ScheduleRun,
    Task,
    User,
)
from ...models.meta import utcnow
from ...models.schedule_run import RunStatus
from ...models.task_path import subtree_pattern
from ...models.user import normalize_login
from ..accounts.passwords import check_password_rules
from ..accounts.users import AssignmentRights, create_user
from ..errors import ValidationError
from ..scheduling.baselines import record_baselines
from ..scheduling.fit import fmt, people_text
from ..scheduling.runs import request_run
from ..scheduling.settings import SchedulingSettings, scheduling_settings
from ..tasks.edit import update_task
from ..tasks.graph import child_counts
from ..tasks.paths import task_paths
from ..transactions import savepoint
from ..workflow import rules
from ..workflow.actions import stop
from .editing import check_scenario_version, refuse_promoted


@dataclass(frozen=True)
class Promotion:
    """What promoting did: how many task changes were applied, the accounts made for the
    temporary people, and the live run asked for (``run_created`` False: one was queued
    already; it will read the promoted plan)."""

    applied: int
    users: list[User]
    run: ScheduleRun
    run_created: bool
    baseline_tasks: int


def _changes(dbsession: Session, scenario: Scenario) -> list[ScenarioTaskChange]:
    return list(
        dbsession.scalars(
            select(ScenarioTaskChange)
            .options(
                joinedload(ScenarioTaskChange.task).joinedload(Task.updated_by),
                joinedload(ScenarioTaskChange.task).joinedload(Task.status),
            )
            .where(ScenarioTaskChange.scenario_id == scenario.id)
            .order_by(ScenarioTaskChange.id)
            .execution_options(populate_existing=True)
        )
    )


def _refuse_moved(dbsession: Session, changes: list[ScenarioTaskChange]) -> None:
    """Refuse when a live task changed after the scenario's change of it was made."""
    moved = [change.task for change in changes if change.base_version_id != change.task.version_id]
    if not moved:
        return
    paths = task_paths(dbsession, moved)
    lines = [
        f"{paths[task.id]} (changed by "
        f"{task.updated_by.name if task.updated_by is not None else 'someone'} on "
        f"{fmt(task.date_updated)})"
        for task in moved
    ]
    raise ValidationError(
        "These tasks changed in the live plan after the scenario changed them: "
        + "; ".join(lines)
        + ". Clear those changes in the scenario and make them again on the tasks as they are "
        "now, then promote."
    )


def _unknown_password(login: str, email: str) -> str:
    """A random password nobody is told (the account is unusable until someone sets one),
    drawn again in the unlikely case the password rules refuse it."""
    while True:
        password = secrets.token_urlsafe(32)
        try:
            check_password_rules(password, normalize_login(login), 0, email=email)
        except ValidationError:
            continue
        return password


def _accounts(
    dbsession: Session,
    people: list[ScenarioPerson],
    accounts: dict[int, tuple[str, str]],
) -> dict[int, User]:
    """A user account per temporary person, checked like the user form (field names end with
    the person id: ``login_<id>``, ``email_<id>``)."""
    users: dict[int, User] = {}
    for person in people:
        login, email = accounts.get(person.id, ("", ""))
        departments = frozenset({person.department_id} - {None})
        try:
            user = create_user(
                dbsession,
                name=person.name,
                login=login,
                email=email,
                password=_unknown_password(login, email),
                password_min_length=0,
                must_change_password=True,
                efficiency=person.efficiency,
                rate=person.rate,
                available_from=person.available_from,
                available_until=person.available_until,
                department_id=person.department_id,
                rights=AssignmentRights(department_ids=departments),
            )
        except ValidationError as error:
            field = f"{error.field}_{person.id}" if error.field else None
            raise ValidationError(f"{person.name}: {error.message}", field) from error
        person.user_id = user.id
        users[person.id] = user
    return users


def _apply(dbsession: Session, change: ScenarioTaskChange, new_users: dict[int, User]) -> None:
    """Write the change's overrides to its live task through the live task edit."""
    values: dict = {}
    if change.priority is not None:
        values["priority"] = change.priority
    if change.schedule_timing is not None:
        values["schedule_timing"] = change.schedule_timing
        values["schedule_unit"] = change.schedule_unit
    if change.pins_changed:
        values["schedule_constraint"] = change.schedule_constraint
        values["start"], values["end"] = change.start, change.end
    if change.resource_ids is not None:
        users = {
            user.id: user
            for user in dbsession.scalars(select(User).where(User.id.in_(change.resource_ids)))
        }
        missing = [user_id for user_id in change.resource_ids if user_id not in users]
        if missing:
            raise ValidationError(
                f"Someone the scenario gives {change.task.name} to has left the studio's "
                "accounts; change the task's people in the scenario, then promote."
            )
        values["resources"] = [users[user_id] for user_id in change.resource_ids] + [
            new_users[person_id] for person_id in change.person_ids or [] if person_id in new_users
        ]
    if values:
        update_task(dbsession, change.task, submitted_version=change.task.version_id, **values)


def _leave_out(dbsession: Session, tasks: list[Task]) -> None:
    """Stop every unfinished leaf under ``tasks`` through the workflow; refuse, naming them,
    when the workflow does not allow stopping some of them."""
    if not tasks:
        return
    patterns = {subtree_pattern(task.path) for task in tasks}
    under = list(
        dbsession.scalars(
            select(Task)
            .options(joinedload(Task.status))
            .where(or_(*(Task.path.like(pattern) for pattern in sorted(patterns))))
            .order_by(Task.path, Task.id)
        )
    )
    containers = child_counts(dbsession, [task.id for task in under])
    leaves = [task for task in under if task.id not in containers]
    refused = [
        task
        for task in leaves
        if task.status.code not in rules.FINISHED
        and not rules.allowed(rules.STOP_ACTION, task.status.code)
    ]
    if refused:
        paths = task_paths(dbsession, refused)
        raise ValidationError(
            "The scenario leaves out tasks the workflow cannot stop (only work in progress "
            "can be stopped): "
            + people_text([f"{paths[task.id]} ({task.status.name})" for task in refused])
            + ". Keep them in the scenario, or finish or delete them in the live plan first."
        )
    for task in leaves:
        if task.status.code not in rules.FINISHED:
            stop(dbsession, task)


def _keep_plan(dbsession: Session, scenario: Scenario, user: User | None, kept: int) -> int:
    """Keep the live plan of every scheduled project as a baseline before it is replaced."""
    project_ids = list(
        dbsession.scalars(
            select(Task.project_id)
            .where(Task.computed_start.is_not(None), Task.computed_end.is_not(None))
            .distinct()
        )
    )
    reason = f"Plan before promoting scenario '{scenario.name}'"[:256]
    return record_baselines(
        dbsession,
        None,
        project_ids,
        kept,
        reason=reason,
        requested_by_id=user.id if user is not None else None,
    )


def promote_scenario(
    dbsession: Session,
    scenario: Scenario,
    user: User | None,
    *,
    accounts: dict[int, tuple[str, str]],
    expected_version: int | None,
    settings: SchedulingSettings | None = None,
) -> Promotion:
    """Make the scenario's changes the live plan (see the module docstring).

    ``accounts`` maps each temporary person's id to the (login, e-mail) of their new account.
    Refused, with nothing changed, when the scenario is promoted already or changed since
    ``expected_version``, a changed task moved in the live plan since, an account is invalid,
    a left-out task cannot be stopped, or a live schedule is running right now.
    """
    settings = settings or scheduling_settings()
    refuse_promoted(scenario)
    check_scenario_version(scenario, expected_version)
    try:
        with savepoint(dbsession):
            changes = _changes(dbsession, scenario)
            _refuse_moved(dbsession, changes)
            new_users = _accounts(dbsession, list(scenario.people), accounts)
            baseline_tasks = _keep_plan(dbsession, scenario, user, settings.baselines_kept)
            for change in changes:
                if not change.left_out:
                    _apply(dbsession, change, new_users)
            _leave_out(dbsession, [change.task for change in changes if change.left_out])
            scenario.state = ScenarioState.PROMOTED
            scenario.promoted_at = utcnow()
            scenario.promoted_by_id = user.id if user is not None else None
            if user is not None:
                scenario.updated_by_id = user.id
            run, created = request_run(dbsession, user, None, settings=settings)
            if not created and run.status is RunStatus.RUNNING:
                raise ValidationError(
                    "The live plan is being scheduled right now; promote once that run has "
                    "finished, so the new plan is not overwritten by it."
                )
            dbsession.flush()
    except StaleDataError as error:
        raise ValidationError(
            "A task of the scenario was changed in the live plan while promoting; reload the "
            "page and promote again."
        ) from error
    return Promotion(
        applied=len(changes),
        users=list(new_users.values()),
        run=run,
        run_created=created,
        baseline_tasks=baseline_tasks,
    )

"""The demo studio and the large benchmark studio: their shape, their rules and their guards.

The demo is loaded around two faked days into databases of their own and scheduled once by
the real tj3, as ``stalker-web <ini> load-demo`` does; its tests only read it (each in a session
rolled back afterwards), so two loads serve them all.
"""

import io
import os
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload, sessionmaker

from stalker_web.db import get_engine, get_session_factory
from stalker_web.events import dispatch_to
from stalker_web.models import (
    Activity,
    Daily,
    DailyVersion,
    Department,
    Group,
    Note,
    Notification,
    OutgoingMail,
    Project,
    Review,
    ReviewStatus,
    RunStatus,
    ScheduleRun,
    Task,
    TaskDependency,
    Ticket,
    TicketLog,
    TimeLog,
    Type,
    User,
    Vacation,
    Version,
)
from stalker_web.services.accounts.passwords import verify_password
from stalker_web.services.errors import ValidationError
from stalker_web.services.pipeline.steps import board_steps
from stalker_web.services.scheduling.lateness import Standing, standings
from stalker_web.services.scheduling.settings import SchedulingSettings
from stalker_web.services.studio.demo import DEMO_PASSWORD, load_demo, schedule_demo
from stalker_web.services.studio.demo_history import parse_progress, working_day_before
from stalker_web.services.studio.large import generate_large_studio
from stalker_web.services.studio.seed import PIPELINE_ORDER, STEP_DEPARTMENT, TYPE_COLOURS
from stalker_web.services.tasks.commands import responsible_users, status_code_for
from stalker_web.services.versions.file_paths import version_file_path
from stalker_web.services.versions.uploads import UploadRules, store_upload, stored_path
from stalker_web.services.versions.versions import create_version
from stalker_web.services.workflow.pages import review_inbox
from stalker_web.services.workflow.rules import container_code
from stalker_web.subscribers import past_recorder

from ...conftest import empty_database, prepare_studio_database

DEMO_CODES = ("LHK", "FIZZ", "LIB")
LARGE_CODES = tuple(f"BIG{number}" for number in range(1, 6))
# A Friday and a Monday, months apart.
FAKED_TODAYS = (date(2026, 12, 4), date(2027, 3, 15))
STARTED = ("WIP", "PREV", "HREV", "CMPL")


@dataclass
class LoadedDemo:
    """The demo loaded around ``today`` and scheduled at ``now`` (noon that day)."""

    today: date
    now: datetime
    sessions: sessionmaker
    task_count: int
    time_log_count: int
    version_count: int
    run: ScheduleRun


@pytest.fixture(scope="module", params=FAKED_TODAYS, ids=str)
def loaded(request, tmp_path_factory):
    directory = tmp_path_factory.mktemp("demo")
    today = request.param
    with empty_database(request.config.getoption("--db-url"), directory) as url:
        prepare_studio_database(url, "scheduler", "Scheduler")
        engine = get_engine({"sqlalchemy.url": url})
        sessions = get_session_factory(engine)
        with sessions() as dbsession, dbsession.begin():
            dispatch_to(dbsession, past_recorder())  # as the CLI does
            demo = load_demo(dbsession, today=today, repository_root=directory / "files")
            counts = (demo.task_count, demo.time_log_count, demo.version_count)
        now = datetime.combine(today, time(12), UTC)
        run = schedule_demo(sessions, SchedulingSettings(work_directory=directory), now=now)
        yield LoadedDemo(today, now, sessions, *counts, run)
        engine.dispose()


@pytest.fixture
def session(loaded):
    """A session on the loaded demo; whatever a test changes is rolled back."""
    with loaded.sessions() as dbsession, dbsession.begin():
        yield dbsession
        dbsession.rollback()


def tasks_of(dbsession, codes) -> list[Task]:
    return list(
        dbsession.scalars(
            select(Task)
            .join(Project, Project.id == Task.project_id)
            .where(Project.code.in_(codes))
            .options(
                selectinload(Task.resources).selectinload(User.department_memberships),
                selectinload(Task.task_depends_on)
                .selectinload(TaskDependency.depends_on)
                .selectinload(Task.status),
                selectinload(Task.status),
                selectinload(Task.children).selectinload(Task.status),
                selectinload(Task.time_logs),
                selectinload(Task.project),
            )
        )
    )


def leaves_of(dbsession) -> list[Task]:
    return [task for task in tasks_of(dbsession, DEMO_CODES) if not task.children]


def assert_tree_rules(tasks: list[Task]) -> None:
    """Paths, resources, dependencies and statuses as the task services and workflow keep them."""
    by_id = {task.id: task for task in tasks}
    for task in tasks:
        parent_path = by_id[task.parent_id].path if task.parent_id else "/"
        assert task.path == f"{parent_path}{task.id}/"
        upstream = [dependency.depends_on for dependency in task.task_depends_on]
        for other in upstream:
            assert other.project_id == task.project_id
            assert other.id != task.id
            assert other.id not in task.ancestor_ids
            assert task.id not in other.ancestor_ids
        if task.children:
            assert task.status.code == container_code(child.status.code for child in task.children)
        elif task.time_logs:
            assert task.status.code in STARTED
            assert all(other.status.code == "CMPL" for other in upstream)
        else:
            assert task.status.code == status_code_for(other.status.code for other in upstream)
        if task.children:
            assert task.resources == []
        else:
            assert len(task.resources) == 1
    assert_no_loop(tasks)


def assert_no_loop(tasks: list[Task]) -> None:
    """A topological sort of the dependency graph takes every task (Kahn's algorithm)."""
    waiting = {task.id: len(task.task_depends_on) for task in tasks}
    dependents: dict[int, list[int]] = {}
    for task in tasks:
        for dependency in task.task_depends_on:
            dependents.setdefault(dependency.depends_on_id, []).append(task.id)
    ready = [task_id for task_id, number in waiting.items() if number == 0]
    sorted_count = 0
    while ready:
        sorted_count += 1
        for dependent in dependents.get(ready.pop(), []):
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                ready.append(dependent)
    assert sorted_count == len(tasks)


def count(dbsession, model, *where) -> int:
    return dbsession.scalar(select(func.count()).select_from(model).where(*where))


def midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


# The demo's shape ------------------------------------------------------------------------


def test_demo_studio_has_three_projects_with_a_team(session):
    projects = session.scalars(select(Project).order_by(Project.id)).all()
    assert [project.code for project in projects] == list(DEMO_CODES)
    users = session.scalars(select(User).where(User.login != "scheduler")).all()
    assert len(users) == 26
    assert all(not user.must_change_password for user in users)
    assert verify_password(users[0].password_hash, DEMO_PASSWORD)
    assert {user.login for user in users} >= {"modeling1", "animation7", "production3"}
    names = set(session.scalars(select(Department.name)))
    assert names >= {"Modeling", "Rigging", "Animation", "Lighting", "Compositing", "Production"}
    groups = {group.name: group for group in session.scalars(select(Group))}
    assert len(groups["Producers"].users) == 3 and len(groups["Artists"].users) == 23
    assert {row.action for row in groups["Producers"].permissions} == {
        "List",
        "Create",
        "Read",
        "Update",
        "Delete",
    }
    producer_rights = {row.permission_name for row in groups["Producers"].permissions}
    assert {"List_ScheduleRun", "Create_ScheduleRun", "List_Vacation"} <= producer_rights
    assert {row.action for row in groups["Artists"].permissions} == {"Read"}
    film = projects[0]
    assert len(film.members) == 26
    assert film.members[0].role.name == "Lead"


def test_demo_studio_has_assets_shots_and_steps(session, loaded):
    tasks = tasks_of(session, DEMO_CODES)
    assert loaded.task_count == len(tasks) == 285
    kinds = Counter(task.entity_type for task in tasks)
    assert kinds == {"Asset": 24, "Sequence": 5, "Shot": 38, "Task": 218}
    steps = Counter(task.name for task in tasks if task.entity_type == "Task")
    assert steps["Layout"] == steps["Comp"] == 38
    assert steps["Model"] == 24 and steps["Rig"] == 18
    for task in tasks:
        if task.entity_type == "Task":
            (resource,) = task.resources
            departments = {m.department.name for m in resource.department_memberships}
            assert STEP_DEPARTMENT[task.name] in departments


def test_demo_studio_keeps_every_tree_and_dependency_rule(session):
    tasks = tasks_of(session, DEMO_CODES)
    assert_tree_rules(tasks)
    for shot_animation in (t for t in tasks if t.name == "Animation"):
        names = sorted(dep.depends_on.name for dep in shot_animation.task_depends_on)
        assert names[0] == "Layout" and 2 <= len(names) <= 4 and set(names[1:]) == {"Rig"}


def test_loading_the_demo_twice_changes_nothing(session, tmp_path):
    before = (count(session, Task), count(session, User), count(session, TimeLog))
    assert load_demo(session, repository_root=tmp_path) is None
    assert (count(session, Task), count(session, User), count(session, TimeLog)) == before


def test_demo_steps_have_colours_pipeline_order_departments_and_efforts(session):
    steps = session.scalars(
        select(Type)
        .where(Type.target_entity_type == "Task", Type.name.in_(PIPELINE_ORDER))
        .order_by(Type.position, Type.name)
    ).all()
    assert [step.name for step in steps] == list(PIPELINE_ORDER)
    assert [step.name for step in steps] == [
        "Model", "Rig", "Shading", "Layout", "Animation", "Lighting", "Comp"
    ]  # fmt: skip
    for step in steps:
        assert step.color is not None
        assert step.step.department.name == STEP_DEPARTMENT[step.name]
        assert step.step.default_schedule_timing > 0
    kinds = session.scalars(select(Type).where(Type.target_entity_type.in_(("Asset", "Project"))))
    assert all(kind.color for kind in kinds if kind.name in TYPE_COLOURS)


def test_demo_projects_have_their_board_columns(session):
    film = session.scalars(select(Project).where(Project.code == "LHK")).one()
    assert [step.name for step in board_steps(session, film, "Shot")] == [
        "Layout", "Animation", "Lighting", "Comp"
    ]  # fmt: skip
    assert [step.name for step in board_steps(session, film, "Asset")] == [
        "Model", "Rig", "Shading"
    ]  # fmt: skip


# Around today ----------------------------------------------------------------------------


def test_the_projects_run_around_today(session, loaded):
    projects = {project.code: project for project in session.scalars(select(Project))}
    for project in projects.values():
        assert project.start < loaded.now
    assert projects["LHK"].end > loaded.now + timedelta(weeks=8)
    assert loaded.now < projects["FIZZ"].end < loaded.now + timedelta(weeks=5)
    assert projects["LIB"].end is None


def test_finished_work_was_logged_in_the_past_weeks_and_approved_by_the_lead(session, loaded):
    finished = [task for task in leaves_of(session) if task.status.code == "CMPL"]
    assert len(finished) >= 30
    for task in finished:
        assert task.time_logs and max(log.end for log in task.time_logs) < midnight(loaded.today)
        assert min(log.start for log in task.time_logs) > loaded.now - timedelta(weeks=12)
        assert task.computed_end < loaded.now
        (review,) = session.scalars(select(Review).where(Review.task_id == task.id)).all()
        assert review.status is ReviewStatus.APPROVED
        assert review.reviewer.login == f"{STEP_DEPARTMENT[task.name].lower()}1"
        assert review.date_updated < midnight(loaded.today)


def test_work_in_progress_spans_today_with_part_of_it_logged(session, loaded):
    working = [task for task in leaves_of(session) if task.status.code == "WIP"]
    spanning = [t for t in working if t.computed_start < loaded.now < t.computed_end]
    assert len(spanning) >= 5
    for task in working:
        assert task.time_logs
        assert max(log.end for log in task.time_logs) < midnight(loaded.today)


def test_some_work_is_late_and_the_rest_comes_in_the_next_weeks(session, loaded):
    leaves = leaves_of(session)
    marks = standings(session, leaves, loaded.now)
    late = [task for task in leaves if marks[task.id] is Standing.LATE]
    assert len(late) >= 3
    assert any(t.status.code == "WIP" and t.end < loaded.now < t.computed_end for t in late)
    upcoming = [task for task in leaves if task.computed_start > loaded.now]
    assert len(upcoming) >= 100
    assert all(not task.time_logs for task in upcoming)
    assert max(task.computed_end for task in leaves) < loaded.now + timedelta(weeks=30)


def test_a_few_people_are_away_around_today(session, loaded):
    vacations = session.scalars(select(Vacation).where(Vacation.user_id.is_not(None))).all()
    assert len(vacations) >= 3
    assert any(vacation.end <= midnight(loaded.today) for vacation in vacations)
    assert any(vacation.start < loaded.now < vacation.end for vacation in vacations)
    assert any(vacation.start > loaded.now for vacation in vacations)
    for vacation in vacations:
        assert abs(vacation.start - loaded.now) < timedelta(weeks=5)
        overlapping = count(
            session,
            TimeLog,
            TimeLog.resource_id == vacation.user_id,
            TimeLog.start < vacation.end,
            TimeLog.end > vacation.start,
        )
        assert overlapping == 0


def test_reviews_wait_for_the_leads_and_revisions_were_asked(session):
    waiting = session.scalars(select(Review).where(Review.status == ReviewStatus.NEW)).all()
    assert len(waiting) >= 2
    for review in waiting:
        assert review.task.status.code == "PREV"
        assert review.reviewer.login == f"{STEP_DEPARTMENT[review.task.name].lower()}1"
        assert review.version is not None and review.version.task_id == review.task_id
    page, _moves = review_inbox(session, waiting[0].reviewer, 1)
    assert waiting[0] in page.items
    revised = session.scalars(
        select(Review).where(Review.status == ReviewStatus.REVISION_REQUESTED)
    ).all()
    assert 1 <= len(revised) <= 3
    assert all(review.task.status.code == "HREV" for review in revised)


def test_versions_have_pictures_and_thumbnails_stored_in_the_repository(session, loaded):
    versions = session.scalars(select(Version).options(selectinload(Version.files))).all()
    assert len(versions) == loaded.version_count >= 30
    assert any(version.version_number >= 3 for version in versions)
    assert any(version.is_published for version in versions)
    for version in versions:
        (stored,) = version.files
        assert stored.mime_type == "image/png" and stored.thumbnail_path
        assert stored.date_created < midnight(loaded.today)
        for relative in (stored.relative_path, stored.thumbnail_path):
            path = stored_path(stored.repository, relative)
            assert path is not None and os.path.getsize(path) > 0


def test_an_upload_on_a_demo_task_goes_where_the_structure_says(session, loaded):
    keeper = session.scalars(select(Task).where(Task.name == "Keeper")).one()
    (keeper_model,) = [task for task in keeper.children if task.name == "Model"]
    version = create_version(session, keeper_model)

    destination = version_file_path(session, version, ".ma")
    stored = store_upload(
        session,
        version,
        filename="keeper.ma",
        stream=io.BytesIO(b"//Maya ASCII 2024 scene\n"),
        rules=UploadRules(extensions=(".ma",), max_bytes=1024, thumbnail_pixels=64),
    )

    number = f"{version.version_number:03d}"
    expected = f"LHK/Assets/Character/Keeper/Model/Keeper_Model_v{number}.ma"
    assert destination.relative_path == stored.relative_path == expected
    assert Path(stored_path(stored.repository, expected)).is_file()


def test_what_happened_is_dated_when_it_happened(session, loaded):
    for model in (Task, TimeLog, Review, Version, Note, Ticket, Daily):
        latest = session.scalar(select(func.max(model.date_updated)))
        assert latest < midnight(loaded.today), model.__name__
    for model in (Activity, Notification, TicketLog):
        latest = session.scalar(select(func.max(model.date_created)))
        assert latest < midnight(loaded.today), model.__name__
    first_days = dict(session.execute(select(Project.id, Project.start)).all())
    for task in session.scalars(select(Task)):
        assert task.date_created == first_days[task.project_id]


def test_each_projects_feed_reads_in_the_order_things_happened(session, loaded):
    for project_id in session.scalars(select(Project.id)):
        moments = session.scalars(
            select(Activity.date_created)
            .where(Activity.project_id == project_id)
            .order_by(Activity.id)
        ).all()
        assert len(moments) > 20
        assert moments == sorted(moments)


def test_people_were_told_in_their_inbox_and_read_all_but_the_last_day(session, loaded):
    last_working_day = midnight(working_day_before(loaded.today, 1))
    notifications = session.scalars(select(Notification)).all()
    unread = [n for n in notifications if n.read_at is None]
    assert unread and len(unread) < len(notifications)
    assert all(n.date_created >= last_working_day for n in unread)
    assert count(session, OutgoingMail) == 0  # nobody is mailed about the demo's past
    lead = session.scalars(select(User).where(User.login == "animation1")).one()
    mentioned = session.scalars(
        select(Notification).where(
            Notification.recipient_id == lead.id, Notification.reason == "mentioned"
        )
    ).all()
    assert len(mentioned) == 1 and mentioned[0].read_at is None


def test_the_film_has_tickets_at_each_stage_of_the_workflow(session):
    tickets = session.scalars(select(Ticket).order_by(Ticket.number)).all()
    assert [ticket.number for ticket in tickets] == [1, 2, 3, 4]
    assert {ticket.project.code for ticket in tickets} == {"LHK"}
    assert sorted(ticket.status.code for ticket in tickets) == ["ACP", "CLS", "NEW", "ROP"]
    for ticket in tickets:
        assert len(ticket.links) == 1
        assert ticket.date_created <= ticket.date_updated
        logged = session.scalars(select(TicketLog).where(TicketLog.ticket_id == ticket.id))
        assert [log.action for log in logged][0] == "create"
    (closed,) = [ticket for ticket in tickets if ticket.status.code == "CLS"]
    assert closed.resolution == "fixed"
    (reopened,) = [ticket for ticket in tickets if ticket.status.code == "ROP"]
    assert reopened.resolution == ""
    assert count(session, Note, Note.ticket_id == reopened.id) == 1


def test_the_lead_has_an_open_daily_of_the_weeks_published_versions(session, loaded):
    (daily,) = session.scalars(select(Daily)).all()
    assert daily.project.code == "LHK" and daily.summary_sent_at is None
    entries = session.scalars(
        select(DailyVersion).where(DailyVersion.daily_id == daily.id).order_by(DailyVersion.rank)
    ).all()
    assert len(entries) >= 5
    week_ago = midnight(loaded.today - timedelta(days=7))
    for entry in entries:
        assert entry.outcome is None
        assert entry.version.is_published and entry.version.date_updated >= week_ago


def test_revisions_reach_the_artist_as_a_note_and_requests_carry_one(session):
    revised = session.scalars(
        select(Review).where(Review.status == ReviewStatus.REVISION_REQUESTED)
    ).all()
    for review in revised:
        notes = session.scalars(select(Note).where(Note.review_id == review.id)).all()
        assert [note.author_id for note in notes] == [review.reviewer_id]
    assert count(session, Review, Review.request_note_id.is_not(None)) > 10


def test_the_first_schedule_run_succeeded_without_warnings(loaded):
    run = loaded.run
    assert run.status is RunStatus.SUCCEEDED, run.error
    warnings = [m["readable"] or m["text"] for m in run.messages if m["level"] != "info"]
    assert warnings == [], "\n".join(warnings)
    assert run.task_count == loaded.task_count


def test_progress_is_read_chain_by_chain():
    assert parse_progress("2 working, 3, 0 in review") == [
        (2, "working"),
        (3, None),
        (0, "in review"),
    ]
    with pytest.raises(ValueError, match="unknown demo stage 'asleep'"):
        parse_progress("1 asleep")


def test_the_demo_refuses_to_load_over_a_user_with_a_demo_login(dbsession, factory, tmp_path):
    factory.user("animation2")
    with pytest.raises(ValidationError, match="animation2 is already used"):
        load_demo(dbsession, repository_root=tmp_path)


# The large studio ------------------------------------------------------------------------


def test_large_studio_at_a_small_scale_keeps_the_proportions(dbsession):
    studio = generate_large_studio(dbsession, scale=0.01)
    assert (studio.users, studio.departments, studio.projects) == (20, 10, 5)
    tasks = tasks_of(dbsession, LARGE_CODES)
    kinds = Counter(task.entity_type for task in tasks)
    assert kinds == {"Asset": 20, "Shot": 20, "Sequence": 5, "Task": 20 * 3 + 20 * 4}
    assert studio.assets == studio.shots == 20
    assert studio.tasks == len(tasks) == 20 * 4 + 5 + 20 * 5
    assert studio.dependencies == count(dbsession, TaskDependency) == 20 * 2 + 20 * 5
    assert_tree_rules(tasks)
    made = studio.supervision
    assert (made.tickets, made.activities, made.versions, made.daily_versions) == (50, 500, 5, 5)
    assert made.notifications == 20 * 2  # 250 per person at full scale: 2 at 0.01
    assert count(dbsession, Ticket) == 50 and count(dbsession, TicketLog) == 50
    numbers = dbsession.execute(
        select(Project.last_ticket_number, func.max(Ticket.number))
        .join(Ticket, Ticket.project_id == Project.id)
        .group_by(Project.id, Project.last_ticket_number)
    ).all()
    assert numbers == [(10, 10)] * 5
    unread = count(dbsession, Notification, Notification.read_at.is_(None))
    assert 0 < unread < made.notifications
    users = dbsession.scalars(select(User).where(User.login.like("big%"))).all()
    assert len(users) == 20 and not any(user.must_change_password for user in users)


def test_large_studio_s_leads_have_reviews_waiting_as_the_review_services_leave_them(dbsession):
    studio = generate_large_studio(dbsession, scale=0.1)
    assert (studio.reviews.waiting, studio.reviews.answered) == (9 * 5, 9 * 2)
    leads = dbsession.scalars(
        select(User).where(User.login.like("big%1"), User.login != "bigproduction1")
    ).all()
    tasks = tasks_of(dbsession, LARGE_CODES)
    assert_tree_rules(tasks)
    for lead in leads:
        page, _moves = review_inbox(dbsession, lead, 1, per_page=100)
        assert len(page.items) == 5
        for review in page.items:
            task = review.task
            assert task.status.code == "PREV" and task.name in ("Model", "Layout")
            assert review.review_number == task.review_number + 1
            assert review.version.task_id == task.id
            assert review.version.version_number == review.review_number
            assert responsible_users(dbsession, [task])[task.id] == [lead]
    revised = dbsession.scalars(
        select(Review).where(Review.status == ReviewStatus.REVISION_REQUESTED)
    ).all()
    assert {review.task.status.code for review in revised} == {"PREV", "HREV"}
    for review in revised:
        assert review.task.review_number == 1
        dependents = review.task.task_dependent_of
        assert dependents and all(link.dependency_target == "onstart" for link in dependents)


def test_large_studio_refuses_to_be_generated_twice(dbsession):
    generate_large_studio(dbsession, scale=0.01)
    with pytest.raises(ValidationError, match="already"):
        generate_large_studio(dbsession, scale=0.01)


def test_large_studio_refuses_a_scale_of_zero(dbsession):
    with pytest.raises(ValidationError, match="more than zero"):
        generate_large_studio(dbsession, scale=0)


def test_large_studio_steps_belong_to_its_own_departments(dbsession):
    generate_large_studio(dbsession, scale=0.01)
    shading = dbsession.scalars(
        select(Type).where(Type.target_entity_type == "Task", Type.name == "Shading")
    ).one()
    assert shading.step.department.name == "Texturing"
    project = dbsession.scalars(select(Project).where(Project.code == "BIG1")).one()
    assert len(board_steps(dbsession, project, "Shot")) == 4

"""The ``stalker-web`` command on a fresh SQLite file: init, create-admin and their refusals."""

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session, selectinload

from stalker_web import DATABASE_URL_ENV_VAR
from stalker_web.cli import INITIAL_ADMIN_LOGIN, INITIAL_ADMIN_PASSWORD, main
from stalker_web.models import Studio, User
from stalker_web.services.accounts.passwords import verify_password

INI = """\
[app:main]
use = egg:stalker_web
sqlalchemy.url = sqlite:///{database}
session.secret = cli-test-secret-0123456789abcdef
argon2.time_cost = 1
argon2.memory_cost = 1024
argon2.parallelism = 1
"""


@pytest.fixture
def cli_database(tmp_path, monkeypatch):
    """An ini file pointing at an empty SQLite file, and that file's path."""
    monkeypatch.delenv(DATABASE_URL_ENV_VAR, raising=False)
    database = tmp_path / "studio.sqlite"
    ini = tmp_path / "cli.ini"
    ini.write_text(INI.format(database=database), encoding="utf-8")
    return str(ini), database


def users_in(database) -> dict[str, User]:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            users = session.scalars(select(User).options(selectinload(User.groups))).all()
            return {user.login: user for user in users}
    finally:
        engine.dispose()


def studio_count(database) -> int:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            return len(session.scalars(select(Studio)).all())
    finally:
        engine.dispose()


def group_names(user: User) -> list[str]:
    return [group.name for group in user.groups]


def test_init_creates_the_studio_and_the_first_admin(cli_database, capsys):
    ini, database = cli_database
    assert main([ini, "init"]) == 0
    assert "created the first admin" in capsys.readouterr().out
    admin = users_in(database)[INITIAL_ADMIN_LOGIN]
    assert group_names(admin) == ["admins"]
    assert admin.must_change_password
    assert verify_password(admin.password_hash, INITIAL_ADMIN_PASSWORD)
    assert studio_count(database) == 1


def test_init_gives_a_new_studio_the_planning_groups(cli_database, capsys):
    from stalker_web.models import Group

    ini, database = cli_database
    assert main([ini, "init"]) == 0
    engine = create_engine(f"sqlite:///{database}")
    with Session(engine) as session:
        groups = session.scalars(select(Group).options(selectinload(Group.permissions))).all()
        rights = {
            group.name: {row.permission_name for row in group.permissions} for group in groups
        }
    engine.dispose()
    assert rights["Producers"] == {
        "List_ScheduleRun",
        "Create_ScheduleRun",
        "List_Vacation",
        "Create_Vacation",
        "Update_Vacation",
        "Delete_Vacation",
        "List_Scenario",
        "Create_Scenario",
        "Update_Scenario",
        "Delete_Scenario",
        "Read_Workload",
        "List_Type",
        "Create_Type",
        "Update_Type",
    }
    assert rights["Coordinators"] == {"List_ScheduleRun", "List_Vacation"}
    assert "created the groups Producers, Coordinators" in capsys.readouterr().out


def test_init_run_twice_changes_nothing_the_second_time(cli_database, capsys):
    ini, database = cli_database
    main([ini, "init"])
    capsys.readouterr()
    assert main([ini, "init"]) == 0
    output = capsys.readouterr().out
    assert "created the first admin" not in output
    assert "is ready" in output
    assert list(users_in(database)) == [INITIAL_ADMIN_LOGIN]
    assert studio_count(database) == 1


def test_the_database_url_can_come_from_the_environment(cli_database, tmp_path, monkeypatch):
    ini, database = cli_database
    elsewhere = tmp_path / "elsewhere.sqlite"
    monkeypatch.setenv(DATABASE_URL_ENV_VAR, f"sqlite:///{elsewhere}")
    assert main([ini, "init"]) == 0
    assert list(users_in(elsewhere)) == [INITIAL_ADMIN_LOGIN]
    assert not database.exists()


def test_create_admin_with_a_password_adds_a_member_of_the_admin_group(cli_database, capsys):
    ini, database = cli_database
    main([ini, "init"])
    arguments = ["--login", "Boss", "--email", "boss@example.com", "--name", "The Boss"]
    assert main([ini, "create-admin", *arguments, "--password", "a long enough secret"]) == 0
    output = capsys.readouterr().out
    assert "created admin 'boss'" in output
    assert "a long enough secret" not in output  # a password given is never echoed
    boss = users_in(database)["boss"]
    assert group_names(boss) == ["admins"]
    assert not boss.must_change_password
    assert verify_password(boss.password_hash, "a long enough secret")
    assert boss.password_hash.startswith("$argon2id$")


def test_create_admin_with_a_weak_password_exits_2_with_the_reason(cli_database, capsys):
    ini, database = cli_database
    main([ini, "init"])
    arguments = ["--login", "boss", "--email", "boss@example.com", "--name", "The Boss"]
    assert main([ini, "create-admin", *arguments, "--password", "short"]) == 2
    assert "error: Use at least 10 characters." in capsys.readouterr().err
    assert "boss" not in users_in(database)


def test_create_admin_with_a_taken_login_exits_2(cli_database, capsys):
    ini, database = cli_database
    main([ini, "init"])
    arguments = ["--login", "admin", "--email", "other@example.com", "--name", "Other"]
    assert main([ini, "create-admin", *arguments, "--password", "a long enough secret"]) == 2
    assert "The login 'admin' is taken" in capsys.readouterr().err


def project_codes(database) -> list[str]:
    from stalker_web.models import Project

    engine = create_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            return sorted(session.scalars(select(Project.code)))
    finally:
        engine.dispose()


def activity_kinds(database) -> dict[str, int]:
    """How many activity records of each kind, and how many notifications ("notified")."""
    from stalker_web.models import Activity, Notification

    engine = create_engine(f"sqlite:///{database}")
    try:
        with Session(engine) as session:
            kinds = dict(
                session.execute(select(Activity.kind, func.count()).group_by(Activity.kind)).all()
            )
            kinds["notified"] = session.scalar(select(func.count()).select_from(Notification))
            return kinds
    finally:
        engine.dispose()


def test_load_demo_after_init_fills_the_studio_once(cli_database, capsys):
    from stalker_web.services.studio.demo import DEMO_PASSWORD

    ini, database = cli_database
    main([ini, "init"])
    assert main([ini, "load-demo"]) == 0
    output = capsys.readouterr().out
    assert "loaded the demo studio: 3 projects" in output
    assert f"password {DEMO_PASSWORD!r}" in output
    assert "scheduled the demo studio with tj3" in output
    assert project_codes(database) == ["FIZZ", "LHK", "LIB"]
    files = database.parent / "var" / "demo-files"
    assert list(files.glob("LHK/Assets/*/*/*/.thumbnails/*.png"))
    modeler = users_in(database)["modeling1"]
    assert verify_password(modeler.password_hash, DEMO_PASSWORD)
    assert not modeler.must_change_password
    kinds = activity_kinds(database)
    assert kinds["schedule_finished"] == 1  # the first run shows in the feeds
    assert kinds["ticket_changed"] > 0 and kinds["review_answered"] > 0 and kinds["notified"] > 0
    assert main([ini, "load-demo"]) == 0
    output = capsys.readouterr().out
    assert "already loaded" in output and "scheduled" not in output
    assert len(users_in(database)) == 27


def test_load_demo_without_tj3_loads_and_says_it_is_not_scheduled(
    cli_database, capsys, monkeypatch
):
    ini, database = cli_database
    main([ini, "init"])
    monkeypatch.setenv("PATH", "")
    assert main([ini, "load-demo"]) == 0
    output = capsys.readouterr().out
    assert "loaded the demo studio" in output
    assert "the demo studio is not scheduled: tj3 is not installed" in output
    assert project_codes(database) == ["FIZZ", "LHK", "LIB"]


def test_generate_large_studio_prints_its_size_and_time(cli_database, capsys):
    ini, database = cli_database
    main([ini, "init"])
    assert main([ini, "generate-large-studio", "--scale", "0.01"]) == 0
    output = capsys.readouterr().out
    assert "generated the large studio in" in output
    assert "20 assets, 20 shots, 185 tasks, 140 dependencies" in output
    assert project_codes(database) == [f"BIG{number}" for number in range(1, 6)]
    assert main([ini, "generate-large-studio", "--scale", "0.01"]) == 2
    assert "already in this database" in capsys.readouterr().err


# The schedule command, on SQLite or PostgreSQL (--db-url), with the real tj3.


@pytest.fixture
def schedule_cli(fresh_database_url, tmp_path, monkeypatch):
    """An initialised studio behind an ini file; returns (ini, session factory)."""
    from stalker_web.db import get_engine, get_session_factory

    monkeypatch.delenv(DATABASE_URL_ENV_VAR, raising=False)
    ini = tmp_path / "schedule.ini"
    ini.write_text(
        INI.replace("sqlite:///{database}", fresh_database_url.replace("%", "%%")),
        encoding="utf-8",
    )
    assert main([str(ini), "init"]) == 0
    engine = get_engine({"sqlalchemy.url": fresh_database_url})
    yield str(ini), get_session_factory(engine)
    engine.dispose()


def small_production(session_factory, code: str):
    """A project ``code`` with two staffed tasks, the second waiting for the first."""
    from stalker_web.config import load_studio_config
    from stalker_web.services.tasks.dependencies import add_dependency

    from .factories import Factory
    from .factories.accounts import cheap_users

    with session_factory() as dbsession, dbsession.begin():
        factory = Factory(dbsession, load_studio_config())
        (artist,) = cheap_users(dbsession, 1)
        project = factory.project(code=code)
        first = factory.task(project=project, name="First", schedule_timing=4, resources=[artist])
        second = factory.task(project=project, name="Second", schedule_timing=4, resources=[artist])
        add_dependency(dbsession, second, first)
        return project.id, first.id, second.id


def test_schedule_runs_tj3_and_prints_the_result(schedule_cli, capsys):
    from stalker_web.models import ScheduleRun, Task

    ini, session_factory = schedule_cli
    _, first_id, second_id = small_production(session_factory, "ONE")
    small_production(session_factory, "TWO")
    capsys.readouterr()

    assert main([ini, "schedule", "--project", "ONE"]) == 0

    output = capsys.readouterr().out
    assert "schedule run 1: Schedule of 1 project, " in output
    assert "run 1 succeeded in " in output and "tj3 " in output
    assert output.rstrip().endswith("2 tasks scheduled")
    with session_factory() as dbsession:
        first, second = dbsession.get(Task, first_id), dbsession.get(Task, second_id)
        assert first.computed_end is not None and second.computed_start >= first.computed_end
        (run,) = dbsession.scalars(select(ScheduleRun)).all()
        assert run.requested_by_id is None and len(run.project_ids) == 1


def test_schedule_refusals_exit_2_with_the_reason(schedule_cli, capsys):
    from stalker_web.models import RunStatus, ScheduleRun, Task, TaskDependency

    ini, session_factory = schedule_cli
    _, first_id, second_id = small_production(session_factory, "ONE")
    capsys.readouterr()

    assert main([ini, "schedule", "--project", "NOPE"]) == 2
    assert "error: There is no project with the code NOPE." in capsys.readouterr().err

    assert main([ini, "schedule", "--timeout", "0.2"]) == 2
    assert "error: tj3 did not finish within 0.2 s and was stopped" in capsys.readouterr().err

    with session_factory() as dbsession, dbsession.begin():
        dbsession.add(TaskDependency(task_id=first_id, depends_on_id=second_id))
    assert main([ini, "schedule"]) == 2
    captured = capsys.readouterr()
    assert "error: These tasks wait for each other in a loop: First (task" in captured.out
    assert "error: These tasks wait for each other in a loop" in captured.err
    with session_factory() as dbsession:
        assert dbsession.get(Task, first_id).computed_start is None
        statuses = dbsession.scalars(select(ScheduleRun.status).order_by(ScheduleRun.id)).all()
        assert statuses == [RunStatus.TIMED_OUT, RunStatus.FAILED]

    with session_factory() as dbsession, dbsession.begin():
        from stalker_web.services.scheduling.runs import request_run

        request_run(dbsession, None)
    assert main([ini, "schedule"]) == 2
    assert "error: Another schedule run is queued (run 3" in capsys.readouterr().err


def test_schedule_timeout_must_be_positive(schedule_cli, capsys):
    ini, _ = schedule_cli
    with pytest.raises(SystemExit):
        main([ini, "schedule", "--timeout", "0"])
    assert "give a number of seconds above 0" in capsys.readouterr().err


def test_schedule_now_fixes_the_runs_start(schedule_cli, capsys):
    from stalker_web.models import ScheduleRun, Task

    ini, session_factory = schedule_cli
    _, first_id, _ = small_production(session_factory, "ONE")
    capsys.readouterr()

    assert main([ini, "schedule", "--now", "2031-03-03 09:00"]) == 0

    with session_factory() as dbsession:
        (run,) = dbsession.scalars(select(ScheduleRun)).all()
        assert run.schedule_now.strftime("%Y-%m-%d %H:%M") == "2031-03-03 09:00"
        first = dbsession.get(Task, first_id)
        assert first.computed_start.strftime("%Y-%m-%d %H:%M") == "2031-03-03 09:00"


@pytest.mark.parametrize("moment", ["2031-03-03", "03/03/2031 09:00", "2031-02-30 09:00"])
def test_schedule_now_must_be_a_day_and_time(schedule_cli, capsys, moment):
    ini, _ = schedule_cli
    with pytest.raises(SystemExit):
        main([ini, "schedule", "--now", moment])
    assert f'give a UTC day and time as "YYYY-MM-DD HH:MM", not {moment!r}' in (
        capsys.readouterr().err
    )


def test_a_default_group_naming_no_permission_is_refused(dbsession):
    from stalker_web.config import ConfigError
    from stalker_web.services.studio.initial_data import ensure_default_groups

    with pytest.raises(ConfigError, match="default_groups.Planners: 'Plan_Vacation' is not a"):
        ensure_default_groups(dbsession, {"Planners": ["Plan_Vacation"]})

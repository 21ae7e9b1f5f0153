"""The ``stalker-web`` command on a fresh SQLite file: init, create-admin and their refusals."""

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session, selectinload

from stalker_web import DATABASE_URL_ENV_VAR
from stalker_web.cli import INITIAL_ADMIN_LOGIN, INITIAL_ADMIN_PASSWORD, main
from stalker_web.models import Studio, User
from stalker_web.services.passwords import verify_password

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


def test_load_demo_after_init_fills_the_studio_once(cli_database, capsys):
    from stalker_web.services.demo_studio import DEMO_PASSWORD

    ini, database = cli_database
    main([ini, "init"])
    assert main([ini, "load-demo"]) == 0
    output = capsys.readouterr().out
    assert "loaded the demo studio: 3 projects" in output
    assert f"password {DEMO_PASSWORD!r}" in output
    assert project_codes(database) == ["FIZZ", "LHK", "LIB"]
    modeler = users_in(database)["modeling1"]
    assert verify_password(modeler.password_hash, DEMO_PASSWORD)
    assert not modeler.must_change_password
    assert main([ini, "load-demo"]) == 0
    assert "already loaded" in capsys.readouterr().out
    assert len(users_in(database)) == 27


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

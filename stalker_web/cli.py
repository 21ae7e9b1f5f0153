"""The ``stalker-web`` command: database set-up and account administration for operators."""

import argparse
import getpass
import os
import secrets
import sys
import time
from datetime import UTC, datetime

import transaction
from pyramid.paster import get_appsettings, setup_logging
from sqlalchemy import select

from . import DATABASE_URL_ENV_VAR
from . import main as make_app
from .config import load_studio_config
from .db import get_engine, get_session_factory, get_tm_session
from .events import dispatch_to, dispatching_sessions
from .extensions import extension_names, migration_folders
from .migrations import upgrade
from .models import Group, Project, RunStatus, User
from .queue import JobQueue, QueueConfigError, run_worker
from .services.accounts.passwords import configure_hasher
from .services.accounts.users import create_user
from .services.errors import ValidationError
from .services.notifications.settings import MailConfigError
from .services.scheduling.runner import Tj3Missing
from .services.scheduling.runs import execute_run, request_run
from .services.scheduling.settings import SchedulingSettings
from .services.studio.demo import DEMO_PASSWORD, load_demo, schedule_demo
from .services.studio.initial_data import ensure_default_groups, initialize_database
from .services.studio.large import LOGIN_FORMAT, generate_large_studio
from .subscribers import past_recorder

INITIAL_ADMIN_LOGIN = "admin"
INITIAL_ADMIN_PASSWORD = "change-me-now"  # noqa: S105 - documented; must be changed at first login


def _settings(ini_path: str) -> dict:
    setup_logging(ini_path)
    settings = dict(get_appsettings(ini_path))
    if os.environ.get(DATABASE_URL_ENV_VAR):
        settings["sqlalchemy.url"] = os.environ[DATABASE_URL_ENV_VAR]
    return settings


def _migrate(engine, settings) -> None:
    folders = migration_folders(extension_names(settings))
    with engine.begin() as connection:
        upgrade(connection, extension_folders=folders)


def _admin_group(dbsession, config) -> Group:
    return dbsession.scalars(
        select(Group).where(Group.name == config["accounts"]["admin_group"])
    ).one()


def command_db_upgrade(args, settings, engine, config) -> None:
    _migrate(engine, settings)
    print("database is at the latest revision")


def command_init(args, settings, engine, config) -> None:
    """Migrate, create the initial data and, in an empty studio, the first admin and the
    default groups."""
    _migrate(engine, settings)
    session_factory = get_session_factory(engine)
    with transaction.manager:
        dbsession = get_tm_session(session_factory, transaction.manager)
        studio = initialize_database(dbsession, config)
        has_users = dbsession.scalar(select(User.id).limit(1)) is not None
        if not has_users:
            create_user(
                dbsession,
                name="Administrator",
                login=INITIAL_ADMIN_LOGIN,
                email="admin@example.com",
                password=INITIAL_ADMIN_PASSWORD,
                password_min_length=config["accounts"]["password_min_length"],
                must_change_password=True,
                groups=[_admin_group(dbsession, config)],
            )
            print(
                f"created the first admin: login {INITIAL_ADMIN_LOGIN!r}, password "
                f"{INITIAL_ADMIN_PASSWORD!r} (you must change it when you first log in)"
            )
            groups = ensure_default_groups(dbsession, config["accounts"]["default_groups"])
            if groups:
                print(f"created the groups {', '.join(group.name for group in groups)}")
        print(f"studio {studio.name!r} is ready")


def command_create_admin(args, settings, engine, config) -> None:
    """Create a user in the admin group; the password is asked for or generated."""
    password = args.password
    generated = False
    if password is None and sys.stdin.isatty():
        password = getpass.getpass("password: ")
    if not password:
        password = secrets.token_urlsafe(12)
        generated = True
    session_factory = get_session_factory(engine)
    with transaction.manager:
        dbsession = get_tm_session(session_factory, transaction.manager)
        user = create_user(
            dbsession,
            name=args.name,
            login=args.login,
            email=args.email,
            password=password,
            password_min_length=config["accounts"]["password_min_length"],
            must_change_password=generated,
            groups=[_admin_group(dbsession, config)],
        )
        login = user.login
    print(f"created admin {login!r}" + (f" with password {password!r}" if generated else ""))


def demo_files_folder(ini_path: str) -> str:
    """Where the demo studio's repository keeps its files: var/demo-files beside the ini."""
    return os.path.join(os.path.dirname(os.path.abspath(ini_path)), "var", "demo-files")


def command_load_demo(args, settings, engine, config) -> None:
    """Load the demo studio around today into an initialised database, unless it is already
    there, then schedule it once with tj3 (a missing tj3 is reported, not an error)."""
    session_factory = get_session_factory(engine)
    folder = demo_files_folder(args.ini)
    recorder = past_recorder()
    with transaction.manager:
        dbsession = get_tm_session(session_factory, transaction.manager)
        dispatch_to(dbsession, recorder)
        demo = load_demo(dbsession, repository_root=folder, studio_config=config)
        if demo is None:
            print("the demo studio is already loaded")
            return
        projects = ", ".join(project.name for project in demo.projects)
        print(
            f"loaded the demo studio: {len(demo.projects)} projects ({projects}), "
            f"{len(demo.users)} users, {demo.task_count} tasks, {demo.time_log_count} time "
            f"logs, {demo.version_count} versions (files in {folder})"
        )
        print(
            "demo logins are <department><number> (modeling1, animation3, production1, ...), "
            f"password {DEMO_PASSWORD!r}"
        )
    try:
        run = schedule_demo(
            dispatching_sessions(session_factory, recorder),
            SchedulingSettings.from_config(config),
        )
    except Tj3Missing as error:
        print(f"the demo studio is not scheduled: {error}; then: stalker-web {args.ini} schedule")
        return
    if run.status is RunStatus.SUCCEEDED:
        print(f"scheduled the demo studio with tj3 in {run.duration_seconds or 0:.1f} s")
    else:
        print(f"the demo studio's first schedule {run.status.value}: {run.error}")


def command_generate_large_studio(args, settings, engine, config) -> None:
    """Generate the benchmark studio and print how long it took."""
    session_factory = get_session_factory(engine)
    started = time.perf_counter()
    with transaction.manager:
        dbsession = get_tm_session(session_factory, transaction.manager)
        studio = generate_large_studio(dbsession, scale=args.scale)
    seconds = time.perf_counter() - started
    print(
        f"generated the large studio in {seconds:.1f} s: {studio.users} users in "
        f"{studio.departments} departments, {studio.projects} projects, {studio.assets} assets, "
        f"{studio.shots} shots, {studio.tasks} tasks, {studio.dependencies} dependencies"
    )
    made = studio.supervision
    print(
        f"with {made.tickets} tickets, {made.activities} activity records, "
        f"{made.notifications} notifications, {made.versions} published versions and a daily "
        f"of {made.daily_versions}, {studio.reviews.waiting} reviews waiting for the leads and "
        f"{studio.reviews.answered} answered"
    )
    login = LOGIN_FORMAT.format(department="<department>", number="<number>")
    print(f"its logins are {login}, password {DEMO_PASSWORD!r}")


SCHEDULE_MESSAGES_SHOWN = 50
NOW_FORMAT = "%Y-%m-%d %H:%M"


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"give a number of seconds above 0, not {text!r}")
    return seconds


def _utc_minute(text: str) -> datetime:
    """A UTC moment given as ``YYYY-MM-DD HH:MM`` (the schedule's "now" of ``--now``)."""
    try:
        return datetime.strptime(text, NOW_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f'give a UTC day and time as "YYYY-MM-DD HH:MM", not {text!r}'
        ) from None


def _project_ids_for_codes(dbsession, codes: list[str] | None) -> list[int] | None:
    if not codes:
        return None
    rows = dbsession.execute(select(Project.code, Project.id).where(Project.code.in_(codes)))
    found = {code: project_id for code, project_id in rows}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError(f"There is no project with the code {', '.join(missing)}.")
    return [found[code] for code in codes]


def command_schedule(args, settings, engine, config) -> None:
    """Schedule with tj3 (the same lock and guarantees as the web pages) and print the result;
    a failed run exits non-zero with its error, leaving the schedule as it was."""
    scheduling = SchedulingSettings.from_config(config)
    if args.timeout is not None:
        scheduling = scheduling.with_changes(timeout_seconds=args.timeout)
    session_factory = get_session_factory(engine)
    with session_factory() as dbsession, dbsession.begin():
        project_ids = _project_ids_for_codes(dbsession, args.project)
        run, created = request_run(dbsession, None, project_ids, settings=scheduling)
        run_id, run_name, run_status = run.id, run.name, run.status
    if not created:
        raise ValidationError(
            f"Another schedule run is {run_status.value} (run {run_id}, {run_name}); "
            "wait for it to end."
        )
    print(f"schedule run {run_id}: {run_name}")
    run = execute_run(session_factory, run_id, scheduling, now=args.now)
    shown = [message for message in run.messages if message["level"] != "info"]
    for message in shown[:SCHEDULE_MESSAGES_SHOWN]:
        print(f"{message['level']}: {message['readable'] or message['text']}")
    if len(shown) > SCHEDULE_MESSAGES_SHOWN:
        print(f"... and {len(shown) - SCHEDULE_MESSAGES_SHOWN} more messages")
    phases = ", ".join(
        f"{phase} {seconds:.2f} s" for phase, seconds in run.phase_seconds.items() if seconds
    )
    print(f"run {run_id} {run.status.value} in {run.duration_seconds or 0:.1f} s ({phases})")
    if run.status is not RunStatus.SUCCEEDED:
        raise ValidationError(run.error or f"The run ended as {run.status.value}.")
    print(f"{run.task_count} tasks scheduled")


def _positive_int(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"give a whole number above 0, not {text!r}")
    return number


def command_worker(args, settings, engine, config) -> None:
    """Run the worker (the huey consumer of the ini's job queue: schedule runs, e-mails, the
    daily digests) until stopped; the events of its runs go to the subscribers of the app the
    ini describes."""
    engine.dispose()  # the worker makes its own engine, in the threads that use it
    app = make_app({}, **settings)
    try:
        run_worker(settings, workers=args.workers, dispatcher=app.registry.notify)
    except (QueueConfigError, MailConfigError) as error:
        raise ValidationError(str(error)) from error


def command_send_digests(args, settings, engine, config) -> None:
    """Write everybody's daily digest now and queue it for the worker (as the worker does at
    ``mail.digest_hour``)."""
    try:
        queue = JobQueue(settings)
    except (QueueConfigError, MailConfigError) as error:
        raise ValidationError(str(error)) from error
    try:
        count = queue.send_digests()
    finally:
        queue.close()
    print(f"{count} daily digest{'' if count == 1 else 's'} queued; the worker sends them")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stalker-web", description=__doc__)
    parser.add_argument("ini", help="the application's ini file, e.g. development.ini")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema")
    db_commands = db.add_subparsers(dest="db_command", required=True)
    db_commands.add_parser("upgrade", help="migrate to the latest revision").set_defaults(
        handler=command_db_upgrade
    )

    commands.add_parser(
        "init", help="migrate, create the initial data and the first admin"
    ).set_defaults(handler=command_init)

    commands.add_parser(
        "load-demo", help="load the demo studio (does nothing when it is already loaded)"
    ).set_defaults(handler=command_load_demo)

    large = commands.add_parser(
        "generate-large-studio", help="generate the large benchmark studio and time it"
    )
    large.add_argument(
        "--scale", type=float, default=1.0, help="fraction of the full size (default 1.0)"
    )
    large.set_defaults(handler=command_generate_large_studio)

    schedule = commands.add_parser(
        "schedule", help="schedule the studio (or some projects) with TaskJuggler, for cron"
    )
    schedule.add_argument(
        "--project",
        action="append",
        metavar="CODE",
        help="schedule only this project (repeat for several); default: every project",
    )
    schedule.add_argument(
        "--timeout",
        type=_positive_seconds,
        metavar="SECONDS",
        help="stop tj3 after this long (default: scheduling.timeout_seconds of the config)",
    )
    schedule.add_argument(
        "--now",
        type=_utc_minute,
        metavar='"YYYY-MM-DD HH:MM"',
        help="schedule as if it were this moment (UTC), for reproducible runs; default: now",
    )
    schedule.set_defaults(handler=command_schedule)

    worker = commands.add_parser(
        "worker",
        help="run the worker: carries out the schedule runs asked for on the pages, sends the "
        "e-mails and the daily digests",
    )
    worker.add_argument(
        "--workers",
        type=_positive_int,
        default=1,
        help="jobs carried out at once (default 1; a studio still has one schedule run at a time)",
    )
    worker.set_defaults(handler=command_worker)

    commands.add_parser(
        "send-digests",
        help="write everybody's daily digest e-mail now (the worker sends them; it also does so "
        "every day at mail.digest_hour)",
    ).set_defaults(handler=command_send_digests)

    admin = commands.add_parser("create-admin", help="create a user in the admin group")
    admin.add_argument("--login", required=True)
    admin.add_argument("--email", required=True)
    admin.add_argument("--name", required=True)
    admin.add_argument("--password", help="asked for when omitted; generated without a terminal")
    admin.set_defaults(handler=command_create_admin)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = _settings(args.ini)
    config = load_studio_config(settings)
    configure_hasher(settings)
    engine = get_engine(settings)
    try:
        args.handler(args, settings, engine, config)
    except ValidationError as error:
        print(f"error: {error.message}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0

"""The benchmarks (bench/) still work. The page bench: on the demo studio it finds the project,
sequence, task and daily its pages show and the people its home pages are measured as, and
measures the overview, the home pages, the supervisor's loop pages and the daily ones (the Gantt
chart and its image, My tasks, the timesheet, the review inbox). The load bench: a few
seconds of load on real server processes."""

from sqlalchemy import select

from bench.common import TimedApp, app_engine, bench_client, log_in, measure_page
from bench.load import format_report, parse_arguments, run_load
from bench.pages import PAGES, pick_targets
from stalker_web.models import Daily, Project, Task, User
from stalker_web.services.studio.demo import load_demo
from stalker_web.services.studio.seed import DEMO_PASSWORD

from .factories import Factory

SUPERVISION_PAGES = ("tickets", "feed", "inbox-artist", "daily")
DAILY_PAGES = ("gantt", "gantt-svg", "my-tasks", "timesheet", "review-inbox")


def test_the_bench_picks_its_targets_and_measures_its_pages(app, testapp, dbsession, admin):
    """One demo load for every check (loading it is the slow part)."""
    load_demo(dbsession)
    targets = pick_targets(dbsession)

    assert dbsession.get(Project, targets.project_id).code == "LHK"  # the largest project
    sequence = dbsession.get(Task, targets.sequence_id)
    assert sequence.entity_type == "Sequence" and sequence.project_id == targets.project_id
    assert [child.entity_type for child in sequence.children] == ["Shot"] * 8
    task = dbsession.get(Task, targets.task_id)
    assert task.entity_type == "Task" and task.project_id == targets.project_id
    assert task.children == [] and task.resources and task.task_depends_on
    assert dbsession.get(Daily, targets.daily_id).project_id == targets.project_id
    assert set(targets.logins) == {"producer", "lead", "artist"}
    assert targets.logins["producer"].startswith("production")
    lead = dbsession.scalars(select(User).where(User.login == targets.logins["lead"])).one()
    assert [m.department_id for m in lead.department_memberships] == [targets.department_id]

    with TimedApp(app, app_engine(app)) as timed_app:
        client = bench_client(timed_app, extra_environ=testapp.extra_environ)
        log_in(client, admin.login, Factory.PASSWORD)
        overview = measure_page(client, f"/projects/{targets.project_id}", repeat=2, warmup=1)
        missing = measure_page(client, "/projects/999999", repeat=2, warmup=1)
        people = {"admin": client}
        for role, login in targets.logins.items():
            people[role] = bench_client(timed_app, extra_environ=testapp.extra_environ)
            log_in(people[role], login, DEMO_PASSWORD)
        measured = {
            page.name: measure_page(people[page.role], page.url(targets), repeat=2, warmup=1)
            for page in PAGES
            if page.name.startswith("home") or page.name in SUPERVISION_PAGES + DAILY_PAGES
        }

    assert overview.status == 200 and overview.ok
    assert overview.statuses == [200, 200]
    assert len(overview.seconds) == 2 and min(overview.seconds) > 0
    assert overview.median_ms > 0 and overview.p95_ms >= overview.median_ms
    assert len(overview.queries) == 2 and overview.queries[0] > 0

    # An error page is reported with its status and never timed.
    assert missing.status == 404 and not missing.ok
    assert missing.seconds == [] and missing.summary()["median_ms"] is None

    assert set(measured) == {"home-admin", "home-producer", "home-lead", "home-artist"} | set(
        SUPERVISION_PAGES + DAILY_PAGES
    )
    for name, figures in measured.items():
        assert figures.ok and len(set(figures.queries)) == 1, name


def test_the_load_bench_serves_signs_in_and_measures_the_mix(request):
    """A few seconds of the load bench (bench/load.py) on the demo studio: two people sign in
    through the real form of two real waitress processes and request the mix without error."""
    db_option = request.config.getoption("--db-url")
    database = ["--db", "sqlite"] if db_option == "sqlite" else ["--postgresql-url", db_option]
    arguments = parse_arguments(
        [*database, "--size", "small", "--server", "waitress", "--processes", "2"]
        + ["--users", "2", "--duration", "3", "--warmup", "1", "--think", "0"]
    )

    [run] = run_load(arguments)

    assert run.errors == 0, run.failures
    assert run.requests > 0 and run.requests_per_second > 0
    assert sum(figures["requests"] for figures in run.pages.values()) == run.requests
    assert all(figures["errors"] == 0 for figures in run.pages.values())
    assert run.server_cpu_seconds > 0
    assert run.peak_process_rss_mb > 10 and run.peak_rss_mb >= run.peak_process_rss_mb
    assert run.login_seconds > 0
    assert "requests/s" in format_report(run)

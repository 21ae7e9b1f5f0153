"""The schedule benchmark (bench/schedule.py) still works, on a tiny large studio."""

from bench.schedule import ScheduleFigures, format_figures, run_bench


def test_the_schedule_bench_times_every_phase(request):
    option = request.config.getoption("--db-url")
    database = "sqlite" if option == "sqlite" else "postgresql"
    kwargs = {} if option == "sqlite" else {"postgres_url": option}

    figures = run_bench(database, scale=0.01, horizon_days=400, **kwargs)

    assert (figures.status, figures.error) == ("succeeded", "")
    assert figures.tasks == figures.tasks_scheduled == 185
    assert set(figures.phases) == {"render", "tj3", "parse", "write"}
    assert all(seconds > 0 for seconds in figures.phases.values())
    assert figures.outside_tj3 < figures.phases["tj3"]
    text = format_figures(figures)
    assert "185 tasks, 21 users, 140 dependencies" in text
    assert "work outside tj3 = " in text
    scenario = figures.scenario
    assert (scenario.status, scenario.error) == ("succeeded", "")
    assert scenario.tasks_scheduled == 185
    assert scenario.changes > 0
    assert scenario.fingerprint_seconds > 0 and scenario.overlay_seconds > 0
    assert set(scenario.phases) == {"render", "tj3", "parse", "write"}
    assert "scenario work outside tj3 = " in text
    assert ScheduleFigures("sqlite", 1.0).share_outside_tj3 == float("inf")

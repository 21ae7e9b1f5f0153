"""The project Gantt compared with a chosen schedule baseline: a thin bar of the baseline's dates
under each current bar, the choice kept in the links, and a constant number of queries."""

from datetime import timedelta

from sqlalchemy import select

from stalker_web.models import RunPhase, RunStatus, ScheduleBaseline, ScheduleRun, Task
from stalker_web.services.scheduling.baselines import record_baselines

from ...factories.tasks import production
from .test_charts import MARCH, at, bar_of, gantt_url, query, row_of


def keep_baseline(factory, project, requested_by=None) -> int:
    """Record the project's computed dates as the baseline of a finished run; its id."""
    run = ScheduleRun(
        name="A run",
        studio=factory.studio(),
        status=RunStatus.SUCCEEDED,
        phase=RunPhase.DONE,
        requested_by=requested_by,
    )
    factory.dbsession.add(run)
    factory.dbsession.flush()
    record_baselines(factory.dbsession, run.id, [project.id], 20)
    return factory.dbsession.scalar(
        select(ScheduleBaseline.id).where(ScheduleBaseline.run_id == run.id)
    )


def schedule_all(dbsession, project, shift_days=0):
    """Give every task of the project computed dates in March 2025 (``shift_days`` later)."""
    for number, task in enumerate(dbsession.scalars(select(Task).where(Task.project == project))):
        start = at("2025-03-03") + timedelta(days=shift_days + number % 5)
        task.computed_start, task.computed_end = start, start + timedelta(days=2)
    dbsession.flush()


def test_the_chosen_baseline_is_drawn_under_the_current_bar(admin_app, factory, dbsession, admin):
    project = factory.project(name="Film", code="FILM")
    layout = factory.task(project=project, name="Layout")
    layout.computed_start, layout.computed_end = at("2025-03-03"), at("2025-03-05")
    dbsession.flush()
    baseline_id = keep_baseline(factory, project, requested_by=admin)
    layout.computed_start, layout.computed_end = at("2025-03-06"), at("2025-03-10")
    dbsession.flush()

    page = admin_app.get(gantt_url(project, baseline=baseline_id, **MARCH))

    assert bar_of(page, layout)[:2] == (5 * 24, 4 * 24)
    x, width, recorded = bar_of(page, layout, "recorded")
    assert (x, width) == (2 * 24, 2 * 24)
    assert "Layout in the baseline of" in recorded.title.get_text()
    assert "2025-03-03 to 2025-03-05" in recorded.title.get_text()
    choice = page.html.select_one("#baseline-choice option[selected]")
    assert choice["value"] == str(baseline_id)
    assert f"run by {admin.name}" in choice.get_text()
    legend = page.html.find("section", class_="gantt-legend").get_text(" ", strip=True)
    assert "dates in the baseline of" in legend
    assert f"baseline={baseline_id}" in page.html.select_one("a[rel=next]")["href"]


def test_without_a_choice_the_chart_shows_the_planned_dates_and_offers_the_baselines(
    admin_app, factory, dbsession
):
    project = factory.project(name="Film", code="FILM")
    layout = factory.task(
        project=project, name="Layout", start=at("2025-03-02"), end=at("2025-03-04")
    )
    layout.computed_start, layout.computed_end = at("2025-03-03"), at("2025-03-05")
    dbsession.flush()
    page = admin_app.get(gantt_url(project, **MARCH))
    assert "No baseline yet" in page.html.select_one("#gantt-baseline").get_text()

    baseline_id = keep_baseline(factory, project)
    page = admin_app.get(gantt_url(project, **MARCH))

    assert row_of(page, layout).find("rect", class_="recorded") is None
    assert row_of(page, layout).find("rect", class_="baseline") is not None
    options = page.html.select("#baseline-choice option")
    assert [option["value"] for option in options] == ["", str(baseline_id)]


def test_a_baseline_no_longer_kept_is_named_and_the_chart_still_shows(admin_app, factory):
    project = factory.project(name="Film", code="FILM")
    factory.task(project=project, name="Layout")
    page = admin_app.get(gantt_url(project, baseline=999999, **MARCH))
    assert "no longer kept" in page.html.select_one("[role=alert]").get_text()


def test_the_subtree_rows_draw_the_baseline_too(admin_app, factory, dbsession):
    project, sequence, lighting = production(factory, 2)
    schedule_all(dbsession, project)
    baseline_id = keep_baseline(factory, project)
    page = admin_app.get(gantt_url(project, baseline=baseline_id, **MARCH))
    toggle = row_of(page, sequence).find("button", class_="toggle")
    assert f"baseline={baseline_id}" in toggle["data-children-url"]
    rows = admin_app.get(toggle["data-children-url"])
    assert rows.html.find("rect", class_="recorded") is not None


def test_the_chart_with_a_baseline_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, dbsession, count_queries
):
    small, small_sequence, _ = production(factory, 2)
    large, large_sequence, _ = production(factory, 6)
    for project in (small, large):
        schedule_all(dbsession, project)
    small_id, large_id = keep_baseline(factory, small), keep_baseline(factory, large)
    admin_app.get(gantt_url(small, baseline=small_id, **MARCH))
    with count_queries() as few:
        admin_app.get(gantt_url(small, baseline=small_id, **MARCH))
    with count_queries() as many:
        admin_app.get(gantt_url(large, baseline=large_id, **MARCH))
    assert many.count == few.count
    rows = "/tasks/{}/gantt-rows?{}"
    with count_queries() as few:
        admin_app.get(rows.format(small_sequence.id, query(baseline=small_id, **MARCH)))
    with count_queries() as many:
        admin_app.get(rows.format(large_sequence.id, query(baseline=large_id, **MARCH)))
    assert many.count == few.count

"""The slip report: tasks and milestones ending later than in a chosen baseline (the oldest
kept by default), by working time, milestones first, paginated; its empty states, its links,
who may read it and its query count."""

from stalker_web.models import ProjectUser

from ...conftest import login
from ...factories.tasks import production
from ..gantt.test_baselines import keep_baseline, schedule_all
from ..gantt.test_charts import at


def slips_url(project, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/projects/{project.id}/slips" + (f"?{query}" if query else "")


def slipped_rows(page) -> list[tuple[str, str]]:
    return [
        (row.th.get_text(" ", strip=True), row.find("td", class_="slip-amount").get_text())
        for row in page.html.select("#slips tbody tr")
    ]


def film(factory, dbsession):
    """Layout (Mon 3 to Tue 4 March 2025, 18:00), Animation (to Wed 5, 18:00) and the Delivery
    milestone (Wed 5, 18:00), then a first baseline."""
    project = factory.project(name="Film", code="FILM")
    layout = factory.task(project=project, name="Layout")
    animation = factory.task(project=project, name="Animation")
    delivery = factory.task(project=project, name="Delivery", is_milestone=True)
    layout.computed_start, layout.computed_end = at("2025-03-03T09:00"), at("2025-03-04T18:00")
    animation.computed_start, animation.computed_end = (
        at("2025-03-03T09:00"),
        at("2025-03-05T18:00"),
    )
    delivery.computed_start = delivery.computed_end = at("2025-03-05T18:00")
    dbsession.flush()
    return project, layout, animation, delivery


def test_the_report_lists_what_ends_later_milestones_first_by_working_time(
    admin_app, factory, dbsession
):
    project, layout, animation, delivery = film(factory, dbsession)
    first = keep_baseline(factory, project)
    # Animation two working days later, Layout 3 working hours later, Delivery one day later.
    animation.computed_end = at("2025-03-07T18:00")
    layout.computed_end = at("2025-03-05T12:00")
    delivery.computed_start = delivery.computed_end = at("2025-03-06T18:00")
    dbsession.flush()
    keep_baseline(factory, project)

    page = admin_app.get(slips_url(project))

    assert slipped_rows(page) == [
        ("◆ Delivery (milestone)", "1 d"),
        ("Animation", "2 d"),
        ("Layout", "3 h"),
    ]
    assert page.html.select_one("#baseline-choice option[selected]")["value"] == str(first)
    cells = [td.get_text() for td in page.html.select("#slips tbody tr")[1].find_all("td")]
    assert cells[:2] == ["2025-03-05 18:00 UTC", "2025-03-07 18:00 UTC"]


def test_against_the_latest_baseline_nothing_slipped(admin_app, factory, dbsession):
    project, layout, *_ = film(factory, dbsession)
    keep_baseline(factory, project)
    layout.computed_end = at("2025-03-05T12:00")
    dbsession.flush()
    latest = keep_baseline(factory, project)

    page = admin_app.get(slips_url(project, baseline=latest))

    assert page.html.select_one("#slips") is None
    assert "Nothing slipped" in page.html.select_one("#nothing-slipped").get_text()


def test_a_project_never_scheduled_says_how_to_get_a_baseline(admin_app, factory):
    project = factory.project(name="Film", code="FILM")
    page = admin_app.get(slips_url(project))
    assert "schedule the project once" in page.html.select_one("#no-baseline").get_text()


def test_a_baseline_no_longer_kept_is_a_404_naming_it(admin_app, factory, dbsession):
    project, *_ = film(factory, dbsession)
    keep_baseline(factory, project)
    page = admin_app.get(slips_url(project, baseline=999999), status=404)
    assert "no longer kept" in page.html.select_one("[role=alert]").get_text()


def test_the_report_is_linked_from_the_overview_and_the_gantt(admin_app, factory, dbsession):
    project, *_ = film(factory, dbsession)
    baseline = keep_baseline(factory, project)
    overview = admin_app.get(f"/projects/{project.id}")
    link = overview.html.find("a", string="What slipped")
    assert link["href"].endswith(f"/projects/{project.id}/slips")
    gantt = admin_app.get(f"/projects/{project.id}/gantt?baseline={baseline}")
    link = gantt.html.find("a", string="What slipped")
    assert link["href"].endswith(f"/projects/{project.id}/slips?baseline={baseline}")


def test_members_read_the_report_and_others_are_refused(testapp, factory, dbsession):
    project, *_ = film(factory, dbsession)
    member = factory.user()
    project.members.append(ProjectUser(user=member))
    stranger = factory.user()
    dbsession.flush()
    login(testapp, member.login)
    testapp.get(slips_url(project), status=200)
    testapp.get("/logout")
    login(testapp, stranger.login)
    testapp.get(slips_url(project), status=403)


def test_the_report_is_paginated(admin_app, factory, dbsession):
    project, *_ = production(factory, 8)
    schedule_all(dbsession, project)
    first = keep_baseline(factory, project)
    schedule_all(dbsession, project, shift_days=1)
    page = admin_app.get(slips_url(project, baseline=first))
    rows = page.html.select("#slips tbody tr")
    assert len(rows) == 50
    # Nested tasks are named with their ancestors ("SEQ / SH010 / Animation").
    paths = [row.find("span", class_="tree-path") for row in rows if row.th.a.text == "Animation"]
    assert paths and all(path.get_text().count(" / ") == 2 for path in paths)
    next_link = page.html.select_one("a[rel=next]")["href"]
    assert f"baseline={first}" in next_link and "page=2" in next_link


def test_the_report_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, dbsession, queries_of
):
    small, *_ = production(factory, 2)
    large, *_ = production(factory, 6)
    for project in (small, large):
        schedule_all(dbsession, project)
        keep_baseline(factory, project)
        schedule_all(dbsession, project, shift_days=1)
    admin_app.get(slips_url(small))
    assert queries_of(admin_app, slips_url(large)) == queries_of(admin_app, slips_url(small))

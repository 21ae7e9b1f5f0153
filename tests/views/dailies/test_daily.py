"""A daily's page: filling it (by hand, or every version published since a moment under a task
for a step), ordering it, closing it, the summary once closed, and its statement count."""

from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.events import DailyClosed
from stalker_web.models import DailyOutcome
from stalker_web.services.dailies.answers import answer_version
from stalker_web.services.dailies.dailies import close_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.workflow.reviews import request_review

from ...pages import button_form
from ..workflow.helpers import flashes, logged_in
from .conftest import post


def ranks(daily):
    return [(entry.rank, entry.version) for entry in daily.entries]


@pytest.fixture
def steps(factory):
    return {name: factory.task_type("Task", name) for name in ("Animation", "Lighting")}


@pytest.fixture
def sequence(factory, project, artist, steps):
    """SQ010 with the shot SH010, its Animation and Lighting tasks (steps)."""
    sequence = factory.task("Sequence", project=project, name="SQ010", code="SQ010")
    shot = factory.task("Shot", parent=sequence, name="SH010", code="SH010", sequence=sequence)
    for name, step in steps.items():
        factory.task(parent=shot, name=name, type=step, resources=[artist])
    return sequence


def test_collecting_what_was_published_under_a_sequence_for_a_step(
    testapp, factory, project, daily, sequence, steps, lead
):
    animation, lighting = sorted(sequence.children[0].children, key=lambda task: task.name)
    wanted = factory.version(animation, published=True)
    factory.version(lighting, published=True)
    factory.version(
        factory.task(project=project, name="Elsewhere", type=steps["Animation"]), published=True
    )
    page = logged_in(testapp, lead).get(f"/dailies/{daily.id}")
    form = page.forms["collect-form"]
    form["since"] = (datetime.now(UTC) - timedelta(hours=1)).strftime("%Y-%m-%d %H:%M")
    form["under"] = str(sequence.id)
    form["step"] = str(steps["Animation"].id)
    page = form.submit(status=303).follow()
    assert "1 version added to Tuesday dailies." in flashes(page)
    assert ranks(daily) == [(1, wanted)]
    row = page.html.find(id="entry-1")
    assert row.th.a.get_text() == f"{project.code} / SQ010 / SH010 / Animation"


def test_collecting_needs_a_moment_said_under_the_field(testapp, daily, lead):
    page = logged_in(testapp, lead).get(f"/dailies/{daily.id}")
    form = page.forms["collect-form"]
    form["since"] = "yesterday"
    page = form.submit(status=400)
    assert "YYYY-MM-DD HH:MM" in page.html.find(id="since-errors").get_text()


def test_collecting_nothing_says_so(testapp, daily, lead):
    page = logged_in(testapp, lead).get(f"/dailies/{daily.id}")
    form = page.forms["collect-form"]
    form["since"] = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")
    page = form.submit(status=303).follow()
    assert "nothing was added" in flashes(page)


def test_adding_a_version_found_by_its_path(testapp, factory, project, daily, shot, lead):
    version = factory.version(shot)
    page = logged_in(testapp, lead).get(f"/dailies/{daily.id}/versions?q=anim")
    row = page.html.find(id="found-versions").tbody.tr
    assert row.th.a.get_text() == f"{project.code} / Animation"
    page = button_form(page, "Add").submit(status=303).follow()
    assert f"{version.name} added to Tuesday dailies, last." in flashes(page)
    assert page.request.path_qs == f"/dailies/{daily.id}/versions?q=anim"
    assert "in the daily, #1" in page.html.find(id="found-versions").get_text()
    assert ranks(daily) == [(1, version)]


def test_moving_and_removing(dbsession, testapp, factory, daily, shot, lead):
    first, second = factory.version(shot), factory.version(shot)
    for version in (first, second):
        add_version(dbsession, daily, version)
    logged_in(testapp, lead)
    post(testapp, f"/dailies/{daily.id}/versions/2/move", version=str(second.id), to="1")
    dbsession.expire(daily)
    assert ranks(daily) == [(1, second), (2, first)]
    page = post(testapp, f"/dailies/{daily.id}/versions/1/remove", version=str(second.id)).follow()
    assert f"{second.name} taken out of Tuesday dailies." in flashes(page)
    dbsession.expire(daily)
    assert ranks(daily) == [(1, first)]


def test_a_stale_order_is_not_acted_on(dbsession, testapp, factory, daily, shot, lead):
    first, second = factory.version(shot), factory.version(shot)
    for version in (first, second):
        add_version(dbsession, daily, version)
    logged_in(testapp, lead)
    # The page showed ``first`` at place 2, but someone moved it meanwhile.
    page = post(testapp, f"/dailies/{daily.id}/versions/2/remove", version=str(first.id)).follow()
    assert "The daily's order changed since you opened this page" in flashes(page)
    assert len(daily.entries) == 2


def test_artists_read_the_daily_but_do_not_arrange_it(
    dbsession, testapp, factory, daily, shot, artist
):
    add_version(dbsession, daily, factory.version(shot))
    page = logged_in(testapp, artist).get(f"/dailies/{daily.id}")
    assert page.html.find(id="collect-form") is None
    assert page.html.find(id="daily-versions").find("button") is None
    post(testapp, f"/dailies/{daily.id}/versions/1/remove", status=403, version="1")


def test_closing_sends_the_summary_once(app, dbsession, testapp, factory, daily, shot, lead):
    add_version(dbsession, daily, factory.version(shot))
    closed = []
    app.registry.registerHandler(closed.append, (DailyClosed,))
    try:
        logged_in(testapp, lead)
        page = post(testapp, f"/dailies/{daily.id}/close").follow()
        assert "Tuesday dailies is closed; its summary goes to the people concerned." in flashes(
            page
        )
        assert closed == [DailyClosed(daily.id, daily.project_id)]
        page = post(testapp, f"/dailies/{daily.id}/close").follow()
        assert "Tuesday dailies is already closed" in flashes(page)
        assert len(closed) == 1
    finally:
        app.registry.unregisterHandler(closed.append, (DailyClosed,))


def test_the_closed_summary_lists_each_version_its_answer_and_note(
    dbsession, testapp, factory, project, daily, started, artist, supervisor
):
    version = factory.version(started)
    request_review(dbsession, started, artist, version)
    entry = add_version(dbsession, daily, version)
    add_version(dbsession, daily, factory.version(started))
    answer_version(dbsession, entry, supervisor, DailyOutcome.REVISION, "Smoother *arcs*.")
    close_daily(dbsession, daily)
    page = logged_in(testapp, artist).get(f"/dailies/{daily.id}")
    assert page.html.h1.get_text(" ", strip=True).startswith("Summary of Tuesday dailies")
    first, second = page.html.find(id="daily-versions").tbody.find_all("tr")
    assert "Revision asked by Supervisor" in first.get_text(" ", strip=True)
    assert first.find("em").get_text() == "arcs"
    assert "not answered" in second.get_text()
    assert page.html.find(id="collect-form") is None and page.html.find(id="close") is None


@pytest.fixture
def filled(dbsession, factory, project, daily, artist, supervisor):
    """Fill the daily with ``number`` answered versions of as many tasks, each named by a path
    under its own shot."""

    def fill(number):
        for index in range(number):
            shot = factory.task("Shot", project=project, name=f"S{number}-{index}")
            task = factory.task(parent=shot, name="Animation", resources=[artist])
            entry = add_version(dbsession, daily, factory.version(task, published=True))
            entry.outcome = DailyOutcome.APPROVED
            entry.answered_by = supervisor
        dbsession.flush()

    return fill


def test_the_daily_page_statement_count_is_constant(testapp, daily, filled, lead, queries_of):
    logged_in(testapp, lead)
    filled(5)
    five = queries_of(testapp, f"/dailies/{daily.id}")
    filled(45)
    # The lead may fill it, so the collecting form's choices are read too.
    assert queries_of(testapp, f"/dailies/{daily.id}") == five <= 16
    assert len(daily.entries) == 50

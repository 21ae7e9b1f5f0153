"""The project's critical path page: the chain towards the project's end or a chosen milestone,
the tasks with the least float, and the empty state (see ``stored_schedule.py`` for the stored
dates)."""

from ...conftest import login
from ..stored_schedule import stored_film, stored_production


def section(page):
    return page.html.find("section", id="critical-path")


def rows(table) -> list[list[str]]:
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in table.tbody.find_all("tr")
    ]


def test_the_chain_to_the_project_end_with_floats_and_reasons(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)

    found = section(admin_app.get(f"/projects/{film.project.id}/critical-path"))

    assert "the project ends: 2024-01-11 18:00 UTC" in found.find(id="critical-summary").get_text(
        " ", strip=True
    )
    then = ", then the next working hour."
    assert rows(found.find("table", id="critical-chain")) == [
        [
            "Layout",
            "2024-01-08 09:00 UTC",
            "2024-01-08 18:00 UTC",
            "none",
            "Nothing else holds it: it starts at the run's now (2024-01-08 09:00 UTC).",
        ],
        [
            "Anim",
            "2024-01-10 09:00 UTC",
            "2024-01-10 18:00 UTC",
            "none",
            "Starts after Layout ends (2024-01-08 18:00 UTC) plus a gap of 1 d of working time "
            "(2024-01-09 18:00 UTC)" + then,
        ],
        [
            "Comp",
            "2024-01-11 09:00 UTC",
            "2024-01-11 18:00 UTC",
            "none",
            "Starts after Anim ends (2024-01-10 18:00 UTC)" + then,
        ],
    ]
    # Review may end 9 working hours later (Thursday), Notes 27 (Tuesday to Thursday).
    least = rows(found.find("table", id="least-float"))
    assert [(row[0], row[3]) for row in least] == [
        ("Layout critical", "none"),
        ("Anim critical", "none"),
        ("Comp critical", "none"),
        ("Review", "1 d"),
        ("Notes", "3 d"),
    ]
    gantt = found.find("a", id="critical-gantt-link")["href"]
    assert gantt == f"http://example.com/projects/{film.project.id}/gantt?critical=1"


def test_the_chain_towards_a_chosen_milestone_keeps_the_choice(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)
    review = film["Review"].id

    found = section(admin_app.get(f"/projects/{film.project.id}/critical-path?milestone={review}"))

    assert [row[0] for row in rows(found.find("table", id="critical-chain"))] == [
        "Layout",
        "Anim",
        "Review",
    ]
    summary = found.find(id="critical-summary").get_text(" ", strip=True)
    assert "the milestone Review is reached: 2024-01-10 18:00 UTC" in summary
    assert found.select_one("#critical-milestone option[selected]")["value"] == str(review)
    gantt = found.find("a", id="critical-gantt-link")["href"]
    assert gantt.endswith(f"gantt?critical=1&milestone={review}")


def test_a_task_that_is_no_milestone_falls_back_to_the_project_end(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)

    found = section(
        admin_app.get(f"/projects/{film.project.id}/critical-path?milestone={film['Anim'].id}")
    )

    assert found.find(id="milestone-missing") is not None
    assert "the project ends" in found.find(id="critical-summary").get_text()


def test_a_project_never_scheduled_says_so(admin_app, factory):
    project = factory.project(name="Fresh")
    factory.task(project=project, name="Idea")

    found = section(admin_app.get(f"/projects/{project.id}/critical-path"))

    assert found.find(id="critical-path-empty").get_text().startswith("This project was never")
    assert found.find("table") is None


def test_an_artist_of_the_project_reads_the_chain(testapp, factory, dbsession):
    artist = factory.user(name="Artist")
    film = stored_film(factory, dbsession, members=[artist])
    login(testapp, artist.login)

    found = section(testapp.get(f"/projects/{film.project.id}/critical-path"))

    assert len(rows(found.find("table", id="critical-chain"))) == 3


def test_the_page_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, dbsession, queries_of
):
    small = f"/projects/{stored_production(factory, dbsession, 2)[0].id}/critical-path"
    large = f"/projects/{stored_production(factory, dbsession, 6)[0].id}/critical-path"
    assert section(admin_app.get(small)).find("table", id="critical-chain") is not None
    # A ceiling, not the goal (15): the statements it takes today, so none creeps back in.
    assert queries_of(admin_app, large) == queries_of(admin_app, small) <= 19


def test_the_overview_links_to_the_page(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)
    overview = admin_app.get(f"/projects/{film.project.id}")
    assert section(overview) is None
    link = overview.html.find("a", string="Critical path")
    assert link["href"].endswith(f"/projects/{film.project.id}/critical-path")

"""The "Why is it here?" section of the task page: what holds the start (with links), the
float and the critical path, read from a stored schedule (see ``stored_schedule.py``)."""

from ...conftest import login
from ..stored_schedule import day, stored_film, stored_production


def why_section(page):
    return page.html.find("section", id="task-why")


def test_the_section_says_what_holds_the_start_with_links_float_and_critical_path(
    admin_app, factory, dbsession
):
    film = stored_film(factory, dbsession)

    section = why_section(admin_app.get(f"/tasks/{film['Anim'].id}"))

    computed = section.find("dl", id="task-computed").get_text(" ", strip=True)
    assert "Scheduled start Wed 10 Jan 2024, 09:00 UTC" in computed
    assert "Scheduled end Wed 10 Jan 2024, 18:00 UTC" in computed
    assert section.find(id="task-float").get_text(strip=True) == "none"
    assert section.find(id="task-critical").strong.get_text() == "On the project's critical path"
    reasons = section.find("ul", id="task-why-reasons")
    assert [item.get_text() for item in reasons.find_all("li")] == [
        "Starts after Layout ends (2024-01-08 18:00 UTC) plus a gap of 1 d of working time "
        "(2024-01-09 18:00 UTC), then the next working hour."
    ]
    assert reasons.a["href"] == f"http://example.com/tasks/{film['Layout'].id}"


def test_a_task_with_float_off_the_critical_path_started_at_now(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)

    section = why_section(admin_app.get(f"/tasks/{film['Notes'].id}"))

    # Monday 18:00 to Thursday 18:00, when Comp ends the project: Tuesday to Thursday.
    assert section.find(id="task-float").get_text(strip=True) == "3 d"
    assert "Not on the project's critical path" in section.find(id="task-critical").get_text()
    assert section.find("ul", id="task-why-reasons").get_text(strip=True) == (
        "Nothing else holds it: it starts at the run's now (2024-01-08 09:00 UTC)."
    )


def test_an_unscheduled_task_says_so(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)

    section = why_section(admin_app.get(f"/tasks/{film['Unplanned'].id}"))

    assert section.find(id="task-why-empty").get_text().startswith("Not scheduled yet")
    assert section.find(id="task-why-reasons") is None


def test_an_artist_of_the_project_reads_the_section(testapp, factory, dbsession):
    artist = factory.user(name="Artist")
    film = stored_film(factory, dbsession, members=[artist])
    login(testapp, artist.login)

    section = why_section(testapp.get(f"/tasks/{film['Comp'].id}"))

    assert "Starts after Anim ends" in section.find("ul", id="task-why-reasons").get_text()


def test_the_section_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, dbsession, queries_of
):
    small = f"/tasks/{stored_production(factory, dbsession, 2)[2].id}"
    large = f"/tasks/{stored_production(factory, dbsession, 6)[2].id}"
    assert why_section(admin_app.get(small)).find(id="task-why-reasons") is not None
    assert queries_of(admin_app, large) == queries_of(admin_app, small)


def test_a_start_nothing_in_the_schedule_explains_is_owned_up_to(admin_app, factory, dbsession):
    film = stored_film(factory, dbsession)
    odd = factory.task(project=film.project, name="Odd", resources=[film.bob])
    # Bob is free from Tuesday: nothing stored holds Odd until Tuesday 13:00.
    odd.computed_start, odd.computed_end = day(9, 13), day(9, 17)
    odd.computed_resources = [film.bob]
    dbsession.flush()

    section = why_section(admin_app.get(f"/tasks/{odd.id}"))

    assert (
        section.find("ul", id="task-why-reasons")
        .get_text(strip=True)
        .startswith(
            "tj3 placed it here: higher-priority work or partial availability of its people"
        )
    )

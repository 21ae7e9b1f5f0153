"""Gantt chart pages: rows, bars and dates in the SVG, lazy subtrees, the window, the image
download, permissions and query counts."""

from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import pytest

from stalker_web.models import ProjectUser, Vacation
from stalker_web.models.meta import utcnow
from stalker_web.services.gantt.people import BUSY_COLOR
from stalker_web.services.tasks.dependencies import add_dependency

from ...conftest import login
from ...factories.tasks import production

MARCH = {"from": "2025-03-01", "to": "2025-03-31", "zoom": "day"}
SVG = "{http://www.w3.org/2000/svg}"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def query(**params) -> str:
    return "&".join(f"{key}={value}" for key, value in params.items())


def gantt_url(project, **params) -> str:
    return f"/projects/{project.id}/gantt?{query(**params)}"


def row_of(page, task):
    return page.html.find("tr", attrs={"data-task-id": str(task.id)})


def pixels(length: str, chart_width: float) -> float:
    """An x or width written as a percentage of the chart, in pixels."""
    assert length.endswith("%")
    return round(float(length[:-1]) * chart_width / 100, 2)


def svg_image(response) -> ElementTree.Element:
    """The downloaded image parsed as XML (which also proves it is well-formed)."""
    return ElementTree.fromstring(response.body)  # noqa: S314 (the app's own output)


def image_labels(response) -> list[str]:
    return [text.text for text in svg_image(response).iter(f"{SVG}text") if text.text]


def bar_of(page, task, kind="bar"):
    """(x, width) in pixels and the shape of the task's bar in its row."""
    row = row_of(page, task)
    svg = row.find("svg", class_="gantt-row-svg")
    shape = svg.find("rect", class_=kind)
    width = float(svg["width"])
    return pixels(shape["x"], width), pixels(shape["width"], width), shape


@pytest.fixture
def film(factory, dbsession):
    """A project in March 2025: a sequence with two dependent tasks, a scheduled task, a
    milestone waiting for the sequence, and an undated task."""
    project = factory.project(name="Film", code="FILM")
    sequence = factory.task(
        "Sequence", project=project, name="SEQ", start=at("2025-03-03"), end=at("2025-03-20")
    )
    design = factory.task(
        parent=sequence, name="Design", start=at("2025-03-05"), end=at("2025-03-10")
    )
    build = factory.task(
        parent=sequence, name="Build", start=at("2025-03-11"), end=at("2025-03-15")
    )
    add_dependency(dbsession, build, design)
    scheduled = factory.task(
        project=project, name="Scheduled", start=at("2025-03-02"), end=at("2025-03-04")
    )
    scheduled.computed_start, scheduled.computed_end = at("2025-03-06"), at("2025-03-09")
    milestone = factory.task(
        project=project, name="Delivery", is_milestone=True, start=at("2025-03-25")
    )
    add_dependency(dbsession, milestone, sequence)
    factory.task(project=project, name="Undated")
    dbsession.flush()
    return {
        "project": project,
        "sequence": sequence,
        "design": design,
        "build": build,
        "scheduled": scheduled,
        "milestone": milestone,
    }


def test_the_chart_lists_the_root_tasks_with_their_bars(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    names = [row.th.find("a").get_text(strip=True) for row in page.html.select("#gantt tbody tr")]
    # Earliest first by the dates drawn (Scheduled's computed start is after SEQ's), undated last.
    assert names == ["SEQ", "Scheduled", "◆ Delivery", "Undated"]
    assert page.html.select_one("#gantt thead svg.gantt-scale")["width"] == str(31 * 24.0)
    x, width, shape = bar_of(page, film["scheduled"])
    assert (x, width) == (5 * 24, 3 * 24)
    assert shape["class"] == ["bar", "computed"]
    assert "2025-03-06 to 2025-03-09 (scheduled)" in shape.title.get_text()
    assert shape.find_parent("a")["href"] == f"/tasks/{film['scheduled'].id}"
    undated = page.html.select("#gantt tbody tr")[-1]
    assert undated.find("text", class_="undated").get_text() == "no dates yet"


def test_planned_and_computed_bars_are_drawn_differently(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    computed = bar_of(page, film["scheduled"])[2]
    x, width, baseline = bar_of(page, film["scheduled"], "baseline")
    assert (x, width) == (1 * 24, 2 * 24)
    assert "stroke-dasharray" not in computed.attrs
    summary = row_of(page, film["sequence"]).find("g", class_="summary")
    assert summary["class"] == ["summary", "planned"]
    assert summary.rect["stroke-dasharray"] == "4 2"
    legend = page.html.find("section", class_="gantt-legend").get_text(" ", strip=True)
    assert "planned only, not scheduled yet" in legend
    assert "Ready To Start" in legend and "Waiting For Dependency" in legend


def test_a_milestone_is_a_diamond_at_its_date(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    svg = row_of(page, film["milestone"]).find("svg", class_="gantt-row-svg")
    diamond = svg.find("svg", class_="milestone")
    assert pixels(diamond["x"], float(svg["width"])) == 24 * 24
    assert diamond.polygon is not None
    assert "milestone on 2025-03-25" in diamond.polygon.title.get_text()


def test_arrows_join_dependent_rows_of_the_same_level(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    # Delivery waits for SEQ, two rows above it.
    arrow = row_of(page, film["milestone"]).find("g", class_="gantt-arrow")
    assert arrow["data-from"] == str(film["sequence"].id)
    width = float(row_of(page, film["milestone"]).svg["width"])
    assert pixels(arrow["data-x1"] + "%", width) == 19 * 24  # the end of SEQ
    assert pixels(arrow["data-x2"] + "%", width) == 24 * 24  # the milestone
    first, second = arrow.find_all("line")
    assert float(first["y1"]) == -2 * 28 + 14 + 7  # leaves SEQ's bar by its bottom
    assert float(second["y2"]) == 14
    assert "waits for: arrows join tasks listed together" in page.text
    fragment = admin_app.get(f"/tasks/{film['sequence'].id}/gantt-rows?{query(**MARCH)}")
    build_row = fragment.html.find("tr", attrs={"data-task-id": str(film["build"].id)})
    assert build_row.find("g", class_="gantt-arrow")["data-from"] == str(film["design"].id)
    assert "waits for Design" in build_row.th.a["title"]


def test_the_today_line_marks_now(admin_app, film):
    today = utcnow().date()
    window = {
        "from": (today - timedelta(days=3)).isoformat(),
        "to": (today + timedelta(days=3)).isoformat(),
        "zoom": "day",
    }
    page = admin_app.get(gantt_url(film["project"], **window))
    line = row_of(page, film["scheduled"]).find("line", class_="today")
    now = utcnow()
    expected = (now - datetime(today.year, today.month, today.day, tzinfo=UTC)).total_seconds()
    assert float(line["data-x"]) == pytest.approx(3 * 24 + expected / 86400 * 24, abs=1)
    assert page.html.select_one("#gantt thead line.today") is not None
    assert (
        row_of(admin_app.get(gantt_url(film["project"], **MARCH)), film["scheduled"]).find(
            "line", class_="today"
        )
        is None
    )


def test_expanding_a_task_returns_its_children_as_rows(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    toggle = row_of(page, film["sequence"]).find("button", class_="toggle")
    assert toggle["data-children-url"].startswith(f"/tasks/{film['sequence'].id}/gantt-rows?")
    fragment = admin_app.get(toggle["data-children-url"])
    assert "<html" not in fragment.text
    rows = fragment.html.find_all("tr")
    assert [row["data-task-id"] for row in rows] == [str(film["design"].id), str(film["build"].id)]
    assert {row["data-depth"] for row in rows} == {"1"}
    x, width, _ = bar_of(fragment, film["design"])
    assert (x, width) == (4 * 24, 5 * 24)


def test_fragments_page_with_a_show_more_row(admin_app, factory):
    project = factory.project()
    sequence = factory.task("Sequence", project=project)
    for number in range(103):
        factory.task("Shot", parent=sequence, name=f"Shot {number:03d}")
    first = admin_app.get(f"/tasks/{sequence.id}/gantt-rows?{query(**MARCH)}")
    assert len(first.html.find_all("tr", attrs={"data-task-id": True})) == 100
    more = first.html.find("button", attrs={"data-more-url": True})
    assert "3 more (100 of 103 shown)" in more.get_text()
    assert more.find_parent("tr")["data-depth"] == "1"
    second = admin_app.get(more["data-more-url"])
    assert len(second.html.find_all("tr", attrs={"data-task-id": True})) == 3
    assert second.html.find("button", attrs={"data-more-url": True}) is None


def test_drilling_down_shows_a_level_with_its_breadcrumb(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], parent=film["sequence"].id, **MARCH))
    ids = [row["data-task-id"] for row in page.html.select("#gantt tbody tr")]
    assert ids == [str(film["design"].id), str(film["build"].id)]
    assert "SEQ" in page.html.find("nav", class_="breadcrumb").get_text()
    assert page.html.find("input", attrs={"name": "parent"})["value"] == str(film["sequence"].id)


def test_a_parent_of_another_project_is_not_found(admin_app, film, factory):
    elsewhere = factory.task()
    admin_app.get(gantt_url(film["project"], parent=elsewhere.id), status=404)


def test_the_zoom_changes_the_scale(admin_app, film):
    day = admin_app.get(gantt_url(film["project"], **MARCH))
    week = admin_app.get(gantt_url(film["project"], **{**MARCH, "zoom": "week"}))
    assert bar_of(day, film["scheduled"])[:2] == (5 * 24, 3 * 24)
    assert bar_of(week, film["scheduled"])[:2] == (5 * 8, 3 * 8)
    assert week.html.select_one("#gantt thead svg")["width"] == str(31 * 8.0)
    links = week.html.find("span", class_="gantt-zooms")
    assert links.find("strong").get_text() == "Week"
    assert "zoom=day" in links.find("a", string="Day")["href"]


def test_without_a_window_the_chart_fits_the_project_and_fills_the_form(admin_app, film):
    page = admin_app.get(gantt_url(film["project"]))
    # The tasks run from 3 March (SEQ) to 25 March (Delivery), padded by two days each side.
    assert page.html.find("input", attrs={"name": "from"})["value"] == "2025-03-01"
    assert page.html.find("input", attrs={"name": "to"})["value"] == "2025-03-27"
    assert "day zoom" in page.html.find("p", class_="gantt-caption").get_text()


def test_moving_the_window_keeps_its_span(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    later = page.html.find("a", rel="next")["href"]
    assert "from=2025-03-16" in later and "to=2025-04-15" in later


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2025-13-01"}, "Write the date as YYYY-MM-DD"),
        ({"from": "2025-03-10", "to": "2025-03-01"}, "cannot come before its start"),
        ({"zoom": "year"}, "Choose the day, week or month zoom."),
        ({"to": "1800-01-01"}, "between 1900 and 2200"),
    ],
)
def test_a_bad_window_is_refused_with_the_reason(admin_app, film, params, message):
    page = admin_app.get(gantt_url(film["project"], **params), status=400)
    assert message in page.html.find("form", id="gantt-window").get_text()
    assert page.html.find("table", id="gantt") is None
    fragment = admin_app.get(
        f"/tasks/{film['sequence'].id}/gantt-rows?{query(**params)}", status=400
    )
    assert message in fragment.text
    image = admin_app.get(gantt_url(film["project"], format="svg", **params), status=400)
    assert message in image.text


def test_blank_dates_mean_automatic(admin_app, film):
    admin_app.get(gantt_url(film["project"], **{"from": "", "to": "", "zoom": ""}), status=200)


def test_a_window_too_long_for_the_zoom_is_cut_with_a_notice(admin_app, film):
    page = admin_app.get(
        gantt_url(film["project"], **{"from": "2025-01-01", "to": "2026-12-31", "zoom": "day"})
    )
    assert "shows at most 191 days" in page.html.find("p", class_="flash").get_text()
    assert page.html.select_one("#gantt thead svg")["width"] == str(191 * 24.0)


def test_the_chart_downloads_as_an_svg_image(admin_app, film):
    response = admin_app.get(gantt_url(film["project"], format="svg", **MARCH))
    assert response.content_type == "image/svg+xml"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="gantt-FILM-2025-03-01-2025-03-31.svg"'
    )
    image = svg_image(response)
    assert image.tag == f"{SVG}svg"
    labels = [text.text for text in image.iter(f"{SVG}text") if text.text]
    # The image holds the whole tree, children under their parents.
    for name in ["Scheduled", "SEQ", "Design", "Build", "Delivery", "Undated"]:
        assert name in labels
    assert labels.index("SEQ") < labels.index("Design") < labels.index("Delivery")
    arrows = [g for g in image.iter(f"{SVG}g") if "gantt-arrow" in g.get("class", "")]
    assert {(a.get("data-from"), a.get("data-to")) for a in arrows} == {
        (str(film["design"].id), str(film["build"].id)),
        (str(film["sequence"].id), str(film["milestone"].id)),
    }
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    download = page.html.find("a", id="gantt-download")["href"]
    assert "format=svg" in download and "from=2025-03-01" in download


def test_the_page_is_printable(admin_app, film):
    page = admin_app.get(gantt_url(film["project"], **MARCH))
    stylesheet = page.html.find("link", href=lambda href: href and "gantt.css" in href)
    css = admin_app.get(stylesheet["href"].replace("http://example.com", "")).text
    assert "@media print" in css
    assert page.html.find("button", attrs={"data-gantt-print": True}) is not None


def member_of(project, factory, role=None):
    user = factory.user()
    project.members.append(ProjectUser(user=user, role=factory.role(role) if role else None))
    return user


def test_a_member_sees_the_chart_and_a_non_member_is_refused(testapp, film, factory):
    project = film["project"]
    member = member_of(project, factory)
    login(testapp, member.login)
    testapp.get(gantt_url(project, **MARCH), status=200)
    testapp.get(f"/tasks/{film['sequence'].id}/gantt-rows", status=200)
    testapp.get("/logout")
    login(testapp, factory.user().login)
    testapp.get(gantt_url(project, **MARCH), status=403)
    testapp.get(gantt_url(project, format="svg"), status=403)
    testapp.get(f"/tasks/{film['sequence'].id}/gantt-rows", status=403)


@pytest.mark.parametrize("query_params", [{}, {"zoom": "week"}])
def test_the_chart_takes_the_same_queries_for_a_ten_times_larger_project(
    admin_app, factory, count_queries, query_params
):
    small, small_sequence, _ = production(factory, 2)
    large, large_sequence, _ = production(factory, 6)
    admin_app.get(gantt_url(small, **query_params))
    with count_queries() as few:
        admin_app.get(gantt_url(small, **query_params))
    with count_queries() as many:
        admin_app.get(gantt_url(large, **query_params))
    assert many.count == few.count
    assert few.count <= 15  # issue 16: at most 15 statements a page
    with count_queries() as few:
        admin_app.get(f"/tasks/{small_sequence.id}/gantt-rows?{query(**MARCH)}")
    with count_queries() as many:
        admin_app.get(f"/tasks/{large_sequence.id}/gantt-rows?{query(**MARCH)}")
    assert many.count == few.count <= 15
    with count_queries() as few:
        admin_app.get(gantt_url(small, format="svg"))
    with count_queries() as many:
        admin_app.get(gantt_url(large, format="svg"))
    assert many.count == few.count


def test_a_level_of_scheduled_leaves_says_why_in_at_most_15_statements(
    admin_app, factory, dbsession, count_queries
):
    def scheduled_shot(scale: int):
        _, sequence, _ = production(factory, scale)
        shot = sequence.children[0]
        for number, task in enumerate(shot.children):
            task.computed_start = datetime(2025, 3, 3 + number, 9, tzinfo=UTC)
            task.computed_end = datetime(2025, 3, 3 + number, 18, tzinfo=UTC)
            task.computed_resources = list(task.resources)
        dbsession.flush()
        return shot

    small, large = scheduled_shot(2), scheduled_shot(6)
    small_url, large_url = (
        f"/tasks/{shot.id}/gantt-rows?{query(**MARCH)}" for shot in (small, large)
    )
    admin_app.get(small_url)
    dbsession.expire_all()
    with count_queries() as few:
        page = admin_app.get(small_url)
    dbsession.expire_all()
    with count_queries() as many:
        admin_app.get(large_url)
    assert "Starts after" in page.text  # lighting waits for animation: the why was said
    assert many.count == few.count <= 15  # issue 16: at most 15 statements a page


# People charts


def vacation(dbsession, user, start: str, end: str, name: str) -> Vacation:
    away = Vacation(user=user, start=at(start), end=at(end), name=name)
    dbsession.add(away)
    dbsession.flush()
    return away


@pytest.fixture
def crew(factory, dbsession):
    """Ann and Bob in the Animation department with work and vacations in March 2025."""
    ann, bob = factory.user(name="Ann Anim"), factory.user(name="Bob Light")
    department = factory.department(name="Animation", members=[ann, bob])
    project = factory.project(code="FILM")
    shot = factory.task("Shot", project=project, name="SH010")
    anim = factory.task(
        parent=shot, name="Animation", resources=[ann], start=at("2025-03-03"), end=at("2025-03-07")
    )
    light = factory.task(
        parent=shot, name="Lighting", resources=[bob], start=at("2025-03-10"), end=at("2025-03-12")
    )
    other = factory.task(project=factory.project(code="ADS"), name="Spot")
    other.computed_start, other.computed_end = at("2025-03-05"), at("2025-03-06")
    other.computed_resources.append(ann)
    vacation(dbsession, ann, "2025-03-17", "2025-03-21", "Ski")
    vacation(dbsession, None, "2025-03-24", "2025-03-25", "Founders day")
    dbsession.flush()
    return {
        "ann": ann,
        "bob": bob,
        "department": department,
        "anim": anim,
        "light": light,
        "other": other,
    }


def test_a_users_chart_shows_their_tasks_and_vacations(admin_app, crew):
    page = admin_app.get(f"/users/{crew['ann'].id}/gantt?{query(**MARCH)}")
    rows = page.html.select("#gantt tbody tr")
    assert [row["data-task-id"] for row in rows] == [str(crew["anim"].id), str(crew["other"].id)]
    assert rows[0].th.get_text(" ", strip=True) == "Animation FILM / SH010"
    assert rows[0].th.a["title"].startswith("FILM / SH010 / Animation")
    x, width, bar = bar_of(page, crew["anim"])
    assert (x, width) == (2 * 24, 4 * 24)
    assert bar_of(page, crew["other"])[2]["class"] == ["bar", "computed"]
    shaded = rows[0].find_all("rect", class_="vacation")
    assert [pixels(rect["x"], 31 * 24) for rect in shaded] == [16 * 24, 23 * 24]
    listed = page.html.find("section", id="gantt-vacations").get_text(" ", strip=True)
    assert "Ann Anim: Ski" in listed and "Studio holiday : Founders day" in listed


def test_a_department_chart_has_a_row_per_member(admin_app, crew):
    page = admin_app.get(f"/departments/{crew['department'].id}/gantt?{query(**MARCH)}")
    rows = page.html.select("#gantt tbody tr")
    assert [row["data-user-id"] for row in rows] == [str(crew["ann"].id), str(crew["bob"].id)]
    ann_lanes = rows[0].find_all("rect", class_="lane")
    assert len(ann_lanes) == 2 and len({lane["y"] for lane in ann_lanes}) == 2
    [bob_lane] = rows[1].find_all("rect", class_="lane")
    assert pixels(bob_lane["x"], 31 * 24) == 9 * 24
    assert len(rows[1].find_all("rect", class_="vacation")) == 1  # the studio holiday only
    assert len(rows[0].find_all("rect", class_="vacation")) == 2
    assert rows[0].th.a["href"].startswith(f"http://example.com/users/{crew['ann'].id}/gantt?")


def test_people_charts_download_as_images(admin_app, crew):
    response = admin_app.get(
        f"/departments/{crew['department'].id}/gantt?{query(format='svg', **MARCH)}"
    )
    assert response.content_type == "image/svg+xml"
    assert (
        'filename="gantt-Animation-2025-03-01-2025-03-31.svg"'
        in response.headers["Content-Disposition"]
    )
    labels = image_labels(response)
    assert "Ann Anim" in labels and "Bob Light" in labels
    assert (
        "Grey bars without a link"
        not in admin_app.get(f"/departments/{crew['department'].id}/gantt?{query(**MARCH)}").text
    )
    assert any("Founders day" in label for label in labels)
    response = admin_app.get(f"/users/{crew['ann'].id}/gantt?{query(format='svg', **MARCH)}")
    labels = image_labels(response)
    assert "FILM / SH010 / Animation" in labels and "ADS / Spot" in labels


def test_people_charts_refuse_a_bad_window(admin_app, crew):
    page = admin_app.get(f"/users/{crew['ann'].id}/gantt?from=tomorrow", status=400)
    assert "Write the date as YYYY-MM-DD" in page.text
    page = admin_app.get(f"/departments/{crew['department'].id}/gantt?zoom=hour", status=400)
    assert "Choose the day, week or month zoom." in page.text


def test_a_user_sees_their_own_chart_but_not_someone_elses(testapp, crew, factory):
    login(testapp, crew["ann"].login)
    testapp.get(f"/users/{crew['ann'].id}/gantt", status=200)
    testapp.get(f"/users/{crew['ann'].id}/gantt?format=svg", status=200)
    testapp.get(f"/users/{crew['bob'].id}/gantt", status=403)
    testapp.get(f"/departments/{crew['department'].id}/gantt", status=403)


def test_read_workload_lets_a_user_see_other_charts(testapp, crew, factory):
    reader = factory.user_allowed("Read_Workload")
    login(testapp, reader.login)
    testapp.get(f"/users/{crew['bob'].id}/gantt", status=200)


def test_department_leads_see_their_department_chart(testapp, crew, factory):
    lead = factory.user()
    crew["department"].memberships.append(
        type(crew["department"].memberships[0])(user=lead, role=factory.role("Lead"))
    )
    factory.dbsession.flush()
    login(testapp, lead.login)
    testapp.get(f"/departments/{crew['department'].id}/gantt", status=200)


def test_people_charts_take_the_same_queries_for_ten_times_more_work(
    admin_app, factory, dbsession, count_queries
):
    def staff(count: int):
        users = [factory.user() for _ in range(2)]
        department = factory.department(members=users)
        project = factory.project()
        for number in range(count):
            for user in users:
                factory.task(
                    project=project,
                    resources=[user],
                    start=at("2025-03-02") + timedelta(days=number % 20),
                    end=at("2025-03-05") + timedelta(days=number % 20),
                )
            vacation(dbsession, users[number % 2], "2025-03-10", "2025-03-11", f"Off {number}")
        return users[0], department

    small_user, small_department = staff(2)
    large_user, large_department = staff(20)
    for url in (
        "/users/{}/gantt?" + query(**MARCH),
        "/departments/{}/gantt?" + query(**MARCH),
    ):
        small_id = small_user.id if url.startswith("/users") else small_department.id
        large_id = large_user.id if url.startswith("/users") else large_department.id
        admin_app.get(url.format(small_id))
        dbsession.expire_all()
        with count_queries() as few:
            admin_app.get(url.format(small_id))
        dbsession.expire_all()
        with count_queries() as many:
            admin_app.get(url.format(large_id))
        assert many.count == few.count, url


def film_member_allowed(factory, crew, *permissions):
    """A member of FILM (not of ADS, where Ann also works) holding ``permissions``."""
    viewer = factory.user_allowed(*permissions) if permissions else factory.user()
    crew["anim"].project.members.append(ProjectUser(user=viewer))
    factory.dbsession.flush()
    return viewer


def test_a_users_chart_shows_work_in_projects_the_viewer_cannot_read_as_busy(
    testapp, crew, factory
):
    login(testapp, film_member_allowed(factory, crew, "Read_Workload").login)
    page = testapp.get(f"/users/{crew['ann'].id}/gantt?{query(**MARCH)}")
    rows = page.html.select("#gantt tbody tr")
    assert [row.get("data-task-id") for row in rows] == [str(crew["anim"].id), None]
    busy = rows[1]
    assert busy.th.get_text(" ", strip=True) == "Busy (another project)"
    assert busy.find("a") is None
    assert busy.find("rect", class_="bar")["fill"] == BUSY_COLOR
    assert "Spot" not in page.text and "ADS" not in page.text
    image = testapp.get(f"/users/{crew['ann'].id}/gantt?{query(format='svg', **MARCH)}")
    assert {"Busy (another project)", "FILM / SH010 / Animation"} <= set(image_labels(image))
    assert "Spot" not in image.text and "ADS" not in image.text


def test_a_department_chart_shows_work_the_viewer_cannot_read_as_busy(testapp, crew, factory):
    lead = film_member_allowed(factory, crew)
    crew["department"].memberships.append(
        type(crew["department"].memberships[0])(user=lead, role=factory.role("Lead"))
    )
    factory.dbsession.flush()
    login(testapp, lead.login)
    url = f"/departments/{crew['department'].id}/gantt?{query(**MARCH)}"
    page = testapp.get(url)
    ann_row = page.html.find("tr", attrs={"data-user-id": str(crew["ann"].id)})
    titles = [lane.title.get_text() for lane in ann_row.find_all("rect", class_="lane")]
    assert titles[0].startswith("Animation:")
    assert titles[1].startswith("Busy (another project):")
    assert len(ann_row.select("a rect.lane")) == 1  # only the readable task links
    assert "Spot" not in page.text
    assert "Grey bars without a link are work in projects you are not a member of" in page.text
    image = testapp.get(url + "&format=svg")
    assert "Ann Anim" in image_labels(image) and "Spot" not in image.text

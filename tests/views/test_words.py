"""Words people use (issue 13 item 3): statuses by their names where there is room, their codes
only in dense tables (with the name as tooltip and for screen readers), and no empty headings."""


def test_the_task_page_names_the_status_in_its_heading(admin_app, factory):
    task = factory.task(name="Layout")
    heading = admin_app.get(f"/tasks/{task.id}").html.h1
    badge = heading.find(class_="status")
    assert badge.get_text() == task.status.name
    assert task.status.code not in heading.get_text(" ")


def test_the_task_tree_keeps_codes_with_their_names(admin_app, factory):
    task = factory.task(name="Layout")
    page = admin_app.get(f"/projects/{task.project_id}/tasks")
    badge = page.html.select_one("#task-tree tbody .status")
    assert badge["title"] == task.status.name
    assert badge.find(attrs={"aria-hidden": "true"}).get_text() == task.status.code
    assert badge.find(class_="visually-hidden").get_text() == task.status.name


def test_a_persons_chart_says_when_nobody_is_away(admin_app, factory):
    user = factory.user()
    page = admin_app.get(f"/users/{user.id}/gantt")
    vacations = page.html.find(id="gantt-vacations").get_text(" ", strip=True)
    assert vacations == "Vacations in this window No vacation or studio holiday in this window."


def test_the_gantt_legend_names_each_status_once(admin_app, factory):
    task = factory.task(name="Layout")
    legend = admin_app.get(f"/projects/{task.project_id}/gantt").html.find(class_="gantt-legend")
    badges = [badge.get_text(" ", strip=True) for badge in legend(class_="status")]
    assert task.status.name in badges
    assert legend.get_text(" ", strip=True).count(task.status.name) == 1


def test_none_is_not_offered_as_a_word(admin_app, factory):
    project = factory.project()
    for url in ("/projects/new", f"/projects/{project.id}/edit"):
        first = admin_app.get(url).html.find(id="image_format_id").option
        assert first.get_text() == "Not set"


def test_pages_explain_the_schedule_without_tj3_words(admin_app, factory):
    task = factory.task(name="Layout")
    jargon = ("effort", "resources", "computed")
    intro = admin_app.get("/schedule").html.find("main").get_text(" ", strip=True)
    assert "works out every task's dates and who works on it" in intro
    people = admin_app.get(f"/tasks/{task.id}").html.find(id="task-people")
    labels = [term.get_text() for term in people("dt")]
    assert "Booked by the schedule" in labels and "Computed resources" not in labels
    overview = admin_app.get(f"/projects/{task.project_id}").html.find("main").get_text(" ")
    assert "Logged time is the time people logged" in overview
    for word in jargon:
        assert f"{word} tasks" not in overview and f"the {word} of" not in overview


def test_an_empty_list_does_not_add_0_in_all(admin_app, factory):
    page = admin_app.get("/reviews")
    assert "Nothing to review." in page.text
    assert "0 in all" not in page.text
    factory.structure(name="Only")
    assert "1 in all" in admin_app.get("/structures").text

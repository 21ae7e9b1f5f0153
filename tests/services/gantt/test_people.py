"""People charts: a user's tasks across projects, a department's members, their vacations."""

from datetime import UTC, date, datetime

import pytest

from stalker_web.models import Vacation
from stalker_web.services.accounts.readable_projects import EVERY_PROJECT, ReadableProjects
from stalker_web.services.gantt import people as gantt_people
from stalker_web.services.gantt.vacations import distinct_vacations, vacations_by_user
from stalker_web.services.gantt.window import ZOOMS, Window

MARCH = Window(date(2025, 3, 1), date(2025, 3, 31), ZOOMS["day"])


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def vacation(dbsession, user, start: str, end: str, name: str = "Away") -> Vacation:
    away = Vacation(user=user, start=at(start), end=at(end), name=name)
    dbsession.add(away)
    dbsession.flush()
    return away


@pytest.fixture
def ann(factory):
    return factory.user(name="Ann")


def test_a_users_chart_lists_their_tasks_in_the_window_across_projects(factory, dbsession, ann):
    first, second = factory.project(code="ONE"), factory.project(code="TWO")
    shot = factory.task("Shot", project=first, name="SH010")
    assigned = factory.task(
        parent=shot, name="Anim", resources=[ann], start=at("2025-03-10"), end=at("2025-03-12")
    )
    computed = factory.task(project=second, name="Comp")
    computed.computed_start, computed.computed_end = at("2025-03-03"), at("2025-03-05")
    computed.computed_resources.append(ann)
    factory.task(
        project=second, name="Later", resources=[ann], start=at("2025-04-03"), end=at("2025-04-05")
    )
    factory.task(project=second, name="Undated", resources=[ann])
    factory.task(
        project=second, name="Someone else's", start=at("2025-03-03"), end=at("2025-03-05")
    )
    milestone = factory.task(
        project=second, name="Review", is_milestone=True, start=at("2025-03-20")
    )
    milestone.computed_resources.append(ann)
    dbsession.flush()
    page = gantt_people.user_page(dbsession, ann, MARCH, [], readable=EVERY_PROJECT)
    assert [row.task.name for row in page.items] == ["Comp", "Anim", "Review"]
    anim = page.items[1]
    assert anim.path == "ONE / SH010 / Anim"
    assert [(mark.kind, mark.x) for mark in anim.marks] == [("bar", 9 * 24)]
    assert assigned.id == anim.task.id
    assert page.params == MARCH.query()


def test_a_users_vacations_shade_each_of_their_rows(factory, dbsession, ann):
    factory.task(resources=[ann], start=at("2025-03-10"), end=at("2025-03-12"))
    own = vacation(dbsession, ann, "2025-03-14", "2025-03-16", "Ski")
    holiday = vacation(dbsession, None, "2025-03-20", "2025-03-21", "Founders day")
    vacation(dbsession, factory.user(), "2025-03-02", "2025-03-04")
    vacation(dbsession, ann, "2025-05-02", "2025-05-04", "Later")
    vacations = vacations_by_user(dbsession, [ann.id], MARCH)[ann.id]
    assert vacations == [own, holiday]
    [row] = gantt_people.user_page(dbsession, ann, MARCH, vacations, readable=EVERY_PROJECT).items
    shaded = [mark for mark in row.marks if mark.kind == "vacation"]
    assert [(mark.x, mark.width) for mark in shaded] == [(13 * 24, 48), (19 * 24, 24)]
    assert shaded[1].title.startswith("Studio holiday: Founders day")


def test_a_department_chart_has_a_row_per_member_with_their_work(factory, dbsession, ann):
    bob, cleo = factory.user(name="Bob"), factory.user(name="Cleo")
    lead = factory.role("Lead")
    department = factory.department(members=[(bob, lead), ann, cleo])
    project = factory.project()
    factory.task(project=project, resources=[ann], start=at("2025-03-02"), end=at("2025-03-06"))
    factory.task(project=project, resources=[ann], start=at("2025-03-04"), end=at("2025-03-08"))
    both = factory.task(
        project=project, resources=[ann, bob], start=at("2025-03-10"), end=at("2025-03-11")
    )
    both.computed_start, both.computed_end = at("2025-03-10"), at("2025-03-11")
    both.computed_resources.append(ann)
    factory.task(project=project, resources=[cleo], start=at("2025-06-02"), end=at("2025-06-06"))
    vacation(dbsession, cleo, "2025-03-24", "2025-03-26")
    holiday = vacation(dbsession, None, "2025-03-28", "2025-03-29", "Holiday")
    dbsession.flush()
    page, vacations = gantt_people.department_page(
        dbsession, department, MARCH, readable=EVERY_PROJECT
    )
    assert [row.user.name for row in page.items] == ["Ann", "Bob", "Cleo"]
    rows = {row.user.name: row for row in page.items}
    assert rows["Ann"].task_count == 3  # a task she holds twice (resource, computed) counts once
    assert rows["Bob"].role == lead
    lanes = [mark for mark in rows["Ann"].marks if mark.kind == "lane"]
    assert len({mark.y for mark in lanes}) == 2
    assert rows["Cleo"].task_count == 0
    assert [mark.kind for mark in rows["Cleo"].marks] == ["vacation", "vacation"]
    assert [mark.kind for mark in rows["Bob"].marks] == ["vacation", "lane"]
    assert holiday in vacations[bob.id]
    assert [v.name for v in distinct_vacations(vacations)] == ["Away", "Holiday"]


def test_a_department_chart_pages_its_members(factory, dbsession):
    members = [factory.user(name=f"Member {n}") for n in range(5)]
    department = factory.department(members=members)
    page, _ = gantt_people.department_page(
        dbsession, department, MARCH, number=2, per_page=2, readable=EVERY_PROJECT
    )
    assert [row.user.name for row in page.items] == ["Member 2", "Member 3"]
    assert page.total == 5


@pytest.fixture
def two_projects(factory, dbsession, ann):
    """Ann on "Seen" of a project the viewer reads and on "Keeper" of one they do not."""
    mine, secret = factory.project(code="MINE"), factory.project(code="SECRET")
    seen = factory.task(
        project=mine, name="Seen", resources=[ann], start=at("2025-03-10"), end=at("2025-03-12")
    )
    shot = factory.task("Shot", project=secret, name="SH666")
    keeper = factory.task(parent=shot, name="Keeper")
    keeper.computed_start, keeper.computed_end = at("2025-03-03"), at("2025-03-05")
    keeper.computed_resources.append(ann)
    dbsession.flush()
    return ReadableProjects.only([mine.id]), seen, keeper


def test_a_task_of_a_project_the_viewer_cannot_read_is_an_anonymous_busy_row(
    dbsession, ann, two_projects
):
    readable, seen, _keeper = two_projects
    page = gantt_people.user_page(dbsession, ann, MARCH, [], readable=readable)
    busy, shown = page.items
    assert shown.task == seen and shown.path == "MINE / Seen"
    assert busy.task is None and busy.label == "Busy (another project)"
    [bar] = busy.marks
    assert (bar.kind, bar.x, bar.width, bar.task_id) == ("bar", 2 * 24, 2 * 24, None)
    assert bar.color == gantt_people.BUSY_COLOR
    assert bar.title == "Busy (another project): 2025-03-03 to 2025-03-05 (scheduled)"
    image = gantt_people.user_image_rows(page.items)
    assert [(row.label, row.note, row.task_id) for row in image] == [
        ("Busy (another project)", "", None),
        ("MINE / Seen", "", seen.id),
    ]


def test_lanes_of_projects_the_viewer_cannot_read_are_anonymous(
    dbsession, factory, ann, two_projects
):
    readable, seen, _keeper = two_projects
    department = factory.department(members=[ann])
    page, _ = gantt_people.department_page(dbsession, department, MARCH, readable=readable)
    [row] = page.items
    assert row.task_count == 2
    busy, shown = [mark for mark in row.marks if mark.kind == "lane"]
    assert (shown.task_id, shown.title.split(":")[0]) == (seen.id, "Seen")
    assert (busy.task_id, busy.color) == (None, gantt_people.BUSY_COLOR)
    assert busy.title == "Busy (another project): 2025-03-03 to 2025-03-05 (scheduled)"

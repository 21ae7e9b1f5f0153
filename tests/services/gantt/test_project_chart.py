"""The project chart's rows: one level at a time, sorted by start, with counts, bars and arrows;
and the whole tree flattened for the downloadable image."""

from datetime import UTC, date, datetime

from stalker_web.services.gantt import export as gantt_export
from stalker_web.services.gantt import project_chart as gantt
from stalker_web.services.gantt.window import ZOOMS, Window
from stalker_web.services.tasks.dependencies import add_dependency

MARCH = Window(date(2025, 3, 1), date(2025, 3, 31), ZOOMS["day"])


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(tzinfo=UTC)


def names(rows) -> list[str]:
    return [row.task.name for row in rows]


def test_a_level_lists_the_roots_earliest_first_and_undated_last(factory, dbsession):
    project = factory.project()
    factory.task(project=project, name="Undated")
    late = factory.task(project=project, name="Late", start=at("2025-03-20"), end=at("2025-03-25"))
    early = factory.task(
        project=project, name="Early", start=at("2025-03-10"), end=at("2025-03-12")
    )
    scheduled = factory.task(project=project, name="Scheduled")
    scheduled.computed_start, scheduled.computed_end = at("2025-03-15"), at("2025-03-16")
    factory.task(parent=late, name="Inside")
    page = gantt.level_page(dbsession, project, None, MARCH)
    assert names(page.items) == ["Early", "Scheduled", "Late", "Undated"]
    counts = {row.task.name: row.child_count for row in page.items}
    assert counts == {"Early": 0, "Scheduled": 0, "Late": 1, "Undated": 0}
    assert page.params == MARCH.query()
    late_row = page.items[2]
    assert [mark.kind for mark in late_row.marks] == ["summary"]
    assert early.id in {row.task.id for row in page.items}


def test_a_level_lists_a_tasks_children_a_page_at_a_time(factory, dbsession):
    project = factory.project()
    sequence = factory.task("Sequence", project=project)
    for number in range(5):
        factory.task("Shot", parent=sequence, name=f"Shot {number}")
    page = gantt.level_page(dbsession, project, sequence, MARCH, number=2, per_page=2)
    assert names(page.items) == ["Shot 2", "Shot 3"]
    assert (page.total, page.next_page) == (5, 3)


def test_rows_carry_arrows_between_them_and_name_every_dependency(factory, dbsession):
    project = factory.project()
    outside = factory.task(project=project, name="Elsewhere")
    sequence = factory.task("Sequence", project=project, name="Seq")
    design = factory.task(
        parent=sequence, name="Design", start=at("2025-03-02"), end=at("2025-03-05")
    )
    build = factory.task(
        parent=sequence, name="Build", start=at("2025-03-06"), end=at("2025-03-09")
    )
    add_dependency(dbsession, build, design)
    add_dependency(dbsession, build, outside, dependency_target="onstart")
    page = gantt.level_page(dbsession, project, sequence, MARCH)
    design_row, build_row = page.items
    assert design_row.arrows == []
    [arrow] = build_row.arrows
    assert (arrow.from_id, arrow.to_id, arrow.rows_apart) == (design.id, build.id, -1)
    assert (arrow.x1, arrow.x2) == (4 * 24, 5 * 24)
    assert build_row.waits_for == ["Design", "Elsewhere (its start)"]


def test_people_of_a_row_are_the_computed_resources_once_scheduled(factory, dbsession):
    ann, bob = factory.user(name="Ann"), factory.user(name="Bob")
    task = factory.task(resources=[ann])
    row = gantt.TaskRow(task)
    assert row.people == [ann]
    task.computed_start, task.computed_end = at("2025-03-02"), at("2025-03-04")
    task.computed_resources.append(bob)
    assert row.people == [bob]


def test_the_natural_span_covers_the_project_and_its_tasks(factory, dbsession):
    project = factory.project()
    assert gantt.natural_span(dbsession, project) is None
    project.set_dates(at("2025-03-10"), at("2025-03-20"))
    assert gantt.natural_span(dbsession, project) == (date(2025, 3, 10), date(2025, 3, 20))
    task = factory.task(project=project, start=at("2025-03-01"), end=at("2025-03-05"))
    task.computed_start, task.computed_end = at("2025-03-12"), at("2025-04-02")
    factory.task(project=project, start=at("2025-02-25"), end=at("2025-02-27"))
    dbsession.flush()
    assert gantt.natural_span(dbsession, project) == (date(2025, 2, 25), date(2025, 4, 2))


def test_the_window_of_a_level_follows_its_parent_dates(factory, dbsession):
    project = factory.project(start=at("2025-01-01"), end=at("2025-12-31"))
    sequence = factory.task(
        "Sequence", project=project, start=at("2025-03-01"), end=at("2025-03-21")
    )
    today = date(2025, 6, 1)
    resolved = gantt.project_window(dbsession, project, sequence, None, None, None, today)
    assert (resolved.window.first, resolved.window.last) == (date(2025, 2, 27), date(2025, 3, 23))
    whole = gantt.project_window(dbsession, project, None, None, None, None, today)
    assert whole.window.first < date(2025, 1, 1) and whole.window.zoom.name == "month"
    asked = gantt.project_window(
        dbsession, project, None, date(2025, 5, 1), date(2025, 5, 3), "day", today
    )
    assert (asked.window.first, asked.window.days) == (date(2025, 5, 1), 3)


def test_the_legend_lists_the_statuses_shown_once(factory, dbsession):
    project = factory.project()
    upstream = factory.task(project=project)
    waiting = factory.task(project=project)
    add_dependency(dbsession, waiting, upstream)
    factory.task(project=project)
    page = gantt.level_page(dbsession, project, None, MARCH)
    assert [status.code for status in gantt.legend_statuses(page.items)] == ["RTS", "WFD"]


def test_the_image_holds_the_tree_in_order_with_arrows_across_levels(factory, dbsession):
    project = factory.project()
    seq = factory.task(
        "Sequence", project=project, name="Seq", start=at("2025-03-05"), end=at("2025-03-20")
    )
    shot = factory.task(
        "Shot", parent=seq, name="Shot", start=at("2025-03-05"), end=at("2025-03-20")
    )
    anim = factory.task(parent=shot, name="Anim", start=at("2025-03-05"), end=at("2025-03-10"))
    light = factory.task(parent=shot, name="Light", start=at("2025-03-11"), end=at("2025-03-20"))
    asset = factory.task(
        "Asset", project=project, name="Hero", start=at("2025-03-01"), end=at("2025-03-04")
    )
    delivery = factory.task(
        project=project, name="Delivery", is_milestone=True, start=at("2025-03-25")
    )
    add_dependency(dbsession, light, anim)
    add_dependency(dbsession, delivery, asset)
    tree = gantt_export.exported_tree(dbsession, project, None, MARCH)
    assert names(tree.rows) == ["Hero", "Seq", "Shot", "Anim", "Light", "Delivery"]
    assert not tree.truncated
    by_name = {row.task.name: row for row in tree.rows}
    assert [arrow.rows_apart for arrow in by_name["Delivery"].arrows] == [-5]
    assert [arrow.from_id for arrow in by_name["Light"].arrows] == [anim.id]
    assert by_name["Seq"].child_count == 1
    image_rows = gantt_export.task_image_rows(tree.rows)
    assert [(row.label, row.depth) for row in image_rows][:4] == [
        ("Hero", 0),
        ("Seq", 0),
        ("Shot", 1),
        ("Anim", 2),
    ]
    subtree = gantt_export.exported_tree(dbsession, project, seq, MARCH)
    assert names(subtree.rows) == ["Shot", "Anim", "Light"]


def test_a_large_tree_keeps_its_upper_levels_in_the_image(factory, dbsession):
    project = factory.project()
    sequences = [factory.task("Sequence", project=project, name=f"Seq {n}") for n in range(3)]
    for sequence in sequences:
        for number in range(3):
            factory.task("Shot", parent=sequence, name=f"{sequence.name} shot {number}")
    tree = gantt_export.exported_tree(dbsession, project, None, MARCH, limit=5)
    assert tree.truncated
    assert len(tree.rows) == 5
    # Every sequence is kept; the shots read first (the lowest ids) fill the rest.
    assert names(tree.rows) == ["Seq 0", "Seq 0 shot 0", "Seq 0 shot 1", "Seq 1", "Seq 2"]
    assert tree.rows[0].child_count == 3

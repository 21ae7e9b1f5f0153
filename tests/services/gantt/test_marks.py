"""What Gantt rows draw: bars from computed or planned dates, milestones, arrows, lanes."""

from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest

from stalker_web.services.gantt.marks import (
    BAR_HEIGHT,
    MAX_LANES,
    MIN_BAR_WIDTH,
    ROW_HEIGHT,
    arrow_geometry,
    dependency_arrows,
    lane_marks,
    outside_hint,
    task_dates,
    task_marks,
    today_x,
    vacation_marks,
)
from stalker_web.services.gantt.window import ZOOMS, Window

MARCH = Window(date(2025, 3, 1), date(2025, 3, 31), ZOOMS["day"])


def at(day: str, hour: int = 0) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=UTC)


@pytest.fixture
def project(factory):
    return factory.project()


def test_computed_dates_win_over_planned_ones(factory, project):
    task = factory.task(project=project, start=at("2025-03-02"), end=at("2025-03-04"))
    assert task_dates(task).planned is True
    task.computed_start, task.computed_end = at("2025-03-05"), at("2025-03-10")
    dates = task_dates(task)
    assert (dates.start, dates.end, dates.planned) == (at("2025-03-05"), at("2025-03-10"), False)


def test_a_task_without_both_dates_draws_nothing(factory, project):
    task = factory.task(project=project, start=at("2025-03-02"))
    assert task_dates(task) is None
    assert task_marks(task, MARCH) == []
    assert outside_hint(task, MARCH) is None


def test_a_bar_spans_its_dates_at_the_zoom(factory, project):
    task = factory.task(project=project, start=at("2025-03-05"), end=at("2025-03-10", 12))
    [bar] = task_marks(task, MARCH)
    assert (bar.kind, bar.x, bar.width, bar.planned) == ("bar", 4 * 24, 5.5 * 24, True)
    assert bar.color == task.status.color
    assert bar.task_id == task.id
    assert "planned, not scheduled yet" in bar.title
    assert bar.css == "bar planned"
    week = Window(MARCH.first, MARCH.last, ZOOMS["week"])
    [bar] = task_marks(task, week)
    assert (bar.x, bar.width) == (4 * 8, 5.5 * 8)


def test_a_scheduled_bar_keeps_its_planned_dates_as_a_baseline(factory, project):
    task = factory.task(project=project, start=at("2025-03-02"), end=at("2025-03-04"))
    task.computed_start, task.computed_end = at("2025-03-05"), at("2025-03-10")
    bar, baseline = task_marks(task, MARCH)
    assert (bar.kind, bar.planned, bar.x, bar.css) == ("bar", False, 96, "bar computed")
    assert (baseline.kind, baseline.x, baseline.width) == ("baseline", 24, 48)
    assert baseline.y > bar.y + bar.height - 1


def test_bars_are_cut_to_the_window_and_flagged(factory, project):
    task = factory.task(project=project, start=at("2025-02-20"), end=at("2025-04-10"))
    [bar] = task_marks(task, MARCH)
    assert (bar.x, bar.width) == (0, MARCH.width)
    assert bar.clipped_start and bar.clipped_end
    assert bar.css == "bar planned clipped-start clipped-end"


def test_a_very_short_task_stays_visible(factory, project):
    task = factory.task(project=project, start=at("2025-03-31", 23), end=at("2025-03-31", 23))
    [bar] = task_marks(task, MARCH)
    assert bar.width == MIN_BAR_WIDTH
    assert bar.x + bar.width <= MARCH.width


def test_a_container_draws_a_summary_bar(factory, project):
    task = factory.task(project=project, start=at("2025-03-05"), end=at("2025-03-10"))
    [bar] = task_marks(task, MARCH, container=True)
    assert bar.kind == "summary"


def test_a_milestone_is_a_diamond_on_its_date(factory, project):
    task = factory.task(project=project, is_milestone=True, start=at("2025-03-20"))
    [diamond] = task_marks(task, MARCH)
    assert (diamond.kind, diamond.x, diamond.planned) == ("milestone", 19 * 24, True)
    assert "milestone on 2025-03-20" in diamond.title
    task.computed_start = task.computed_end = at("2025-03-21")
    [diamond] = task_marks(task, MARCH)
    assert (diamond.x, diamond.planned) == (20 * 24, False)


def test_tasks_outside_the_window_say_where_they_are(factory, project):
    before = factory.task(project=project, start=at("2025-01-01"), end=at("2025-02-01"))
    after = factory.task(project=project, start=at("2025-05-01"), end=at("2025-05-09"))
    assert task_marks(before, MARCH) == [] and task_marks(after, MARCH) == []
    assert (outside_hint(before, MARCH).side, outside_hint(before, MARCH).moment) == (
        "before",
        at("2025-02-01"),
    )
    assert outside_hint(after, MARCH).side == "after"


def test_arrow_from_a_row_above_runs_down_then_right_into_the_bar():
    shape = arrow_geometry(100, 150, -2 * ROW_HEIGHT)
    middle = ROW_HEIGHT / 2
    leave = -2 * ROW_HEIGHT + middle + BAR_HEIGHT / 2
    assert [(s.x1, s.y1, s.x2, s.y2) for s in shape.segments] == [
        (100, leave, 100, middle),
        (100, middle, 150, middle),
    ]
    assert (shape.head_x, shape.head_y, shape.head) == (150, middle, "right")


def test_arrow_into_an_earlier_start_runs_along_the_gap_and_enters_from_above():
    shape = arrow_geometry(150, 100, -ROW_HEIGHT)
    assert [(s.x1, s.x2) for s in shape.segments] == [(150, 150), (150, 100), (100, 100)]
    gap = shape.segments[1].y1
    assert gap == 0  # the line between the two rows
    assert (shape.head_y, shape.head) == (ROW_HEIGHT / 2 - BAR_HEIGHT / 2, "down")


def test_arrow_from_a_row_below_leaves_through_the_top_and_points_up_when_needed():
    shape = arrow_geometry(150, 100, ROW_HEIGHT)
    assert shape.segments[0].y1 == ROW_HEIGHT + ROW_HEIGHT / 2 - BAR_HEIGHT / 2
    assert shape.segments[1].y1 == ROW_HEIGHT
    assert shape.head == "up"


def test_arrows_join_rows_of_the_fragment_only(factory, project):
    first = factory.task(project=project, start=at("2025-03-02"), end=at("2025-03-04"))
    middle = factory.task(project=project, start=at("2025-03-03"), end=at("2025-03-06"))
    last = factory.task(project=project, start=at("2025-03-08"), end=at("2025-03-09"))
    undated = factory.task(project=project)
    dependencies = [
        (last.id, first.id, "onend"),
        (middle.id, first.id, "onstart"),
        (last.id, 999999, "onend"),
        (undated.id, first.id, "onend"),
    ]
    arrows = dependency_arrows(MARCH, [first, middle, last, undated], dependencies)
    assert set(arrows) == {last.id, middle.id}
    [to_last] = arrows[last.id]
    assert (to_last.from_id, to_last.x1, to_last.x2, to_last.rows_apart) == (
        first.id,
        3 * 24,
        7 * 24,
        -2,
    )
    [to_middle] = arrows[middle.id]
    assert (to_middle.x1, to_middle.target) == (1 * 24, "onstart")


def test_today_line_only_inside_the_window():
    assert today_x(MARCH, at("2025-03-02", 12)) == 36
    assert today_x(MARCH, at("2025-04-02")) is None


def test_overlapping_tasks_take_separate_lanes(factory, project):
    a = factory.task(project=project, start=at("2025-03-02"), end=at("2025-03-06"))
    b = factory.task(project=project, start=at("2025-03-04"), end=at("2025-03-08"))
    c = factory.task(project=project, start=at("2025-03-07"), end=at("2025-03-09"))
    marks = {mark.task_id: mark for mark in lane_marks(MARCH, [c, b, a])}
    assert marks[a.id].y == marks[c.id].y  # c starts after a ended: same lane
    assert marks[b.id].y > marks[a.id].y
    assert marks[a.id].height == marks[b.id].height < ROW_HEIGHT / 2


def test_lanes_stop_growing_at_the_limit(factory, project):
    tasks = [
        factory.task(project=project, start=at("2025-03-02"), end=at("2025-03-06"))
        for _ in range(MAX_LANES + 3)
    ]
    marks = lane_marks(MARCH, tasks)
    assert len(marks) == MAX_LANES + 3
    assert len({mark.y for mark in marks}) == MAX_LANES
    assert max(mark.y + mark.height for mark in marks) <= ROW_HEIGHT


@dataclass
class Away:
    name: str
    start: datetime
    end: datetime
    user_id: int | None


def test_vacations_shade_the_whole_row_height():
    own, holiday = (
        Away("Ski", at("2025-03-10"), at("2025-03-15"), 3),
        Away("New year", at("2025-03-30"), at("2025-04-02"), None),
    )
    away, studio = vacation_marks(MARCH, [own, holiday])
    assert (away.kind, away.x, away.width, away.y, away.height) == ("vacation", 216, 120, 0, 28)
    assert away.title.startswith("Vacation: Ski")
    assert studio.title.startswith("Studio holiday: New year")
    assert studio.clipped_end and studio.x + studio.width == MARCH.width
    assert vacation_marks(MARCH, [Away("Old", at("2024-01-01"), at("2024-01-02"), 3)]) == []

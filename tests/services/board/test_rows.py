"""The production board's rows: cells per step, grouping, filters, thumbnails, late marks and a
constant number of queries."""

from datetime import UTC, datetime, timedelta

import pytest

from stalker_web.models import File, Version
from stalker_web.services.board.cells import initials
from stalker_web.services.board.filters import BoardFilters, parse_filters
from stalker_web.services.board.rows import board_page
from stalker_web.services.scheduling.lateness import Standing
from stalker_web.services.workflow.statuses import task_status

from .builders import board_project

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


@pytest.fixture
def built(factory):
    return board_project(factory, scale=2)


def test_a_shot_row_has_one_cell_per_step_with_its_task(dbsession, built):
    board = board_page(dbsession, built.project, BoardFilters(), 1, NOW)
    assert [step.name for step in board.steps] == ["Animation", "Lighting"]
    assert len(board.rows) == 4
    row = board.rows[0]
    assert row.entity == built.shots[0]
    assert [cell.task_id for cell in row.cells] == [
        built.cells[(row.entity.id, "Animation")].id,
        built.cells[(row.entity.id, "Lighting")].id,
    ]
    assert row.cells[0].status.code == "RTS"
    assert row.cells[0].people == [built.users[0].name]
    assert row.frame_range == "1001-1048 (48 frames)"


def test_rows_are_grouped_by_sequence(dbsession, built):
    board = board_page(dbsession, built.project, BoardFilters(), 1, NOW)
    first, second = (f"{sequence.code} · {sequence.name}" for sequence in built.sequences)
    assert [row.group for row in board.rows] == [first, first, second, second]


def test_a_missing_step_task_is_an_empty_cell(dbsession, factory, built):
    shot = factory.task("Shot", parent=built.sequences[0], sequence=built.sequences[0])
    filters = BoardFilters(text=shot.code)
    (row,) = board_page(dbsession, built.project, filters, 1, NOW).rows
    assert row.cells == [None, None]


def test_the_assets_tab_lists_assets_against_asset_steps(dbsession, built):
    board = board_page(dbsession, built.project, BoardFilters(tab="assets"), 1, NOW)
    assert [step.name for step in board.steps] == ["Model"]
    assert [row.entity for row in board.rows] == built.assets
    assert board.rows[0].group == "Character"
    assert board.rows[0].frame_range == ""


def test_no_steps_means_no_rows(dbsession, factory):
    project = factory.project()
    factory.task("Shot", project=project)
    board = board_page(dbsession, project, BoardFilters(), 1, NOW)
    assert board.steps == [] and board.rows == []
    assert board.page.total == 1  # the page says columns are missing, not shots


def test_assignees_are_the_computed_resources_once_scheduled(dbsession, built):
    task = built.cells[(built.shots[0].id, "Animation")]
    task.computed_start, task.computed_end = NOW, NOW + timedelta(days=2)
    task.computed_resources = [built.users[1]]
    dbsession.flush()
    board = board_page(dbsession, built.project, BoardFilters(), 1, NOW)
    assert board.rows[0].cells[0].people == [built.users[1].name]
    assert board.rows[0].cells[1].people == [built.users[1].name]


def test_filters_keep_shots_with_a_matching_cell(dbsession, built):
    target = built.cells[(built.shots[1].id, "Lighting")]
    target.computed_start, target.computed_end = NOW - timedelta(days=3), NOW - timedelta(days=1)
    dbsession.flush()
    late = board_page(dbsession, built.project, BoardFilters(late_only=True), 1, NOW)
    assert [row.entity for row in late.rows] == [built.shots[1]]
    assert late.rows[0].cells[1].standing is Standing.LATE
    wrong_step = BoardFilters(late_only=True, step_id=built.animation.id)
    assert board_page(dbsession, built.project, wrong_step, 1, NOW).rows == []


def test_filter_by_assignee_status_sequence_and_text(dbsession, built):
    project = built.project
    by_user = BoardFilters(assignee_id=built.users[1].id, step_id=built.animation.id)
    assert board_page(dbsession, project, by_user, 1, NOW).rows == []
    by_user = BoardFilters(assignee_id=built.users[1].id, step_id=built.lighting.id)
    assert len(board_page(dbsession, project, by_user, 1, NOW).rows) == 4
    wip = task_status(dbsession, "WIP")
    by_status = BoardFilters(status_id=wip.id)
    assert board_page(dbsession, project, by_status, 1, NOW).rows == []
    in_second = BoardFilters(group_id=built.sequences[1].id)
    assert [r.entity for r in board_page(dbsession, project, in_second, 1, NOW).rows] == (
        built.shots[2:]
    )
    by_text = BoardFilters(text=built.shots[3].code.lower())
    assert [r.entity for r in board_page(dbsession, project, by_text, 1, NOW).rows] == [
        built.shots[3]
    ]


def test_a_text_filter_treats_percent_as_a_letter(dbsession, built):
    assert board_page(dbsession, built.project, BoardFilters(text="%"), 1, NOW).rows == []


def test_sort_by_cut_in_and_end(dbsession, built):
    built.shots[0].set_frames(cut_in=1040, cut_out=1090, source_in=1040, source_out=1090)
    dbsession.flush()
    board = board_page(dbsession, built.project, BoardFilters(sort="cut_in"), 1, NOW)
    assert [row.entity for row in board.rows][:2] == [built.shots[1], built.shots[0]]
    assert len(board_page(dbsession, built.project, BoardFilters(sort="end"), 1, NOW).rows) == 4


def test_the_thumbnail_is_of_the_latest_published_version(dbsession, factory, built):
    shot = built.shots[0]
    repository = factory.repository()
    files = {}
    takes = (("Animation", 1, True), ("Lighting", 1, True), ("Animation", 2, False))
    for name, number, published in takes:
        version = Version(
            task=built.cells[(shot.id, name)], version_number=number, is_published=published
        )
        dbsession.add(version)
        dbsession.flush()
        files[(name, published)] = File(
            version=version,
            repository=repository,
            relative_path=f"{name}{published}.png",
            thumbnail_path="t",
        )
        dbsession.add(files[(name, published)])
        dbsession.flush()
    board = board_page(dbsession, built.project, BoardFilters(), 1, NOW)
    assert board.rows[0].thumbnail_file_id == files[("Lighting", True)].id
    assert board.rows[1].thumbnail_file_id is None


def test_initials():
    assert initials("Ann Lee") == "AL"
    assert initials("ann maria lee") == "AL"
    assert initials("Zoë") == "Z"
    assert initials("   ") == "?"
    assert initials("Animation Artist 7") == "AA7"


def test_unknown_query_values_mean_no_filter():
    filters = parse_filters(
        {"tab": "props", "sort": "x", "group": "-1", "late": "yes", "q": "a" * 500}
    )
    assert filters.tab == "shots" and filters.sort == "name" and filters.group_id is None
    assert filters.late_only is False and len(filters.text) == 100


def test_a_page_takes_the_same_number_of_queries_at_ten_times_the_size(
    dbsession, factory, count_queries
):
    small = board_project(factory, scale=1)
    large = board_project(factory, scale=10)
    counts = []
    for built in (small, large):
        dbsession.expire_all()
        with count_queries() as counter:
            board_page(dbsession, built.project, BoardFilters(late_only=True, text="S"), 1, NOW)
            board_page(dbsession, built.project, BoardFilters(), 1, NOW)
        counts.append(counter.count)
    assert counts[0] == counts[1]

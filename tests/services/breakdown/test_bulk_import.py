"""The breakdown written in bulk: a fixed number of statements whatever the file's length, the
statuses new tasks are written in, loops found for the whole file (through containers and other
projects too), and the export given a batch of lines at a time."""

import csv
import io

import pytest
from sqlalchemy import func, select

from stalker_web.models import Task
from stalker_web.services.breakdown.csv_files import (
    EXPORT_BATCH,
    BreakdownImportError,
    breakdown_lines,
    export_breakdown,
    import_breakdown,
)
from stalker_web.services.breakdown.rows import COLUMNS
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.workflow import rules
from stalker_web.services.workflow.actions import set_status


def breakdown_text(shots: int, login: str = "") -> str:
    """A sequence of ``shots`` shots, each with Layout and Animation waiting for it."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerow(["SQ", "Sequence", "SQ", "SQ", "", "", "", "", "", "", "", "", "", ""])
    for number in range(1, shots + 1):
        shot = f"SH{number:04d}"
        cut = ["1001", "1050"]
        writer.writerow([f"SQ/{shot}", "Shot", shot, shot, "", "", "", "", "", "", *cut, "", ""])
        for step, after in (("Layout", ""), ("Animation", "Layout")):
            depends = f"SQ/{shot}/{after}" if after else ""
            row = [f"SQ/{shot}/{step}", "Task", step, "", "", "", "2", "d", "", "", "", ""]
            writer.writerow([*row, login, depends])
    return output.getvalue()


def status_of(dbsession, project, path_names: tuple[str, ...]) -> str:
    tasks = {
        task.id: task
        for task in dbsession.scalars(select(Task).where(Task.project_id == project.id))
    }
    for task in tasks.values():
        ids = [int(part) for part in task.path.strip("/").split("/")]
        if tuple(tasks[each].code or tasks[each].name for each in ids) == path_names:
            return task.status.code
    raise AssertionError(f"no task {path_names}")


def test_the_statements_of_an_import_do_not_grow_with_its_lines(dbsession, factory, count_queries):
    factory.user("artist1")

    def statements_for(shots: int) -> int:
        project = factory.project()
        dbsession.flush()
        with count_queries() as queries:
            counts = import_breakdown(dbsession, project, breakdown_text(shots, "artist1"))
            dbsession.flush()
        assert counts == {"created": 1 + 3 * shots, "updated": 0}
        return queries.count

    few, many = statements_for(5), statements_for(200)
    assert many <= few + 2, (few, many)
    assert many < 40


def test_new_tasks_are_written_in_the_status_their_dependencies_give(dbsession, factory):
    project = factory.project()
    import_breakdown(dbsession, project, breakdown_text(2))
    assert status_of(dbsession, project, ("SQ", "SH0001", "Layout")) == rules.RTS
    assert status_of(dbsession, project, ("SQ", "SH0001", "Animation")) == rules.WFD
    # Containers follow their children: ready to start while one of them is.
    assert status_of(dbsession, project, ("SQ", "SH0001")) == rules.RTS
    assert status_of(dbsession, project, ("SQ",)) == rules.RTS


def test_a_new_task_waiting_for_a_finished_task_is_ready(dbsession, factory):
    project = factory.project()
    done = factory.task(project=project, name="Design")
    set_status(dbsession, done, rules.CMPL)
    text = (
        ",".join(COLUMNS) + "\nPaint,Task,Paint,,,,,,,,,,,Design\nDraw,Task,Draw,,,,,,,,,,,Paint\n"
    )
    import_breakdown(dbsession, project, text)
    assert status_of(dbsession, project, ("Paint",)) == rules.RTS
    assert status_of(dbsession, project, ("Draw",)) == rules.WFD


def test_new_children_re_derive_their_existing_parent(dbsession, factory):
    project = factory.project()
    parent = factory.task("Sequence", project=project, code="SQ")
    set_status(dbsession, parent, rules.CMPL)
    import_breakdown(dbsession, project, ",".join(COLUMNS) + "\nSQ/A,Task,A,,,,,,,,,,,\n")
    dbsession.refresh(parent)
    assert parent.status.code == rules.RTS


def test_a_loop_through_a_container_is_found_for_the_whole_file(dbsession, factory):
    """Waiting for the end of a container waits for its children: Skin, inside Rig, waits for
    Model, so Model waiting for Rig closes a loop, found at Skin's line (the later one)."""
    project = factory.project()
    text = ",".join(COLUMNS) + (
        "\nModel,Task,Model,,,,,,,,,,,Rig\nRig,Task,Rig,,,,,,,,,,,\nRig/Skin,Task,Skin,,,,,,,,,,,Model\n"
    )
    with pytest.raises(BreakdownImportError) as refused:
        import_breakdown(dbsession, project, text)
    assert refused.value.errors == [
        (
            4,
            "Model already waits for Skin (directly or through other tasks), so this "
            "dependency would close a loop.",
        )
    ]
    assert dbsession.scalar(select(func.count()).where(Task.project_id == project.id)) == 0


def test_a_loop_through_another_project_is_found(dbsession, factory):
    """Edit waits for Grade, of another project, which waits for Cut: the file cannot name
    Grade, but Cut waiting for Edit would close the loop."""
    project = factory.project()
    edit, cut = (factory.task(project=project, name=name) for name in ("Edit", "Cut"))
    grade = factory.task(project=factory.project(), name="Grade")
    add_dependency(dbsession, edit, grade)
    add_dependency(dbsession, grade, cut)
    text = ",".join(COLUMNS) + "\nEdit,Task,Edit,,,,,,,,,,,\nCut,Task,Cut,,,,,,,,,,,Edit\n"
    with pytest.raises(BreakdownImportError) as refused:
        import_breakdown(dbsession, project, text)
    [(line, message)] = refused.value.errors
    assert line == 3 and message.startswith("Edit already waits for Cut")
    assert [dependency.depends_on for dependency in cut.task_depends_on] == []


def test_the_export_is_given_a_batch_of_lines_at_a_time(dbsession, factory):
    project = factory.project()
    shots = EXPORT_BATCH // 3 + 10
    import_breakdown(dbsession, project, breakdown_text(shots))
    dbsession.expire_all()

    chunks = breakdown_lines(dbsession, project)

    assert iter(chunks) is chunks  # a generator: nothing is read before it is asked for
    first = next(chunks)
    assert first.count("\n") == EXPORT_BATCH + 1  # the header and a batch
    rest = list(chunks)
    assert len(rest) == 1 and rest[0].count("\n") == 1 + 3 * shots - EXPORT_BATCH
    rows = list(csv.DictReader(io.StringIO(first + rest[0])))
    assert len(rows) == 1 + 3 * shots
    assert rows[0]["path"] == "SQ" and rows[-1]["path"] == f"SQ/SH{shots:04d}/Animation"
    assert rows[-1]["depends_on"] == f"SQ/SH{shots:04d}/Layout:onend:0:h:length"
    assert first + rest[0] == export_breakdown(dbsession, project)

"""The breakdown CSV: export, import, the line-by-line report and the round trip."""

import csv
import io

import pytest
from sqlalchemy import func, select

from stalker_web.models import Task, TaskDependency
from stalker_web.services.breakdown.bulk_creation import (
    ChildTask,
    create_child_tasks,
    create_shot_range,
)
from stalker_web.services.breakdown.csv_files import (
    BreakdownImportError,
    export_breakdown,
    import_breakdown,
)
from stalker_web.services.breakdown.rows import COLUMNS, neutralise, restore
from stalker_web.services.tasks.dependencies import add_dependency


@pytest.fixture
def breakdown(dbsession, factory):
    """A small production: a sequence of two shots with tasks, an asset, a formula-like name."""
    project = factory.project(name="Source")
    for name in ("Layout", "Animation", "Model"):
        factory.task_type("Task", name)
    artist = factory.user("artist1")
    sequence = factory.task("Sequence", project=project, code="SQ010", name="Opening")
    shots = create_shot_range(dbsession, sequence, start=10, end=20, cut_in=1001, cut_out=1050)
    create_child_tasks(
        dbsession,
        shots,
        [
            ChildTask("Layout", "Layout", 1, "d"),
            ChildTask("Animation", "Animation", 2.5, "d", ("Layout",)),
        ],
    )
    asset = factory.task("Asset", project=project, code="CHAR01", name="Hero")
    model = factory.task(
        parent=asset, name="Model", resources=[artist], priority=700, schedule_model="length"
    )
    animation = next(child for child in shots[0].children if child.name == "Animation")
    add_dependency(
        dbsession,
        animation,
        model,
        dependency_target="onstart",
        gap_timing=2,
        gap_unit="d",
        gap_model="duration",
    )
    factory.task(project=project, name="=HYPERLINK(1)")
    return project


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def task_count(dbsession, project) -> int:
    return dbsession.scalar(select(func.count()).where(Task.project_id == project.id))


def test_export_has_one_row_per_task_parents_first(dbsession, breakdown):
    rows = rows_of(export_breakdown(dbsession, breakdown))
    assert tuple(rows[0]) == COLUMNS
    assert len(rows) == task_count(dbsession, breakdown)
    by_path = {row["path"]: row for row in rows}
    assert [row["path"] for row in rows][:4] == [
        "SQ010",
        "SQ010/SH010",
        "SQ010/SH010/Layout",
        "SQ010/SH010/Animation",
    ]
    shot = by_path["SQ010/SH010"]
    assert (shot["entity_type"], shot["cut_in"], shot["cut_out"]) == ("Shot", "1001", "1050")
    animation = by_path["SQ010/SH010/Animation"]
    assert animation["depends_on"] == (
        "SQ010/SH010/Layout:onend:0:h:length;CHAR01/Model:onstart:2:d:duration"
    )
    assert (animation["schedule_timing"], animation["schedule_unit"]) == ("2.5", "d")
    assert animation["status"] == "WFD"
    model = by_path["CHAR01/Model"]
    assert (model["resources"], model["priority"], model["schedule_model"]) == (
        "artist1",
        "700",
        "length",
    )
    assert by_path["CHAR01"]["type"] == "Character"


def test_formula_cells_are_neutralised_on_export_and_restored_on_import(dbsession, breakdown):
    text = export_breakdown(dbsession, breakdown)
    assert "'=HYPERLINK(1)" in text
    assert neutralise("-5") == "'-5" and neutralise("@x") == "'@x" and neutralise("ok") == "ok"
    assert restore("'+1") == "+1" and restore("'quoted") == "'quoted"


def test_round_trip_into_an_empty_project_gives_the_same_tree(dbsession, factory, breakdown):
    text = export_breakdown(dbsession, breakdown)
    copy = factory.project(name="Copy")
    counts = import_breakdown(dbsession, copy, text)
    assert counts == {"created": task_count(dbsession, breakdown), "updated": 0}
    assert export_breakdown(dbsession, copy) == text
    imported_name = dbsession.scalar(
        select(Task.name).where(Task.project_id == copy.id, Task.name.like("%HYPERLINK%"))
    )
    assert imported_name == "=HYPERLINK(1)"


def test_importing_the_export_again_changes_nothing(dbsession, breakdown):
    text = export_breakdown(dbsession, breakdown)
    counts = import_breakdown(dbsession, breakdown, text)
    assert counts == {"created": 0, "updated": task_count(dbsession, breakdown)}
    assert export_breakdown(dbsession, breakdown) == text


def edit(text: str, change) -> str:
    rows = rows_of(text)
    change(rows)
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


def test_an_edited_file_updates_adds_and_rewires_tasks(dbsession, breakdown):
    def change(rows):
        by_path = {row["path"]: row for row in rows}
        by_path["SQ010/SH020/Layout"]["schedule_timing"] = "4"
        by_path["SQ010/SH010/Animation"]["depends_on"] = "SQ010/SH010/Layout"
        rows.append(
            {
                **by_path["SQ010/SH020/Layout"],
                "path": "SQ010/SH020/Comp",
                "name": "Comp",
                "type": "",
                "depends_on": "SQ010/SH020/Animation:onend:1:d:length",
            }
        )

    counts = import_breakdown(
        dbsession, breakdown, edit(export_breakdown(dbsession, breakdown), change)
    )
    assert counts["created"] == 1
    by_path = {row["path"]: row for row in rows_of(export_breakdown(dbsession, breakdown))}
    assert by_path["SQ010/SH020/Layout"]["schedule_timing"] == "4"
    assert by_path["SQ010/SH010/Animation"]["depends_on"] == "SQ010/SH010/Layout:onend:0:h:length"
    assert by_path["SQ010/SH020/Comp"]["depends_on"] == "SQ010/SH020/Animation:onend:1:d:length"
    assert by_path["SQ010/SH020/Comp"]["status"] == "WFD"


def test_every_wrong_line_is_reported_and_nothing_is_imported(dbsession, factory, breakdown):
    def change(rows):
        rows[1]["type"] = "Charr"
        rows[2]["schedule_timing"] = "soon"
        rows[3]["resources"] = "nobody"
        rows[4]["cut_out"] = "10"
        rows[5]["priority"] = "5000"
        rows[6]["depends_on"] = "NOPE/Task"

    copy = factory.project(name="Copy")
    with pytest.raises(BreakdownImportError) as error:
        import_breakdown(dbsession, copy, edit(export_breakdown(dbsession, breakdown), change))
    assert [line for line, _message in error.value.errors] == [3, 4, 5, 6, 7, 8]
    message = error.value.message
    assert "line 3: type 'Charr' does not exist for Shot." in message
    assert "line 4: The schedule timing must be a number, not 'soon'." in message
    assert "line 5: no user has the login nobody." in message
    assert "line 6: the cut out frame is before the cut in frame." in message
    assert "line 7: the priority is a whole number from 0 to 1000." in message
    assert "line 8: no task NOPE/Task to depend on." in message
    assert task_count(dbsession, copy) == 0


def test_a_dependency_loop_found_while_importing_leaves_nothing_imported(
    dbsession, factory, breakdown
):
    def change(rows):
        by_path = {row["path"]: row for row in rows}
        by_path["SQ010/SH010/Layout"]["depends_on"] = "SQ010/SH010/Animation"

    copy = factory.project(name="Copy")
    text = edit(export_breakdown(dbsession, breakdown), change)
    with pytest.raises(BreakdownImportError, match="would close a loop") as error:
        import_breakdown(dbsession, copy, text)
    assert error.value.errors[0][0] in (4, 5)
    assert task_count(dbsession, copy) == 0
    assert dbsession.scalar(select(func.count()).select_from(TaskDependency)) == 3


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("A,Asset,A,A,,,,,,,,,,", "line 2: an Asset needs a type."),
        ("A,Robot,A,A,,,,,,,,,,", "line 2: 'Robot' is not one of"),
        ("SH1,Shot,SH1,,,,,,,,,,,", "line 2: a code is required for a Shot."),
        ("T,Task,T,,,,,,,,5,,,", "line 2: only shots have a cut in."),
        ("S,Shot,S,S,,,,,,,9,3,,", "line 2: the cut out frame is before the cut in frame."),
        ("X,Task,Y,,,,,,,,,,,", "line 2: the path must end with the code"),
        ("T,Task,T,,,ZZZ,,,,,,,,", "line 2: status 'ZZZ' is not a Task status."),
        ("T,Task,T,,,,1,parsec,,,,,,", "line 2: schedule unit must be one of"),
        ("T//U,Task,U,,,,,,,,,,,", "line 2: the path 'T//U' has an empty part."),
    ],
)
def test_bad_lines_are_explained(dbsession, factory, row, message):
    project = factory.project()
    with pytest.raises(BreakdownImportError, match=message):
        import_breakdown(dbsession, project, ",".join(COLUMNS) + "\n" + row + "\n")
    assert task_count(dbsession, project) == 0


def test_every_problem_of_a_line_is_reported_at_once(dbsession, factory):
    project = factory.project()
    text = "\n".join(
        [
            ",".join(COLUMNS),
            "T,Task,T,,,,soon,,,5000,,,nobody,",
            "NOPE/U,Task,U,,,,,,,,,,,NOPE/V",
        ]
    )
    with pytest.raises(BreakdownImportError) as error:
        import_breakdown(dbsession, project, text)
    # In the order of the columns, then the rules between lines.
    assert error.value.errors == [
        (2, "The schedule timing must be a number, not 'soon'."),
        (2, "the priority is a whole number from 0 to 1000."),
        (2, "no user has the login nobody."),
        (3, "no task NOPE to put it in."),
        (3, "no task NOPE/V to depend on."),
    ]


def test_rules_between_lines_are_checked(dbsession, factory):
    project = factory.project()
    factory.user("artist2")
    text = "\n".join(
        [
            ",".join(COLUMNS),
            "Q,Sequence,Q,Q,,,,,,,,,artist2,",
            "Q/S1,Shot,S1,S1,,,,,,,,,,",
            "Q/S1,Shot,S1,S1,,,,,,,,,,",
            "Q/s1,Shot,s1,s1,,,,,,,,,,",
        ]
    )
    with pytest.raises(BreakdownImportError) as error:
        import_breakdown(dbsession, project, text)
    assert error.value.errors == [
        (2, "Q has child tasks, so it has no resources."),
        (4, "Q/S1 is already on line 3."),
        (5, "shot code s1 is already used."),
    ]


def test_a_file_without_the_columns_is_refused(dbsession, factory):
    with pytest.raises(BreakdownImportError, match="line 1: the header lacks the columns"):
        import_breakdown(dbsession, factory.project(), "path,name\nA,A\n")


def test_a_task_cannot_change_kind_by_import(dbsession, factory):
    project = factory.project()
    factory.task(project=project, name="Plain")
    text = ",".join(COLUMNS) + "\nPlain,Variant,Plain,,,,,,,,,,,\n"
    with pytest.raises(BreakdownImportError, match="line 2: Plain is a Task, not a Variant."):
        import_breakdown(dbsession, project, text)


def test_export_query_count_does_not_grow_with_the_tree(dbsession, factory, count_queries):
    def project_of(shot_count: int):
        project = factory.project()
        sequence = factory.task("Sequence", project=project, code="SQ")
        shots = create_shot_range(dbsession, sequence, start=1, end=shot_count, step=1)
        create_child_tasks(dbsession, shots, [ChildTask("A"), ChildTask("B", depends_on=("A",))])
        for shot in shots:
            shot.children[0].resources = [factory.user()]
        return project

    small, large = project_of(3), project_of(30)
    dbsession.flush()
    dbsession.expire_all()

    def queries_for(project) -> int:
        with count_queries() as queries:
            export_breakdown(dbsession, project)
        return queries.count

    assert queries_for(small) == queries_for(large)


def test_a_line_the_csv_reader_refuses_is_reported_with_its_number(dbsession, factory):
    project = factory.project()
    header = export_breakdown(dbsession, project).splitlines()[0]
    text = header + "\n" + '"' + "x" * 200_000 + '"\n'
    with pytest.raises(BreakdownImportError) as refused:
        import_breakdown(dbsession, project, text)
    [(line, message)] = refused.value.errors
    assert line == 2 and message.startswith("it cannot be read as CSV")


# Names the path syntax uses, duplicates, dependencies on other projects: the export always works.


def tree_of(dbsession, project) -> list[tuple]:
    """(depth, kind, name, parent's name) of every task, in a stable order."""
    return sorted(
        (task.depth, task.entity_type, task.name, task.parent.name if task.parent else None)
        for task in dbsession.scalars(select(Task).where(Task.project_id == project.id))
    )


@pytest.fixture
def awkward(factory):
    """Names holding the path's special characters: / ; # and a backslash."""
    project = factory.project(name="Awkward")
    fire = factory.task(project=project, name="Fire/Ice")
    for name in ("Left/Right", "A;B", "Take #2", "C:\\temp\\x", "50% done"):
        factory.task(parent=fire, name=name)
    depends = factory.task(parent=fire, name="Comp: final")
    add_dependency(factory.dbsession, depends, fire.children[0])
    return project


def test_names_holding_path_characters_are_escaped_in_paths(dbsession, awkward):
    rows = rows_of(export_breakdown(dbsession, awkward))
    assert [row["path"] for row in rows] == [
        "Fire\\/Ice",
        "Fire\\/Ice/Left\\/Right",
        "Fire\\/Ice/A\\;B",
        "Fire\\/Ice/Take \\#2",
        "Fire\\/Ice/C:\\\\temp\\\\x",
        "Fire\\/Ice/50% done",
        "Fire\\/Ice/Comp: final",
    ]
    assert rows[1]["name"] == "Left/Right"  # the name column holds the name as it is
    assert rows[-1]["depends_on"] == "Fire\\/Ice/Left\\/Right:onend:0:h:length"


def test_escaped_names_come_back_by_import(dbsession, factory, awkward):
    text = export_breakdown(dbsession, awkward)
    assert import_breakdown(dbsession, awkward, text) == {"created": 0, "updated": 7}
    assert export_breakdown(dbsession, awkward) == text
    copy = factory.project(name="Copy")
    assert import_breakdown(dbsession, copy, text) == {"created": 7, "updated": 0}
    assert tree_of(dbsession, copy) == tree_of(dbsession, awkward)
    assert export_breakdown(dbsession, copy) == text


@pytest.fixture
def twins(factory, dbsession):
    """Two sibling tasks both named "Tree", each with a "Model"; "Lookdev" waits for the
    second Model. Returns the project and the two trees."""
    project = factory.project(name="Twins")
    assets = factory.task(project=project, name="Assets")
    trees = [factory.task(parent=assets, name="Tree") for _ in range(2)]
    models = [factory.task(parent=tree, name="Model") for tree in trees]
    lookdev = factory.task(parent=assets, name="Lookdev")
    add_dependency(dbsession, lookdev, models[1])
    return project, trees


def test_duplicate_siblings_are_told_apart_by_their_id(dbsession, twins):
    project, (first, second) = twins
    rows = rows_of(export_breakdown(dbsession, project))
    assert [row["path"] for row in rows] == [
        "Assets",
        f"Assets/Tree#{first.id}",
        f"Assets/Tree#{first.id}/Model",
        f"Assets/Tree#{second.id}",
        f"Assets/Tree#{second.id}/Model",
        "Assets/Lookdev",
    ]
    assert rows[-1]["depends_on"] == f"Assets/Tree#{second.id}/Model:onend:0:h:length"


def test_duplicates_come_back_by_import(dbsession, factory, twins):
    project, _trees = twins
    text = export_breakdown(dbsession, project)
    assert import_breakdown(dbsession, project, text) == {"created": 0, "updated": 6}
    assert export_breakdown(dbsession, project) == text
    copy = factory.project(name="Copy")
    assert import_breakdown(dbsession, copy, text) == {"created": 6, "updated": 0}
    assert tree_of(dbsession, copy) == tree_of(dbsession, project)
    [lookdev] = [
        task
        for task in dbsession.scalars(select(Task).where(Task.project_id == copy.id))
        if task.name == "Lookdev"
    ]
    [upstream] = lookdev.depends_on
    assert upstream.name == "Model" and upstream.parent.name == "Tree"


def test_a_path_naming_duplicates_without_their_id_is_refused(dbsession, twins):
    project, (first, second) = twins
    text = "\n".join(
        [
            ",".join(COLUMNS),
            "Assets/Tree/Paint,Task,Paint,,,,,,,,,,,",
            "Assets/Rock,Task,Rock,,,,,,,,,,,Assets/Tree/Model",
        ]
    )
    with pytest.raises(BreakdownImportError) as error:
        import_breakdown(dbsession, project, text)
    hint = (
        f"Assets/Tree names 2 tasks: write Assets/Tree#{first.id} or Assets/Tree#{second.id}"
        " (as the export does)."
    )
    assert error.value.errors == [(2, hint), (3, hint)]
    assert task_count(dbsession, project) == 6


def test_dependencies_on_other_projects_are_left_out_of_the_file_and_kept(dbsession, factory):
    project, other = factory.project(name="Here"), factory.project(name="There")
    waiting = factory.task(project=project, name="Comp")
    local = factory.task(project=project, name="Paint")
    add_dependency(dbsession, waiting, factory.task(project=other, name="Plate"))
    add_dependency(dbsession, waiting, local)
    text = export_breakdown(dbsession, project)
    by_path = {row["path"]: row for row in rows_of(text)}
    assert by_path["Comp"]["depends_on"] == "Paint:onend:0:h:length"
    assert "Plate" not in text
    import_breakdown(dbsession, project, text)
    assert sorted(task.name for task in waiting.depends_on) == ["Paint", "Plate"]

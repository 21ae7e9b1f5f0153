"""Breakdown pages through the real forms: shot ranges, template tasks, CSV export and import."""

import csv
import io

import pytest
from sqlalchemy import func, select
from webtest import Upload

from stalker_web.models import Shot, Task, TaskDependency
from stalker_web.services.breakdown.bulk_creation import (
    ChildTask,
    create_child_tasks,
    create_shot_range,
)
from stalker_web.services.breakdown.rows import COLUMNS

from ...conftest import login
from ...factories.projects import member

SHOT_TYPES = ("Layout", "Animation", "Lighting", "Comp")
ASSET_TYPES = ("Model", "LookDev", "Rig")


def task_count(dbsession, project) -> int:
    return dbsession.scalar(select(func.count()).where(Task.project_id == project.id))


def shot_codes_of(dbsession, project) -> list[str]:
    return list(
        dbsession.scalars(
            select(Shot.code).where(Shot.project_id == project.id).order_by(Shot.code)
        )
    )


def flashes(app, project) -> str:
    """The flash messages waiting in the session, shown by the next page."""
    return " ".join(
        div.get_text(" ", strip=True)
        for div in app.get(f"/projects/{project.id}").html.select("div.flash")
    )


@pytest.fixture
def project(factory):
    return factory.project(name="Breakdown", code="BRK")


@pytest.fixture
def sequence(factory, project):
    return factory.task("Sequence", project=project, code="SQ010", name="Opening")


@pytest.fixture
def task_types(factory):
    return [factory.task_type("Task", name) for name in SHOT_TYPES + ASSET_TYPES]


@pytest.fixture
def manager_app(testapp, factory, project):
    """Logged in as a member of ``project`` holding the Producer role."""
    login(testapp, member(project, factory.user(), factory.role("Producer")).login)
    return testapp


@pytest.fixture
def crew_app(testapp, factory, project):
    """Logged in as a member of ``project`` without a role."""
    login(testapp, member(project, factory.user()).login)
    return testapp


def range_url(project) -> str:
    return f"/projects/{project.id}/shots/new-range"


def template_url(project) -> str:
    return f"/projects/{project.id}/tasks/from-template"


def export_url(project) -> str:
    return f"/projects/{project.id}/breakdown.csv"


def import_url(project) -> str:
    return f"/projects/{project.id}/breakdown/import"


# A range of shots


def test_range_form_offers_the_projects_sequences_with_defaults(
    manager_app, factory, project, sequence
):
    factory.task("Sequence", project=project, code="SQ020", name="SQ020")
    factory.task("Sequence", code="ELSEWHERE")
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    labels = [label for _value, _selected, label in form["sequence"].options]
    assert labels == ["Choose a sequence", "SQ010 Opening", "SQ020"]
    assert [form[name].value for name in ("prefix", "start", "end", "step", "digits")] == [
        "",
        "10",
        "200",
        "10",
        "3",
    ]
    template_labels = [label for _value, _selected, label in form["template"].options]
    assert template_labels[:2] == ["No child tasks", "Shot: Layout, Animation, Lighting, Comp"]
    assert form["template"].value == ""


def test_range_form_preselects_the_sequence_of_the_link(manager_app, factory, project, sequence):
    other = factory.task("Sequence", project=project, code="SQ020")
    form = manager_app.get(range_url(project), {"sequence": other.id}).forms["shot-range-form"]
    assert form["sequence"].value == str(other.id)
    # Its shots are named after it, so two sequences never clash.
    assert form["prefix"].value == "SQ020_SH"


def test_range_form_says_when_the_project_has_no_sequence(manager_app, project):
    page = manager_app.get(range_url(project))
    assert "shot-range-form" not in page.forms
    assert "has no sequence yet" in page.html.find(id="no-sequences").get_text()


def test_a_range_creates_the_shots_and_goes_to_the_sequence(
    manager_app, dbsession, project, sequence
):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"] = str(sequence.id)
    response = form.submit(status=303)
    assert response.location == f"http://example.com/tasks/{sequence.id}"
    # A prefix left blank is the sequence's.
    assert shot_codes_of(dbsession, project) == [f"SQ010_SH{n:03d}" for n in range(10, 201, 10)]
    assert "20 shots created in SQ010." in flashes(manager_app, project)
    shots = dbsession.scalars(select(Shot).where(Shot.project_id == project.id)).all()
    assert {(shot.parent_id, shot.sequence_id) for shot in shots} == {(sequence.id, sequence.id)}


def test_a_range_with_a_template_adds_the_standard_tasks_to_every_shot(
    manager_app, dbsession, project, sequence, task_types
):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"], form["prefix"], form["start"], form["end"] = str(sequence.id), "A", "1", "3"
    form["step"], form["digits"], form["template"] = "1", "2", "Shot"
    form.submit(status=303)
    assert shot_codes_of(dbsession, project) == ["A01", "A02", "A03"]
    shot = dbsession.scalars(select(Shot).where(Shot.code == "A02")).one()
    assert [child.name for child in shot.children] == list(SHOT_TYPES)
    animation = next(child for child in shot.children if child.name == "Animation")
    assert [task.name for task in animation.depends_on] == ["Layout"]
    message = flashes(manager_app, project)
    assert "3 shots created in SQ010, each with the Shot tasks (12 tasks in all)." in message


def test_preview_lists_the_codes_and_creates_nothing(manager_app, dbsession, project, sequence):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"] = str(sequence.id)
    page = form.submit("preview", status=200)
    preview = page.html.find(id="range-preview").get_text()
    assert preview == (
        "SQ010_SH010, SQ010_SH020 ... SQ010_SH200 (20 shots), each cut 1001-1100 (100 frames)"
    )
    assert page.forms["shot-range-form"]["prefix"].value == "SQ010_SH"
    assert page.forms["shot-range-form"]["end"].value == "200"
    form = page.forms["shot-range-form"]
    form["end"] = "30"
    page = form.submit("preview", status=200)
    preview = page.html.find(id="range-preview").get_text()
    assert (
        preview
        == "SQ010_SH010, SQ010_SH020, SQ010_SH030 (3 shots), each cut 1001-1100 (100 frames)"
    )
    assert shot_codes_of(dbsession, project) == []


def test_range_form_offers_editorial_cut_defaults(manager_app, project, sequence):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    assert [form[name].value for name in ("cut_in", "cut_out", "cuts")] == ["1001", "1100", "same"]


def test_every_shot_of_a_range_gets_the_same_cut_by_default(
    manager_app, dbsession, project, sequence
):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"], form["end"] = str(sequence.id), "30"
    form["cut_in"], form["cut_out"] = "1001", "1048"
    form.submit(status=303)
    shots = dbsession.scalars(
        select(Shot).where(Shot.project_id == project.id).order_by(Shot.code)
    ).all()
    assert [(shot.cut_in, shot.cut_out) for shot in shots] == [(1001, 1048)] * 3
    assert [(shot.source_in, shot.source_out) for shot in shots] == [(1001, 1048)] * 3


def test_continued_cuts_follow_each_other(manager_app, dbsession, project, sequence):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"], form["end"] = str(sequence.id), "30"
    form["cut_in"], form["cut_out"], form["cuts"] = "1", "24", "continue"
    page = form.submit("preview", status=200)
    assert page.html.find(id="range-preview").get_text() == (
        "SQ010_SH010, SQ010_SH020, SQ010_SH030 (3 shots), cut 1-24, 25-48, 49-72 (24 frames each)"
    )
    page.forms["shot-range-form"].submit(status=303)
    shots = dbsession.scalars(
        select(Shot).where(Shot.project_id == project.id).order_by(Shot.code)
    ).all()
    assert [(shot.cut_in, shot.cut_out) for shot in shots] == [(1, 24), (25, 48), (49, 72)]


def test_a_created_shot_shows_its_cut_on_its_page(manager_app, dbsession, project, sequence):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"], form["end"], form["cut_out"] = str(sequence.id), "10", "1096"
    form.submit(status=303)
    shot = dbsession.scalars(select(Shot).where(Shot.project_id == project.id)).one()
    page = manager_app.get(f"/tasks/{shot.id}")
    cut = page.html.find("dt", string="Cut").find_next_sibling("dd").get_text(" ", strip=True)
    assert cut.startswith("1001 – 1096")


def test_preview_of_a_bad_range_explains_it(manager_app, project, sequence):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["step"] = "0"
    page = form.submit("preview", status=400)
    assert "The step must be 1 or more." in page.text
    assert page.html.find(id="range-preview") is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"step": "0"}, "The step must be 1 or more."),
        ({"start": "50", "end": "10"}, "The last number must not be before the first."),
        ({"start": "-10"}, "The first number must be 0 or more."),
        ({"start": "1", "end": "2001", "step": "1"}, "at most 2000 can be created at once"),
        ({"digits": "9"}, "The number of digits must be from 1 to 8."),
        ({"end": "two hundred"}, "Enter a whole number such as 10."),
        ({"start": ""}, "Enter a whole number such as 10."),
        ({"sequence": ""}, "Choose one of the sequences of Breakdown."),
        ({"template": "Spaceship"}, "The studio has no task template for Spaceship."),
        ({"cut_in": "1100", "cut_out": "1001"}, "The cut out (1001) must not be before the cut in"),
        ({"cut_in": "1001.5"}, "Enter a whole number such as 10."),
        ({"cut_in": "-5"}, "The cut in must be from 0 to 9,999,999."),
        ({"cut_out": "10000000"}, "The cut out must be from 0 to 9,999,999."),
        ({"cuts": "backwards"}, "Not a valid choice."),
    ],
)
def test_a_refused_range_creates_nothing(
    manager_app, dbsession, project, sequence, values, message
):
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"] = str(sequence.id)
    for name, value in values.items():
        form[name].force_value(value)
    page = form.submit(status=400)
    assert message in page.text
    assert task_count(dbsession, project) == 1


def test_a_range_refuses_codes_already_used_and_creates_nothing(
    manager_app, dbsession, factory, project, sequence
):
    factory.task("Shot", parent=sequence, code="SQ010_SH050")
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"] = str(sequence.id)
    page = form.submit(status=400)
    assert "These shot codes are already used in project Breakdown: SQ010_SH050." in page.text
    assert shot_codes_of(dbsession, project) == ["SQ010_SH050"]


def test_a_range_whose_template_fails_leaves_no_shot(manager_app, dbsession, project, sequence):
    # The Shot template names task types this studio does not have: the shots are undone too.
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"], form["template"] = str(sequence.id), "Shot"
    page = form.submit(status=400)
    assert "These task types do not exist: Animation, Comp, Layout, Lighting." in page.text
    assert task_count(dbsession, project) == 1


def test_a_range_cannot_go_into_another_projects_sequence(
    manager_app, dbsession, factory, project, sequence
):
    foreign = factory.task("Sequence", code="SQ999")
    form = manager_app.get(range_url(project)).forms["shot-range-form"]
    form["sequence"].force_value(str(foreign.id))
    page = form.submit(status=400)
    assert "Choose one of the sequences of Breakdown." in page.text
    assert task_count(dbsession, foreign.project) == 1


def test_range_page_takes_the_same_queries_for_few_and_many_tasks(
    manager_app, dbsession, factory, project, sequence, count_queries
):
    with count_queries() as few:
        manager_app.get(range_url(project))
    for number in range(2, 12):
        other = factory.task("Sequence", project=project, code=f"SQ{number:03d}")
        create_shot_range(dbsession, other, prefix=f"S{number}_", start=1, end=5, step=1)
    with count_queries() as many:
        page = manager_app.get(range_url(project))
    assert len(page.forms["shot-range-form"]["sequence"].options) == 12
    assert many.count == few.count


# Standard child tasks from a template


@pytest.fixture
def assets(factory, project):
    """Two Character assets and one Prop in ``project``."""
    return [
        factory.task(
            "Asset", project=project, code="HERO", type=factory.task_type("Asset", "Character")
        ),
        factory.task(
            "Asset", project=project, code="VILLAIN", type=factory.task_type("Asset", "Character")
        ),
        factory.task("Asset", project=project, code="CUP", type=factory.task_type("Asset", "Prop")),
    ]


def parent_options(form) -> dict[str, str]:
    return {label: value for value, _selected, label in form["parents"].options}


def test_template_form_offers_templates_and_parent_groups(
    manager_app, dbsession, project, sequence, assets
):
    create_shot_range(dbsession, sequence, start=1, end=4, step=1)
    page = manager_app.get(template_url(project))
    form = page.forms["template-form"]
    assert [label for _v, _s, label in form["template"].options][:3] == [
        "Choose a template",
        "Shot: Layout, Animation, Lighting, Comp",
        "Character: Model, LookDev, Rig",
    ]
    assert list(parent_options(form)) == [
        "Choose the parents",
        "Character assets (2)",
        "Prop assets (1)",
        "Shots of SQ010 Opening (4)",
        "Every shot of the project (4)",
    ]
    groups = [group["label"] for group in page.html.find(id="parents")("optgroup")]
    assert groups == ["Assets", "Shots"]
    assert "nothing is created" in page.text
    rig = page.html.find(id="template-Character").find("th", string="Rig").parent
    assert [cell.get_text() for cell in rig("td")] == ["Rig", "2 d", "Model"]


def test_template_form_preselects_from_the_link(manager_app, project, sequence):
    form = manager_app.get(
        template_url(project), {"template": "Shot", "parents": f"sequence:{sequence.id}"}
    ).forms["template-form"]
    assert (form["template"].value, form["parents"].value) == ("Shot", f"sequence:{sequence.id}")


def test_template_adds_its_tasks_under_every_asset_of_the_type(
    manager_app, dbsession, project, assets, task_types
):
    form = manager_app.get(template_url(project)).forms["template-form"]
    form["template"] = "Character"
    form["parents"] = parent_options(form)["Character assets (2)"]
    response = form.submit(status=303)
    assert response.location == f"http://example.com/projects/{project.id}/tasks"
    hero, villain, cup = assets
    for asset in (hero, villain):
        dbsession.refresh(asset)
        assert [child.name for child in asset.children] == ["Model", "LookDev", "Rig"]
        rig = asset.children[2]
        assert ([task.name for task in rig.depends_on], rig.status.code) == (["Model"], "WFD")
    dbsession.refresh(cup)
    assert cup.children == []
    message = flashes(manager_app, project)
    assert "6 tasks from the Character template created under 2 Character assets." in message


def test_template_adds_its_tasks_under_the_shots_of_one_sequence(
    manager_app, dbsession, factory, project, sequence, task_types
):
    mine = create_shot_range(dbsession, sequence, start=1, end=2, step=1)
    other = factory.task("Sequence", project=project, code="SQ020")
    theirs = create_shot_range(dbsession, other, prefix="X", start=1, end=2, step=1)
    form = manager_app.get(template_url(project)).forms["template-form"]
    form["template"], form["parents"] = "Shot", f"sequence:{sequence.id}"
    form.submit(status=303)
    assert task_count(dbsession, project) == 2 + 4 + 2 * 4
    for shot in mine + theirs:
        dbsession.refresh(shot)
    assert all(len(shot.children) == 4 for shot in mine)
    assert all(shot.children == [] for shot in theirs)
    assert "8 tasks from the Shot template created under 2 shots of SQ010." in flashes(
        manager_app, project
    )


def test_template_adds_its_tasks_under_every_shot(
    manager_app, dbsession, factory, project, sequence, task_types
):
    create_shot_range(dbsession, sequence, start=1, end=2, step=1)
    factory.task("Shot", project=project, code="LOOSE")
    form = manager_app.get(template_url(project)).forms["template-form"]
    form["template"], form["parents"] = "Shot", "shots"
    form.submit(status=303)
    children = dbsession.scalar(
        select(func.count()).where(Task.project_id == project.id, Task.depth == 2)
    )
    assert children == 3 * 4 - 4  # the loose shot is a root task: its children are at depth 1
    assert "12 tasks from the Shot template created under 3 shots." in flashes(manager_app, project)


def test_template_refuses_parents_that_already_have_such_a_task_and_creates_nothing(
    manager_app, dbsession, factory, project, assets, task_types
):
    hero = assets[0]
    factory.task(parent=hero, name="Rig")
    before = task_count(dbsession, project)
    form = manager_app.get(template_url(project)).forms["template-form"]
    form["template"] = "Character"
    form["parents"] = parent_options(form)["Character assets (2)"]
    page = form.submit(status=400)
    assert f"These child tasks already exist: {hero.name}/Rig." in page.text
    assert task_count(dbsession, project) == before


@pytest.mark.parametrize(
    ("template", "parents", "message"),
    [
        ("", "shots", "Choose a template."),
        ("Spaceship", "shots", "The studio has no task template for Spaceship."),
        ("Shot", "", "Choose the tasks to add the template&#39;s tasks to."),
        ("Shot", "everything", "Choose the tasks to add the template&#39;s tasks to."),
        ("Shot", "shots", "There is no shot in Breakdown yet."),
        ("Shot", "sequence:{sequence}", "There is no shot of SQ010 in Breakdown yet."),
        ("Shot", "sequence:{foreign}", "Choose one of the sequences of Breakdown."),
        ("Character", "asset_type:{prop}", "There is no Prop asset in Breakdown yet."),
    ],
)
def test_template_refuses_bad_choices(
    manager_app, dbsession, factory, project, sequence, task_types, template, parents, message
):
    ids = {
        "sequence": sequence.id,
        "foreign": factory.task("Sequence", code="SQ999").id,
        "prop": factory.task_type("Asset", "Prop").id,
    }
    form = manager_app.get(template_url(project)).forms["template-form"]
    form["template"].force_value(template)
    form["parents"].force_value(parents.format(**ids))
    page = form.submit(status=400)
    assert message in page.text
    assert task_count(dbsession, project) == 1


def test_template_refuses_unknown_task_types_and_creates_nothing(
    manager_app, dbsession, project, assets
):
    form = manager_app.get(template_url(project)).forms["template-form"]
    form["template"] = "Prop"
    form["parents"] = parent_options(form)["Prop assets (1)"]
    page = form.submit(status=400)
    assert "These task types do not exist: LookDev, Model." in page.text
    assert task_count(dbsession, project) == 3


def test_template_page_takes_the_same_queries_for_few_and_many_tasks(
    manager_app, dbsession, factory, project, sequence, assets, count_queries
):
    with count_queries() as few:
        manager_app.get(template_url(project))
    for number in range(2, 8):
        other = factory.task("Sequence", project=project, code=f"SQ{number:03d}")
        create_shot_range(dbsession, other, prefix=f"S{number}_", start=1, end=5, step=1)
        factory.task("Asset", project=project, type=factory.task_type("Asset", f"Kind {number}"))
    with count_queries() as many:
        page = manager_app.get(template_url(project))
    assert len(page.forms["template-form"]["parents"].options) == 1 + 2 + 6 + 1 + 6 + 1
    assert many.count == few.count


# Export


def csv_rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.body.decode("utf-8-sig"))))


def test_a_member_downloads_the_breakdown(crew_app, dbsession, project, sequence):
    create_shot_range(dbsession, sequence, start=10, end=20, cut_in=1001, cut_out=1010)
    response = crew_app.get(export_url(project))
    assert response.content_type == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="BRK_breakdown.csv"'
    assert response.body.startswith("\ufeff".encode())
    rows = csv_rows(response)
    assert tuple(rows[0]) == COLUMNS
    assert [(row["path"], row["entity_type"]) for row in rows] == [
        ("SQ010", "Sequence"),
        ("SQ010/SH010", "Shot"),
        ("SQ010/SH020", "Shot"),
    ]


def test_export_neutralises_formulas(crew_app, factory, project):
    factory.task(project=project, name="=HYPERLINK(1)")
    assert csv_rows(crew_app.get(export_url(project)))[0]["name"] == "'=HYPERLINK(1)"


def test_every_breakdown_exports_and_imports_back(manager_app, factory, project):
    """Names holding "/" and siblings sharing a name no longer stop the export; importing the
    file changes nothing."""
    parent = factory.task(project=project, name="Left/Right")
    twins = [factory.task(parent=parent, name="Twin") for _ in range(2)]
    response = manager_app.get(export_url(project))
    assert [row["path"] for row in csv_rows(response)] == [
        "Left\\/Right",
        *(f"Left\\/Right/Twin#{twin.id}" for twin in twins),
    ]
    text = response.body
    form = import_form(manager_app, project)
    form["file"] = Upload("BRK_breakdown.csv", text, "text/csv")
    form.submit(status=303)
    assert "Breakdown imported: 0 tasks created, 3 updated." in flashes(manager_app, project)
    assert manager_app.get(export_url(project)).body == text


def test_export_takes_the_same_queries_for_few_and_many_tasks(
    crew_app, dbsession, factory, project, sequence, task_types, count_queries
):
    template = [ChildTask("Layout", "Layout"), ChildTask("Comp", "Comp", 1, "h", ("Layout",))]
    create_child_tasks(dbsession, create_shot_range(dbsession, sequence, end=10), template)
    with count_queries() as few:
        crew_app.get(export_url(project))
    more = create_shot_range(dbsession, sequence, start=20, end=300)
    create_child_tasks(dbsession, more, template)
    with count_queries() as many:
        rows = csv_rows(crew_app.get(export_url(project)))
    assert len(rows) == 1 + 30 * 3
    assert many.count == few.count


# Import


def import_form(app, project):
    return app.get(import_url(project)).forms["import-form"]


def test_import_form_uploads_a_file_or_takes_pasted_text(manager_app, project):
    page = manager_app.get(import_url(project))
    form = page.html.find(id="import-form")
    assert form["enctype"] == "multipart/form-data"
    assert form.find("input", type="file")["name"] == "file"
    assert form.find("textarea")["name"] == "text"
    assert page.html.find(id="export-link")["href"].endswith(export_url(project))


def test_round_trip_export_edit_import_export(manager_app, dbsession, project, sequence):
    create_shot_range(dbsession, sequence, start=10, end=30)
    before = task_count(dbsession, project)
    text = manager_app.get(export_url(project)).body.decode("utf-8-sig")
    edited = text.replace("SQ010/SH020,Shot,SH020,SH020", "SQ010/SH020,Shot,Bridge fight,SH020")
    assert edited != text
    form = import_form(manager_app, project)
    form["file"] = Upload("BRK_breakdown.csv", ("\ufeff" + edited).encode(), "text/csv")
    response = form.submit(status=303)
    assert response.location == f"http://example.com/projects/{project.id}/tasks"
    assert "Breakdown imported: 0 tasks created, 4 updated." in flashes(manager_app, project)
    rows = {row["path"]: row for row in csv_rows(manager_app.get(export_url(project)))}
    assert rows["SQ010/SH020"]["name"] == "Bridge fight"
    assert task_count(dbsession, project) == before


def test_pasted_text_creates_tasks(manager_app, dbsession, project, sequence):
    form = import_form(manager_app, project)
    form["text"] = "\n".join(
        [
            ",".join(COLUMNS),
            "SQ010/SH100,Shot,SH100,SH100,,,,,,,1001,1024,,",
            "SQ010/SH100/Comp,Task,Comp,,,,2,d,,,,,,",
        ]
    )
    form.submit(status=303)
    shot = dbsession.scalars(select(Shot).where(Shot.code == "SH100")).one()
    assert (shot.parent, shot.cut_out, [child.name for child in shot.children]) == (
        sequence,
        1024,
        ["Comp"],
    )
    assert "Breakdown imported: 2 tasks created, 0 updated." in flashes(manager_app, project)


def test_every_wrong_line_is_listed_and_nothing_is_imported(
    manager_app, dbsession, project, sequence
):
    create_shot_range(dbsession, sequence, start=10, end=20)
    text = manager_app.get(export_url(project)).body.decode("utf-8-sig")
    lines = text.splitlines()
    lines[1] = lines[1].replace("Opening", "Renamed")  # a good change, not imported either
    lines[2] = lines[2].replace(",Shot,", ",Robot,")
    lines.append("SQ010/SH030,Shot,SH030,SH030,,,soon,,,,,,,")
    lines.append("NOPE/T,Task,T,,,,,,,,,,,")
    form = import_form(manager_app, project)
    form["file"] = Upload("breakdown.csv", "\n".join(lines).encode(), "text/csv")
    page = form.submit(status=400)
    assert "Nothing was imported: 3 problems in the file." in page.text
    rows = [
        [cell.get_text(strip=True) for cell in row(["th", "td"])]
        for row in page.html.find(id="import-errors").tbody("tr")
    ]
    assert [row[0] for row in rows] == ["line 3", "line 5", "line 6"]
    assert rows[0][1].startswith("'Robot' is not one of")
    assert rows[1][1] == "The schedule timing must be a number, not 'soon'."
    assert rows[2][1] == "no task NOPE to put it in."
    assert task_count(dbsession, project) == 3
    dbsession.refresh(sequence)
    assert sequence.name == "Opening"


def test_a_file_without_the_columns_is_listed_as_line_1(manager_app, project):
    form = import_form(manager_app, project)
    form["text"] = "path,name\nA,A\n"
    page = form.submit(status=400)
    row = page.html.find(id="import-errors").tbody.tr
    assert row.th.get_text() == "line 1"
    assert "the header lacks the columns entity_type" in row.td.get_text()


def edited(text: str, change) -> str:
    """``text`` (a breakdown CSV) after ``change(rows by path)`` edited its rows."""
    rows = list(csv.DictReader(io.StringIO(text)))
    change({row["path"]: row for row in rows})
    output = io.StringIO()
    writer = csv.DictWriter(output, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return output.getvalue()


def test_a_failure_only_the_import_finds_leaves_nothing_imported(
    manager_app, dbsession, project, sequence
):
    shot = create_shot_range(dbsession, sequence, start=10, end=10)[0]
    layout, _anim = create_child_tasks(
        dbsession, [shot], [ChildTask("Layout"), ChildTask("Anim", None, 1, "h", ("Layout",))]
    )

    def change(rows):
        rows["SQ010/SH010/Layout"]["schedule_timing"] = "8"
        rows["SQ010/SH010/Layout"]["depends_on"] = "SQ010/SH010/Anim"  # a loop

    text = manager_app.get(export_url(project)).body.decode("utf-8-sig")
    form = import_form(manager_app, project)
    form["text"] = edited(text, change)
    page = form.submit(status=400)
    assert "would close a loop" in page.html.find(id="import-errors").get_text()
    dbsession.refresh(layout)
    assert (layout.schedule_timing, layout.depends_on) == (1, [])
    assert dbsession.scalar(select(func.count()).select_from(TaskDependency)) == 1


@pytest.mark.parametrize(
    ("upload", "text", "message"),
    [
        (None, "", "Choose a CSV file or paste the CSV text."),
        (None, "   \n", "Choose a CSV file or paste the CSV text."),
        (b"path\n", "path\n", "Upload a file or paste the text, not both."),
        ("name,é\n".encode("latin-1"), "", "The file is not UTF-8 text."),
        (b"path,name\x00\n", "", "This is not a CSV text file (it holds binary data)."),
        (b"x" * (5 * 1024 * 1024 + 1), "", "This is larger than 5 MB."),
        (None, "x" * (5 * 1024 * 1024 + 1), "This is larger than 5 MB."),
    ],
)
def test_import_refuses_what_is_not_a_breakdown_file(
    manager_app, dbsession, project, upload, text, message
):
    form = import_form(manager_app, project)
    if upload is not None:
        form["file"] = Upload("breakdown.csv", upload, "text/csv")
    form["text"] = text
    page = form.submit(status=400)
    assert message in page.text
    assert page.html.find(id="import-errors") is None
    assert task_count(dbsession, project) == 0


def test_import_page_takes_the_same_queries_for_few_and_many_tasks(
    manager_app, dbsession, project, sequence, count_queries
):
    with count_queries() as few:
        manager_app.get(import_url(project))
    create_shot_range(dbsession, sequence, start=1, end=50, step=1)
    with count_queries() as many:
        manager_app.get(import_url(project))
    assert many.count == few.count


# Who may do what


ALL_PAGES = (range_url, template_url, import_url)


@pytest.mark.parametrize("url", [*ALL_PAGES, export_url])
def test_a_non_member_is_refused_every_page(testapp, factory, project, url):
    login(testapp, factory.user().login)
    testapp.get(url(project), status=403)


@pytest.mark.parametrize("url", ALL_PAGES)
def test_a_member_without_a_manager_role_cannot_create(crew_app, project, sequence, url):
    crew_app.get(url(project), status=403)
    token = crew_app.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]
    crew_app.post(url(project), {"csrf_token": token, "sequence": sequence.id}, status=403)


def test_a_manager_of_another_project_cannot_create_here(testapp, factory, project, sequence):
    elsewhere = factory.project()
    login(testapp, member(elsewhere, factory.user(), factory.role("Producer")).login)
    token = testapp.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]
    testapp.post(range_url(project), {"csrf_token": token, "sequence": sequence.id}, status=403)
    testapp.get(export_url(project), status=403)


def test_holders_of_create_task_studio_wide_use_the_pages(testapp, factory, project):
    login(testapp, factory.user_allowed("Create_Task", "List_Task").login)
    for url in (*ALL_PAGES, export_url):
        testapp.get(url(project), status=200)


def test_a_post_without_the_csrf_token_is_refused(manager_app, dbsession, project, sequence):
    manager_app.post(range_url(project), {"sequence": sequence.id}, status=400)
    assert task_count(dbsession, project) == 1


def test_a_line_the_csv_reader_refuses_is_listed_and_nothing_imported(
    manager_app, dbsession, project
):
    form = import_form(manager_app, project)
    form["file"] = Upload(
        "breakdown.csv",
        (",".join(COLUMNS) + '\n"' + "x" * 200_000 + '",Task\n').encode(),
        "text/csv",
    )
    page = form.submit(status=400)
    report = page.html.find(id="import-errors").get_text(" ", strip=True)
    assert "2" in report and "cannot be read as CSV: field larger than field limit" in report
    assert task_count(dbsession, project) == 0

"""The filename template preview: what the form's path and file name give for a task's next
version, through the upload's renderer, on the add and edit pages and as the script's fragment;
it never saves, refuses what saving refuses, and only editors of structures may use it."""

import pytest
from sqlalchemy import func, select

from stalker_web.models import FilenameTemplate

from ...conftest import login

PATH = "$REPO{{ project.repository.code }}/{{ project.code }}/{% for parent in parent_tasks %}{{ parent.nice_name }}/{% endfor %}"  # noqa: E501
FILENAME = "{{ version.nice_name }}_v{{ '%03d' % version.version_number }}"


@pytest.fixture
def studio(factory):
    """A structure used by project FLM (repository FS at /mnt/fs), whose tasks are an asset
    HERO with a Rigging task and a shot SH010 in sequence SQ01 with a Layout task."""
    structure = factory.structure(name="Feature")
    project = factory.project(name="Film", code="FLM", structure=structure)
    project.repositories.append(factory.repository(code="FS", linux_path="/mnt/fs"))
    hero = factory.task("Asset", project=project, name="Hero", code="HERO")
    rigging = factory.task(parent=hero, name="Rigging")
    sequence = factory.task("Sequence", project=project, name="SQ01", code="SQ01")
    shot = factory.task("Shot", parent=sequence, name="SH010", code="SH010")
    layout = factory.task(parent=shot, name="Layout")
    return {"structure": structure, "rigging": rigging, "shot": shot, "layout": layout}


def preview_url(structure) -> str:
    return f"/structures/{structure.id}/templates/preview"


def csrf_token(app) -> str:
    """The session's CSRF token, from the structures list's logout form."""
    return app.get("/structures").html.find("input", attrs={"name": "csrf_token"})["value"]


def post_preview(app, structure, status=200, **values):
    fields = {
        "csrf_token": csrf_token(app),
        "name": "Names",
        "target_entity_type": "Task",
        "path": PATH,
        "filename": FILENAME,
        "preview_task": "",
        **values,
    }
    return app.post(preview_url(structure), fields, status=status)


def text_of(page, element_id: str) -> str:
    found = page.html.find(id=element_id)
    return found.get_text(" ", strip=True) if found is not None else ""


def test_preview_of_an_asset_task_shows_its_folder_and_file_name(admin_app, studio):
    page = post_preview(admin_app, studio["structure"], preview_task="hero rigging")
    assert text_of(page, "template-preview-folder") == "FLM/Hero/Rigging"
    assert text_of(page, "template-preview-filename") == "Hero_Rigging_v001.exr"
    assert (
        text_of(page, "template-preview-path") == "$REPOFS/FLM/Hero/Rigging/Hero_Rigging_v001.exr"
    )
    assert "FLM / Hero / Rigging" in text_of(page, "template-preview-values")
    # The full page: the add form keeps what was typed.
    assert page.html.find(id="template-add-form").find(id="name")["value"] == "Names"


def test_preview_of_a_shot_uses_the_tasks_next_version(admin_app, factory, studio, dbsession):
    from stalker_web.services.versions.versions import create_version

    create_version(dbsession, studio["shot"])
    create_version(dbsession, studio["shot"])
    page = post_preview(
        admin_app,
        studio["structure"],
        target_entity_type="Shot",
        preview_task=" FLM / SQ01 / SH010",
    )
    assert text_of(page, "template-preview-filename") == "SH010_v003.exr"
    assert text_of(page, "template-preview-folder") == "FLM/SQ01/SH010"
    assert "its next version: 3" in text_of(page, "template-preview-values")


def test_a_task_of_another_kind_is_previewed_with_a_note(admin_app, studio):
    page = post_preview(
        admin_app, studio["structure"], target_entity_type="Shot", preview_task="SH010 layout"
    )
    assert text_of(page, "template-preview-filename") == "SH010_Layout_v001.exr"
    note = page.html.select_one(".template-preview-note").get_text(" ", strip=True)
    assert note.startswith("This task is a Task: its files are named by the structure's Task")


def test_several_matches_are_offered_and_the_chosen_one_previewed(admin_app, studio):
    page = post_preview(admin_app, studio["structure"], preview_task="SQ01")
    matches = page.html.find(id="template-preview-matches")("input")
    assert [int(box["value"]) for box in matches][:2] == [
        studio["shot"].parent_id,
        studio["shot"].id,
    ]
    page = post_preview(
        admin_app,
        studio["structure"],
        preview_task="SQ01",
        preview_task_id=str(studio["layout"].id),
    )
    assert text_of(page, "template-preview-filename") == "SH010_Layout_v001.exr"
    checked = page.html.find(id="template-preview-matches").find("input", checked=True)
    assert int(checked["value"]) == studio["layout"].id


def test_a_task_is_found_by_its_id(admin_app, studio):
    page = post_preview(admin_app, studio["structure"], preview_task=str(studio["rigging"].id))
    assert text_of(page, "template-preview-filename") == "Hero_Rigging_v001.exr"


def test_tasks_of_projects_not_using_the_structure_are_not_found(admin_app, factory, studio):
    other = factory.task(project=factory.project(), name="Elsewhere")
    page = post_preview(admin_app, studio["structure"], preview_task=str(other.id))
    assert text_of(page, "template-preview-empty") == f"No task of Film matches “{other.id}”."
    page = post_preview(admin_app, studio["structure"], preview_task_id=str(other.id))
    assert text_of(page, "template-preview-empty") == (
        "Search for a task of Film to see what this template gives for it."
    )


def test_a_structure_no_project_uses_says_so(admin_app, factory):
    structure = factory.structure(name="Unused")
    page = post_preview(admin_app, structure, preview_task="anything")
    assert text_of(page, "template-preview-empty").startswith(
        "No project uses Unused yet, so there is no task to preview with"
    )


def test_an_unknown_variable_is_named_as_saving_names_it(admin_app, studio):
    filename = "{{ version.created_by }}"
    page = post_preview(admin_app, studio["structure"], preview_task="rigging", filename=filename)
    problem = text_of(page, "template-preview-problem")
    assert "The file name uses version.created_by, which is not a template variable" in problem
    add = admin_app.get(f"/structures/{studio['structure'].id}").forms["template-add-form"]
    add["name"], add["target_entity_type"], add["path"], add["filename"] = (
        "N",
        "Task",
        "x",
        filename,
    )
    refused = add.submit(status=400)
    saved_message = refused.html.find(id="filename-errors").get_text(strip=True)
    assert saved_message in problem


def test_a_syntax_error_names_its_line(admin_app, studio):
    page = post_preview(
        admin_app, studio["structure"], preview_task="rigging", path="{{ project.code }}\n{% if %}"
    )
    problem = text_of(page, "template-preview-problem")
    assert "The path is not a valid template: Expected an expression" in problem
    assert problem.endswith("(line 2).")


@pytest.mark.parametrize(
    ("source", "refusal"),
    [
        ("{{ ''.__class__ }}", "uses ''.__class__, which is not a template variable"),
        ("{{ task.__dict__ }}", "uses task.__dict__, which is not a template variable"),
        ("{{ task.__class__.__mro__ }}", "uses task.__class__, which is not a template variable"),
        ("{% for x in range(10**9) %}x{% endfor %}", "range counts more than 1000 numbers"),
        ("{{ 'x' * 100000 }}", "it builds something longer than 4096 characters"),
        ("{{ 9 ** 999999 }}", "it raises a number to too large a power"),
        ("{{ '%0999999d' % 1 }}", "it formats a number wider than 99 characters"),
        ("{{ task.name|center(999999) }}", "uses the filter center (line 1)"),
        ("{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}", "uses {% macro %} (line 1)"),
        ("{% include 'layout.jinja2' %}", "uses {% include %} (line 1)"),
        (
            "{% for a in range(9) %}{% for b in range(9) %}{% for c in range(9) %}"
            "{% endfor %}{% endfor %}{% endfor %}",
            "nests loops more than 2 deep",
        ),
    ],
)
def test_injection_is_refused(admin_app, studio, source, refusal):
    page = post_preview(admin_app, studio["structure"], preview_task="rigging", filename=source)
    assert refusal in text_of(page, "template-preview-problem")
    assert text_of(page, "template-preview-values") == ""


def test_preview_never_saves(admin_app, studio, dbsession):
    structure = studio["structure"]
    template = FilenameTemplate(name="Tasks", target_entity_type="Task", path="old", filename="old")
    structure.templates.append(template)
    dbsession.flush()
    count = dbsession.scalar(select(func.count(FilenameTemplate.id)))
    page = post_preview(admin_app, structure, preview_task="rigging", name="Other")
    assert "Hero_Rigging_v001.exr" in page.text
    page = post_preview(
        admin_app,
        structure,
        preview_task="rigging",
        template_id=str(template.id),
        version_id=str(template.version_id),
        path="new",
    )
    assert text_of(page, "template-preview-folder") == "new"
    # The edit page came back, with what was typed, and nothing changed.
    assert page.html.find(id="template-form").find(id="path").get_text().strip() == "new"
    dbsession.expire_all()
    assert (template.path, template.name) == ("old", "Tasks")
    assert dbsession.scalar(select(func.count(FilenameTemplate.id))) == count


def test_another_structures_template_is_not_found(admin_app, factory, studio):
    elsewhere = factory.structure(templates=[factory.filename_template("Task")])
    post_preview(
        admin_app,
        studio["structure"],
        template_id=str(elsewhere.templates[0].id),
        status=404,
    )


def test_the_fragment_is_only_the_preview(admin_app, studio):
    page = post_preview(admin_app, studio["structure"], preview_task="rigging", fragment="1")
    assert page.html.find("form") is None
    assert page.html.find(id="template-preview-filename").get_text() == "Hero_Rigging_v001.exr"


def test_an_over_long_search_is_refused_under_its_field(admin_app, studio):
    page = post_preview(admin_app, studio["structure"], preview_task="x" * 300)
    assert "Use at most 256 characters." in page.html.find(id="preview_task-errors").get_text()
    assert text_of(page, "template-preview-values") == ""


def test_the_preview_query_count_does_not_grow_with_the_tasks(
    admin_app, factory, studio, count_queries
):
    project = studio["rigging"].project
    with count_queries() as few:
        post_preview(admin_app, studio["structure"], preview_task="rigging")
    for number in range(20):
        asset = factory.task("Asset", project=project, name=f"Prop {number}")
        factory.task(parent=asset, name="Rigging")
    with count_queries() as many:
        post_preview(admin_app, studio["structure"], preview_task="rigging")
    assert many.count == few.count


def test_the_forms_offer_the_preview_to_editors_of_structures(admin_app, studio, factory):
    structure = studio["structure"]
    page = admin_app.get(f"/structures/{structure.id}")
    section = page.html.find(id="template-preview")
    assert section["data-preview-url"].endswith(preview_url(structure))
    assert section.find("button", string="Preview")["formaction"].endswith(preview_url(structure))
    template = factory.filename_template("Shot")
    structure.templates.append(template)
    edit = admin_app.get(f"/structures/{structure.id}/templates/{template.id}/edit")
    assert edit.html.find(id="template-preview").find("input", {"name": "template_id"})[
        "value"
    ] == str(template.id)


def test_template_creators_without_structure_rights_get_no_preview(testapp, factory, studio):
    user = factory.user_allowed("List_Structure", "Create_FilenameTemplate")
    login(testapp, user.login)
    page = testapp.get(f"/structures/{studio['structure'].id}")
    assert page.html.find(id="template-add-form") is not None
    assert page.html.find(id="template-preview") is None
    post_preview(testapp, studio["structure"], status=403)


def test_editors_of_structures_may_preview(testapp, factory, studio):
    login(testapp, factory.user_allowed("List_Structure", "Update_Structure").login)
    page = post_preview(testapp, studio["structure"], preview_task="rigging", fragment="1")
    assert "Hero_Rigging_v001.exr" in page.text

"""Structure pages through the real forms: list, create, view, edit, delete and templates."""

import pytest
from sqlalchemy import select

from stalker_web.models import FilenameTemplate, Structure

from ...conftest import login
from ...pages import csrf_token, form_posting_to


def structure_named(dbsession, name: str) -> Structure | None:
    return dbsession.scalars(select(Structure).where(Structure.name == name)).one_or_none()


def view_url(structure) -> str:
    return f"/structures/{structure.id}"


def template_rows(page) -> dict[str, list[str]]:
    table = page.html.find(id="templates")
    return {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in table.tbody("tr")
    }


# The list


def test_list_shows_templates_and_projects_of_each_structure(admin_app, factory):
    structure = factory.structure(
        name="Feature",
        description="For films",
        templates=[factory.filename_template("Shot"), factory.filename_template("Asset")],
    )
    factory.project(name="Film", structure=structure)
    factory.structure(name="Empty")
    page = admin_app.get("/structures")
    rows = {
        row.th.get_text(strip=True): [cell.get_text(strip=True) for cell in row("td")]
        for row in page.html.find(id="structures").tbody("tr")
    }
    assert rows["Feature"] == ["For films", "Shot, Asset", "Film"]
    assert rows["Empty"] == ["none", "none", "no project"]
    assert page.html.find("a", string="New structure") is not None


def test_list_is_forbidden_without_list_permission(testapp, factory):
    login(testapp, factory.user_allowed("Create_Structure").login)
    testapp.get("/structures", status=403)


def test_list_query_count_does_not_grow_with_structures(admin_app, factory, count_queries):
    def add(count):
        for _ in range(count):
            structure = factory.structure(
                templates=[factory.filename_template("Shot"), factory.filename_template("Task")]
            )
            factory.project(structure=structure)

    add(3)
    with count_queries() as few:
        admin_app.get("/structures")
    add(27)
    with count_queries() as many:
        admin_app.get("/structures")
    assert many.count == few.count


# Create and edit


def test_create_structure_opens_its_page(admin_app, dbsession):
    form = admin_app.get("/structures/new").forms["structure-form"]
    form["name"], form["custom_template"] = "Feature", "{{project.code}}/Assets"
    page = form.submit(status=303).follow()
    assert "Structure Feature created." in page.text
    assert page.html.find(id="folder-template").get_text() == "{{project.code}}/Assets"
    assert structure_named(dbsession, "Feature") is not None


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "A name is required."),
        ("name", "feature", "A structure named 'feature' already exists."),
        ("custom_template", "{{ project.code", "The folder template is not a valid template:"),
        ("custom_template", "{% for x in y %}", "The folder template is not a valid template:"),
    ],
)
def test_create_refuses_bad_input(admin_app, factory, dbsession, field, value, message):
    factory.structure(name="Feature")
    form = admin_app.get("/structures/new").forms["structure-form"]
    form["name"] = "Other"
    form[field] = value
    page = form.submit(status=400)
    assert message in page.html.find(id="structure-form").get_text()
    assert structure_named(dbsession, "Other") is None


def test_create_is_forbidden_without_permission(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("List_Structure").login)
    testapp.get("/structures/new", status=403)
    testapp.post(
        "/structures/new", {"csrf_token": csrf_token(testapp), "name": "Sneaky"}, status=403
    )
    assert structure_named(dbsession, "Sneaky") is None


def test_edit_structure(admin_app, factory):
    structure = factory.structure(name="Old")
    form = admin_app.get(f"{view_url(structure)}/edit").forms["structure-form"]
    form["name"], form["description"] = "New", "Layout of films"
    assert "Structure New saved." in form.submit(status=303).follow().text
    assert (structure.name, structure.description) == ("New", "Layout of films")


def test_edit_refuses_bad_syntax_and_a_stale_page(admin_app, factory, dbsession):
    structure = factory.structure(name="Old", custom_template="Assets")
    form = admin_app.get(f"{view_url(structure)}/edit").forms["structure-form"]
    form["custom_template"] = "{% endfor %}"
    assert "The folder template is not a valid template" in form.submit(status=400).text
    structure.description = "changed meanwhile"
    dbsession.flush()
    form["custom_template"] = "Shots"
    assert "changed by someone else" in form.submit(status=400).text
    assert structure.custom_template == "Assets"


def test_edit_is_forbidden_without_permission(testapp, factory):
    structure = factory.structure()
    login(testapp, factory.user_allowed("List_Structure", "Create_Structure").login)
    testapp.get(f"{view_url(structure)}/edit", status=403)


# The structure page and its templates


def test_structure_page_lists_its_templates(admin_app, factory):
    structure = factory.structure(
        templates=[factory.filename_template("Shot", name="Shots", path="{{task.name}}")]
    )
    page = admin_app.get(view_url(structure))
    rows = template_rows(page)
    assert rows["Shot"][:2] == ["Shots", "{{task.name}}"]
    assert "template-add-form" in page.forms


def test_structure_page_hides_template_actions_without_their_permissions(testapp, factory):
    structure = factory.structure(templates=[factory.filename_template("Shot")])
    login(testapp, factory.user_allowed("List_Structure").login)
    page = testapp.get(view_url(structure))
    assert "template-add-form" not in page.forms
    assert page.html.find("a", string="Edit") is None
    assert list(page.forms) == [0]  # only the logout form


def test_add_template(admin_app, factory):
    structure = factory.structure()
    form = admin_app.get(view_url(structure)).forms["template-add-form"]
    form["name"], form["target_entity_type"] = "Shots", "Shot"
    form["path"] = "{{project.code}}/Shots/{{task.name}}"
    form["filename"] = "{{task.name}}_v{{'%03d' % version.version_number}}"
    page = form.submit(status=303).follow()
    assert "Filename template Shots added for Shot." in page.text
    assert template_rows(page)["Shot"][1] == "{{project.code}}/Shots/{{task.name}}"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("target_entity_type", "Shot", "This structure already has a template for Shot: Taken."),
        ("target_entity_type", "", "Choose what the template is for"),
        ("name", "", "A name is required."),
        ("path", "{{ task.name", "The path is not a valid template"),
        ("filename", "{% if %}", "The file name is not a valid template"),
    ],
)
def test_add_template_refuses_bad_input(admin_app, factory, dbsession, field, value, message):
    structure = factory.structure(templates=[factory.filename_template("Shot", name="Taken")])
    form = admin_app.get(view_url(structure)).forms["template-add-form"]
    form["name"], form["target_entity_type"] = "New", "Asset"
    form[field] = value
    page = form.submit(status=400)
    assert message in page.html.find(id="template-add-form").get_text()
    new = dbsession.scalars(select(FilenameTemplate).where(FilenameTemplate.name == "New"))
    assert new.first() is None


def test_add_template_is_forbidden_without_permission(testapp, factory):
    structure = factory.structure()
    login(testapp, factory.user_allowed("List_Structure", "Update_FilenameTemplate").login)
    testapp.post(
        f"{view_url(structure)}/templates",
        {"csrf_token": csrf_token(testapp), "name": "T", "target_entity_type": "Shot"},
        status=403,
    )
    assert structure.templates == []


def test_edit_template(admin_app, factory):
    template = factory.filename_template("Shot", name="Shots")
    structure = factory.structure(templates=[template])
    page = admin_app.get(view_url(structure)).click("Edit", href="/templates/")
    form = page.forms["template-form"]
    assert form["target_entity_type"].value == "Shot"
    form["name"], form["target_entity_type"] = "Sequences", "Sequence"
    page = form.submit(status=303).follow()
    assert "Filename template Sequences saved." in page.text
    assert (template.name, template.target_entity_type) == ("Sequences", "Sequence")


def test_edit_template_refuses_a_taken_target_and_a_stale_page(admin_app, factory, dbsession):
    template = factory.filename_template("Shot", name="Shots")
    structure = factory.structure(
        name="Feature", templates=[template, factory.filename_template("Asset", name="Assets")]
    )
    url = f"{view_url(structure)}/templates/{template.id}/edit"
    form = admin_app.get(url).forms["template-form"]
    form["target_entity_type"] = "Asset"
    page = form.submit(status=400)
    assert "The structure Feature already has a template for Asset: Assets." in page.text
    template.description = "changed meanwhile"
    dbsession.flush()
    form["target_entity_type"] = "Task"
    assert "changed by someone else" in form.submit(status=400).text
    assert template.target_entity_type == "Shot"


def test_a_template_of_another_structure_is_not_found(admin_app, factory):
    structure = factory.structure()
    elsewhere = factory.filename_template("Shot")
    factory.structure(templates=[elsewhere])
    admin_app.get(f"{view_url(structure)}/templates/{elsewhere.id}/edit", status=404)
    admin_app.post(
        f"{view_url(structure)}/templates/{elsewhere.id}/remove",
        {"csrf_token": csrf_token(admin_app)},
        status=404,
    )


def test_edit_template_is_forbidden_without_permission(testapp, factory):
    template = factory.filename_template("Shot")
    structure = factory.structure(templates=[template])
    login(testapp, factory.user_allowed("List_Structure", "Create_FilenameTemplate").login)
    testapp.get(f"{view_url(structure)}/templates/{template.id}/edit", status=403)


def test_remove_template(admin_app, factory, dbsession):
    template = factory.filename_template("Shot", name="Shots")
    structure = factory.structure(templates=[template])
    page = admin_app.get(view_url(structure))
    url = f"http://example.com{view_url(structure)}/templates/{template.id}/remove"
    page = form_posting_to(page, url).submit(status=303).follow()
    assert "Filename template Shots removed." in page.text
    assert "This structure has no filename templates yet." in page.text
    assert dbsession.get(FilenameTemplate, template.id) is None


def test_remove_template_is_forbidden_without_permission(testapp, factory):
    template = factory.filename_template("Shot")
    structure = factory.structure(templates=[template])
    login(testapp, factory.user_allowed("List_Structure", "Update_FilenameTemplate").login)
    testapp.post(
        f"{view_url(structure)}/templates/{template.id}/remove",
        {"csrf_token": csrf_token(testapp)},
        status=403,
    )
    assert structure.templates == [template]


# Delete


def test_delete_structure(admin_app, factory, dbsession):
    structure = factory.structure(name="Spare", templates=[factory.filename_template("Shot")])
    page = admin_app.get(view_url(structure))
    url = f"http://example.com{view_url(structure)}/delete"
    page = form_posting_to(page, url).submit(status=303).follow()
    assert page.request.path == "/structures"
    assert "Structure Spare deleted." in page.text
    assert structure_named(dbsession, "Spare") is None


def test_delete_a_used_structure_is_refused_naming_the_projects(admin_app, factory, dbsession):
    structure = factory.structure(name="Feature")
    factory.project(name="Film", structure=structure)
    factory.project(name="Ad", structure=structure)
    page = admin_app.get(view_url(structure))
    url = f"http://example.com{view_url(structure)}/delete"
    page = form_posting_to(page, url).submit(status=303).follow()
    flash = page.html.find(class_="flash error").get_text(strip=True)
    assert flash == (
        "Feature is used by the projects Ad, Film; "
        "choose another structure in their settings first."
    )
    assert structure_named(dbsession, "Feature") is not None


def test_delete_is_forbidden_without_permission(testapp, factory, dbsession):
    structure = factory.structure(name="Kept")
    login(testapp, factory.user_allowed("List_Structure", "Update_Structure").login)
    testapp.post(f"{view_url(structure)}/delete", {"csrf_token": csrf_token(testapp)}, status=403)
    assert structure_named(dbsession, "Kept") is not None


# What templates may use: listed on the forms, and refused otherwise


ESCALATION = (
    "{% if version.task.resources[0].groups.append(version.created_by.groups[0]) %}{% endif %}"
)


def variable_rows(page) -> dict[str, list[str]]:
    table = page.html.find(id="template-variables")
    return {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in table.tbody("tr")
    }


def test_the_template_forms_list_the_variables_with_an_example(admin_app, factory):
    template = factory.filename_template("Shot")
    structure = factory.structure(templates=[template])
    names = [
        "project", "task", "parent_tasks", "version", "asset",
        "sequence", "scene", "shot", "type", "extension",
    ]  # fmt: skip
    for url in (view_url(structure), f"{view_url(structure)}/templates/{template.id}/edit"):
        rows = variable_rows(admin_app.get(url))
        assert list(rows) == names
        assert rows["version"][1] == (
            "{{ version.nice_name }}_v{{ '%03d' % version.version_number }} → SH010_Final_comp_v003"
        )
        assert ".version_number" in rows["version"][0]
    for url in ("/structures/new", f"{view_url(structure)}/edit"):
        rows = variable_rows(admin_app.get(url))
        assert list(rows) == ["project"]


def test_adding_a_template_that_reaches_for_users_is_refused_under_its_field(
    admin_app, factory, dbsession
):
    structure = factory.structure()
    form = admin_app.get(view_url(structure)).forms["template-add-form"]
    form["name"], form["target_entity_type"] = "New", "Task"
    form["path"] = ESCALATION
    page = form.submit(status=400)
    error = page.html.find(id="path-errors").get_text(" ", strip=True)
    assert error.startswith("The path uses version.task, which is not a template variable;")
    form = page.forms["template-add-form"]
    form["path"] = "{{ project.code }}"
    form["filename"] = "{{ version.created_by.password_hash }}"
    page = form.submit(status=400)
    error = page.html.find(id="filename-errors").get_text(" ", strip=True)
    assert error.startswith("The file name uses version.created_by, which is not a template")
    new = dbsession.scalars(select(FilenameTemplate).where(FilenameTemplate.name == "New"))
    assert new.first() is None


def test_a_folder_template_using_other_variables_is_refused(admin_app, dbsession):
    form = admin_app.get("/structures/new").forms["structure-form"]
    form["name"], form["custom_template"] = "Folders", "{{ project.code }}/{{ task.name }}"
    page = form.submit(status=400)
    error = page.html.find(id="custom_template-errors").get_text(" ", strip=True)
    assert error.startswith("The folder template uses task, which is not a template variable")
    assert structure_named(dbsession, "Folders") is None

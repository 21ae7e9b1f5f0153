"""Repository pages through the real forms: list, create, edit and delete, with permissions."""

import pytest
from sqlalchemy import select

from stalker_web.models import Repository

from ...conftest import login
from ...pages import csrf_token, form_posting_to


def repository_coded(dbsession, code: str) -> Repository | None:
    return dbsession.scalars(select(Repository).where(Repository.code == code)).one_or_none()


def rows(page) -> dict[str, list[str]]:
    return {
        row.th.get_text(" ", strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in page.html.find(id="repositories").tbody("tr")
    }


def fill(form, **values):
    values = {
        "name": "Main share",
        "code": "MAIN",
        "linux_path": "/mnt/main",
        "windows_path": "T:\\main",
        "macos_path": "",
    } | values
    for name, value in values.items():
        form[name] = value
    return form


# The list


def test_list_shows_roots_variable_and_the_projects_using_each(admin_app, factory):
    repository = factory.repository(
        name="Main", code="MAIN", linux_path="/mnt/main", windows_path="", macos_path="/Volumes/m"
    )
    factory.project(name="Film").repositories.append(repository)
    factory.project(name="Ad").repositories.append(repository)
    factory.repository(name="Spare")
    page = admin_app.get("/repositories")
    found = rows(page)
    assert found["Main"][:6] == [
        "MAIN",
        "/mnt/main/",
        "none",
        "/Volumes/m/",
        "$REPOMAIN",
        "Ad , Film",
    ]
    assert found["Spare"][5] == "no project"
    assert page.html.find("a", string="New repository") is not None


def test_list_hides_actions_without_edit_and_delete_permissions(testapp, factory):
    factory.repository()
    login(testapp, factory.user_allowed("List_Repository").login)
    page = testapp.get("/repositories")
    assert page.html.find("a", string="New repository") is None
    assert page.html.find("a", string="Edit") is None
    assert list(page.forms) == [0]  # only the logout form


def test_list_is_forbidden_without_list_permission(testapp, factory):
    login(testapp, factory.user_allowed("Create_Repository").login)
    testapp.get("/repositories", status=403)


def test_list_query_count_does_not_grow_with_repositories(admin_app, factory, count_queries):
    def add(count):
        for _ in range(count):
            repository = factory.repository()
            factory.project().repositories.append(repository)

    add(3)
    with count_queries() as few:
        admin_app.get("/repositories")
    add(27)
    with count_queries() as many:
        admin_app.get("/repositories")
    assert many.count == few.count


def test_list_paginates(admin_app, factory):
    for number in range(51):
        factory.repository(name=f"Share {number:02d}")
    page = admin_app.get("/repositories")
    assert len(rows(page)) == 50
    assert "Page 1 of 2" in page.text
    assert list(rows(admin_app.get("/repositories?page=2"))) == ["Share 50"]


# Create


def test_create_repository(admin_app, dbsession):
    form = fill(admin_app.get("/repositories/new").forms["repository-form"])
    page = form.submit(status=303).follow()
    assert page.request.path == "/repositories"
    assert "Repository Main share created." in page.text
    repository = repository_coded(dbsession, "MAIN")
    assert (repository.linux_path, repository.windows_path, repository.macos_path) == (
        "/mnt/main/",
        "T:/main/",
        "",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "A name is required."),
        ("code", "", "A code is required."),
        ("code", "MA-IN", "A repository code may only hold letters, digits and _"),
        ("linux_path", "mnt/main", "A Linux root is an absolute path starting with /."),
        ("windows_path", "main", "A Windows root starts with a drive"),
        ("macos_path", "Volumes", "A macOS root is an absolute path starting with /."),
    ],
)
def test_create_refuses_bad_input_and_saves_nothing(admin_app, dbsession, field, value, message):
    form = fill(admin_app.get("/repositories/new").forms["repository-form"], **{field: value})
    page = form.submit(status=400)
    assert message in page.html.find(id="repository-form").get_text()
    assert (
        dbsession.scalars(select(Repository).where(Repository.name == "Main share")).first() is None
    )


def test_create_refuses_no_root_at_all(admin_app):
    form = fill(
        admin_app.get("/repositories/new").forms["repository-form"],
        linux_path="",
        windows_path="",
        macos_path="",
    )
    assert "Give the root of the repository on at least one system." in form.submit(status=400)


def test_create_refuses_a_code_taken_in_another_case(admin_app, factory):
    factory.repository(code="Main")
    form = fill(admin_app.get("/repositories/new").forms["repository-form"])
    assert "Another repository already has the code &#39;MAIN&#39;." in form.submit(status=400)


def test_create_is_forbidden_without_permission(testapp, factory, dbsession):
    login(testapp, factory.user_allowed("List_Repository").login)
    testapp.get("/repositories/new", status=403)
    testapp.post(
        "/repositories/new",
        {"csrf_token": csrf_token(testapp), "name": "Sneaky", "code": "SNK", "linux_path": "/x"},
        status=403,
    )
    assert repository_coded(dbsession, "SNK") is None


# Edit


def test_edit_repository(admin_app, factory):
    repository = factory.repository(name="Old", code="OLD")
    form = admin_app.get(f"/repositories/{repository.id}/edit").forms["repository-form"]
    assert form["code"].value == "OLD"
    form["name"], form["macos_path"] = "New", "/Volumes/new"
    assert "Repository New saved." in form.submit(status=303).follow().text
    assert (repository.name, repository.macos_path) == ("New", "/Volumes/new/")


def test_edit_warns_that_the_code_names_the_variable(admin_app, factory):
    repository = factory.repository(code="OLD")
    page = admin_app.get(f"/repositories/{repository.id}/edit")
    assert "paths stored as $REPOOLD/… stop resolving if it changes" in page.text


def test_edit_from_a_stale_page_is_refused(admin_app, factory, dbsession):
    repository = factory.repository(name="Old")
    form = admin_app.get(f"/repositories/{repository.id}/edit").forms["repository-form"]
    repository.name = "Changed meanwhile"
    dbsession.flush()
    form["name"] = "Mine"
    assert "changed by someone else" in form.submit(status=400).text
    assert repository.name == "Changed meanwhile"


def test_edit_refuses_another_repositorys_root(admin_app, factory):
    factory.repository(name="Other", linux_path="/mnt/shared")
    repository = factory.repository(name="Mine")
    form = admin_app.get(f"/repositories/{repository.id}/edit").forms["repository-form"]
    form["linux_path"] = "/mnt/shared/"
    page = form.submit(status=400)
    assert "The repository Other already has this Linux root." in page.text


def test_edit_is_forbidden_without_permission(testapp, factory):
    repository = factory.repository(name="Kept")
    login(testapp, factory.user_allowed("List_Repository", "Create_Repository").login)
    testapp.get(f"/repositories/{repository.id}/edit", status=403)
    testapp.post(
        f"/repositories/{repository.id}/edit",
        {"csrf_token": csrf_token(testapp), "name": "Taken"},
        status=403,
    )
    assert repository.name == "Kept"


def test_edit_of_a_missing_repository_is_not_found(admin_app):
    admin_app.get("/repositories/999999/edit", status=404)


# Delete


def test_delete_an_unused_repository(admin_app, factory, dbsession):
    repository = factory.repository(name="Spare")
    page = admin_app.get("/repositories")
    url = f"http://example.com/repositories/{repository.id}/delete"
    page = form_posting_to(page, url).submit(status=303).follow()
    assert "Repository Spare deleted." in page.text
    assert dbsession.get(Repository, repository.id) is None


def test_delete_a_used_repository_is_refused_naming_the_projects(admin_app, factory, dbsession):
    repository = factory.repository(name="Main")
    factory.project(name="Film").repositories.append(repository)
    page = admin_app.get("/repositories")
    url = f"http://example.com/repositories/{repository.id}/delete"
    page = form_posting_to(page, url).submit(status=303).follow()
    flash = page.html.find(class_="flash error").get_text(strip=True)
    assert flash == "Main is used by the project Film; remove it from its settings first."
    assert dbsession.get(Repository, repository.id) is not None


def test_delete_is_forbidden_without_permission(testapp, factory, dbsession):
    repository = factory.repository()
    login(testapp, factory.user_allowed("List_Repository", "Update_Repository").login)
    testapp.post(
        f"/repositories/{repository.id}/delete", {"csrf_token": csrf_token(testapp)}, status=403
    )
    assert dbsession.get(Repository, repository.id) is not None

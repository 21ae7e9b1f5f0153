"""The Types page through the real forms: tabs per target, creating, editing and deleting."""

from stalker_web.models import PipelineStep, Type

from ...conftest import login
from ...pages import form_posting_to


def step(factory, name, position=0, color=None):
    kind = factory.task_type("Task", name)
    kind.position, kind.color = position, color
    return kind


def rows(page) -> dict[str, list[str]]:
    return {
        row.th.get_text(strip=True): [cell.get_text(" ", strip=True) for cell in row("td")]
        for row in page.html.find("table", id="types").tbody("tr")
    }


def test_steps_tab_lists_steps_in_pipeline_order_with_their_details(admin_app, factory, dbsession):
    department = factory.department("Animation team")
    animation = step(factory, "Animation", 60, "#3a7bd5")
    step(factory, "Model", 10)
    create = admin_app.get(f"/types/{animation.id}/edit")
    form = create.forms["type-form"]
    form["department_id"] = str(department.id)
    form["default_timing"] = "2"
    form["default_unit"] = "d"
    form.submit(status=303)
    factory.task(parent=factory.task("Shot"), name="Animation", type=animation)
    page = admin_app.get("/types", {"target": "Task"})
    listed = rows(page)
    names = list(listed)
    assert names.index("Model") < names.index("Animation")
    assert listed["Animation"][2:] == ["60", "Animation team", "2 days", "1 task", "Edit Delete"]
    assert page.html.find("a", attrs={"aria-current": "page"}).get_text() == "Pipeline steps"
    swatch = page.html.find("tr", id=f"type-{animation.id}").find("span", class_="swatch")
    assert "step-colour-3a7bd5" in swatch["class"]
    assert (
        ".step-colour-3a7bd5 { --step-color: #3a7bd5; --step-ink: #ffffff; }"
        in admin_app.get("/status-colours.css").text
    )


def test_each_tab_shows_only_its_target_and_never_ticket_types(admin_app, factory):
    factory.task_type("Asset", "Character")
    factory.task_type("Ticket", "Defect ticket")
    page = admin_app.get("/types", {"target": "Asset"})
    assert "Character" in rows(page)
    assert "Department" not in page.html.find("thead").get_text()
    assert "Defect ticket" not in admin_app.get("/types", {"target": "Ticket"}).text
    assert "Defect ticket" not in page.text


def test_an_empty_tab_says_what_to_do(admin_app):
    page = admin_app.get("/types", {"target": "Sequence"})
    assert "There are no sequence types yet. Create the first one" in page.text


def test_create_a_step_through_the_form(admin_app, factory, dbsession):
    department = factory.department("Comp team")
    page = admin_app.get("/types/new", {"target": "Task"})
    form = page.forms["type-form"]
    form["name"] = "Comp"
    form["code"] = "COMP"
    form["color"] = "#AA3300"
    form["position"] = "90"
    form["department_id"] = str(department.id)
    form["default_timing"] = "1.5"
    form["default_unit"] = "d"
    response = form.submit(status=303)
    assert response.location.endswith("/types?target=Task")
    kind = dbsession.query(Type).filter_by(target_entity_type="Task", name="Comp").one()
    assert (kind.color, kind.position, kind.step.department) == ("#aa3300", 90, department)
    assert "Comp created." in response.follow().text


def test_create_refuses_a_duplicate_name_and_a_bad_colour_under_their_fields(admin_app, factory):
    step(factory, "Layout")
    form = admin_app.get("/types/new", {"target": "Task"}).forms["type-form"]
    form["name"] = "layout"
    form["code"] = "LAY"
    form["color"] = "#12345z"
    page = form.submit(status=400)
    errors = [item.get_text() for item in page.html.select("ul.errors li")]
    assert errors == ["A colour is written #rrggbb, e.g. #3a7bd5."]
    form = page.forms["type-form"]
    form["color"] = "#123456"
    page = form.submit(status=400)
    assert "A pipeline step named 'layout' already exists." in page.html.get_text()


def test_an_asset_type_form_has_no_step_fields(admin_app, dbsession):
    page = admin_app.get("/types/new", {"target": "Asset"})
    assert "department_id" not in page.forms["type-form"].fields
    form = page.forms["type-form"]
    form["name"], form["code"], form["position"] = "Vehicle", "VEH", "5"
    form.submit(status=303)
    assert dbsession.query(Type).filter_by(target_entity_type="Asset", name="Vehicle").one()


def test_a_stale_edit_is_refused(admin_app, factory, dbsession):
    kind = step(factory, "Rig", 20)
    dbsession.flush()
    form = admin_app.get(f"/types/{kind.id}/edit").forms["type-form"]
    kind.position = 21
    dbsession.flush()
    form["name"] = "Rigging"
    page = form.submit(status=400)
    assert "changed by someone else" in page.text
    assert kind.name == "Rig"


def test_delete_of_a_used_step_is_refused_with_a_clear_message(admin_app, factory, dbsession):
    kind = step(factory, "Animation")
    factory.task(parent=factory.task("Shot"), name="Animation", type=kind)
    page = admin_app.get("/types", {"target": "Task"})
    url = f"http://example.com/types/{kind.id}/delete"
    response = form_posting_to(page, url).submit(status=303)
    assert "1 task uses Animation: " in response.follow().text
    assert dbsession.get(Type, kind.id) is not None


def test_delete_of_an_unused_type_goes_back_to_its_tab(admin_app, factory, dbsession):
    kind = factory.task_type("Shot", "Hero shot")
    page = admin_app.get("/types", {"target": "Shot"})
    response = form_posting_to(page, f"http://example.com/types/{kind.id}/delete").submit(
        status=303
    )
    assert response.location.endswith("/types?target=Shot")
    assert "Hero shot deleted." in response.follow().text
    assert dbsession.get(Type, kind.id) is None


def test_ticket_types_cannot_be_edited_here(admin_app, factory):
    kind = factory.task_type("Ticket", "Defect ticket")
    admin_app.get(f"/types/{kind.id}/edit", status=404)


def test_a_lister_sees_the_types_without_the_buttons(testapp, factory):
    step(factory, "Layout")
    user = factory.user_allowed("List_Type")
    login(testapp, user.login)
    page = testapp.get("/types")
    assert "Layout" in rows(page)
    assert page.html.find("a", string="New pipeline step") is None
    assert "Edit" not in page.html.find("table", id="types").get_text()


def test_the_page_takes_the_same_queries_for_3_and_30_used_steps(
    admin_app, factory, dbsession, queries_of
):
    department = factory.department()

    def add_steps(first: int, last: int) -> None:
        for number in range(first, last):
            kind = step(factory, f"Step {number}", number)
            kind.step = PipelineStep(department=department, default_schedule_timing=1.0)
            factory.task(parent=factory.task("Shot"), name="Work", type=kind)
        dbsession.flush()

    add_steps(0, 3)
    few = queries_of(admin_app, "/types?target=Task")
    add_steps(3, 30)
    assert queries_of(admin_app, "/types?target=Task") == few

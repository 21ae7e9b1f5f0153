"""The webhook pages: the studio's hooks for admins, a project's for its managers, a hook's
page with its secret and delivery log, the form's refusals, a new secret, deletion and sending
a delivery again."""

import pytest
from sqlalchemy import select

from stalker_web.models import DeliveryState, Webhook, WebhookAttempt, WebhookDelivery
from stalker_web.services.webhooks.registration import create_webhook

from ...conftest import login
from ...pages import button_form, csrf_token


@pytest.fixture
def hook(dbsession, project):
    return create_webhook(
        dbsession,
        None,
        project,
        name="Farm",
        url="https://farm.example.com/hook",
        kinds=["version.published"],
    )


@pytest.fixture
def delivery(dbsession, hook):
    delivery = WebhookDelivery(
        webhook=hook,
        event_kind="version.published",
        payload={"event": "version.published", "version_id": 3},
        state=DeliveryState.FAILED,
        attempts=1,
        response_status=500,
        response_body="boom",
    )
    delivery.tries.append(WebhookAttempt(response_status=500, response_body="boom"))
    dbsession.add(delivery)
    dbsession.flush()
    return delivery


def fill(form, name="Chat", url="https://chat.example.com/hook", kinds=("ticket.changed",)):
    form["name"], form["url"] = name, url
    for kind in kinds:
        form.set("kinds", True, index=_kind_index(form, kind))
    return form


def _kind_index(form, kind: str) -> int:
    return [field._value for field in form.fields["kinds"]].index(kind)


def test_an_admin_creates_a_studio_hook_and_sees_its_secret(admin_app, dbsession):
    page = admin_app.get("/webhooks")
    assert "There are no webhooks yet" in page.text
    page = page.click("New webhook")
    page = fill(page.forms["webhook-form"]).submit().follow()
    hook = dbsession.scalars(select(Webhook).where(Webhook.name == "Chat")).one()
    assert hook.project_id is None and hook.kinds == ["ticket.changed"]
    assert hook.secret in page.text and "Nothing was sent yet" in page.text
    assert "Chat" in admin_app.get("/webhooks").text
    assert "Webhooks" in admin_app.get("/").text  # the admin menu links the page


def field_errors(page) -> dict[str, str]:
    return {item.get("id"): item.text for item in page.html.select("ul.errors")}


def test_the_form_shows_every_refusal_under_its_field(admin_app):
    form = admin_app.get("/webhooks/new").forms["webhook-form"]
    page = fill(form, name="", url="https://bob:pw@example.com/", kinds=()).submit(status=400)
    errors = field_errors(page)
    assert "A name is required." in errors["name-errors"]
    assert "no user name or password" in errors["url-errors"]
    assert "at least one" in errors["kinds-errors"]


def test_a_project_manager_manages_the_project_hooks(testapp, dbsession, project, lead, hook):
    login(testapp, lead.login)
    page = testapp.get(f"/projects/{project.id}/settings")
    page = page.click("Manage the webhooks")
    assert "Farm" in page.text
    page = page.click("New webhook")
    fill(page.forms["webhook-form"]).submit().follow()
    assert [h.name for h in dbsession.scalars(select(Webhook).order_by(Webhook.id))] == [
        "Farm",
        "Chat",
    ]
    assert dbsession.scalars(select(Webhook).where(Webhook.name == "Chat")).one().project == project
    page = testapp.get(f"/webhooks/{hook.id}/edit")
    form = page.forms["webhook-form"]
    form["name"], form["is_active"] = "Render farm", False
    form.submit().follow()
    assert (hook.name, hook.is_active) == ("Render farm", False)
    testapp.get("/webhooks", status=403)  # the studio's hooks are not theirs


def test_a_new_secret_and_deletion(testapp, dbsession, lead, hook):
    login(testapp, lead.login)
    old = hook.secret
    page = testapp.get(f"/webhooks/{hook.id}")
    page = button_form(page, "New secret").submit().follow()
    assert hook.secret != old and hook.secret in page.text
    page = button_form(page, "Delete").submit().follow()
    assert "deleted" in page.text and dbsession.get(Webhook, hook.id) is None


def test_the_log_shows_each_answer_and_sends_a_delivery_again(admin_app, dbsession, hook, delivery):
    page = admin_app.get(f"/webhooks/{hook.id}")
    row = page.html.find(id=f"delivery-{delivery.id}")
    assert "failed" in row.text and "HTTP 500" in row.text and "boom" in row.text
    page = button_form(page, "Send again").submit().follow()
    copy = dbsession.scalars(
        select(WebhookDelivery).where(WebhookDelivery.replay_of_id == delivery.id)
    ).one()
    assert copy.state is DeliveryState.PENDING and copy.payload == delivery.payload
    assert f"sent again as delivery {copy.id}" in page.text


def test_a_switched_off_hook_is_not_sent_again(admin_app, hook, delivery):
    hook.is_active = False
    page = admin_app.get(f"/webhooks/{hook.id}")
    page = button_form(page, "Send again").submit().follow()
    assert "switched off" in page.text


def test_an_artist_may_not_see_the_hooks(testapp, artist, project, hook, delivery):
    login(testapp, artist.login)
    testapp.get(f"/projects/{project.id}/webhooks", status=403)
    testapp.get(f"/webhooks/{hook.id}", status=403)
    token = csrf_token(testapp)
    testapp.post(f"/webhooks/{hook.id}/secret", {"csrf_token": token}, status=403)
    testapp.post(f"/webhooks/deliveries/{delivery.id}/replay", {"csrf_token": token}, status=403)
    testapp.get("/webhooks/999999", status=404)
    testapp.get("/projects/999999/webhooks", status=404)


def test_the_log_pages_in_a_fixed_number_of_queries(admin_app, dbsession, hook, queries_of):
    def add(count: int) -> None:
        for _ in range(count):
            delivery = WebhookDelivery(webhook=hook, event_kind="version.published", payload={})
            delivery.tries.append(WebhookAttempt(response_status=500))
            dbsession.add(delivery)
        dbsession.flush()

    add(5)
    few = queries_of(admin_app, f"/webhooks/{hook.id}")
    add(20)
    many = queries_of(admin_app, f"/webhooks/{hook.id}")
    assert few == many


def test_a_pending_delivery_is_not_sent_again(admin_app, dbsession, hook, delivery):
    delivery.state = DeliveryState.PENDING
    dbsession.flush()
    page = admin_app.get(f"/webhooks/{hook.id}")
    assert "Send again" not in page.html.find(id=f"delivery-{delivery.id}").text
    token = csrf_token(admin_app)
    page = admin_app.post(f"/webhooks/deliveries/{delivery.id}/replay", {"csrf_token": token})
    assert "still being sent" in page.follow().text
    assert dbsession.scalars(select(WebhookDelivery)).all() == [delivery]

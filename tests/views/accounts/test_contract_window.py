"""A user's contract window ("Available from/until") on the user form and the user page: the
scheduler gives nobody work outside it (tests/services/scenarios/test_contract_window.py)."""

from datetime import UTC, datetime

from .test_users import fill_new_user, user_named


def test_a_new_user_gets_a_contract_window_shown_on_their_page(admin_app, dbsession):
    form = admin_app.get("/users/new").forms["user-form"]
    fill_new_user(form)
    form["available_from"] = "2026-03-02T09:00"
    form["available_until"] = "2026-03-31T18:00"
    page = form.submit(status=303).follow()
    user = user_named(dbsession, "ana")
    assert (user.available_from, user.available_until) == (
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        datetime(2026, 3, 31, 18, tzinfo=UTC),
    )
    assert page.html.find(id="user-availability").get_text(" ", strip=True) == (
        "from 2026-03-02 09:00 UTC until 2026-03-31 18:00 UTC"
    )


def test_a_window_ending_before_it_starts_is_refused_and_the_form_kept(admin_app, dbsession):
    form = admin_app.get("/users/new").forms["user-form"]
    fill_new_user(form)
    form["available_from"] = "2026-03-31T09:00"
    form["available_until"] = "2026-03-02T09:00"
    page = form.submit(status=400)
    assert "must come after its start" in page.html.select_one("#available_until-errors").text
    kept = page.forms["user-form"]
    assert (kept["available_from"].value, kept["name"].value) == ("2026-03-31T09:00", "Ana Artist")
    assert user_named(dbsession, "ana") is None


def test_editing_opens_and_clears_the_window(admin_app, factory):
    user = factory.user(name="Fred")
    form = admin_app.get(f"/users/{user.id}/edit").forms["user-form"]
    assert form["available_from"].value == "" and form["available_until"].value == ""
    form["available_until"] = "2026-06-30T18:00"
    form.submit(status=303)
    assert (user.available_from, user.available_until) == (
        None,
        datetime(2026, 6, 30, 18, tzinfo=UTC),
    )
    page = admin_app.get(f"/users/{user.id}")
    assert page.html.find(id="user-availability").get_text(" ", strip=True) == (
        "until 2026-06-30 18:00 UTC"
    )
    form = admin_app.get(f"/users/{user.id}/edit").forms["user-form"]
    assert form["available_until"].value == "2026-06-30 18:00"
    form["available_until"] = ""
    form.submit(status=303)
    assert user.available_until is None
    assert "no contract limits" in admin_app.get(f"/users/{user.id}").text

"""Helpers for reading pages in WebTest: the CSRF token and the one-button forms."""


def csrf_token(testapp) -> str:
    """The CSRF token of the logged-in session, read from the layout's logout form."""
    return testapp.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]


def form_posting_to(page, url: str):
    """The form of ``page`` whose action is ``url`` (one-button forms carry no id)."""
    [form] = [form for form in page.forms.values() if form.action == url]
    return form


def button_form(page, label: str):
    """The one-button form of ``page`` whose button says ``label``."""
    [form] = [form for form in page.forms.values() if form.html.find("button", string=label)]
    return form

"""Every view declares its permission, and a user without rights is refused every admin page.

Routes and views are discovered from Pyramid's introspector, so pages added later are covered
without touching this file (a new ``{..._id}`` placeholder needs a row in ``placeholder_ids``).
"""

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from pyramid.config import Configurator
from pyramid.interfaces import IExceptionResponse
from pyramid.security import NO_PERMISSION_REQUIRED
from zope.interface.interface import InterfaceClass

from stalker_web.models import (
    BreakdownImport,
    File,
    Note,
    NoteAttachment,
    ProjectUser,
    Review,
    ScheduleRun,
    TimeLog,
    Vacation,
    Version,
    Webhook,
    WebhookDelivery,
)
from stalker_web.permissions import Permissions
from stalker_web.services.dailies.dailies import create_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.scenarios.editing import add_person, create_scenario
from stalker_web.services.tickets.links import LinkTarget

from .conftest import login

# Views anybody may reach, logged in or not: the login form and its two-factor code step (which
# needs the password step's pending session), the logout-by-GET redirect, the status colours
# stylesheet (colours only) and the site's icon.
PUBLIC_VIEWS = {
    ("login", None),
    ("login.two_factor", None),
    ("logout", "GET"),
    ("status_colours", "GET"),
    ("favicon", "GET"),
    # The API's OpenAPI document describes the API, no data.
    ("api.openapi", "GET"),
}
# Permissions every logged-in user holds: these pages are not admin pages.
EVERYONE_PERMISSIONS = {Permissions.VIEW, Permissions.EDIT_PROFILE}
_PLACEHOLDER = re.compile(r"\{(\w+)")


@dataclass(frozen=True)
class RegisteredView:
    """What the route walk needs to know about one registered view."""

    description: str
    route_name: str | None
    methods: tuple[str, ...] | None
    permission: str | None
    is_exception_view: bool

    def answers(self, method: str) -> bool:
        return self.methods is None or method in self.methods

    @property
    def is_admin_only(self) -> bool:
        return self.permission not in (None, NO_PERMISSION_REQUIRED, *EVERYONE_PERMISSIONS)


def _is_exception_context(context) -> bool:
    if isinstance(context, InterfaceClass):
        return context.isOrExtends(IExceptionResponse)
    return isinstance(context, type) and issubclass(context, BaseException)


def registered_views(introspector) -> list[RegisteredView]:
    views = []
    for item in introspector.get_category("views"):
        view = item["introspectable"]
        permissions = [
            rel["value"] for rel in item["related"] if rel.category_name == "permissions"
        ]
        methods = view["request_methods"]
        views.append(
            RegisteredView(
                description=f"{view.title} (route {view['route_name']}, methods {methods})",
                route_name=view["route_name"],
                methods=(methods,) if isinstance(methods, str) else methods,
                permission=permissions[0] if permissions else None,
                is_exception_view=bool(view["exception_only"])
                or _is_exception_context(view["context"]),
            )
        )
    return views


def views_without_explicit_permission(introspector) -> list[str]:
    """Views relying on the default permission or open to all, other than the allowed ones."""
    problems = []
    for view in registered_views(introspector):
        if view.is_exception_view or (view.route_name or "").startswith("__"):
            continue  # error pages and static files
        single_method = view.methods[0] if view.methods and len(view.methods) == 1 else None
        if (view.route_name, single_method) in PUBLIC_VIEWS:
            continue
        if view.permission in (None, NO_PERMISSION_REQUIRED):
            problems.append(f"{view.description}: no explicit permission")
        elif view.permission not in set(Permissions):
            problems.append(f"{view.description}: {view.permission!r} is not in Permissions")
    return problems


def test_every_view_has_an_explicit_permission(app):
    assert views_without_explicit_permission(app.registry.introspector) == []


def test_the_permission_check_notices_unprotected_views():
    config = Configurator(settings={})
    config.add_route("forgotten", "/forgotten")
    config.add_view(lambda request: {}, route_name="forgotten", renderer="json")
    config.add_route("open", "/open")
    config.add_view(
        lambda request: {}, route_name="open", renderer="json", permission=NO_PERMISSION_REQUIRED
    )
    config.add_route("typo", "/typo")
    config.add_view(lambda request: {}, route_name="typo", renderer="json", permission="List_Usr")
    config.add_route("login", "/login")
    config.add_view(
        lambda request: {}, route_name="login", renderer="json", permission=NO_PERMISSION_REQUIRED
    )
    config.commit()
    problems = views_without_explicit_permission(config.registry.introspector)
    assert len(problems) == 3
    assert all(
        any(f"route {name}," in problem for problem in problems)
        for name in ("forgotten", "open", "typo")
    )


def admin_requests(introspector) -> list[tuple[str, str, str]]:
    """(method, route name, pattern) of every route with a view needing more than a login."""
    patterns = {
        item["introspectable"]["name"]: item["introspectable"]["pattern"]
        for item in introspector.get_category("routes")
    }
    requests = set()
    for view in registered_views(introspector):
        if view.route_name not in patterns or not view.is_admin_only:
            continue
        if view.route_name.startswith("api."):
            continue  # signed in by token only: tests/api/test_api_matrix.py
        for method in ("GET", "POST"):
            if view.answers(method):
                requests.add((method, view.route_name, patterns[view.route_name]))
    return sorted(requests)


def placeholder_ids(factory, other_user) -> dict[str, int | str]:
    """Real rows for every placeholder of the route table (``member_id`` is a member's user id;
    ``action`` is a task status action)."""
    department = factory.department(members=[other_user])
    group = factory.group(users=[other_user])
    project = factory.project()
    project.members.append(ProjectUser(user=other_user))
    task, upstream = factory.task(project=project), factory.task(project=project)
    template = factory.filename_template()
    vacation = Vacation(
        user=other_user,
        start=datetime(2024, 5, 1, tzinfo=UTC),
        end=datetime(2024, 5, 3, tzinfo=UTC),
    )
    run = ScheduleRun(name="A finished run", studio=factory.studio(), status="succeeded")
    repository = factory.repository()
    time_log = TimeLog(
        task=task,
        resource=other_user,
        start=datetime(2024, 5, 6, 9, tzinfo=UTC),
        end=datetime(2024, 5, 6, 10, tzinfo=UTC),
    )
    version = Version(task=task, version_number=1)
    file = File(version=version, repository=repository, relative_path="a/frame.png")
    review = Review(task=task, reviewer=other_user, version=version)
    factory.dbsession.add_all([vacation, run, time_log, version, file, review])
    factory.dbsession.flush()
    scenario = create_scenario(factory.dbsession, None, "A what-if")
    person = add_person(factory.dbsession, scenario, None, name="Freelancer")
    # Dailies (issue 14, reviews and dailies part): a daily showing the version at place 1.
    daily = create_daily(factory.dbsession, project, "A daily")
    add_version(factory.dbsession, daily, version)
    # Notes (issue 14, notes part): the other user's note on the task, with a file.
    note = Note(project=project, task_id=task.id, author=other_user, content="A note")
    factory.dbsession.add(note)
    factory.dbsession.flush()
    attachment = NoteAttachment(
        note_id=note.id, relative_path=f"{note.id}/a.pdf", original_filename="a.pdf"
    )
    factory.dbsession.add(attachment)
    factory.dbsession.flush()
    # Tickets (issue 14, tickets part): the other user's ticket about the task, and a related one.
    ticket = factory.ticket(project, other_user, links=[LinkTarget("task", task.id)])
    related = factory.ticket(project, other_user, related_numbers=[ticket.number])
    # Webhooks (issue 15, webhooks part): a hook of the project with a delivery.
    webhook = Webhook(
        name="A hook", url="https://example.com/hook", project=project, kinds=[], secret="s"
    )
    delivery = WebhookDelivery(webhook=webhook, event_kind="ticket.changed", payload={})
    factory.dbsession.add_all([webhook, delivery])
    # Breakdown imports (issue 16): a finished import of the project.
    breakdown_import = BreakdownImport(project_id=project.id, status="succeeded", csv_text="")
    factory.dbsession.add(breakdown_import)
    factory.dbsession.flush()
    return {
        "import_id": breakdown_import.id,
        "webhook_id": webhook.id,
        "delivery_id": delivery.id,
        "ticket_id": ticket.id,
        "link_id": ticket.links[0].id,
        "related_id": related.id,
        "note_id": note.id,
        "attachment_id": attachment.id,
        "daily_id": daily.id,
        "rank": 1,
        "scenario_id": scenario.id,
        "person_id": person.id,
        "type_id": factory.task_type("Task", "Animation").id,
        "project_id": project.id,
        "task_id": task.id,
        "depends_on_id": upstream.id,
        "repository_id": repository.id,
        "structure_id": factory.structure(templates=[template]).id,
        "template_id": template.id,
        "user_id": other_user.id,
        "department_id": department.id,
        "group_id": group.id,
        "role_id": factory.role().id,
        "member_id": other_user.id,
        "vacation_id": vacation.id,
        "run_id": run.id,
        "time_log_id": time_log.id,
        "review_id": review.id,
        "version_id": version.id,
        "file_id": file.id,
        "action": "hold",
    }


def test_a_user_without_groups_is_refused_every_admin_page(testapp, app, factory):
    ids = placeholder_ids(factory, factory.user())
    login(testapp, factory.user().login)
    token = testapp.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]
    checked, failures = set(), []
    for method, route_name, pattern in admin_requests(app.registry.introspector):
        names = _PLACEHOLDER.findall(pattern)
        unknown = [name for name in names if name not in ids]
        if unknown:
            failures.append(f"{route_name}: add a row for {', '.join(unknown)} to placeholder_ids")
            continue
        url = re.sub(r"\{(\w+)(:[^}]*)?\}", lambda match: str(ids[match.group(1)]), pattern)
        if method == "GET":
            response = testapp.get(url, status="*")
        else:
            response = testapp.post(url, {"csrf_token": token}, status="*")
        if response.status_int != 403:
            failures.append(f"{method} {url} ({route_name}) answered {response.status}")
        checked.add((method, route_name))
    assert failures == []
    # The walk really ran: a sample of admin pages from every area was among the requests.
    assert {
        ("GET", "users.list"),
        ("POST", "users.deactivate"),
        ("GET", "departments.view"),
        ("POST", "departments.members.remove"),
        ("POST", "groups.permissions"),
        ("GET", "roles.edit"),
        ("POST", "studio.settings"),
        ("GET", "auth_log.list"),
    } <= checked

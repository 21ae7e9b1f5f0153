"""Fuzzing every route as an admin: malformed query strings, path ids and form values must never
answer 5xx, and a refused request must leave the database as it found it.

How "nothing was stored" is checked: in these tests the request shares the test's transaction,
which is never committed, so the commit veto of production (a 4xx rolls the request back) cannot
be observed. Instead each example runs inside a SAVEPOINT and, after the request, the test reads
in one query the row count of every table and the sum of ``version_id`` of every entity table
(SQLAlchemy raises it on each UPDATE). A refusal (a 4xx, or a redirect sent with ``X-Tm: abort``)
must leave both unchanged: what a refused request flushed or left pending would show up, since
the query autoflushes. Responses that deliberately keep a record while refusing (``X-Tm:
commit``: a failed login or code attempt is logged) are exempt. The SAVEPOINT is rolled back after
each example and the cookies restored, so every example starts from the same studio and session.

The budget is fixed (``EXAMPLES`` per route and method, ``derandomize=True``): the same requests
are sent on every run, about a minute on SQLite and a minute and a half on PostgreSQL.
"""

import os
import re
from collections import Counter
from datetime import timedelta
from urllib.parse import quote, urlsplit

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Integer, func, literal, select, text

from stalker_web.models import (
    APP_TABLES,
    Base,
    BreakdownImport,
    File,
    NoteAttachment,
    ProjectUser,
    ScheduleRun,
    UserSession,
    WebhookDelivery,
)
from stalker_web.services.accounts.api_tokens import create_token
from stalker_web.services.dailies.dailies import create_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.notes.notes import add_note
from stalker_web.services.scenarios.editing import add_person, create_scenario, set_task_change
from stalker_web.services.studio.vacations import create_vacation
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.tickets.links import LinkTarget
from stalker_web.services.transactions import hold_write_lock
from stalker_web.services.versions.versions import create_version
from stalker_web.services.webhooks.registration import create_webhook
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from .factories.calendar import MONDAY

# Per route and method; STALKER_WEB_FUZZ_EXAMPLES=200 explores further (about 15x longer).
EXAMPLES = int(os.environ.get("STALKER_WEB_FUZZ_EXAMPLES", "12"))
PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")  # ids are [0-9]+: no nested braces
# The query parameters the views read (and a few they do not).
QUERY_PARAMETERS = (
    "page", "q", "sort", "desc", "parent", "base", "status", "type", "resource", "next",
    "state", "department_id", "group_id", "user_id", "month", "week", "kind", "sequence",
    "template", "parents", "show", "format", "versions_page", "from", "to", "zoom", "date_from",
    "date_to", "action", "id", "tab", "step", "assignee", "late", "target", "weeks", "standing",
    "project_id", "ids", "task_ids",
)  # fmt: skip
# Values a careless or hostile client sends.
MALFORMED = (
    "", " ", "x" * 100_000, "\x00", "a\x00b", "a\r\nSet-Cookie: x=1", "\x1b[31m", "\u202eevil",
    "مرحبا", "😀" * 40, "\ufeff", "9" * 25, "99999999999", "2147483648", "9223372036854775808",
    "-1", "0", "-0", "1e9", "1.5", "nan", "inf", "-inf", "²", "٣", "%00", "9999-99-99",
    "9999-12-31", "0001-01-01", "9999-12", "0000-00", "9999-W52", "2026-W99", "25:61",
    "09:00-18:00,25:00-26:00", "//evil.example/", "/\\evil", "../../etc/passwd", "{{ 7 * 7 }}",
    "<script>alert(1)</script>", "' OR 1=1 --", "on", "y", "Allow", "hold",
)  # fmt: skip
values = st.one_of(
    st.sampled_from(MALFORMED),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats().map(repr),
)


def world(factory, dbsession, admin) -> dict[str, int | str]:
    """A small studio with a row for every placeholder of the route table (``member_id`` is a
    member's user id; ``action`` a task status action; ``session_id`` the admin's session)."""
    other = factory.user()
    role = factory.role()
    department = factory.department(members=[(other, role)])
    group = factory.group(users=[other])
    template = factory.filename_template()
    structure = factory.structure(templates=[template])
    repository = factory.repository()
    project = factory.project(structure=structure)
    project.repositories.append(repository)
    project.members.append(ProjectUser(user=other, role=role))
    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", project=project, parent=sequence, sequence=sequence)
    factory.task("Asset", project=project)
    animation = factory.task(
        project=project,
        parent=shot,
        name="Animation",
        resources=[other],
        responsible=[admin],
        schedule_timing=4,
        schedule_unit="h",
    )
    lighting = factory.task(project=project, parent=shot, name="Lighting", resources=[other])
    add_dependency(dbsession, lighting, animation)
    time_log = create_time_log(dbsession, animation, other, MONDAY, MONDAY + timedelta(hours=3))
    [review] = request_review(dbsession, animation, other)
    version = create_version(dbsession, animation)
    file = File(version=version, repository=repository, relative_path="film/anim_v001.png")
    dbsession.add(file)
    vacation = create_vacation(
        dbsession, user=other, start=MONDAY + timedelta(days=30), end=MONDAY + timedelta(days=32)
    )
    run = ScheduleRun(name="A finished run", studio=factory.studio(), status="succeeded")
    dbsession.add(run)
    # A finished breakdown import of the project (issue 16).
    breakdown_import = BreakdownImport(project_id=project.id, status="succeeded", csv_text="")
    dbsession.add(breakdown_import)
    scenario = create_scenario(dbsession, admin, "A what-if")
    person = add_person(dbsession, scenario, admin, name="Freelancer")
    set_task_change(dbsession, scenario, admin, animation.id, priority=900)
    step = factory.task_type("Task", "Animation")
    dbsession.flush()
    # Notes (issue 14, notes part): the admin's note on Animation, with a file.
    note = add_note(dbsession, admin, project, "A note", task=animation)
    attachment = NoteAttachment(
        note_id=note.id, relative_path=f"{note.id}/a.pdf", original_filename="a.pdf"
    )
    dbsession.add(attachment)
    dbsession.flush()
    # Dailies (issue 14, reviews and dailies part): a daily showing the version at place 1.
    daily = create_daily(dbsession, project, "A daily")
    add_version(dbsession, daily, version)
    # Tickets (issue 14, tickets part): a ticket about Animation, and one related to it.
    ticket = factory.ticket(project, admin, links=[LinkTarget("task", animation.id)])
    related = factory.ticket(project, admin, related_numbers=[ticket.number])
    session = dbsession.scalars(
        select(UserSession).where(UserSession.user_id == admin.id).order_by(UserSession.id.desc())
    ).first()
    # The API (issue 15): the admin's token, a webhook of the project and one of its deliveries.
    token, _secret = create_token(dbsession, admin, name="Fuzz", scope="write", expires_at=None)
    hook = create_webhook(
        dbsession, admin, project, name="Fuzz", url="http://127.0.0.1:9/hook",
        kinds=["task.status_changed"],
    )  # fmt: skip
    delivery = WebhookDelivery(webhook=hook, event_kind="task.status_changed", payload={})
    dbsession.add(delivery)
    dbsession.flush()
    return {
        "project_id": project.id,
        "task_id": animation.id,
        "depends_on_id": animation.id,
        "repository_id": repository.id,
        "structure_id": structure.id,
        "template_id": template.id,
        "user_id": other.id,
        "department_id": department.id,
        "group_id": group.id,
        "role_id": role.id,
        "member_id": other.id,
        "vacation_id": vacation.id,
        "run_id": run.id,
        "import_id": breakdown_import.id,
        "time_log_id": time_log.id,
        "review_id": review.id,
        "version_id": version.id,
        "file_id": file.id,
        "session_id": session.id if session is not None else 1,
        "scenario_id": scenario.id,
        "person_id": person.id,
        "type_id": step.id,
        "note_id": note.id,
        "attachment_id": attachment.id,
        "daily_id": daily.id,
        "rank": 1,
        "ticket_id": ticket.id,
        "link_id": ticket.links[0].id,
        "related_id": related.id,
        "action": "hold",
        "token_id": token.id,
        "webhook_id": hook.id,
        "delivery_id": delivery.id,
    }


def routes_and_methods(introspector) -> list[tuple[str, str, tuple[str, ...]]]:
    """(name, pattern, methods answered) of every route with a view, static files aside."""
    methods: dict[str, set[str]] = {}
    for item in introspector.get_category("views"):
        view = item["introspectable"]
        if not view["route_name"]:
            continue
        wanted = view["request_methods"]
        wanted = (wanted,) if isinstance(wanted, str) else (wanted or ("GET", "POST"))
        methods.setdefault(view["route_name"], set()).update(
            m for m in wanted if m in ("GET", "POST")
        )
    rows = []
    for item in introspector.get_category("routes"):
        route = item["introspectable"]
        if route["name"].startswith("__") or route["name"] not in methods:
            continue
        rows.append((route["name"], route["pattern"], tuple(sorted(methods[route["name"]]))))
    return sorted(rows)


def fill(pattern: str, ids: dict, replaced: tuple[str, str] | None = None) -> str:
    """The URL of ``pattern`` with the world's ids, one placeholder optionally ``replaced``."""

    def value(match) -> str:
        name = match.group(1)
        if replaced is not None and replaced[0] == name:
            return quote(replaced[1], safe="")
        return str(ids[name])

    return PLACEHOLDER.sub(value, pattern)


def forms_by_action(testapp, urls) -> dict[str, dict[str, str]]:
    """The fields (name -> first value shown) of every POST form on the pages at ``urls``,
    keyed by the path the form posts to."""
    forms: dict[str, dict[str, str]] = {}
    for url in urls:
        page = testapp.get(url, expect_errors=True)
        if page.status_int != 200 or "html" not in page.content_type:
            continue
        for form in page.html.find_all("form"):
            if (form.get("method") or "get").lower() != "post":
                continue
            path = urlsplit(form.get("action") or url).path
            fields = forms.setdefault(path, {})
            for element in form.find_all(["input", "select", "textarea"]):
                name = element.get("name")
                if not name or name == "csrf_token" or name in fields:
                    continue
                if element.name == "select":
                    option = element.find("option", selected=True) or element.find("option")
                    fields[name] = option.get("value", option.get_text()) if option else ""
                elif element.name == "textarea":
                    fields[name] = element.get_text()
                else:
                    fields[name] = element.get("value", "")
    return forms


def post_urls(pattern: str, ids: dict, forms: dict, most: int = 3) -> list[str]:
    """The world's URL of ``pattern`` and up to ``most`` others that forms post to (such as
    every status action of the task)."""
    literals = PLACEHOLDER.split(pattern)[::2]
    shape = re.compile("[^/]+".join(re.escape(literal) for literal in literals) + "$")
    urls = [fill(pattern, ids)]
    urls += [path for path in sorted(forms) if shape.match(path) and path not in urls][:most]
    return urls


def table_state(dbsession) -> tuple:
    """Row count of every table and, for entity tables, the sum of their versions (one query)."""
    columns = []
    for table in Base.metadata.sorted_tables:
        if table.name not in APP_TABLES:
            continue  # an extension's, imported by its example test
        columns.append(select(func.count()).select_from(table).scalar_subquery())
        if "version_id" in table.c and isinstance(table.c.version_id.type, Integer):
            columns.append(
                select(func.coalesce(func.sum(table.c.version_id), literal(0))).scalar_subquery()
            )
    return tuple(dbsession.execute(select(*columns)).one())


def is_refusal(response) -> bool:
    return 400 <= response.status_int < 500 or response.headers.get("X-Tm") == "abort"


class Sender:
    """Sends one example at a time, each inside a SAVEPOINT rolled back and released afterwards
    (SQLAlchemy's nested transaction only rolls back to it: on PostgreSQL every example would
    leave a subtransaction open, and its lock, until the test ends)."""

    def __init__(self, testapp, dbsession, token: str) -> None:
        self.testapp = testapp
        self.dbsession = dbsession
        self.token = token
        self.sent = 0
        self.statuses: Counter[tuple[str, int]] = Counter()

    def send(self, method: str, url: str, data: dict | None = None) -> None:
        cookies = list(self.testapp.cookiejar)
        self.dbsession.flush()
        hold_write_lock(self.dbsession)
        self.dbsession.execute(text("SAVEPOINT fuzz_example"))
        try:
            before = table_state(self.dbsession)
            if method == "GET":
                response = self.testapp.get(url, expect_errors=True)
            else:
                body = {**(data or {}), "csrf_token": self.token}
                response = self.testapp.post(url, body, expect_errors=True)
            self.sent += 1
            self.statuses[method, response.status_int] += 1
            where = f"{method} {url[:200]!r} {str(data)[:300] if data else ''}"
            assert response.status_int < 500, f"{response.status_int} on {where}"
            if is_refusal(response) and response.headers.get("X-Tm") != "commit":
                assert table_state(self.dbsession) == before, f"refused but stored: {where}"
        finally:
            self.dbsession.execute(text("ROLLBACK TO SAVEPOINT fuzz_example"))
            self.dbsession.execute(text("RELEASE SAVEPOINT fuzz_example"))
            self.dbsession.expunge_all()  # what the request loaded or wrote is gone
            self.testapp.cookiejar.clear()
            for cookie in cookies:
                self.testapp.cookiejar.set_cookie(cookie)


FUZZ_SETTINGS = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


def fuzz_get(sender: Sender, pattern: str, ids: dict) -> None:
    names = PLACEHOLDER.findall(pattern)
    replaced = st.none()
    if names:
        replaced = st.one_of(st.none(), st.tuples(st.sampled_from(names), values))

    @FUZZ_SETTINGS
    @given(
        query=st.dictionaries(st.sampled_from(QUERY_PARAMETERS), values, max_size=4), path=replaced
    )
    def example(query, path):
        url = fill(pattern, ids, path)
        if query:
            url += "?" + "&".join(f"{quote(k)}={quote(v, safe='')}" for k, v in query.items())
        sender.send("GET", url)

    example()


def fuzz_post(sender: Sender, url: str, fields: dict[str, str]) -> None:
    names = sorted(fields) or ["name", "description", "next", "version_id"]
    field_values = {name: st.one_of(st.just(fields.get(name, "")), values) for name in names}

    @FUZZ_SETTINGS
    @given(data=st.fixed_dictionaries(field_values))
    def example(data):
        sender.send("POST", url, data)

    example()


def test_no_route_answers_5xx_or_stores_a_refused_request(
    admin_app, app, factory, dbsession, admin
):
    ids = world(factory, dbsession, admin)
    rows = routes_and_methods(app.registry.introspector)
    missing = {name for _, pattern, _ in rows for name in PLACEHOLDER.findall(pattern)} - set(ids)
    assert not missing, f"add rows for {sorted(missing)} to world()"
    token = admin_app.get("/").html.find("input", attrs={"name": "csrf_token"})["value"]
    pages = [fill(pattern, ids) for _, pattern, methods in rows if "GET" in methods]
    forms = forms_by_action(admin_app, pages)
    sender = Sender(admin_app, dbsession, token)
    failures = []
    for name, pattern, methods in rows:
        try:
            if "GET" in methods:
                fuzz_get(sender, pattern, ids)
            if "POST" in methods:
                for url in post_urls(pattern, ids, forms):
                    fuzz_post(sender, url, forms.get(urlsplit(url).path, {}))
        except AssertionError as error:  # each route is shrunk and reported on its own
            failures.append(f"{name}: {str(error).splitlines()[0]}")
    statuses = sorted(sender.statuses.items())
    print(f"fuzzed {len(rows)} routes with {sender.sent} requests, answers: {statuses}")
    assert failures == []

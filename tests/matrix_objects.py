"""The studio the authorization matrix requests: one person per role and a row for every URL.

Built through the services: a project "Matrix" (code MTX) with a sequence, a shot and two leaf
tasks ("Animation", and "Lighting" waiting for it), a time log, a version with an uploaded image,
a review, a department, a group, a role, a repository, a structure with a filename template, a
vacation, a finished schedule run of Matrix, and a second project "Other" (code OTH). Tickets
part: the artist's ticket about Animation, related to a second ticket of Matrix. Dailies part: a
daily of Matrix showing the version. Webhooks part: a hook of Matrix with a delivery.

The people, one per column of the matrix:

- ``admin``: a member of the admin group, nothing else.
- ``producer``: a member of Matrix holding "Line Producer", a role of the studio's own whose
  ``manages_project`` flag (not its name) makes its holders manage their project.
- ``lead``: a member of Matrix holding the Lead role, Lead of the department, responsible for
  Animation and so the reviewer of its review.
- ``artist``: a member of Matrix holding the Artist role (no manager flag), a plain member of the
  department, resource of Animation, owner of its time log and of the vacation.
- ``outsider``: a member of Other only. They were on Matrix's team and were removed from it, which
  leaves them a resource of Animation (``services.projects.remove_member`` keeps tasks), so the
  matrix also proves that a former member can no longer write to the project.
- ``nogroups``: an active user without groups or memberships.
- ``anonymous``: nobody logged in.
"""

import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from PIL import Image
from sqlalchemy import select

from stalker_web.models import BreakdownImport, ProjectUser, Role, ScheduleRun, WebhookDelivery
from stalker_web.services.accounts.api_tokens import create_token
from stalker_web.services.accounts.sessions import start_session
from stalker_web.services.dailies.dailies import create_daily
from stalker_web.services.dailies.entries import add_version
from stalker_web.services.notes.attachments import AttachmentStore, Upload, use_store
from stalker_web.services.notes.notes import add_note
from stalker_web.services.projects.projects import add_member, remove_member
from stalker_web.services.scenarios.editing import add_person, create_scenario, set_task_change
from stalker_web.services.studio.vacations import create_vacation
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.tickets.links import LinkTarget
from stalker_web.services.versions.uploads import UploadRules, store_upload
from stalker_web.services.versions.versions import create_version
from stalker_web.services.webhooks.registration import create_webhook
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from .factories.calendar import MONDAY

ROLES = ("admin", "producer", "lead", "artist", "outsider", "nogroups", "anonymous")
_PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


@dataclass
class MatrixStudio:
    """The people (by matrix column) and the ids every URL placeholder is filled with."""

    people: dict[str, object]
    ids: dict[str, int | str]
    # Routes whose placeholders name other rows than the shared ``ids``.
    route_ids: dict[str, dict[str, int | str]] = field(default_factory=dict)

    def url(self, route_name: str, pattern: str, action: str | None = None) -> str:
        """``pattern`` with its placeholders filled; KeyError names a placeholder without a row."""
        values = {**self.ids, **self.route_ids.get(route_name, {})}
        if action is not None:
            values["action"] = action
        return _PLACEHOLDER.sub(lambda match: str(values[match.group(1)]), pattern)


def png_bytes() -> bytes:
    """A small PNG image (so the upload gets a thumbnail too)."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 32), (200, 120, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def default_role(dbsession, name: str) -> Role:
    """A role the initial data created (Lead, Supervisor, Artist, Producer)."""
    return dbsession.scalars(select(Role).where(Role.name == name)).one()


def build_matrix_studio(factory, studio_config, repository_root) -> MatrixStudio:
    """Every row the matrix's URLs name, with its people; files go under ``repository_root``."""
    dbsession = factory.dbsession
    roles = {name: default_role(dbsession, name) for name in ("Lead", "Artist")}
    roles["Line Producer"] = Role(name="Line Producer", manages_project=True)
    dbsession.add(roles["Line Producer"])
    people = {
        "admin": factory.admin(name="Matrix Admin"),
        **{
            name: factory.user(name=f"Matrix {name.title()}")
            for name in ("producer", "lead", "artist", "outsider", "nogroups")
        },
    }
    bystander = factory.user(name="Matrix Bystander")

    template = factory.filename_template(
        "Task",
        path="{{ project.code }}/{{ task.nice_name }}",
        filename="{{ task.nice_name }}_v{{ '%03d' % version.version_number }}",
    )
    structure = factory.structure(templates=[template])
    repository = factory.repository(linux_path=str(repository_root))
    project = factory.project(name="Matrix", code="MTX", structure=structure)
    project.repositories.append(repository)
    other = factory.project(name="Other", code="OTH")
    for person, role in (("producer", "Line Producer"), ("lead", "Lead"), ("artist", "Artist")):
        project.members.append(ProjectUser(user=people[person], role=roles[role]))
    other.members.append(ProjectUser(user=people["outsider"], role=roles["Artist"]))
    add_member(
        dbsession, project, user_id=people["outsider"].id, role_id=roles["Artist"].id, rate=None
    )

    sequence = factory.task("Sequence", project=project)
    shot = factory.task("Shot", parent=sequence, sequence=sequence)
    animation = factory.task(
        parent=shot,
        name="Animation",
        resources=[people["artist"], people["outsider"]],
        responsible=[people["lead"]],
        schedule_timing=2,
        schedule_unit="d",
    )
    lighting = factory.task(parent=shot, name="Lighting", resources=[people["artist"]])
    add_dependency(dbsession, lighting, animation)
    remove_member(dbsession, project, user_id=people["outsider"].id)

    time_log = create_time_log(
        dbsession, animation, people["artist"], MONDAY, MONDAY.replace(hour=11)
    )
    version = create_version(dbsession, animation, description="Blocking")
    file = store_upload(
        dbsession,
        version,
        filename="blocking.png",
        stream=io.BytesIO(png_bytes()),
        rules=UploadRules.from_config(studio_config),
    )
    [review] = request_review(dbsession, animation, people["artist"], version)
    # Dailies (issue 14, reviews and dailies part): a daily of Matrix showing that version.
    daily = create_daily(dbsession, project, "Matrix dailies")
    add_version(dbsession, daily, version)
    # Notes (issue 14, notes part): the artist's note on Animation with a picture, stored in a
    # folder of the test's own.
    rules = UploadRules.from_config(studio_config)
    use_store(dbsession, AttachmentStore(str(repository_root / "attachments"), rules))
    note = add_note(
        dbsession,
        people["artist"],
        project,
        "Blocking is up, @" + people["lead"].login,
        task=animation,
        attachments=[Upload("frame.png", io.BytesIO(png_bytes()))],
    )

    department = factory.department(
        members=[(people["lead"], roles["Lead"]), (people["artist"], roles["Artist"])]
    )
    group = factory.group(users=[bystander])
    vacation = create_vacation(
        dbsession,
        user=people["artist"],
        start=datetime(2026, 8, 3, tzinfo=UTC),
        end=datetime(2026, 8, 8, tzinfo=UTC),
    )
    run = ScheduleRun(
        name="A finished run of Matrix",
        studio=factory.studio(),
        status="succeeded",
        project_ids=[project.id],
    )
    dbsession.add(run)
    # A finished breakdown import of Matrix (issue 16): its page shows the outcome.
    breakdown_import = BreakdownImport(
        project_id=project.id,
        started_by_id=people["admin"].id,
        status="succeeded",
        csv_text="",
    )
    dbsession.add(breakdown_import)
    scenario = create_scenario(dbsession, people["admin"], "Matrix what-if")
    freelancer = add_person(dbsession, scenario, people["admin"], name="Matrix Freelancer")
    set_task_change(dbsession, scenario, people["admin"], animation.id, priority=900)
    # Tickets (issue 14, tickets part): the artist's ticket about Animation, with a related one.
    ticket = factory.ticket(project, people["artist"], links=[LinkTarget("task", animation.id)])
    related_ticket = factory.ticket(project, people["lead"], related_numbers=[ticket.number])
    # Webhooks (issue 15, webhooks part): a hook of Matrix with one delivery in its log.
    webhook = create_webhook(
        dbsession,
        people["admin"],
        project,
        name="Matrix farm",
        url="https://farm.example.com/hook",
        kinds=["version.published"],
    )
    delivery = WebhookDelivery(webhook=webhook, event_kind="version.published", payload={})
    dbsession.add(delivery)
    laptop, _token = start_session(
        dbsession,
        people["artist"].id,
        remote_addr="192.0.2.77",
        user_agent="Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0",
    )
    # API tokens (issue 15): the artist's token, which nobody else may revoke.
    artist_token, _secret = create_token(
        dbsession, people["artist"], name="Matrix tool", scope="read", expires_at=None
    )
    dbsession.flush()
    return MatrixStudio(
        people=people,
        ids={
            "user_id": people["artist"].id,
            "member_id": people["artist"].id,
            "department_id": department.id,
            "group_id": group.id,
            "role_id": factory.role().id,
            "project_id": project.id,
            "task_id": animation.id,
            "depends_on_id": animation.id,
            "time_log_id": time_log.id,
            "review_id": review.id,
            "version_id": version.id,
            "file_id": file.id,
            "repository_id": repository.id,
            "structure_id": structure.id,
            "template_id": template.id,
            "vacation_id": vacation.id,
            "run_id": run.id,
            "import_id": breakdown_import.id,
            "session_id": laptop.id,
            "token_id": artist_token.id,
            "scenario_id": scenario.id,
            "person_id": freelancer.id,
            "daily_id": daily.id,
            "rank": 1,
            "note_id": note.id,
            "attachment_id": note.attachments[0].id,
            "type_id": factory.task_type("Task", "Animation").id,
            "ticket_id": ticket.id,
            "link_id": ticket.links[0].id,
            "related_id": related_ticket.id,
            "webhook_id": webhook.id,
            "delivery_id": delivery.id,
        },
        route_ids={
            # Tickets part: any action of the workflow; accept is allowed on a new ticket.
            "tickets.action": {"action": "accept"},
            "api.tickets.action": {"action": "accept"},
            # Lighting waits for Animation: its dependency is the one to remove.
            "tasks.dependencies.remove": {"task_id": lighting.id},
            "groups.members.remove": {"member_id": bystander.id},
        },
    )

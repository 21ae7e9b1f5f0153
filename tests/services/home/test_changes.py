"""What changed for an artist since their previous sign-in (at most seven days): reviews
answered, tasks made ready by the work they waited for, changes by others, time others logged."""

from datetime import timedelta

from stalker_web.db import set_current_user
from stalker_web.models import AuthenticationLog
from stalker_web.models.meta import utcnow
from stalker_web.services.accounts.readable_projects import EVERY_PROJECT
from stalker_web.services.home.changes import changes_for, previous_sign_in
from stalker_web.services.tasks.dependencies import add_dependency
from stalker_web.services.workflow import actions as workflow
from stalker_web.services.workflow.reviews import approve, request_review, request_revision
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.projects import member

HOUR = timedelta(hours=1)


def signed_in(factory, user, *moments):
    for moment in moments:
        factory.dbsession.add(
            AuthenticationLog(user=user, login=user.login, action="login", date=moment)
        )
    factory.dbsession.flush()


def kinds(changes) -> list[tuple[str, str]]:
    return [(change.kind, change.task.name) for change in changes.items]


def test_the_previous_sign_in_is_the_one_before_this_visit(factory):
    user = factory.user()
    now = utcnow()
    assert previous_sign_in(factory.dbsession, user) is None
    signed_in(factory, user, now - 5 * HOUR, now - 30 * HOUR, now)
    assert previous_sign_in(factory.dbsession, user) == now - 5 * HOUR


def test_the_last_seven_days_count_and_those_since_the_previous_sign_in_are_new(factory, dbsession):
    project = factory.project()
    artist = member(project, factory.user())
    other = member(project, factory.user(name="Other"))
    task = factory.task(project=project, name="Anim", resources=[artist, other])
    now = utcnow()
    for days in (1, 3, 9):
        start = now - timedelta(days=days)
        create_time_log(dbsession, task, other, start, start + HOUR)
    logs = sorted(task.time_logs, key=lambda log: log.start)
    logs[0].date_created, logs[1].date_created, logs[2].date_created = (
        now - timedelta(days=9),
        now - timedelta(days=3),
        now - timedelta(days=1),
    )
    signed_in(factory, artist, now - timedelta(days=2), now)

    changes = changes_for(dbsession, artist, now, EVERY_PROJECT)

    assert changes.since == now - timedelta(days=7)
    assert changes.previous_sign_in == now - timedelta(days=2)
    assert [change.is_new for change in changes.items] == [True, False]
    assert changes.new_count == 1


def test_answers_readiness_and_logs_by_others_are_listed(factory, dbsession):
    project = factory.project(code="FLM")
    artist = member(project, factory.user(name="Artist"))
    sup = member(project, factory.user(name="Sup"))
    other = member(project, factory.user(name="Other"))
    layout = factory.task(project=project, name="Layout", resources=[other], responsible=[sup])
    anim = factory.task(project=project, name="Anim", resources=[artist, other], responsible=[sup])
    add_dependency(dbsession, anim, layout)
    rig = factory.task(project=project, name="Rig", resources=[artist], responsible=[sup])
    start = utcnow() - 30 * HOUR
    create_time_log(dbsession, layout, other, start, start + HOUR)
    create_time_log(dbsession, rig, artist, start, start + HOUR)
    (layout_review,) = request_review(dbsession, layout, other)
    (rig_review,) = request_review(dbsession, rig, artist)
    approve(dbsession, layout_review)
    request_revision(dbsession, rig_review, 1, "h", "Softer shoulders.")
    create_time_log(dbsession, anim, other, start + 2 * HOUR, start + 4 * HOUR)

    changes = changes_for(dbsession, artist, utcnow(), EVERY_PROJECT)

    words = {(change.kind, change.task.name): change.words for change in changes.items}
    assert words[("revision", "Rig")] == "Sup asked for a revision: “Softer shoulders.”"
    assert words[("logged", "Anim")] == "Other logged 2 h on it."
    assert not [kind for kind, name in words if name == "Rig" and kind == "changed"]
    assert changes.items[0].path.startswith("FLM / ")


def test_a_task_made_ready_names_the_work_it_waited_for(factory, dbsession):
    project = factory.project()
    artist = member(project, factory.user())
    sup = member(project, factory.user(name="Sup"))
    layout = factory.task(project=project, name="Layout", resources=[sup], responsible=[sup])
    anim = factory.task(project=project, name="Anim", resources=[artist])
    add_dependency(dbsession, anim, layout)
    start = utcnow() - 30 * HOUR
    create_time_log(dbsession, layout, sup, start, start + HOUR)
    (review,) = request_review(dbsession, layout, sup)
    approve(dbsession, review)
    assert anim.status.code == "RTS"

    changes = changes_for(dbsession, artist, utcnow(), EVERY_PROJECT)

    assert kinds(changes) == [("ready", "Anim")]
    assert changes.items[0].words == "Layout is done, so it is Ready To Start."


def test_a_change_by_someone_else_is_listed_but_not_the_artist_s_own(factory, dbsession):
    project = factory.project()
    artist = member(project, factory.user())
    producer = member(project, factory.user(name="Producer"))
    held = factory.task(project=project, name="Held", resources=[artist])
    worked = factory.task(project=project, name="Worked", resources=[artist])
    start = utcnow() - 30 * HOUR
    set_current_user(dbsession, artist.id)
    for hours, task in enumerate((held, worked)):
        create_time_log(dbsession, task, artist, start + hours * HOUR, start + (hours + 1) * HOUR)
    set_current_user(dbsession, producer.id)
    workflow.hold(dbsession, held)

    changes = changes_for(dbsession, artist, utcnow(), EVERY_PROJECT)

    assert kinds(changes) == [("changed", "Held")]
    assert changes.items[0].words == "Producer changed it; it is On Hold now."


def test_the_same_queries_for_ten_times_more_changes(factory, dbsession, count_queries):
    project = factory.project()
    artist = member(project, factory.user())
    other = member(project, factory.user())
    counts = []
    for size in (1, 10):
        for number in range(size):
            task = factory.task(
                project=project, name=f"T{size}-{number}", resources=[artist, other]
            )
            start = utcnow() - timedelta(days=2, hours=number * 2 + size * 30)
            create_time_log(dbsession, task, other, start, start + HOUR)
        dbsession.expire_all()
        with count_queries() as counter:
            changes_for(dbsession, artist, utcnow(), EVERY_PROJECT)
        counts.append(counter.count)
    assert counts[0] == counts[1]

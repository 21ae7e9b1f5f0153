""" "Why is it here?" on a hand-computed studio scheduled by the real tj3 (see
``explained_studio.py`` for its dates): every kind of cause, in words and moments written by
hand, and the same number of queries for a small and a ten times larger project."""

from datetime import UTC, datetime

from sqlalchemy import select

from stalker_web.models import RunStatus, Task
from stalker_web.services.accounts.readable_projects import ReadableProjects
from stalker_web.services.scheduling.why import why_here

from ...conftest import QueryCounter
from ...factories.tasks import production
from .conftest import at, schedule
from .explained_studio import build_explained_studio


def reasons_of(session_factory, task_id, readable=None) -> list[tuple[str, str, datetime]]:
    with session_factory() as dbsession:
        found = why_here(dbsession, [task_id], readable)[task_id]
    return [(reason.kind, reason.text, reason.moment) for reason in found.reasons]


def test_every_kind_of_cause_in_words_with_its_moment(builder, session_factory, settings):
    studio = build_explained_studio(builder, session_factory, settings)

    def why(name):
        return reasons_of(session_factory, studio[name])

    # Starts at the run's now (Monday 09:00), a working moment, held by nothing else.
    now = ("now", "Nothing else holds it: it starts at the run's now (2024-01-08 09:00 UTC).")
    assert why("Model") == [(*now, at(8, 9))]
    assert why("Layout") == [(*now, at(8, 9))]
    # Model ends Tuesday 18:00; 9 working hours of gap end Wednesday 18:00; Thursday 09:00 is
    # the next working hour.
    assert why("Rig") == [
        (
            "dependency",
            "Starts after Hero / Model ends (2024-01-09 18:00 UTC) plus a gap of 1 d of working "
            "time (2024-01-10 18:00 UTC), then the next working hour.",
            at(10, 18),
        )
    ]
    # A calendar gap of 24 hours after Model starts: Tuesday 09:00, a working hour.
    assert why("Sound") == [
        (
            "dependency",
            "Starts after Hero / Model starts (2024-01-08 09:00 UTC) plus a gap of 1 calendar day "
            "(2024-01-09 09:00 UTC).",
            at(9, 9),
        )
    ]
    # Ann is away on Wednesday, so three causes hold Texture on Thursday 09:00: Model's end and
    # Ann's work on it (Tuesday 18:00, only Ann's vacation in between) and her vacation itself.
    assert why("Texture") == [
        ("dependency", "Starts after Hero / Model ends (2024-01-09 18:00 UTC).", at(9, 18)),
        ("resource", "Ann is busy with Hero / Model until 2024-01-09 18:00 UTC.", at(9, 18)),
        (
            "vacation",
            "Ann is on vacation until 2024-01-11 00:00 UTC, then the next working hour.",
            at(11, 0),
        ),
    ]
    # Bob worked on Layout until Monday 18:00.
    assert why("Props") == [
        (
            "resource",
            "Bob is busy with Layout until 2024-01-08 18:00 UTC, then the next working hour.",
            at(8, 18),
        )
    ]
    assert why("Paint") == [
        (
            "vacation",
            "Dee is on vacation until 2024-01-10 00:00 UTC, then the next working hour.",
            at(10, 0),
        )
    ]
    # Review sits where Anim ends; Delivery waits for it over the holiday of Monday the 15th.
    assert why("Review") == [
        ("dependency", "Starts after Anim ends (2024-01-12 18:00 UTC).", at(12, 18))
    ]
    assert why("Delivery") == [
        ("dependency", "Starts after Review ends (2024-01-12 18:00 UTC).", at(12, 18)),
        (
            "holiday",
            "The studio is closed (Studio holiday) until 2024-01-16 00:00 UTC, then the next "
            "working hour.",
            at(16, 0),
        ),
    ]
    assert why("Grade") == [("pin", "Pinned to start on 2024-01-10 13:00 UTC.", at(10, 13))]
    assert why("Trailer") == [
        (
            "pin",
            "Planned back from its pinned end 2024-01-12 18:00 UTC: it starts as late as its "
            "work allows.",
            at(12, 18),
        )
    ]
    assert why("Prep") == [
        (
            "logged",
            "Work was already logged on it from 2024-01-05 09:00 UTC, so it starts there.",
            at(5, 9),
        )
    ]


def test_anim_waits_for_both_dependencies_and_both_people(builder, session_factory, settings):
    studio = build_explained_studio(builder, session_factory, settings)

    with session_factory() as dbsession:
        anim = why_here(dbsession, [studio["Anim"]])[studio["Anim"]]

    then = ", then the next working hour."
    assert [(reason.kind, reason.text) for reason in anim.reasons] == [
        ("dependency", "Starts after Hero / Rig ends (2024-01-11 18:00 UTC)" + then),
        ("dependency", "Starts after Hero / Texture ends (2024-01-11 18:00 UTC)" + then),
        ("resource", "Ann is busy with Hero / Texture until 2024-01-11 18:00 UTC" + then),
        ("resource", "Bob is busy with Hero / Rig until 2024-01-11 18:00 UTC" + then),
    ]
    assert [reason.task_ids for reason in anim.reasons] == [
        (studio["Rig"],),
        (studio["Texture"],),
        (studio["Texture"],),
        (studio["Rig"],),
    ]
    assert anim.reasons[2].user_ids == (studio.users["Ann"],)
    assert (anim.start, anim.end) == (at(12, 9), at(12, 18))


def test_a_container_spans_its_children_and_gives_its_earliest_childs_reason(
    builder, session_factory, settings
):
    studio = build_explained_studio(builder, session_factory, settings)

    with session_factory() as dbsession:
        hero = why_here(dbsession, [studio["Hero"]])[studio["Hero"]]

    assert hero.child_id == studio["Model"]
    assert [reason.text for reason in hero.reasons] == [
        "Spans its children; its earliest child Model starts 2024-01-08 09:00 UTC:",
        "Nothing else holds it: it starts at the run's now (2024-01-08 09:00 UTC).",
    ]


def test_tasks_of_projects_the_viewer_cannot_read_are_not_named(builder, session_factory, settings):
    studio = build_explained_studio(builder, session_factory, settings)

    assert reasons_of(session_factory, studio["Props"], ReadableProjects.only([]))[0][1] == (
        "Bob is busy with a task in a project you cannot see until 2024-01-08 18:00 UTC, then "
        "the next working hour."
    )


def test_a_run_started_outside_working_hours_starts_work_at_the_next_working_hour(
    builder, session_factory, settings
):
    ann = builder.user("Ann")
    task = builder.task("Weekend start", project=builder.project(), hours=9, resources=[ann])
    unscheduled = builder.task("Not yet", project=task.project, hours=9)
    builder.commit()
    saturday = datetime(2024, 1, 6, 10, 0, tzinfo=UTC)

    run = schedule(session_factory, settings, now=saturday)

    assert run.status is RunStatus.SUCCEEDED
    assert reasons_of(session_factory, task.id) == [
        (
            "working_hours",
            "The run's now (2024-01-06 10:00 UTC) falls outside working hours: it starts at the "
            "next working hour.",
            saturday,
        )
    ]
    with session_factory() as dbsession, dbsession.begin():
        dbsession.get(Task, unscheduled.id).computed_start = None
    with session_factory() as dbsession:
        assert unscheduled.id not in why_here(dbsession, [unscheduled.id])


def test_why_here_takes_the_same_queries_for_a_small_and_a_ten_times_larger_project(
    builder, session_factory, settings, scheduling_engine
):
    small, _, _ = production(builder.factory, 2)
    large, _, _ = production(builder.factory, 7)
    builder.vacation(None, at(15, 0), at(16, 0))
    builder.commit()
    assert schedule(session_factory, settings).status is RunStatus.SUCCEEDED

    def queries(project) -> tuple[int, int]:
        with session_factory() as dbsession:
            ids = list(dbsession.scalars(select(Task.id).where(Task.project_id == project.id)))
            with QueryCounter(scheduling_engine) as counter:
                found = why_here(dbsession, ids)
            return counter.count, len(found)

    few, small_count = queries(small)
    many, large_count = queries(large)
    assert large_count >= 10 * small_count - 10
    assert many == few


def test_a_loaded_leaf_reads_the_same_reasons_with_one_statement_fewer(
    builder, session_factory, settings, scheduling_engine
):
    studio = build_explained_studio(builder, session_factory, settings)
    names = ["Delivery", "Layout", "Model", "Paint", "Rig", "Sound", "Texture", "Trailer"]
    for name in names:
        with session_factory() as dbsession:
            with QueryCounter(scheduling_engine) as by_id:
                read = why_here(dbsession, [studio[name]])[studio[name]]
            task = dbsession.get(Task, studio[name])
            with QueryCounter(scheduling_engine) as loaded:
                given = why_here(dbsession, [], leaves=[task])[task.id]
        assert [r.text for r in given.reasons] == [r.text for r in read.reasons], name
        assert loaded.count == by_id.count - 1, name

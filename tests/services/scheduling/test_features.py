"""Each scheduling feature on its own, with the real tj3: gaps, pins, milestones, vacations,
alternatives, bookings, unassigned work, and runs of some projects only.

Calendar: Monday to Friday 09:00-18:00 UTC, 9-hour days, 60-minute resolution; "now" is
Monday 8 January 2024 at 09:00 unless a test says otherwise.
"""

from stalker_web.models import Project, RunStatus, ScheduleRun

from .conftest import at, computed, computed_resources, schedule


def succeeded(run: ScheduleRun) -> ScheduleRun:
    assert (run.status, run.error) == (RunStatus.SUCCEEDED, ""), run.messages
    return run


def test_a_length_gap_counts_working_time_and_a_duration_gap_calendar_time(
    builder, session_factory, settings
):
    ann, bob, cid = builder.user("Ann"), builder.user("Bob"), builder.user("Cid")
    project = builder.project()
    # 45 h of Ann: Monday 8th to Friday 12th, 18:00.
    week = builder.task("Week", project=project, hours=45, resources=[ann])
    after_length = builder.task("After length", project=project, hours=9, resources=[bob])
    after_duration = builder.task("After duration", project=project, hours=9, resources=[cid])
    builder.depends(after_length, week, gap_timing=1, gap_unit="d", gap_model="length")
    builder.depends(after_duration, week, gap_timing=1, gap_unit="d", gap_model="duration")
    builder.commit()

    succeeded(schedule(session_factory, settings))

    assert computed(session_factory, week, after_length, after_duration) == [
        (at(8, 9), at(12, 18)),
        # 9 working hours of gap take Monday the 15th: Tuesday.
        (at(16, 9), at(16, 18)),
        # 24 calendar hours end Saturday 18:00: the next working hour is Monday 09:00.
        (at(15, 9), at(15, 18)),
    ]


def test_onstart_dependencies_wait_for_the_start_only(builder, session_factory, settings):
    ann, bob = builder.user("Ann"), builder.user("Bob")
    project = builder.project()
    first = builder.task("First", project=project, hours=27, resources=[ann])
    alongside = builder.task("Alongside", project=project, hours=9, resources=[bob])
    builder.depends(alongside, first, dependency_target="onstart", gap_timing=2, gap_unit="h")
    builder.commit()

    succeeded(schedule(session_factory, settings))

    # Two working hours after First starts (Monday 09:00).
    assert computed(session_factory, alongside) == [(at(8, 11), at(9, 11))]


def test_pinned_start_end_and_both(builder, session_factory, settings):
    ann, bob, cid = builder.user("Ann"), builder.user("Bob"), builder.user("Cid")
    project = builder.project()
    start = builder.task("Start", project=project, hours=9, resources=[ann])
    start.schedule_constraint, start.start = "start", at(10, 13)
    end = builder.task("End", project=project, hours=9, resources=[bob])
    end.schedule_constraint, end.end = "end", at(12, 18)
    both = builder.task("Both", project=project, hours=1, resources=[cid])
    both.schedule_constraint = "both"
    both.set_dates(at(9, 9), at(11, 18))
    builder.commit()

    succeeded(schedule(session_factory, settings))

    assert computed(session_factory, start, end, both) == [
        # From Wednesday 13:00: 5 h that day and 4 h on Thursday.
        (at(10, 13), at(11, 13)),
        # As late as possible before Friday 18:00.
        (at(12, 9), at(12, 18)),
        # Pinned at both ends: the window is the task (its 1 h timing is not used).
        (at(9, 9), at(11, 18)),
    ]


def test_milestones_sit_where_their_dependencies_or_pins_put_them(
    builder, session_factory, settings
):
    ann = builder.user("Ann")
    project = builder.project()
    work = builder.task("Work", project=project, hours=12, resources=[ann])
    done = builder.task("Done", project=project, is_milestone=True)
    builder.depends(done, work)
    pinned = builder.task("Pinned", project=project, is_milestone=True)
    pinned.schedule_constraint, pinned.start = "start", at(19, 12)
    zero = builder.task("Zero", project=project, hours=0, resources=[ann])
    builder.depends(zero, done, gap_timing=1, gap_unit="h")
    builder.commit()

    run = succeeded(schedule(session_factory, settings))

    assert computed(session_factory, work, done, pinned, zero) == [
        (at(8, 9), at(9, 12)),
        (at(9, 12), at(9, 12)),
        (at(19, 12), at(19, 12)),
        # A task with no time is a milestone too (the run says so).
        (at(9, 13), at(9, 13)),
    ]
    assert any(
        "1 task with a timing of zero is planned as milestone: Zero" in m["text"]
        for m in run.messages
    )


def test_vacations_of_a_user_and_of_the_studio(builder, session_factory, settings):
    ann, bob = builder.user("Ann"), builder.user("Bob")
    builder.vacation(ann, at(8, 0), at(10, 0))  # Ann: Monday and Tuesday off
    builder.vacation(None, at(9, 0), at(10, 0))  # everybody: Tuesday off
    project = builder.project()
    anns = builder.task("Ann's", project=project, hours=9, resources=[ann])
    bobs = builder.task("Bob's", project=project, hours=18, resources=[bob])
    unstaffed_length = builder.task(
        "Length", project=project, schedule_timing=18, schedule_unit="h", schedule_model="length"
    )
    builder.commit()

    succeeded(schedule(session_factory, settings))

    assert computed(session_factory, anns, bobs, unstaffed_length) == [
        (at(10, 9), at(10, 18)),
        # Bob works Monday, not on the studio holiday, then Wednesday.
        (at(8, 9), at(10, 18)),
        # Working time skips studio holidays as well.
        (at(8, 9), at(10, 18)),
    ]


def test_alternatives_take_over_when_the_first_choice_is_busy(builder, session_factory, settings):
    ann, bob = builder.user("Ann"), builder.user("Bob")
    project = builder.project()
    urgent = builder.task("Urgent", project=project, hours=18, resources=[ann], priority=900)
    flexible = builder.task(
        "Flexible", project=project, hours=9, resources=[ann], alternative_resources=[bob]
    )
    fixed = builder.task("Fixed", project=project, hours=9, resources=[ann], priority=100)
    builder.commit()

    succeeded(schedule(session_factory, settings))

    assert computed(session_factory, urgent, flexible, fixed) == [
        (at(8, 9), at(9, 18)),
        # Ann is busy on Urgent; Bob, the alternative, does it now.
        (at(8, 9), at(8, 18)),
        # No alternative: waits for Ann.
        (at(10, 9), at(10, 18)),
    ]
    assert computed_resources(session_factory, flexible) == ["Bob"]
    assert computed_resources(session_factory, fixed) == ["Ann"]


def test_two_resources_share_the_effort(builder, session_factory, settings):
    ann, bob = builder.user("Ann"), builder.user("Bob", efficiency=0.5)
    project = builder.project()
    shared = builder.task("Shared", project=project, hours=27, resources=[ann, bob])
    builder.commit()

    succeeded(schedule(session_factory, settings))

    # Ann does 9 h a day and Bob 4.5: 27 h take two days.
    assert computed(session_factory, shared) == [(at(8, 9), at(9, 18))]
    assert computed_resources(session_factory, shared) == ["Ann", "Bob"]


def test_time_logs_are_bookings_rounded_cut_at_now_and_future_ones_left_out(
    builder, session_factory, settings
):
    ann, bob = builder.user("Ann"), builder.user("Bob")
    project = builder.project()
    booked = builder.task("Booked", project=project, hours=12, resources=[ann])
    builder.time_log(booked, ann, at(4, 9, 10), at(4, 11, 50))  # rounded to 09:00-12:00
    builder.time_log(booked, bob, at(5, 14), at(5, 17))  # Bob helped, unallocated
    running = builder.task("Running", project=project, hours=9, resources=[bob])
    builder.time_log(running, bob, at(8, 8), at(8, 11))  # runs past now: counted until 09:00
    ahead = builder.task("Ahead", project=project, hours=9, resources=[bob])
    builder.time_log(ahead, bob, at(9, 9), at(9, 12))  # tomorrow: left out
    builder.commit()

    run = succeeded(schedule(session_factory, settings))

    assert computed(session_factory, booked, running) == [
        # 3 + 3 h booked; the 6 h left take Ann from now.
        (at(4, 9), at(8, 15)),
        # 1 h booked before now, 8 h left.
        (at(8, 8), at(8, 17)),
    ]
    assert computed_resources(session_factory, booked) == ["Ann", "Bob"]
    texts = " ".join(message["text"] for message in run.messages)
    assert "did not fall on the 60 min grid and was rounded" in texts
    assert "running past now on 1 task are counted up to now: Running" in texts
    assert "Time logs in the future on 1 task are left out" in texts


def test_effort_without_anybody_is_planned_as_working_time(builder, session_factory, settings):
    ann = builder.user("Ann")
    gone = builder.user("Gone", is_active=False)
    project = builder.project()
    unassigned = builder.task("Unassigned", project=project, hours=18)
    left = builder.task("Left", project=project, hours=9, resources=[gone])
    after = builder.task("After", project=project, hours=9, resources=[ann])
    builder.depends(after, unassigned)
    builder.commit()

    run = succeeded(schedule(session_factory, settings))

    assert computed(session_factory, unassigned, left, after) == [
        (at(8, 9), at(9, 18)),
        (at(8, 9), at(8, 18)),
        (at(10, 9), at(10, 18)),
    ]
    texts = " ".join(message["text"] for message in run.messages)
    assert "2 tasks have hours of work but nobody to do them" in texts
    assert "Gone is inactive, so 1 task will not be planned for them" in texts


def test_a_run_of_some_projects_keeps_the_others_and_their_people_stay_booked(
    builder, session_factory, settings
):
    ann = builder.user("Ann")
    kept, rescheduled = builder.project("Kept"), builder.project("Rescheduled")
    busy = builder.task("Busy", project=kept, hours=18, resources=[ann], priority=900)
    later = builder.task("Later", project=rescheduled, hours=9, resources=[ann], priority=100)
    builder.commit()
    succeeded(schedule(session_factory, settings))
    assert computed(session_factory, busy, later) == [
        (at(8, 9), at(9, 18)),
        (at(10, 9), at(10, 18)),
    ]
    # The two projects now have the same priority: alone, Later would take Monday.
    later.priority = 900
    waits = builder.task("Waits", project=rescheduled, hours=9)
    builder.depends(waits, busy)
    builder.commit()

    run = succeeded(schedule(session_factory, settings, project_ids=[rescheduled.id]))

    assert run.project_ids == [rescheduled.id] and run.task_count == 2
    # Kept was not in the run: unchanged, resources included.
    assert computed(session_factory, busy, kept) == [(at(8, 9), at(9, 18))] * 2
    assert computed_resources(session_factory, busy) == ["Ann"]
    assert computed(session_factory, later, waits) == [
        # Ann's Monday and Tuesday still belong to Busy.
        (at(10, 9), at(10, 18)),
        # Waits for the end of Busy, held at its computed dates (Tuesday 18:00); unstaffed,
        # it is 9 h of working time, which tj3 starts right at that moment.
        (at(9, 18), at(10, 18)),
    ]
    assert computed(session_factory, rescheduled) == [(at(9, 18), at(10, 18))]


def test_waiting_for_a_never_scheduled_project_outside_the_run_is_refused(
    builder, session_factory, settings
):
    other, mine = builder.project("Other"), builder.project("Mine")
    upstream = builder.task("Upstream", project=other, hours=9)
    downstream = builder.task("Downstream", project=mine, hours=9)
    builder.depends(downstream, upstream)
    builder.commit()

    run = schedule(session_factory, settings, project_ids=[mine.id])

    assert run.status == RunStatus.FAILED
    assert "Downstream (task" in run.error and "Upstream (task" in run.error
    assert "schedule that project too" in run.error
    assert computed(session_factory, downstream) == [(None, None)]
    with session_factory() as dbsession:
        assert dbsession.get(Project, mine.id).computed_start is None

"""A small studio whose schedule was worked out by hand, scheduled by the real tj3.

Calendar: Monday to Friday 09:00-18:00 UTC, 9-hour days, 60-minute resolution; "now" is Monday
8 January 2024 at 09:00. Ann and Bob work at efficiency 1. Ann is on vacation on Wednesday the
10th; the whole studio is off on Monday the 15th.
"""

from stalker_web.models import RunStatus

from .conftest import at, computed, computed_resources, schedule


def test_the_hand_computed_studio_gets_exactly_the_expected_dates(
    builder, session_factory, settings
):
    ann, bob = builder.user("Ann"), builder.user("Bob")
    builder.vacation(ann, at(10, 0), at(11, 0))
    builder.vacation(None, at(15, 0), at(16, 0))
    film = builder.project("Film")
    hero = builder.task("Hero", project=film, kind="Asset")
    model = builder.task("Model", parent=hero, hours=18, resources=[ann])
    rig = builder.task("Rig", parent=hero, hours=9, resources=[bob])
    texture = builder.task("Texture", parent=hero, hours=9, resources=[ann])
    layout = builder.task("Layout", project=film, hours=9, resources=[bob])
    anim = builder.task("Anim", project=film, hours=18, resources=[ann, bob])
    review = builder.task("Review", project=film, is_milestone=True)
    delivery = builder.task("Delivery", project=film, hours=9, resources=[ann])
    comp = builder.task("Comp", project=film, hours=9, resources=[bob], schedule_constraint="start")
    comp.start = at(17, 9)
    prep = builder.task("Prep", project=film, hours=9, resources=[bob])
    builder.depends(rig, model, gap_timing=1, gap_unit="d", gap_model="length")
    builder.depends(
        layout, model, dependency_target="onstart", gap_timing=1, gap_unit="d",
        gap_model="duration",
    )  # fmt: skip
    builder.depends(texture, model)
    builder.depends(anim, rig)
    builder.depends(anim, texture)
    builder.depends(review, anim)
    builder.depends(delivery, review)
    builder.time_log(prep, bob, at(5, 9), at(5, 12))  # Friday the 5th, before now
    builder.commit()

    run = schedule(session_factory, settings)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    assert run.task_count == 10
    assert computed(session_factory, model, rig, texture, hero) == [
        # 18 h of Ann from now: all of Monday and Tuesday.
        (at(8, 9), at(9, 18)),
        # A 1-day (9 h working time) gap after Model fills Wednesday; Bob works Thursday.
        (at(11, 9), at(11, 18)),
        # Texture may start Tuesday 18:00, but Ann is away on Wednesday: Thursday.
        (at(11, 9), at(11, 18)),
        # The asset spans its tasks.
        (at(8, 9), at(11, 18)),
    ]
    assert computed(session_factory, layout, prep) == [
        # Starts 24 calendar hours after Model starts (Tuesday 09:00); Bob is free then.
        (at(9, 9), at(9, 18)),
        # Booked 3 h on Friday the 5th: it starts there, and the 6 h left take Bob from now.
        (at(5, 9), at(8, 15)),
    ]
    assert computed(session_factory, anim, review, delivery, comp) == [
        # After Rig and Texture (Thursday): Ann and Bob together do 18 h on Friday.
        (at(12, 9), at(12, 18)),
        # A milestone where Anim ends.
        (at(12, 18), at(12, 18)),
        # After the milestone; Monday the 15th is a studio holiday, so Tuesday.
        (at(16, 9), at(16, 18)),
        # Pinned to start Wednesday the 17th at 09:00 (else Bob would take it on Monday).
        (at(17, 9), at(17, 18)),
    ]
    # The project spans everything: from Prep's booking to Comp's end.
    assert computed(session_factory, film) == [(at(5, 9), at(17, 18))]
    assert computed_resources(session_factory, anim) == ["Ann", "Bob"]
    assert computed_resources(session_factory, prep) == ["Bob"]
    assert computed_resources(session_factory, review) == []
    assert computed_resources(session_factory, hero) == []

"""A small studio with one task per "why is it here?" kind, worked out by hand and scheduled by
the real tj3 (used by the why and critical path tests).

Calendar: Monday to Friday 09:00-18:00 UTC, 9-hour days, 60-minute resolution; "now" is Monday
8 January 2024 at 09:00. The whole studio is off on Monday the 15th; Ann is away on Wednesday
the 10th, Dee on Monday the 8th and Tuesday the 9th.

The dates tj3 gives (hand-computed):

- Hero (an asset) holds Model, Rig and Texture.
- Model, 18 h of Ann: from now, Monday 09:00 to Tuesday 18:00.
- Rig, 9 h of Bob, after Model plus a 1 d (9 working hours) gap: the gap fills Wednesday,
  released Wednesday 18:00, so Thursday 09:00-18:00.
- Texture, 9 h of Ann, after Model: Ann is away on Wednesday, so Thursday 09:00-18:00.
- Anim, 18 h of Ann and Bob, after Rig and Texture: Friday 09:00-18:00.
- Review, a milestone after Anim: Friday 18:00.
- Delivery, 9 h of Eve, after Review: Monday the 15th is a holiday, so Tuesday 09:00-18:00.
- Layout, 9 h of Bob: Monday. Props, 9 h of Bob, created after Layout: Tuesday.
- Paint, 9 h of Dee: she is away until Wednesday 00:00, so Wednesday 09:00-18:00.
- Prep, 9 h of Cid, 3 h logged on Friday the 5th: from that log to Monday 15:00.
- Grade, 9 h of Cid pinned to start Wednesday 13:00: to Thursday 13:00.
- Trailer, 9 h of Gus pinned to end Friday 18:00: Friday 09:00-18:00.
- Sound, 9 h of Hal, one calendar day after Model starts: Tuesday 09:00-18:00.
"""

from dataclasses import dataclass

from stalker_web.models import RunStatus

from .conftest import at, computed, schedule


@dataclass
class ExplainedStudio:
    """The ids of the hand-computed studio's project, tasks and people."""

    project: int
    tasks: dict[str, int]
    users: dict[str, int]

    def __getitem__(self, name: str) -> int:
        return self.tasks[name]


EXPECTED_DATES = {
    "Hero": (at(8, 9), at(11, 18)),
    "Model": (at(8, 9), at(9, 18)),
    "Rig": (at(11, 9), at(11, 18)),
    "Texture": (at(11, 9), at(11, 18)),
    "Anim": (at(12, 9), at(12, 18)),
    "Review": (at(12, 18), at(12, 18)),
    "Delivery": (at(16, 9), at(16, 18)),
    "Layout": (at(8, 9), at(8, 18)),
    "Props": (at(9, 9), at(9, 18)),
    "Paint": (at(10, 9), at(10, 18)),
    "Prep": (at(5, 9), at(8, 15)),
    "Grade": (at(10, 13), at(11, 13)),
    "Trailer": (at(12, 9), at(12, 18)),
    "Sound": (at(9, 9), at(9, 18)),
}


def build_explained_studio(builder, session_factory, settings) -> ExplainedStudio:
    """Build the studio, schedule it with tj3 and check tj3 gave the hand-computed dates."""
    names = ("Ann", "Bob", "Cid", "Dee", "Eve", "Gus", "Hal")
    people = {name: builder.user(name) for name in names}
    ann, bob, cid, dee = people["Ann"], people["Bob"], people["Cid"], people["Dee"]
    builder.vacation(ann, at(10, 0), at(11, 0))
    builder.vacation(dee, at(8, 0), at(10, 0))
    builder.vacation(None, at(15, 0), at(16, 0))
    film = builder.project("Film")
    hero = builder.task("Hero", project=film, kind="Asset")
    model = builder.task("Model", parent=hero, hours=18, resources=[ann])
    rig = builder.task("Rig", parent=hero, hours=9, resources=[bob])
    texture = builder.task("Texture", parent=hero, hours=9, resources=[ann])
    anim = builder.task("Anim", project=film, hours=18, resources=[ann, bob])
    review = builder.task("Review", project=film, is_milestone=True)
    delivery = builder.task("Delivery", project=film, hours=9, resources=[people["Eve"]])
    layout = builder.task("Layout", project=film, hours=9, resources=[bob])
    props = builder.task("Props", project=film, hours=9, resources=[bob])
    paint = builder.task("Paint", project=film, hours=9, resources=[dee])
    prep = builder.task("Prep", project=film, hours=9, resources=[cid])
    grade = builder.task("Grade", project=film, hours=9, resources=[cid])
    grade.schedule_constraint, grade.start = "start", at(10, 13)
    trailer = builder.task("Trailer", project=film, hours=9, resources=[people["Gus"]])
    trailer.schedule_constraint, trailer.end = "end", at(12, 18)
    sound = builder.task("Sound", project=film, hours=9, resources=[people["Hal"]])
    builder.depends(rig, model, gap_timing=1, gap_unit="d", gap_model="length")
    builder.depends(texture, model)
    builder.depends(anim, rig)
    builder.depends(anim, texture)
    builder.depends(review, anim)
    builder.depends(delivery, review)
    builder.depends(
        sound, model, dependency_target="onstart", gap_timing=1, gap_unit="d",
        gap_model="duration",
    )  # fmt: skip
    builder.time_log(prep, cid, at(5, 9), at(5, 12))
    builder.commit()
    tasks = {
        task.name: task
        for task in (hero, model, rig, texture, anim, review, delivery, layout, props, paint)
        + (prep, grade, trailer, sound)
    }

    run = schedule(session_factory, settings)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, ""), run.messages
    assert dict(zip(tasks, computed(session_factory, *tasks.values()), strict=True)) == (
        EXPECTED_DATES
    )
    return ExplainedStudio(
        film.id,
        {name: task.id for name, task in tasks.items()},
        {name: user.id for name, user in people.items()},
    )

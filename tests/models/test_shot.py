"""Shot: frame ranges, overrides of the project's settings, sequence and scene."""

from contextlib import contextmanager

import pytest
from sqlalchemy import select

from stalker_web.models import ImageFormat, Scene, Sequence, Shot
from stalker_web.models.meta import InvalidValue
from stalker_web.services.workflow.statuses import task_status


@contextmanager
def raises(field: str, message: str):
    """Expect an InvalidValue on ``field`` whose message matches ``message``."""
    with pytest.raises(InvalidValue, match=message) as error:
        yield error
    assert error.value.field == field


def test_shot_frames_follow_stalkers_defaults(make):
    assert (make(Shot, code="A").cut_in, make(Shot, code="B").cut_out) == (1, 1)
    only_in = make(Shot, code="C", cut_in=1001)
    assert (only_in.cut_in, only_in.cut_out) == (1001, 1001)
    shot = make(Shot, code="D", cut_in=1001, cut_out=1100)
    assert (shot.source_in, shot.source_out, shot.cut_duration) == (1001, 1100, 100)


def test_a_shot_is_named_after_its_code(project, dbsession):
    shot = Shot(code="SH010", project=project, status=task_status(dbsession, "RTS"))
    assert shot.name == "SH010"


@pytest.mark.parametrize(
    ("frames", "field", "message"),
    [
        ((20, 10, None, None), "cut_out", r"The cut out frame \(10\) is before the cut in frame"),
        ((10, 20, 5, None), "source_in", "The source in frame must lie within the cut"),
        ((10, 20, None, 25), "source_out", "The source out frame must lie within the cut"),
        ((10, 20, 15, 12), "source_out", "The source out frame is before the source in frame"),
        ((10.5, 20, None, None), "cut_in", "The cut in frame must be a whole number"),
    ],
)
def test_bad_frame_ranges_are_refused(make, frames, field, message):
    shot = make(Shot, code="SH010")
    with raises(field, message):
        shot.set_frames(*frames)
    assert (shot.cut_in, shot.cut_out) == (1, 1)


def test_set_frames_moves_a_range_past_the_old_one(make):
    shot = make(Shot, code="SH010", cut_in=1, cut_out=10)
    shot.set_frames(100, 150, 110, 140)
    assert (shot.cut_in, shot.cut_out, shot.source_in, shot.source_out) == (100, 150, 110, 140)


def test_a_record_in_frame_is_a_whole_number_or_nothing(make):
    shot = make(Shot, code="SH010", record_in=86400)
    shot.record_in = None
    with raises("record_in", "The record in frame must be a whole number"):
        shot.record_in = "start"


def test_fps_and_image_format_fall_back_to_the_project(make, project, dbsession):
    hd = dbsession.scalars(select(ImageFormat).where(ImageFormat.name == "HD 1080")).one()
    project.image_format = hd
    shot = make(Shot, code="SH010")
    assert (shot.effective_fps, shot.effective_image_format) == (25.0, hd)
    shot.fps = 48
    assert shot.effective_fps == 48.0
    with raises("fps", "The frame rate must be a number above zero"):
        shot.fps = 0


def test_a_shot_sequence_must_be_a_sequence_of_the_same_project(make, factory):
    sequence = make(Sequence, code="SQ01")
    shot = make(Shot, code="SH010", sequence=sequence)
    assert sequence.shots == [shot]
    with raises("sequence", "A shot's sequence must be a Sequence"):
        shot.sequence = make(Scene, code="SC01")
    with raises("sequence", "is in another project"):
        shot.sequence = make(Sequence, code="SQ02", project=factory.project())
    with raises("scene", "A shot's scene must be a Scene"):
        shot.scene = sequence

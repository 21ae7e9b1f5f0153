"""Adding notes (their mentions, targets and events), editing them with their history, and the
notes of one target as plain values, in a fixed number of queries."""

import io

import pytest
from sqlalchemy import select, update

from stalker_web.events import NoteAdded, NoteEdited
from stalker_web.models import Note, NoteMention, NoteRevision
from stalker_web.models.note import CONTENT_LENGTH
from stalker_web.services.errors import ValidationError
from stalker_web.services.notes.attachments import Upload
from stalker_web.services.notes.notes import add_note, edit_note, note_history, notes_of
from stalker_web.services.versions.versions import create_version
from stalker_web.services.workflow.reviews import request_review
from stalker_web.services.workflow.time_logs import create_time_log

from ...factories.calendar import MONDAY
from ...matrix_objects import png_bytes


def mentioned_ids(dbsession, note) -> set[int]:
    return set(dbsession.scalars(select(NoteMention.user_id).where(NoteMention.note_id == note.id)))


def test_a_note_on_a_task_names_its_mentions_and_is_announced(
    dbsession, project, task, ana, bruno, published
):
    note = add_note(dbsession, ana, project, "@Bruno, the *layout* is ready.", task=task)
    assert (note.task_id, note.project_id, note.author_id) == (task.id, project.id, ana.id)
    assert mentioned_ids(dbsession, note) == {bruno.id}
    assert published == [
        NoteAdded(
            note_id=note.id, project_id=project.id, author_id=ana.id, mentioned_ids=(bruno.id,)
        )
    ]


def test_a_mention_of_someone_outside_the_project_is_refused_by_login(
    dbsession, project, task, ana, olga, published
):
    with pytest.raises(ValidationError) as refused:
        add_note(dbsession, ana, project, "Ask @olga.", task=task)
    assert refused.value.field == "content"
    assert refused.value.message.startswith(
        "@olga is not on this project, so they could not read the note."
    )
    assert published == []


def test_unknown_and_deactivated_logins_are_plain_text(dbsession, factory, project, task, ana):
    gone = factory.user(login="gone")
    gone.is_active = False
    note = add_note(dbsession, ana, project, "Thanks @nobody and @gone.", task=task)
    assert mentioned_ids(dbsession, note) == set()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "Write the note, or attach a file to it."),
        ("  \n ", "Write the note, or attach a file to it."),
        ("x" * (CONTENT_LENGTH + 1), "A note holds at most 20,000 characters; this one has"),
    ],
)
def test_the_text_is_required_and_bounded(dbsession, project, task, ana, content, message):
    with pytest.raises(ValidationError, match=message) as refused:
        add_note(dbsession, ana, project, content, task=task)
    assert refused.value.field == "content"


def test_a_note_of_files_only_needs_no_text(dbsession, project, task, ana, store):
    note = add_note(
        dbsession,
        ana,
        project,
        "",
        task=task,
        attachments=[Upload("a.png", io.BytesIO(png_bytes()))],
    )
    assert [file.original_filename for file in note.attachments] == ["a.png"]


def test_the_target_must_belong_to_the_project(dbsession, factory, project, ana):
    elsewhere = factory.task(name="Elsewhere")
    with pytest.raises(ValidationError, match="That is not part of Film."):
        add_note(dbsession, ana, project, "Hello", task=elsewhere)


def test_a_note_has_one_target(dbsession, project, task, ana):
    version = create_version(dbsession, task)
    with pytest.raises(TypeError):
        add_note(dbsession, ana, project, "Hello", task=task, version=version)


def test_notes_on_versions_and_reviews_belong_to_the_task_s_project(
    dbsession, factory, project, task, ana, bruno
):
    task.resources.append(ana)
    task.responsible.append(bruno)
    create_time_log(dbsession, task, ana, MONDAY, MONDAY.replace(hour=11))  # now in progress
    version = create_version(dbsession, task)
    [review] = request_review(dbsession, task, ana, version)
    on_version = add_note(dbsession, ana, project, "v1 is up", version=version)
    on_review = add_note(dbsession, bruno, project, "Looks good", review=review)
    assert on_version.noted_version_id == version.id
    assert on_review.review_id == review.id
    assert [note.html for note in notes_of(dbsession, version=version)] == ["<p>v1 is up</p>\n"]
    assert [note.author_name for note in notes_of(dbsession, review=review)] == ["Bruno Diaz"]


def test_editing_keeps_the_old_text_and_announces_new_mentions_only(
    dbsession, project, task, ana, bruno, factory, published
):
    carla = factory.user(login="carla", name="Carla")
    project.members.append(type(project.members[0])(user=carla))
    note = add_note(dbsession, ana, project, "Hi @bruno", task=task)
    before = note.version_id
    edit_note(dbsession, note, ana, "Hi @bruno and @carla", before)
    assert note.content == "Hi @bruno and @carla"
    assert note.version_id != before
    [revision] = dbsession.scalars(select(NoteRevision)).all()
    assert (revision.content, revision.edited_by_id) == ("Hi @bruno", ana.id)
    assert mentioned_ids(dbsession, note) == {bruno.id, carla.id}
    assert published[-1] == NoteEdited(
        note_id=note.id, project_id=project.id, editor_id=ana.id, mentioned_ids=(carla.id,)
    )
    [history] = note_history(dbsession, note)
    assert history.edited_by_name == "Ana Lima"
    assert 'class="mention"' in history.html and "@bruno" in history.html


def test_a_stale_edit_is_refused_and_changes_nothing(dbsession, project, task, ana):
    note = add_note(dbsession, ana, project, "First", task=task)
    stale = note.version_id
    edit_note(dbsession, note, ana, "Second", stale)
    with pytest.raises(ValidationError, match="This note was changed since you opened this page"):
        edit_note(dbsession, note, ana, "Third", stale)
    assert note.content == "Second"
    assert len(note_history(dbsession, note)) == 1


def test_only_the_author_edits(dbsession, project, task, ana, bruno):
    note = add_note(dbsession, ana, project, "Mine", task=task)
    with pytest.raises(ValidationError, match="Only the person who wrote a note may change it."):
        edit_note(dbsession, note, bruno, "Yours now", note.version_id)
    assert note.content == "Mine"


def test_notes_are_listed_oldest_first_as_plain_values(dbsession, project, task, ana, bruno):
    first = add_note(dbsession, ana, project, "First, for @bruno", task=task)
    add_note(dbsession, bruno, project, "On the project itself")
    second = add_note(dbsession, bruno, project, "`@ana` in code", task=task)
    edit_note(dbsession, second, bruno, "Second, `@ana` in code", second.version_id)
    notes = notes_of(dbsession, task=task)
    assert [note.id for note in notes] == [first.id, second.id]
    assert [note.author_name for note in notes] == ["Ana Lima", "Bruno Diaz"]
    assert notes[0].html == (
        '<p>First, for <span class="mention" title="Bruno Diaz">@bruno</span></p>\n'
    )
    assert "<code>@ana</code>" in notes[1].html
    assert [(note.edited, note.revision_count) for note in notes] == [(False, 0), (True, 1)]
    assert [note.html for note in notes_of(dbsession, project=project)] == [
        "<p>On the project itself</p>\n"
    ]


def test_listing_notes_takes_the_same_queries_for_any_number(
    dbsession, project, task, ana, bruno, store, count_queries
):
    def add(count: int) -> None:
        for number in range(count):
            add_note(
                dbsession,
                ana,
                project,
                f"Note {number} for @bruno",
                task=task,
                attachments=[Upload(f"frame{number}.png", io.BytesIO(png_bytes()))],
            )

    def measured() -> int:
        dbsession.expire_all()
        with count_queries() as counter:
            notes_of(dbsession, task=task)
        return counter.count

    add(1)
    one = measured()
    add(9)
    # The notes, their authors, mentions, files and revision counts, after reloading the
    # expired task.
    assert measured() == one == 6


def test_an_edit_racing_another_is_refused_as_stale(dbsession, project, task, ana):
    note = add_note(dbsession, ana, project, "First", task=task)
    loaded = note.version_id
    # Another request changes the note between this one's check and its UPDATE.
    dbsession.execute(
        update(Note)
        .where(Note.id == note.id)
        .values(content="Theirs", version_id=Note.version_id + 1)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(ValidationError, match="This note was changed since you opened this page"):
        edit_note(dbsession, note, ana, "Mine", loaded)
    assert note.content == "Theirs"
    assert note_history(dbsession, note) == []

"""tj3's stderr read into structured messages, with names instead of ids."""

from stalker_web.services.scheduling.messages import (
    MAX_MESSAGES,
    Message,
    Names,
    capped,
    parse_tj3_output,
    summary,
)

NAMES = Names(
    tasks={1: "Model", 2: "Rig", 5: "Anim"}, projects={1: "Film"}, users={3: "Ann", 4: "Bob"}
)

LOOP = """\
studio.tjp:30: Warning: Dependency loop detected at start of task Studio.Project_1.Task_1
studio.tjp:30: Info: Loop ctnd. at end of task Studio.Project_1.Task_1
studio.tjp:35: Info: Loop ctnd. at start of task Studio.Project_1.Task_1.Task_2
studio.tjp:30: Error: Aborting
"""

BOOKING = """\
studio.tjp:38: Error: Resource User_3 has multiple conflicting bookings for \
2024-01-02-10:00-+0000. The conflicting tasks are Studio.Project_1.Task_1 and \
Studio.Project_1.Task_5.
studio.tjp:33: Error: User_99 is not a defined resource.
    booking User_99 2024-01-02-09:00 - 2024-01-02-12:00
Warning: 1 tasks could not be scheduled
"""


def test_messages_carry_level_line_ids_and_readable_text():
    first, second, third = parse_tj3_output(BOOKING, NAMES)
    assert (first.level, first.line, first.task_ids, first.user_ids) == ("error", 38, [1, 5], [3])
    assert first.readable == (
        "Ann has time logged twice at 2024-01-02 10:00 UTC: on Model (task 1) and on Anim (task 5)."
    )
    assert second.source == ["    booking User_99 2024-01-02-09:00 - 2024-01-02-12:00"]
    assert (
        second.readable == "someone not in the studio is not one of the people the schedule knows."
    )
    assert (third.level, third.line, third.text) == (
        "warning",
        None,
        "1 tasks could not be scheduled",
    )
    assert all(message.origin == "tj3" for message in (first, second, third))


def test_a_loop_is_summed_up_by_the_warning_before_aborting():
    messages = parse_tj3_output(LOOP, NAMES)
    assert [message.level for message in messages] == ["warning", "info", "info", "error"]
    assert messages[2].task_ids == [2]
    assert (
        summary(messages) == "Model (task 1) waits for itself: its dependencies go round in a loop."
    )
    assert messages[2].readable == "The loop goes through Rig (task 2)."


def test_the_summary_counts_the_other_errors():
    assert summary(parse_tj3_output(BOOKING, NAMES)).endswith("Anim (task 5). (1 more error)")
    assert summary([Message(level="warning", text="only a warning")]) == ""


def test_thousands_of_messages_are_capped_keeping_the_errors():
    many = [Message(level="warning", text=f"warning {n}") for n in range(MAX_MESSAGES + 10)]
    many.append(Message(level="error", text="the one error"))
    kept = capped(many)
    assert len(kept) == MAX_MESSAGES
    assert kept[0].text == "the one error"
    assert kept[-1].text == "12 more messages were left out."


# What a producer reads: the common warnings in plain words, no .tjp ids, no tj3 jargon.
COMMON = """\
studio.tjp:40: Warning: 3.5d of effort of task Studio.Project_1.Task_1 does not fit into the project time frame
studio.tjp:41: Warning: Task Studio.Project_1.Task_2 has resource allocation requested, but did not get any
studio.tjp:42: Warning: The total effort (1.5d or 12.0h) of the provided bookings for task Studio.Project_1.Task_5 exceeds the specified effort of 1.0d or 8.0h.
studio.tjp:43: Warning: Persistence broken for Task Studio.Project_1.Task_5 - resource User_4 is gone
Warning: Task Studio.Project_1.Task_5: <?> -> <?>
"""  # noqa: E501

JARGON = ("Task_", "User_", "Project_", "effort", "allocat", "resource", "(user ", "(project ")


def test_common_warnings_read_plainly():
    readable = [message.readable for message in parse_tj3_output(COMMON, NAMES)]
    assert readable == [
        "Model (task 1) still had 3.5 working days of work left when the planning window ended.",
        "Rig (task 2) has people but no time to work set, so none of them was planned on it; give "
        "it a number of working hours or days, or a higher priority.",
        "Anim (task 5): 12 h are logged, more than the 8 h it was given; raise its working time "
        "to what the task really takes.",
        "Anim (task 5) lost Bob part way (a vacation or another task); someone else continues it.",
        "Anim (task 5) got no complete dates (start not found, end not found).",
    ]
    for text in readable:
        assert not any(word in text for word in JARGON), text


def test_identical_warnings_about_several_tasks_are_said_once():
    stderr = "".join(
        f"studio.tjp:{40 + n}: Warning: {days}d of effort of task Studio.Project_1.Task_{n} does "
        "not fit into the project time frame\n"
        for n, days in ((1, "2"), (2, "1.5"), (5, "0.5"))
    )
    stderr += "Warning: 3 tasks could not be scheduled\n"
    grouped, total = parse_tj3_output(stderr, NAMES)
    assert grouped.readable == (
        "3 tasks still had work left when the planning window ended: Model (task 1) (2.0 working "
        "days), Rig (task 2) (1.5 working days), Anim (task 5) (0.5 working days)."
    )
    assert (grouped.task_ids, grouped.line) == ([1, 2, 5], 41)
    assert total.readable == "3 tasks could not be scheduled."


def test_a_person_no_longer_known_is_not_shown_by_id():
    (message,) = parse_tj3_output(
        "Warning: Persistence broken for Task Studio.Project_1.Task_1 - resource User_77 is gone",
        NAMES,
    )
    assert message.readable == (
        "Model (task 1) lost someone not in the studio part way (a vacation or another task); "
        "someone else continues it."
    )

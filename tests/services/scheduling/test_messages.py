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
        "Resource Ann (user 3) has multiple conflicting bookings for 2024-01-02 10:00 UTC. The "
        "conflicting tasks are Model (task 1) and Anim (task 5)."
    )
    assert second.source == ["    booking User_99 2024-01-02-09:00 - 2024-01-02-12:00"]
    assert second.readable == "user 99 is not a defined resource."
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
    assert summary(messages) == "Dependency loop detected at start of task Model (task 1)"


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

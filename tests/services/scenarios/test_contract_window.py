"""Live users' contract windows (``available_from``/``available_until``), scheduled by the real
tj3: no work outside the window, and a refusal naming the window when it is why nobody can work.

Calendar Monday to Friday 09:00-18:00 UTC; now is Monday 8 January 2024 09:00.
"""

from stalker_web.models import RunStatus

from ..scheduling.conftest import computed, computed_resources, schedule
from .conftest import at


def test_a_user_under_contract_from_wednesday_starts_on_wednesday(
    builder, session_factory, settings
):
    cleo = builder.user("Cleo", available_from=at(10, 0))
    film = builder.project("Film")
    layout = builder.task("Layout", project=film, hours=9, resources=[cleo])
    builder.commit()

    run = schedule(session_factory, settings)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    # Free from now on, but under contract only from Wednesday the 10th: all of Wednesday.
    assert computed(session_factory, layout) == [(at(10, 9), at(10, 18))]
    assert computed_resources(session_factory, layout) == ["Cleo"]


def test_work_stops_where_the_contract_ends_and_someone_else_continues(
    builder, session_factory, settings
):
    dan = builder.user("Dan", available_until=at(9, 18))
    eve = builder.user("Eve", available_from=at(10, 0))
    film = builder.project("Film")
    # Dan may do it, Eve takes over (an alternative) once Dan's contract ended on Tuesday.
    edit = builder.task(
        "Edit", project=film, hours=27, resources=[dan], alternative_resources=[eve],
        persistent_allocation=False,
    )  # fmt: skip
    builder.commit()

    run = schedule(session_factory, settings)

    assert (run.status, run.error) == (RunStatus.SUCCEEDED, "")
    # Dan Monday and Tuesday (18 h), Eve the 9 h left on Wednesday.
    assert computed(session_factory, edit) == [(at(8, 9), at(10, 18))]
    assert computed_resources(session_factory, edit) == ["Dan", "Eve"]


def test_a_task_whose_only_person_is_out_of_contract_is_refused_naming_the_window(
    builder, session_factory, settings
):
    dan = builder.user("Dan", available_until=at(5, 18))
    film = builder.project("Film")
    edit = builder.task("Edit", project=film, hours=9, resources=[dan])
    builder.commit()

    run = schedule(session_factory, settings)

    assert run.status == RunStatus.FAILED
    assert run.error.startswith(
        f"Edit (task {edit.id}) has 9 h of work, but nobody on it can work in the planning "
        "window (2024-01-08 09:00 UTC to "
    )
    assert "Dan is not under contract any more. Assign someone else, change the contract " in (
        run.error
    )


def test_work_left_when_the_only_contract_ends_is_said_so_not_the_window(
    builder, session_factory, settings
):
    dan = builder.user("Dan", available_until=at(9, 18))
    film = builder.project("Film")
    edit = builder.task("Edit", project=film, hours=27, resources=[dan])
    builder.commit()

    run = schedule(session_factory, settings)

    # Dan can do 18 h on Monday and Tuesday; the 9 h left have nobody.
    assert run.status == RunStatus.FAILED
    assert run.error == (
        f"Edit (task {edit.id}) could not be finished: Dan's contract ends 2024-01-09 18:00 UTC "
        "and nobody else on it can do the rest. Extend a contract window or add people. The "
        "schedule is unchanged."
    )

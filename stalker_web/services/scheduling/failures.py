"""Explaining a run that tj3 did not finish: the one-paragraph error a failed run shows,
naming the real cause and what to change."""

from datetime import datetime

from .checks import tasks_text
from .messages import Message, summary
from .plan import AFTER_CONTRACT, CheckedStudio


def _contract_ends(checked: CheckedStudio, task_ids) -> dict[int, dict[int, datetime]]:
    """Of the tasks ``task_ids``, those whose every person's contract ends inside the window:
    task id → {person: the contract's end}."""
    ends = {
        resource.id: leave.start
        for resource in checked.resources
        for leave in resource.leaves
        if leave.name == AFTER_CONTRACT
    }
    found = {}
    for project in checked.projects:
        for task in project.tasks:
            people = task.allocations + task.alternatives
            if task.id in task_ids and people and all(person in ends for person in people):
                found[task.id] = {person: ends[person] for person in people}
    return found


def failure_text(outcome, messages: list[Message], settings, checked: CheckedStudio) -> str:
    """Why tj3 did not give a schedule, in a producer's words, naming what to change: the
    timeout, a crash, work that could not fit before a pinned end or a contract's end, the
    planning window, else tj3's own summary."""
    if outcome.timed_out:
        return (
            f"tj3 did not finish within {settings.timeout_seconds:g} s and was stopped; the "
            "schedule is unchanged. Schedule fewer projects or raise "
            "scheduling.timeout_seconds."
        )
    if outcome.signal_name:
        return f"tj3 crashed (it was ended by {outcome.signal_name}); the schedule is unchanged."
    unfit = [message for message in messages if "not fit into the project time" in message.text]
    unfit_ids = dict.fromkeys(task_id for message in unfit for task_id in message.task_ids)
    pinned_end = {
        task.id: task.end
        for project in checked.projects
        for task in project.tasks
        if task.id in unfit_ids and task.end is not None and task.start is None
    }
    if pinned_end:
        # fit.py found room on the calendar, so other work took the people's time.
        return (
            " ".join(
                f"{checked.names.task(task_id)} could not fit its work before its pinned end "
                f"{end:%Y-%m-%d %H:%M} UTC: its people are busy with other tasks until then."
                for task_id, end in pinned_end.items()
            )
            + " Move the end later, lower the priority of the other tasks or add people. "
            "The schedule is unchanged."
        )
    contract_ends = _contract_ends(checked, unfit_ids)
    if contract_ends:
        return (
            " ".join(
                f"{checked.names.task(task_id)} could not be finished: "
                + ", ".join(
                    f"{checked.names.users.get(user_id) or f'user {user_id}'}'s contract ends "
                    f"{end:%Y-%m-%d %H:%M} UTC"
                    for user_id, end in ends.items()
                )
                + " and nobody else on it can do the rest."
                for task_id, ends in contract_ends.items()
            )
            + " Extend a contract window or add people. The schedule is unchanged."
        )
    if unfit_ids:
        # The checks (fit.py) found no pin or vacation that stops them: the window is too short.
        return (
            "Some tasks did not fit into the planning window, which ends "
            f"{settings.horizon_days} days after now: "
            + tasks_text(checked.names, list(unfit_ids))
            + ". Raise scheduling.horizon_days (the window ends "
            f"{checked.window_end:%Y-%m-%d %H:%M} UTC) or add people; the messages below say "
            "how much work was left. The schedule is unchanged."
        )
    text = summary(messages) or f"tj3 stopped with exit code {outcome.exit_code}."
    return text + " The schedule is unchanged."

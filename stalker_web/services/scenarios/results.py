"""Writing a scenario run's results: the scenario's ``ScenarioTaskResult`` rows replaced by
what tj3 computed (every scheduled task, leaves and containers), in the run's last
transaction. Live rows are never touched."""

from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from ...models import Scenario, ScenarioTaskResult, Task
from ..scheduling.results import ScheduleResults

_results = ScenarioTaskResult.__table__
_scenarios = Scenario.__table__
_tasks = Task.__table__


def write_scenario_results(
    dbsession: Session,
    scenario_id: int,
    results: ScheduleResults,
    *,
    schedule_now: datetime,
    fingerprint: str,
    read_at: datetime,
) -> int:
    """Replace the scenario's results by ``results`` (users in ``resource_ids``, temporary
    people, the snapshot's negative ids, as person ids in ``person_ids``) and record when the
    studio was read (``scheduled_at``: changes made after it are not in these results), the
    schedule's now and the live fingerprint; return the number of tasks written. Tasks deleted
    while tj3 ran are skipped. The caller commits."""
    existing = set(dbsession.scalars(select(_tasks.c.id)))
    dbsession.execute(delete(_results).where(_results.c.scenario_id == scenario_id))
    rows = []
    for task_id, (start, end) in results.task_dates.items():
        if task_id not in existing:
            continue
        people = list(dict.fromkeys(results.task_resources.get(task_id, ())))
        rows.append(
            {
                "scenario_id": scenario_id,
                "task_id": task_id,
                "computed_start": start,
                "computed_end": end,
                "resource_ids": [user_id for user_id in people if user_id > 0],
                "person_ids": [-user_id for user_id in people if user_id < 0],
            }
        )
    if rows:
        dbsession.execute(insert(_results), rows)
    dbsession.execute(
        update(_scenarios)
        .where(_scenarios.c.id == scenario_id)
        .values(scheduled_at=read_at, results_now=schedule_now, results_fingerprint=fingerprint)
    )
    return len(rows)

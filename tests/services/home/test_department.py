"""A lead's departments on the home page: each member's load this week and next, the most
loaded first, from the workload grid."""

from datetime import timedelta

from stalker_web.services.home.department import departments_load

from ..health.conftest import NOW


def test_members_this_week_and_next_most_loaded_first(factory, dbsession):
    busy, free = factory.user(name="Busy"), factory.user(name="Free")
    department = factory.department(name="Anim", members=[free, busy])
    task = factory.task(resources=[busy], schedule_timing=80, schedule_unit="h")
    task.computed_start, task.computed_end = NOW, NOW + timedelta(days=14)
    task.computed_resources = [busy]
    dbsession.flush()

    weeks, loads = departments_load(dbsession, [department.id], NOW)

    assert len(weeks) == 2 and weeks[0] <= NOW < weeks[1]
    (load,) = loads
    assert [row.person.name for row in load.rows] == ["Busy", "Free"]
    assert load.rows[0].cells[0].scheduled_seconds > 0
    assert load.rows[1].cells[0].scheduled_seconds == 0
    assert load.totals[0].available_seconds > 0


def test_the_same_queries_for_more_members(factory, dbsession, count_queries):
    counts = []
    for size in (2, 20):
        department = factory.department(members=[factory.user() for _ in range(size)])
        dbsession.expire_all()
        with count_queries() as counter:
            departments_load(dbsession, [department.id], NOW)
        counts.append(counter.count)
    assert counts[0] == counts[1]

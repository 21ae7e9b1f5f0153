"""The people named on one task, read in one statement for its ACL and its page."""

from stalker_web.services.tasks.people import task_people


def test_every_list_the_inherited_responsible_and_the_audit_users_in_one_statement(
    factory, dbsession, count_queries
):
    lead, artist, backup, watcher = (factory.user(name=name) for name in ("Lee", "Ann", "Bo", "Wu"))
    sequence = factory.task("Sequence")
    sequence.responsible.append(lead)
    shot = factory.task("Shot", parent=sequence, sequence=sequence)
    task = factory.task(
        parent=shot, resources=[artist], alternative_resources=[backup], watchers=[watcher]
    )
    task.created_by_id = task.updated_by_id = artist.id
    dbsession.flush()
    with count_queries() as counter:
        people = task_people(dbsession, task)
    assert counter.count == 1
    names = {key: [user.name for user in users] for key, users in people.lists.items()}
    assert names == {
        "resources": ["Ann"],
        "alternative_resources": ["Bo"],
        "computed_resources": [],
        "watchers": ["Wu"],
        "responsible": [],
    }
    assert [user.name for user in people.responsible] == ["Lee"]
    assert people.created_by.name == people.updated_by.name == "Ann"


def test_the_nearest_ancestor_with_responsible_users_wins(factory, dbsession):
    top, near = factory.user(name="Top"), factory.user(name="Near")
    sequence = factory.task("Sequence")
    sequence.responsible.append(top)
    shot = factory.task("Shot", parent=sequence, sequence=sequence)
    shot.responsible.append(near)
    task = factory.task(parent=shot)
    dbsession.flush()
    assert [user.name for user in task_people(dbsession, task).responsible] == ["Near"]
    task.responsible.append(top)
    dbsession.flush()
    people = task_people(dbsession, task)
    assert [user.name for user in people.responsible] == ["Top"]
    assert people.lists["responsible"] == people.responsible

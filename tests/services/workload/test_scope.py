"""Who a workload page shows: a department's members, a project's members and booked people
grouped by department, and the teams of the index."""

from stalker_web.services.workload.scope import (
    NO_DEPARTMENT,
    WorkloadPerson,
    department_people,
    project_people,
    workload_teams,
)

from ...factories.projects import member


def test_a_departments_page_lists_its_members_by_name_fifty_a_page(dbsession, factory):
    ann, bob, cid = (factory.user(name=name) for name in ("Ann", "Bob", "Cid"))
    factory.user(name="Outsider")
    department = factory.department("Lighting", members=[cid, ann, bob])

    first = department_people(dbsession, department, 1, per_page=2, weeks=4)
    second = department_people(dbsession, department, 2, per_page=2, weeks=4)

    assert first.items == [WorkloadPerson(ann.id, "Ann"), WorkloadPerson(bob.id, "Bob")]
    assert second.items == [WorkloadPerson(cid.id, "Cid")]
    assert first.total == 3 and first.query_for(2) == {"weeks": 4, "page": 2}


def test_a_projects_page_lists_members_and_booked_people_grouped_by_department(dbsession, factory):
    project = factory.project()
    ann, bob, cid, dee = (factory.user(name=name) for name in ("Ann", "Bob", "Cid", "Dee"))
    factory.user(name="Outsider")
    factory.department("Lighting", members=[ann])
    factory.department("Animation", members=[bob])
    factory.department("Zoo", members=[bob])
    member(project, ann)
    member(project, cid)
    factory.task(project=project, resources=[bob])  # assigned, not a member
    task = factory.task(project=project)
    task.computed_resources = [dee]  # scheduled, not a member
    dbsession.flush()

    page = project_people(dbsession, project)

    assert page.items == [
        WorkloadPerson(bob.id, "Bob", "Animation"),
        WorkloadPerson(ann.id, "Ann", "Lighting"),
        WorkloadPerson(cid.id, "Cid", NO_DEPARTMENT),
        WorkloadPerson(dee.id, "Dee", NO_DEPARTMENT),
    ]


def test_the_index_lists_every_team_with_its_head_count(dbsession, factory):
    ann = factory.user()
    department = factory.department("Lighting", members=[ann])
    project = factory.project()
    member(project, ann)
    dbsession.flush()

    departments, projects = workload_teams(dbsession)

    assert any(t.entity == department and t.people == 1 for t in departments)
    assert any(t.entity == project and t.people == 1 for t in projects)

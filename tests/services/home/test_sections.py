"""Which home sections apply, most relevant first: what the person was given by name before what
studio-wide rights give them."""

from sqlalchemy import select

from stalker_web.services.home.sections import Section, Viewer, has_work, home_sections

from ...factories.projects import member


def test_a_lead_with_tasks_and_projects_sees_department_first(factory):
    lead_role = factory.role("Home lead", manages_department=True, manages_project=True)
    user = factory.user()
    factory.department(members=[(user, lead_role)])
    member(factory.project(), user, lead_role)
    factory.dbsession.flush()

    sections = home_sections(Viewer(user), has_tasks=True, reviews_waiting=0)

    assert sections == [Section.DEPARTMENT, Section.REVIEWS, Section.WORK, Section.PROJECTS]


def test_an_admin_sees_the_studio_before_every_project(factory):
    viewer = Viewer(factory.user(), every_project=True, studio_admin=True)
    assert home_sections(viewer, has_tasks=False, reviews_waiting=0) == [
        Section.STUDIO,
        Section.PROJECTS,
    ]


def test_reviews_show_for_whoever_has_some_waiting(factory):
    viewer = Viewer(factory.user())
    assert home_sections(viewer, has_tasks=True, reviews_waiting=2) == [
        Section.REVIEWS,
        Section.WORK,
    ]
    assert home_sections(viewer, has_tasks=False, reviews_waiting=0) == []


def test_a_plain_member_manages_nothing(factory):
    user = factory.user()
    member(factory.project(), user, factory.role("Home artist"))
    factory.department(members=[(user, factory.role("Home artist"))])
    factory.dbsession.flush()
    viewer = Viewer(user)
    assert viewer.managed_project_ids == [] and viewer.led_department_ids == []


def test_work_is_any_task_as_resource_or_as_scheduled(factory):
    project = factory.project()
    resource, scheduled, idle = factory.user(), factory.user(), factory.user()
    factory.task(project=project, resources=[resource])
    task = factory.task(project=project)
    task.computed_resources = [scheduled]
    factory.dbsession.flush()
    assert [
        factory.dbsession.scalar(select(has_work(user))) for user in (resource, scheduled, idle)
    ] == [
        True,
        True,
        False,
    ]

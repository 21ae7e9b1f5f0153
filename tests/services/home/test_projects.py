"""A producer's projects on the home page: the overview's health measures for many projects, one
grouped query per measure."""

from stalker_web.services.health.overview import project_health
from stalker_web.services.home.projects import PROJECTS_SHOWN, followed_projects

from ..health.conftest import NOW
from ..health.productions import dated_production


def test_each_line_matches_the_project_s_own_health(factory, dbsession):
    calendar = factory.studio()
    projects = [dated_production(factory, dbsession, scale, NOW) for scale in (1, 2)]
    quiet = factory.project()

    followed = followed_projects(dbsession, [p.id for p in [*projects, quiet]], calendar, NOW)

    lines = {line.project.id: line for line in followed.lines}
    assert followed.total == 3
    for project in projects:
        health = project_health(dbsession, project, calendar, NOW, with_loads=False)
        line = lines[project.id]
        assert (line.late, line.at_risk) == (
            health.lateness.late_count,
            health.lateness.at_risk_count,
        )
        assert line.last_run.run == health.last_run.run
        assert line.reviews == health.reviews
        assert line.progress.scheduled_seconds > 0
    assert lines[quiet.id].late == 0 and lines[quiet.id].last_run is None
    assert lines[quiet.id].reviews.count == 0


def test_every_project_is_counted_but_twenty_are_shown(factory, dbsession):
    for _ in range(PROJECTS_SHOWN + 2):
        factory.project()
    followed = followed_projects(dbsession, None, factory.studio(), NOW)
    assert len(followed.lines) == PROJECTS_SHOWN
    assert followed.total >= PROJECTS_SHOWN + 2


def test_the_same_queries_for_more_projects_and_tasks(factory, dbsession, count_queries):
    calendar = factory.studio()
    small = [dated_production(factory, dbsession, 1, NOW).id]
    large = [dated_production(factory, dbsession, 3, NOW).id for _ in range(4)]
    counts = []
    for project_ids in (small, large):
        dbsession.expire_all()
        with count_queries() as counter:
            followed_projects(dbsession, project_ids, calendar, NOW)
        counts.append(counter.count)
    assert counts[0] == counts[1]
